// latency_dns_proxy: real-internet DNS latency in front of the simulated
// sector's NSD (bench/e2e/bench_latency.sh). Every query is held for a
// log-normal draw of the delay, or lost, then forwarded; the answer comes
// back at once. Loopback only.
//
//   latency_dns_proxy --upstream 127.0.0.1:PORT [--address 127.0.0.1]
//                     [--port 0] [--port-file FILE] [--seed 1]
//                     [--delay MEDIAN_MS[:SIGMA[:MAX_MS]]] [--loss P]
//                     [--stats FILE]
//
// --upstream   the real server (NSD), UDP and TCP, on loopback
// --address, --port  where the proxy listens, UDP and TCP on one port (0: a
//              free one, written to --port-file once both listen)
// --delay      each query's delay before it is forwarded: log-normal with
//              that median and sigma (of the log), capped at MAX_MS
//              (tools/farm/latency.h; default 50:1.2:10000: p99 0.8 s,
//              p99.9 2 s); 0 turns it off
// --loss       the share of UDP queries dropped (default 0.03); TCP
//              queries are never lost (the kernel would retransmit them:
//              their delay stands for that)
// --seed       every query's fate is a function of the seed, its question
//              (name, lowercase, and type) and how many times that
//              question was asked before: the same run, the same fates,
//              whatever order the queries come in
// --stats      the counters as JSON, every 5 s and at the end: queries
//              (UDP, TCP), lost, forwarded, answered, upstream_lost (no
//              answer from the server in 5 s), unparsable, questions (distinct)
//              and repeats (queries for a question asked before: the
//              clients' retries, or another worker's identical question),
//              most held at once, the delays drawn per bucket, and how
//              late the proxy itself was: UDP answers relayed more than
//              100 ms and 1 s after the query's arrival plus its delay
//              (a starved proxy or server), and the most
//
// Runs until SIGTERM/SIGINT (then writes the stats).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <uv.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <queue>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "tools/farm/latency.h"

