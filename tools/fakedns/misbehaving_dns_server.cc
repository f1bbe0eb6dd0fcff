#include "tools/fakedns/misbehaving_dns_server.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "scanner/dns/message.h"
#include "scanner/dns/name.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::fakedns {
namespace {

namespace rr = ::mxscan::dns::rr_type;

struct Query {
  uint16_t id = 0;
  uint16_t flags = 0;
  std::string name;     // canonical text, "ok-1.test."
  std::string question; // wire bytes of the question (name, type, class)
  uint16_t type = 0;
};

bool ParseQuery(absl::string_view bytes, Query* q) {
  auto packet = dns::AsBytes(bytes);
  dns::Header header;
  if (!dns::ReadHeader(packet, &header) || header.qr() ||
      header.qdcount != 1) {
    return false;
  }
  size_t offset = dns::kHeaderSize;
  if (!dns::ReadWireName(packet, &offset, &q->name).ok()) return false;
  if (offset + 4 > packet.size()) return false;
  q->id = header.id;
  q->flags = header.flags;
  q->type = static_cast<uint16_t>((packet[offset] << 8) | packet[offset + 1]);
  q->question = std::string(bytes.substr(dns::kHeaderSize,
                                         offset + 4 - dns::kHeaderSize));
  return true;
}

void PutU16(uint16_t v, std::string* out) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v & 0xFF));
}

void PutU32(uint32_t v, std::string* out) {
  PutU16(static_cast<uint16_t>(v >> 16), out);
  PutU16(static_cast<uint16_t>(v & 0xFFFF), out);
}

std::string WireName(absl::string_view name) {
  std::string out;
  if (!dns::AppendWireName(name, &out).ok()) out.assign(1, '\0');
  return out;
}

// One answer record; `owner` is wire bytes (a pointer to the question name
// is "\xC0\x0C").
struct Record {
  std::string owner;
  uint16_t type;
  std::string rdata;
};

std::string Response(const Query& q, int rcode, bool truncated,
                     const std::vector<Record>& answers,
                     uint16_t id_delta = 0) {
  std::string out;
  PutU16(static_cast<uint16_t>(q.id + id_delta), &out);
  uint16_t flags = 0x8000 | 0x0400 | (q.flags & 0x0100) | (rcode & 0xF);
  if (truncated) flags |= 0x0200;
  PutU16(flags, &out);
  PutU16(1, &out);
  PutU16(static_cast<uint16_t>(answers.size()), &out);
  PutU16(0, &out);
  PutU16(0, &out);
  out += q.question;
  for (const Record& r : answers) {
    out += r.owner;
    PutU16(r.type, &out);
    PutU16(dns::kClassIn, &out);
    PutU32(300, &out);
    PutU16(static_cast<uint16_t>(r.rdata.size()), &out);
    out += r.rdata;
  }
  return out;
}

const std::string kSelf("\xC0\x0C", 2);

// The normal answer for the question's type.
std::vector<Record> GoodAnswer(const Query& q) {
  std::vector<Record> records;
  const uint32_t h = static_cast<uint32_t>(std::hash<std::string>()(q.name));
  switch (q.type) {
    case rr::kA: {
      const char addr[4] = {127, static_cast<char>(h & 0xFF),
                            static_cast<char>((h >> 8) & 0xFF),
                            static_cast<char>(1 + (h >> 16) % 250)};
      records.push_back({kSelf, rr::kA, std::string(addr, 4)});
      break;
    }
    case rr::kAaaa: {
      std::string addr(16, '\0');
      addr[15] = 1;
      records.push_back({kSelf, rr::kAaaa, addr});
      break;
    }
    case rr::kMx: {
      std::string rdata;
      PutU16(10, &rdata);
      rdata += WireName(absl::StrCat("mx.", q.name));
      records.push_back({kSelf, rr::kMx, rdata});
      break;
    }
    case rr::kTxt: {
      const std::string text = "v=spf1 -all";
      records.push_back(
          {kSelf, rr::kTxt, std::string(1, static_cast<char>(text.size())) + text});
      break;
    }
    default:
      break;
  }
  return records;
}