namespace {

using mxscan::farm::HashText;
using mxscan::farm::LogNormalDelay;
using mxscan::farm::MixKey;
using mxscan::farm::UnitFromKey;

constexpr uint64_t kUpstreamTimeoutMs = 5000;
constexpr size_t kMaxTcpInput = 256 * 1024;
constexpr uint64_t kTcpIdleMs = 30000;
constexpr int kBufferBytes = 8 << 20;
// Bucket upper bounds (ms) of the delays drawn; the last bucket is open.
constexpr std::array<int64_t, 10> kBuckets = {10,   25,   50,   100,  200,
                                              500,  1000, 2000, 5000, 10000};

struct Options {
  std::string address = "127.0.0.1";
  int port = 0;
  std::string upstream_host;
  int upstream_port = 0;
  std::string port_file;
  std::string stats_file;
  uint64_t seed = 1;
  LogNormalDelay delay{50, 1.2, 10000};
  double loss = 0.03;
};

struct Counters {
  uint64_t queries_udp = 0, queries_tcp = 0, lost = 0, forwarded = 0,
           answered = 0, upstream_lost = 0, unparsable = 0, repeats = 0,
           max_held = 0, send_failed = 0, late_100ms = 0, late_1s = 0,
           max_late_ms = 0;
  std::array<uint64_t, kBuckets.size() + 1> delays{};
};

Options options;
Counters counters;
uv_loop_t* loop = nullptr;
uv_udp_t front_udp, upstream_udp;
uv_tcp_t front_tcp;
uv_timer_t hold_timer, sweep_timer, stats_timer;
uv_signal_t sigterm, sigint;
sockaddr_storage upstream_addr{};
// How many times each question (hash of name and type) was asked.
absl::flat_hash_map<uint64_t, uint32_t> asked;

// The question's key (name lowercase, type) of a DNS message, or false.
bool QuestionKey(absl::string_view msg, uint64_t* key) {
  if (msg.size() < 12) return false;
  if ((static_cast<uint8_t>(msg[4]) << 8 | static_cast<uint8_t>(msg[5])) < 1) {
    return false;
  }
  std::string name;
  size_t i = 12;
  while (true) {
    if (i >= msg.size()) return false;
    const uint8_t n = static_cast<uint8_t>(msg[i]);
    if (n == 0) {
      ++i;
      break;
    }
    if ((n & 0xC0) != 0 || i + 1 + n > msg.size()) return false;
    name.append(absl::AsciiStrToLower(msg.substr(i + 1, n)));
    name.push_back('.');
    i += 1 + n;
  }
  if (i + 2 > msg.size()) return false;
  const uint16_t type = static_cast<uint8_t>(msg[i]) << 8 |
                        static_cast<uint8_t>(msg[i + 1]);
  *key = MixKey(HashText(name), type);
  return true;
}

// The fate of one query: its draw key (or false if unparsable).
bool Draw(absl::string_view msg, uint64_t* draw) {
  uint64_t key = 0;
  if (!QuestionKey(msg, &key)) {
    ++counters.unparsable;
    return false;
  }
  uint32_t& n = asked[key];
  if (n > 0) ++counters.repeats;
  *draw = MixKey(MixKey(options.seed, key), n++);
  return true;
}

int64_t DelayOf(uint64_t draw) {
  const int64_t ms = options.delay.Draw(MixKey(draw, 7));
  size_t b = 0;
  while (b < kBuckets.size() && ms >= kBuckets[b]) ++b;
  ++counters.delays[b];
  return ms;
}

void WriteStats() {
  if (options.stats_file.empty()) return;
  std::vector<std::string> buckets;
  for (size_t b = 0; b <= kBuckets.size(); ++b) {
    buckets.push_back(absl::StrCat(
        "\"", b < kBuckets.size() ? absl::StrCat("<", kBuckets[b])
                                   : absl::StrCat(">=", kBuckets.back()),
        "\": ", counters.delays[b]));
  }
  const std::string text = absl::StrCat(
      "{\"queries_udp\": ", counters.queries_udp,
      ", \"queries_tcp\": ", counters.queries_tcp,
      ", \"lost\": ", counters.lost, ", \"forwarded\": ", counters.forwarded,
      ", \"answered\": ", counters.answered,
      ", \"upstream_lost\": ", counters.upstream_lost,
      ", \"send_failed\": ", counters.send_failed,
      ", \"unparsable\": ", counters.unparsable,
      ", \"questions\": ", asked.size(), ", \"repeats\": ", counters.repeats,
      ", \"max_held\": ", counters.max_held,
      ", \"late_100ms\": ", counters.late_100ms,
      ", \"late_1s\": ", counters.late_1s,
      ", \"max_late_ms\": ", counters.max_late_ms, ", \"loss\": ", options.loss,
      ", \"delay\": {\"median_ms\": ", options.delay.median_ms,
      ", \"sigma\": ", options.delay.sigma,
      ", \"max_ms\": ", options.delay.max_ms, "}, \"delays_ms\": {",
      absl::StrJoin(buckets, ", "), "}}\n");
  const std::string temporary = options.stats_file + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << text;
  }
  std::rename(temporary.c_str(), options.stats_file.c_str());
}

// --- UDP: held queries, then forwarded with a proxy ID ---

struct HeldQuery {
  uint64_t due_ms;
  uint64_t order;
  std::string packet;
  sockaddr_storage client;
  bool operator>(const HeldQuery& o) const {
    return due_ms != o.due_ms ? due_ms > o.due_ms : order > o.order;
  }
};
std::priority_queue<HeldQuery, std::vector<HeldQuery>, std::greater<>> held;
uint64_t held_order = 0;
uint64_t armed_due = UINT64_MAX;

struct InFlight {
  bool used = false;
  uint16_t client_id = 0;
  uint64_t sent_ms = 0;
  uint64_t due_ms = 0;  // arrival + drawn delay
  sockaddr_storage client{};
};
std::vector<InFlight> in_flight(65536);
uint16_t next_id = 0;

void SendUdp(uv_udp_t* socket, const std::string& packet, const sockaddr* to) {
  uv_buf_t buf = uv_buf_init(const_cast<char*>(packet.data()),
                             static_cast<unsigned>(packet.size()));
  const int rc = uv_udp_try_send(socket, &buf, 1, to);
  if (rc >= 0) return;
  if (rc != UV_EAGAIN) {
    ++counters.send_failed;
    return;
  }
  struct Send {
    uv_udp_send_t request;
    std::string bytes;
  };
  auto* send = new Send;
  send->bytes = packet;
  buf = uv_buf_init(send->bytes.data(),
                    static_cast<unsigned>(send->bytes.size()));
  if (uv_udp_send(&send->request, socket, &buf, 1, to,
                  [](uv_udp_send_t* r, int status) {
                    if (status < 0) ++counters.send_failed;
                    delete reinterpret_cast<Send*>(r);
                  }) != 0) {
    ++counters.send_failed;
    delete send;
  }
}