absl::string_view Behaviour(absl::string_view name) {
  const size_t dash = name.find('-');
  const size_t dot = name.find('.');
  if (dash == absl::string_view::npos || dash > dot) return "ok";
  return name.substr(0, dash);
}

}  // namespace

// TcpConnection reads length-prefixed queries and answers them. Owns
// itself; deleted in its close callback.
class MisbehavingDnsServer::TcpConnection {
 public:
  explicit TcpConnection(MisbehavingDnsServer* server) : server_(server) {
    server_->connections_.insert(this);
  }
  uv_tcp_t* handle() { return &tcp_; }

  void Start() {
    tcp_.data = this;
    uv_read_start(
        reinterpret_cast<uv_stream_t*>(&tcp_),
        [](uv_handle_t* h, size_t, uv_buf_t* buf) {
          auto* self = static_cast<TcpConnection*>(h->data);
          *buf = uv_buf_init(self->chunk_, sizeof(self->chunk_));
        },
        [](uv_stream_t* s, ssize_t nread, const uv_buf_t*) {
          auto* self = static_cast<TcpConnection*>(s->data);
          if (nread < 0) {
            self->Close();
            return;
          }
          self->in_.append(self->chunk_, static_cast<size_t>(nread));
          self->Process();
        });
  }

  void Close() {
    if (closing_) return;
    closing_ = true;
    if (server_ != nullptr) server_->connections_.erase(this);
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), [](uv_handle_t* h) {
      delete static_cast<TcpConnection*>(h->data);
    });
  }

  void Detach() { server_ = nullptr; }

 private:
  void Process() {
    while (in_.size() >= 2 && !closing_) {
      const size_t length = (static_cast<uint8_t>(in_[0]) << 8) |
                            static_cast<uint8_t>(in_[1]);
      if (in_.size() < 2 + length) return;
      std::string query = in_.substr(2, length);
      in_.erase(0, 2 + length);
      if (server_ == nullptr) return;
      bool silent = false;
      std::string answer = server_->TcpAnswer(query, &silent);
      if (silent) continue;
      if (answer.empty()) {
        Close();
        return;
      }
      auto* write = new WriteRequest;
      PutU16(static_cast<uint16_t>(answer.size()), &write->data);
      write->data += answer;
      uv_buf_t buf = uv_buf_init(write->data.data(),
                                 static_cast<unsigned>(write->data.size()));
      write->req.data = write;
      uv_write(&write->req, reinterpret_cast<uv_stream_t*>(&tcp_), &buf, 1,
               [](uv_write_t* req, int) {
                 delete static_cast<WriteRequest*>(req->data);
               });
    }
  }

  struct WriteRequest {
    uv_write_t req;
    std::string data;
  };

  MisbehavingDnsServer* server_;
  uv_tcp_t tcp_{};
  char chunk_[4096];
  std::string in_;
  bool closing_ = false;
};

MisbehavingDnsServer::MisbehavingDnsServer(uv_loop_t* loop,
                                           const Options& options)
    : loop_(loop), options_(options) {}

MisbehavingDnsServer::~MisbehavingDnsServer() { Stop(); }

void MisbehavingDnsServer::Stop() {
  for (TcpConnection* c : connections_) {
    c->Detach();
    c->Close();
  }
  connections_.clear();
  delayed_.clear();
  udp_.Reset();
  other_port_udp_.Reset();
  tcp_.Reset();
  delay_timer_.Reset();
}

absl::StatusOr<std::unique_ptr<MisbehavingDnsServer>>
MisbehavingDnsServer::Start(uv_loop_t* loop, const Options& options) {
  // With port 0 the UDP port is the kernel's pick, and TCP may find that
  // port taken: try another one.
  absl::Status s;
  for (int attempt = 0; attempt < (options.port == 0 ? 20 : 1); ++attempt) {
    std::unique_ptr<MisbehavingDnsServer> server(
        new MisbehavingDnsServer(loop, options));
    s = server->Listen();
    if (s.ok()) return server;
  }
  return s;
}

absl::Status MisbehavingDnsServer::Listen() {
  sockaddr_storage addr{};
  const bool v6 = options_.address.find(':') != std::string::npos;
  int rc = v6 ? uv_ip6_addr(options_.address.c_str(), options_.port,
                            reinterpret_cast<sockaddr_in6*>(&addr))
              : uv_ip4_addr(options_.address.c_str(), options_.port,
                            reinterpret_cast<sockaddr_in*>(&addr));
  if (rc != 0) return absl::InvalidArgumentError("bad listen address");
  // UDP first on the requested (or any) port, then TCP on the same port.
  uv_udp_init(loop_, udp_.get());
  udp_.MarkInitialized();
  udp_.get()->data = this;
  rc = uv_udp_bind(udp_.get(), reinterpret_cast<sockaddr*>(&addr), 0);
  if (rc != 0) {
    return absl::UnavailableError(absl::StrCat("UDP bind: ", uv_strerror(rc)));
  }
  sockaddr_storage bound{};
  int length = sizeof(bound);
  uv_udp_getsockname(udp_.get(), reinterpret_cast<sockaddr*>(&bound), &length);
  port_ = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  int size = 4 << 20;
  uv_recv_buffer_size(udp_.as_handle(), &size);
  size = 4 << 20;
  uv_send_buffer_size(udp_.as_handle(), &size);

  uv_tcp_init(loop_, tcp_.get());
  tcp_.MarkInitialized();
  tcp_.get()->data = this;
  rc = uv_tcp_bind(tcp_.get(), reinterpret_cast<sockaddr*>(&bound), 0);
  if (rc == 0) {
    rc = uv_listen(tcp_.as_stream(), 256, [](uv_stream_t* s, int status) {
      auto* self = static_cast<MisbehavingDnsServer*>(s->data);
      if (status != 0 || self == nullptr) return;
      auto* connection = new TcpConnection(self);
      uv_tcp_init(self->loop_, connection->handle());
      connection->handle()->data = connection;
      if (uv_accept(s, reinterpret_cast<uv_stream_t*>(connection->handle())) ==
          0) {
        connection->Start();
      } else {
        connection->Close();
      }
    });
  }
  if (rc != 0) {
    return absl::UnavailableError(absl::StrCat("TCP listen: ", uv_strerror(rc)));
  }

  // The socket that answers "from the wrong port".
  uv_udp_init(loop_, other_port_udp_.get());
  other_port_udp_.MarkInitialized();
  sockaddr_storage any = bound;
  reinterpret_cast<sockaddr_in*>(&any)->sin_port = 0;
  uv_udp_bind(other_port_udp_.get(), reinterpret_cast<sockaddr*>(&any), 0);

  uv_timer_init(loop_, delay_timer_.get());
  delay_timer_.MarkInitialized();
  delay_timer_.get()->data = this;

  return uv_udp_recv_start(
             udp_.get(),
             [](uv_handle_t*, size_t, uv_buf_t* buf) {
               static char buffer[65536];
               *buf = uv_buf_init(buffer, sizeof(buffer));
             },
             [](uv_udp_t* h, ssize_t nread, const uv_buf_t* buf,
                const sockaddr* from, unsigned) {
               auto* self = static_cast<MisbehavingDnsServer*>(h->data);
               if (self == nullptr || nread <= 0 || from == nullptr) return;
               self->OnUdpQuery(
                   absl::string_view(buf->base, static_cast<size_t>(nread)),
                   from);
             }) == 0
             ? absl::OkStatus()
             : absl::InternalError("uv_udp_recv_start failed");
}

void MisbehavingDnsServer::SendUdp(uv_udp_t* socket, const std::string& packet,
                                   const sockaddr* to) {
  uv_buf_t buf = uv_buf_init(const_cast<char*>(packet.data()),
                             static_cast<unsigned>(packet.size()));
  uv_udp_try_send(socket, &buf, 1, to);
}