void Forward(HeldQuery q) {
  for (int tries = 0; tries < 65536; ++tries) {
    ++next_id;
    if (!in_flight[next_id].used) {
      InFlight& f = in_flight[next_id];
      f.used = true;
      f.client_id = static_cast<uint8_t>(q.packet[0]) << 8 |
                    static_cast<uint8_t>(q.packet[1]);
      f.sent_ms = uv_now(loop);
      f.due_ms = q.due_ms;
      f.client = q.client;
      q.packet[0] = static_cast<char>(next_id >> 8);
      q.packet[1] = static_cast<char>(next_id & 0xFF);
      ++counters.forwarded;
      SendUdp(&upstream_udp, q.packet,
              reinterpret_cast<const sockaddr*>(&upstream_addr));
      return;
    }
  }
  ++counters.upstream_lost;  // 65,536 queries at the server at once
}

void ArmHoldTimer();

void OnHoldTimer(uv_timer_t*) {
  armed_due = UINT64_MAX;
  const uint64_t now = uv_now(loop);
  while (!held.empty() && held.top().due_ms <= now) {
    HeldQuery q = held.top();
    held.pop();
    Forward(std::move(q));
  }
  ArmHoldTimer();
}

void ArmHoldTimer() {
  if (held.empty()) return;
  const uint64_t due = held.top().due_ms;
  if (due >= armed_due) return;
  armed_due = due;
  const uint64_t now = uv_now(loop);
  uv_timer_start(&hold_timer, OnHoldTimer, due > now ? due - now : 0, 0);
}

void OnFrontDatagram(uv_udp_t*, ssize_t nread, const uv_buf_t* buf,
                     const sockaddr* from, unsigned) {
  if (nread <= 0 || from == nullptr) return;
  ++counters.queries_udp;
  const absl::string_view msg(buf->base, static_cast<size_t>(nread));
  uint64_t draw = 0;
  if (!Draw(msg, &draw)) return;
  if (UnitFromKey(MixKey(draw, 3)) < options.loss) {
    ++counters.lost;
    return;
  }
  HeldQuery q;
  q.due_ms = uv_now(loop) + static_cast<uint64_t>(DelayOf(draw));
  q.order = held_order++;
  q.packet.assign(msg.data(), msg.size());
  std::memset(&q.client, 0, sizeof(q.client));
  std::memcpy(&q.client, from,
              from->sa_family == AF_INET6 ? sizeof(sockaddr_in6)
                                          : sizeof(sockaddr_in));
  held.push(std::move(q));
  counters.max_held = std::max<uint64_t>(counters.max_held, held.size());
  ArmHoldTimer();
}

void OnUpstreamDatagram(uv_udp_t*, ssize_t nread, const uv_buf_t* buf,
                        const sockaddr*, unsigned) {
  if (nread < 2) return;
  const uint16_t id = static_cast<uint8_t>(buf->base[0]) << 8 |
                      static_cast<uint8_t>(buf->base[1]);
  InFlight& f = in_flight[id];
  if (!f.used) return;
  f.used = false;
  const uint64_t now = uv_now(loop);
  const uint64_t late = now > f.due_ms ? now - f.due_ms : 0;
  counters.late_100ms += late > 100;
  counters.late_1s += late > 1000;
  counters.max_late_ms = std::max(counters.max_late_ms, late);
  std::string answer(buf->base, static_cast<size_t>(nread));
  answer[0] = static_cast<char>(f.client_id >> 8);
  answer[1] = static_cast<char>(f.client_id & 0xFF);
  ++counters.answered;
  SendUdp(&front_udp, answer, reinterpret_cast<const sockaddr*>(&f.client));
}