void MisbehavingDnsServer::SendLater(std::string packet, const sockaddr* to,
                                     int delay_ms) {
  Delayed d;
  d.packet = std::move(packet);
  std::memcpy(&d.to, to,
              to->sa_family == AF_INET6 ? sizeof(sockaddr_in6)
                                        : sizeof(sockaddr_in));
  const uint64_t due = uv_now(loop_) + static_cast<uint64_t>(delay_ms);
  delayed_.emplace(due, std::move(d));
  const uint64_t first = delayed_.begin()->first;
  uv_timer_start(
      delay_timer_.get(),
      [](uv_timer_t* h) {
        static_cast<MisbehavingDnsServer*>(h->data)->OnDelayTimer();
      },
      first > uv_now(loop_) ? first - uv_now(loop_) : 0, 0);
}

void MisbehavingDnsServer::OnDelayTimer() {
  const uint64_t now = uv_now(loop_);
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    Delayed& d = delayed_.begin()->second;
    SendUdp(udp_.get(), d.packet, reinterpret_cast<sockaddr*>(&d.to));
    delayed_.erase(delayed_.begin());
  }
  if (!delayed_.empty()) {
    uv_timer_start(
        delay_timer_.get(),
        [](uv_timer_t* h) {
          static_cast<MisbehavingDnsServer*>(h->data)->OnDelayTimer();
        },
        delayed_.begin()->first - now, 0);
  }
}