void OnSweep(uv_timer_t*) {
  const uint64_t now = uv_now(loop);
  for (InFlight& f : in_flight) {
    if (f.used && now - f.sent_ms > kUpstreamTimeoutMs) {
      f.used = false;
      ++counters.upstream_lost;
    }
  }
}

void Alloc(uv_handle_t*, size_t, uv_buf_t* buf) {
  static char buffer[65536];
  *buf = uv_buf_init(buffer, sizeof(buffer));
}

// --- TCP: a relay per client connection; each query held, in order ---

struct Relay {
  uv_tcp_t client{};
  uv_tcp_t upstream{};
  uv_timer_t timer{};
  int open_handles = 0;
  bool closing = false;
  bool connected = false;
  std::string input;  // from the client, not yet a whole message
  struct Message {
    uint64_t due_ms;
    std::string bytes;  // with its length prefix
  };
  std::deque<Message> queue;
  uint64_t last_due = 0;
  uint64_t last_activity = 0;
};

void CloseRelay(Relay* r) {
  if (r->closing) return;
  r->closing = true;
  for (uv_handle_t* h : {reinterpret_cast<uv_handle_t*>(&r->client),
                         reinterpret_cast<uv_handle_t*>(&r->upstream),
                         reinterpret_cast<uv_handle_t*>(&r->timer)}) {
    uv_close(h, [](uv_handle_t* h) {
      auto* relay = static_cast<Relay*>(h->data);
      if (--relay->open_handles == 0) delete relay;
    });
  }
}

void Write(Relay* r, uv_tcp_t* to, std::string bytes) {
  struct W {
    uv_write_t request;
    std::string bytes;
  };
  auto* w = new W;
  w->bytes = std::move(bytes);
  uv_buf_t buf =
      uv_buf_init(w->bytes.data(), static_cast<unsigned>(w->bytes.size()));
  if (uv_write(&w->request, reinterpret_cast<uv_stream_t*>(to), &buf, 1,
               [](uv_write_t* req, int status) {
                 auto* relay = static_cast<Relay*>(req->handle->data);
                 delete reinterpret_cast<W*>(req);
                 if (status < 0) CloseRelay(relay);
               }) != 0) {
    delete w;
    CloseRelay(r);
  }
}

void PumpRelay(Relay* r) {
  if (r->closing) return;
  const uint64_t now = uv_now(loop);
  while (r->connected && !r->queue.empty() && r->queue.front().due_ms <= now) {
    Write(r, &r->upstream, std::move(r->queue.front().bytes));
    r->queue.pop_front();
    ++counters.forwarded;
    if (r->closing) return;
  }
  const uint64_t next = r->queue.empty() || !r->connected
                            ? now + kTcpIdleMs
                            : r->queue.front().due_ms;
  uv_timer_start(
      &r->timer,
      [](uv_timer_t* t) {
        auto* relay = static_cast<Relay*>(t->data);
        if (relay->queue.empty() &&
            uv_now(loop) - relay->last_activity >= kTcpIdleMs) {
          CloseRelay(relay);
          return;
        }
        PumpRelay(relay);
      },
      next > now ? next - now : 0, 0);
}

void OnClientBytes(Relay* r, absl::string_view bytes) {
  r->last_activity = uv_now(loop);
  r->input.append(bytes.data(), bytes.size());
  if (r->input.size() > kMaxTcpInput) {
    CloseRelay(r);
    return;
  }
  while (r->input.size() >= 2) {
    const size_t n = static_cast<uint8_t>(r->input[0]) << 8 |
                     static_cast<uint8_t>(r->input[1]);
    if (r->input.size() < 2 + n) break;
    ++counters.queries_tcp;
    uint64_t draw = 0;
    const bool parsed = Draw(absl::string_view(r->input).substr(2, n), &draw);
    const uint64_t due =
        std::max(r->last_activity +
                     static_cast<uint64_t>(parsed ? DelayOf(draw) : 0),
                 r->last_due);
    r->last_due = due;
    r->queue.push_back({due, r->input.substr(0, 2 + n)});
    r->input.erase(0, 2 + n);
  }
  PumpRelay(r);
}

void OnAccept(uv_stream_t* server, int status) {
  if (status < 0) return;
  auto* r = new Relay;
  r->client.data = r->upstream.data = r->timer.data = r;
  uv_tcp_init(loop, &r->client);
  uv_tcp_init(loop, &r->upstream);
  uv_timer_init(loop, &r->timer);
  r->open_handles = 3;
  r->last_activity = uv_now(loop);
  if (uv_accept(server, reinterpret_cast<uv_stream_t*>(&r->client)) != 0) {
    CloseRelay(r);
    return;
  }
  auto* connect = new uv_connect_t;
  connect->data = r;
  if (uv_tcp_connect(connect, &r->upstream,
                     reinterpret_cast<const sockaddr*>(&upstream_addr),
                     [](uv_connect_t* c, int status) {
                       auto* relay = static_cast<Relay*>(c->data);
                       delete c;
                       if (relay->closing) return;
                       if (status < 0) {
                         CloseRelay(relay);
                         return;
                       }
                       relay->connected = true;
                       uv_read_start(
                           reinterpret_cast<uv_stream_t*>(&relay->upstream),
                           Alloc,
                           [](uv_stream_t* s, ssize_t nread,
                              const uv_buf_t* buf) {
                             auto* rl = static_cast<Relay*>(s->data);
                             if (nread < 0) {
                               CloseRelay(rl);
                             } else if (nread > 0 && !rl->closing) {
                               rl->last_activity = uv_now(loop);
                               ++counters.answered;
                               Write(rl, &rl->client,
                                     std::string(buf->base, nread));
                             }
                           });
                       PumpRelay(relay);
                     }) != 0) {
    delete connect;
    CloseRelay(r);
    return;
  }
  uv_read_start(reinterpret_cast<uv_stream_t*>(&r->client), Alloc,
                [](uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
                  auto* relay = static_cast<Relay*>(s->data);
                  if (nread < 0) {
                    CloseRelay(relay);
                  } else if (nread > 0 && !relay->closing) {
                    OnClientBytes(relay, absl::string_view(buf->base, nread));
                  }
                });
  PumpRelay(r);
}

// --- set-up ---

int Fail(const std::string& message) {
  std::fprintf(stderr, "latency_dns_proxy: %s\n", message.c_str());
  return 1;
}

bool Loopback(const std::string& host) {
  return host.rfind("127.", 0) == 0;
}