void MisbehavingDnsServer::OnUdpQuery(absl::string_view bytes,
                                      const sockaddr* from) {
  ++udp_queries_;
  Query q;
  if (!ParseQuery(bytes, &q)) return;
  const absl::string_view b = Behaviour(q.name);
  auto reply = [&](const std::string& packet) {
    SendUdp(udp_.get(), packet, from);
  };
  const std::string good = Response(q, 0, false, GoodAnswer(q));

  if (b == "drop") return;
  if (b == "dropfirst") {
    if (seen_once_.insert(q.name).second) return;
    reply(good);
    return;
  }
  if (absl::StartsWith(b, "delay")) {
    int ms = 0;
    if (!absl::SimpleAtoi(b.substr(5), &ms)) ms = 100;
    SendLater(good, from, ms);
    return;
  }
  if (b == "dup") {
    reply(good);
    reply(good);
    return;
  }
  if (b == "wrongid" || b == "wrongidthenok") {
    reply(Response(q, 0, false, GoodAnswer(q), 1));
    if (b == "wrongidthenok") reply(good);
    return;
  }
  if (b == "wrongq" || b == "wrongqthenok") {
    Query other = q;
    other.question[1] ^= 0x01;  // first letter of the name changes
    reply(Response(other, 0, false, GoodAnswer(other)));
    if (b == "wrongqthenok") reply(good);
    return;
  }
  if (b == "wrongport") {
    SendUdp(other_port_udp_.get(), good, from);
    return;
  }
  if (b == "spoof") {
    std::vector<Record> forged = {
        {kSelf, rr::kA, std::string("\x06\x06\x06\x06", 4)}};
    SendUdp(other_port_udp_.get(), Response(q, 0, false, forged), from);
    reply(good);
    return;
  }
  if (b == "tc" || b == "tcbig" || b == "tcclose" || b == "tcsilent") {
    reply(Response(q, 0, true, {}));
    return;
  }
  if (b == "malformed") {
    std::string packet = good.empty() ? std::string() : good;
    packet = Response(q, 0, false, GoodAnswer(q));
    if (packet.size() > 4) packet.resize(packet.size() - 3);
    // Keep the answer count: the record now runs past the end.
    std::string header = Response(q, 0, false, {});
    packet[6] = 0;
    packet[7] = 1;
    reply(packet.size() > header.size() ? packet : header + std::string(4, 0));
    return;
  }
  if (b == "ptrloop") {
    // Owner name at offset 12 + question size points to itself.
    std::string packet = Response(q, 0, false, {});
    const size_t at = packet.size();
    packet[7] = 1;
    packet.push_back(static_cast<char>(0xC0 | (at >> 8)));
    packet.push_back(static_cast<char>(at & 0xFF));
    PutU16(rr::kA, &packet);
    PutU16(dns::kClassIn, &packet);
    PutU32(300, &packet);
    PutU16(4, &packet);
    packet.append("\x7f\x00\x00\x01", 4);
    reply(packet);
    return;
  }
  if (b == "garbage") {
    std::string packet(2 + (random_state_ % 200), '\0');
    packet[0] = static_cast<char>(q.id >> 8);
    packet[1] = static_cast<char>(q.id & 0xFF);
    for (size_t i = 2; i < packet.size(); ++i) {
      random_state_ ^= random_state_ << 13;
      random_state_ ^= random_state_ >> 7;
      random_state_ ^= random_state_ << 17;
      packet[i] = static_cast<char>(random_state_ & 0xFF);
    }
    reply(packet);
    return;
  }
  if (b == "short") {
    reply(good.substr(0, 5));
    return;
  }
  if (b == "servfail" || b == "refused" || b == "nxdomain" ||
      b == "formerr") {
    const int rcode = b == "servfail"   ? 2
                      : b == "refused"  ? 5
                      : b == "nxdomain" ? 3
                                        : 1;
    reply(Response(q, rcode, false, {}));
    return;
  }
  if (b == "secure") {
    std::string packet = good;
    packet[3] = static_cast<char>(packet[3] | 0x20);  // AD
    reply(packet);
    return;
  }
  if (b == "bogus") {
    std::string packet = Response(q, 2, false, {});
    packet[11] = 1;  // ARCOUNT: the OPT record
    const std::string text = "signature expired";
    std::string option;
    PutU16(15, &option);  // Extended DNS Error
    PutU16(static_cast<uint16_t>(2 + text.size()), &option);
    PutU16(6, &option);  // DNSSEC Bogus
    option += text;
    packet.push_back('\0');  // root owner
    PutU16(rr::kOpt, &packet);
    PutU16(1232, &packet);
    PutU32(0, &packet);
    PutU16(static_cast<uint16_t>(option.size()), &packet);
    packet += option;
    reply(packet);
    return;
  }
  if (b == "nodata") {
    reply(Response(q, 0, false, {}));
    return;
  }
  if (b == "cnameloop") {
    reply(Response(q, 0, false, {{kSelf, rr::kCname, WireName(q.name)}}));
    return;
  }
  if (b == "badrdata") {
    // Three octets are a bad A, TXT, MX or AAAA alike.
    reply(Response(q, 0, false,
                   {{kSelf, q.type, std::string("\x7f\x00\x01", 3)}}));
    return;
  }
  if (absl::StartsWith(b, "chain") && b != "chain0") {
    int n = 0;
    if (absl::SimpleAtoi(b.substr(5), &n) && n > 0) {
      const std::string target = absl::StrCat(
          "chain", n - 1, q.name.substr(b.size()));
      reply(Response(q, 0, false, {{kSelf, rr::kCname, WireName(target)}}));
      return;
    }
  }
  if (options_.delay_ms > 0) {
    SendLater(good, from, options_.delay_ms);
    return;
  }
  reply(good);
}

std::string MisbehavingDnsServer::TcpAnswer(absl::string_view bytes,
                                            bool* silent) {
  ++tcp_queries_;
  Query q;
  if (!ParseQuery(bytes, &q)) return "";
  const absl::string_view b = Behaviour(q.name);
  if (b == "tcclose") return "";
  if (b == "tcsilent") {
    *silent = true;
    return "";
  }
  if (b == "tcbig") {
    std::string rdata;
    for (int i = 0; i < 12; ++i) {
      rdata.push_back(static_cast<char>(250));
      rdata.append(250, static_cast<char>('a' + i));
    }
    return Response(q, 0, false, {{kSelf, rr::kTxt, rdata}});
  }
  return Response(q, 0, false, GoodAnswer(q));
}

}  // namespace mxscan::fakedns