void BigBuffers(uv_handle_t* h) {
  uv_os_fd_t fd;
  if (uv_fileno(h, &fd) != 0) return;
  for (auto [force, plain] : {std::pair{SO_RCVBUFFORCE, SO_RCVBUF},
                              std::pair{SO_SNDBUFFORCE, SO_SNDBUF}}) {
    int size = kBufferBytes;
    if (setsockopt(fd, SOL_SOCKET, force, &size, sizeof(size)) != 0) {
      setsockopt(fd, SOL_SOCKET, plain, &size, sizeof(size));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return Fail(flag + " needs a value");
    const std::string value = argv[i + 1];
    int64_t n = 0;
    if (flag == "--upstream") {
      const size_t colon = value.rfind(':');
      if (colon == std::string::npos ||
          !absl::SimpleAtoi(value.substr(colon + 1), &n) || n <= 0 ||
          n > 65535) {
        return Fail("--upstream HOST:PORT");
      }
      options.upstream_host = value.substr(0, colon);
      options.upstream_port = static_cast<int>(n);
    } else if (flag == "--address") {
      options.address = value;
    } else if (flag == "--port" && absl::SimpleAtoi(value, &n) && n >= 0 &&
               n <= 65535) {
      options.port = static_cast<int>(n);
    } else if (flag == "--port-file") {
      options.port_file = value;
    } else if (flag == "--stats") {
      options.stats_file = value;
    } else if (flag == "--seed" && absl::SimpleAtoi(value, &n) && n >= 0) {
      options.seed = static_cast<uint64_t>(n);
    } else if (flag == "--delay" &&
               LogNormalDelay::Parse(value, &options.delay)) {
    } else if (flag == "--loss" && absl::SimpleAtod(value, &options.loss) &&
               options.loss >= 0 && options.loss <= 1) {
    } else {
      return Fail("bad flag or value: " + flag + " " + value);
    }
  }
  if (options.upstream_port == 0) return Fail("--upstream HOST:PORT is required");
  if (!Loopback(options.upstream_host) || !Loopback(options.address)) {
    return Fail("loopback (127.0.0.0/8) addresses only");
  }
  signal(SIGPIPE, SIG_IGN);
  loop = uv_default_loop();
  sockaddr_in up{};
  if (uv_ip4_addr(options.upstream_host.c_str(), options.upstream_port, &up) !=
      0) {
    return Fail("bad --upstream address");
  }
  std::memcpy(&upstream_addr, &up, sizeof(up));

  // UDP and TCP on one port number: bind UDP, then TCP on its port.
  int port = options.port;
  bool listening = false;
  for (int attempt = 0; attempt < 50 && !listening; ++attempt) {
    sockaddr_in addr{};
    uv_ip4_addr(options.address.c_str(), options.port, &addr);
    uv_udp_init(loop, &front_udp);
    if (uv_udp_bind(&front_udp, reinterpret_cast<sockaddr*>(&addr), 0) != 0) {
      return Fail("cannot bind UDP");
    }
    sockaddr_storage bound{};
    int length = sizeof(bound);
    uv_udp_getsockname(&front_udp, reinterpret_cast<sockaddr*>(&bound),
                       &length);
    port = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    uv_tcp_init(loop, &front_tcp);
    if (uv_tcp_bind(&front_tcp, reinterpret_cast<sockaddr*>(&addr), 0) == 0 &&
        uv_listen(reinterpret_cast<uv_stream_t*>(&front_tcp), 1024,
                  OnAccept) == 0) {
      listening = true;
      break;
    }
    if (options.port != 0) return Fail("cannot listen on TCP");
    uv_close(reinterpret_cast<uv_handle_t*>(&front_udp), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&front_tcp), nullptr);
    uv_run(loop, UV_RUN_NOWAIT);
  }
  if (!listening) return Fail("no port free for both UDP and TCP");
  uv_udp_init(loop, &upstream_udp);
  sockaddr_in any{};
  uv_ip4_addr("127.0.0.1", 0, &any);
  if (uv_udp_bind(&upstream_udp, reinterpret_cast<sockaddr*>(&any), 0) != 0) {
    return Fail("cannot bind the upstream socket");
  }
  BigBuffers(reinterpret_cast<uv_handle_t*>(&front_udp));
  BigBuffers(reinterpret_cast<uv_handle_t*>(&upstream_udp));
  uv_udp_recv_start(&front_udp, Alloc, OnFrontDatagram);
  uv_udp_recv_start(&upstream_udp, Alloc, OnUpstreamDatagram);
  uv_timer_init(loop, &hold_timer);
  uv_timer_init(loop, &sweep_timer);
  uv_timer_start(&sweep_timer, OnSweep, 1000, 1000);
  uv_timer_init(loop, &stats_timer);
  uv_timer_start(&stats_timer, [](uv_timer_t*) { WriteStats(); }, 5000, 5000);
  auto stop = [](uv_signal_t*, int) { uv_stop(loop); };
  uv_signal_init(loop, &sigterm);
  uv_signal_start(&sigterm, stop, SIGTERM);
  uv_signal_init(loop, &sigint);
  uv_signal_start(&sigint, stop, SIGINT);
  if (!options.port_file.empty()) {
    const std::string temporary = options.port_file + ".tmp";
    std::ofstream(temporary) << port << "\n";
    std::rename(temporary.c_str(), options.port_file.c_str());
  }
  std::fprintf(stderr,
               "latency_dns_proxy: %s port %d -> %s:%d, delay median %.0f ms "
               "sigma %.2f max %lld ms, loss %.3f, seed %llu\n",
               options.address.c_str(), port, options.upstream_host.c_str(),
               options.upstream_port, options.delay.median_ms,
               options.delay.sigma,
               static_cast<long long>(options.delay.max_ms), options.loss,
               static_cast<unsigned long long>(options.seed));
  uv_run(loop, UV_RUN_DEFAULT);
  WriteStats();
  std::fprintf(stderr,
               "latency_dns_proxy: %llu UDP and %llu TCP queries, %llu lost, "
               "%llu answered\n",
               static_cast<unsigned long long>(counters.queries_udp),
               static_cast<unsigned long long>(counters.queries_tcp),
               static_cast<unsigned long long>(counters.lost),
               static_cast<unsigned long long>(counters.answered));
  return 0;
}
