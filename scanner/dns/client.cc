#include "scanner/dns/client.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "scanner/dns/answer_chain.h"
#include "scanner/dns/name.h"
#include "scanner/dns/tcp_exchange.h"

namespace mxscan::dns {
namespace {

constexpr uint32_t kNoSlot = UINT32_MAX;
// libuv reads up to 20 datagrams per recvmmsg() call when the buffer holds
// 20 chunks of 64 KiB; one buffer serves every socket of the client since
// the receive callbacks run one after the other.
constexpr size_t kReceiveChunk = 64 * 1024;
constexpr size_t kReceiveBuffer = 20 * kReceiveChunk;

}  // namespace

absl::StatusOr<std::unique_ptr<Client>> Client::Create(uv_loop_t* loop,
                                                       ClientOptions options) {
  if (options.resolvers.empty()) {
    return absl::InvalidArgumentError("no resolver given");
  }
  if (options.timeout_ms <= 0 || options.retries < 0 ||
      options.udp_sockets <= 0) {
    return absl::InvalidArgumentError(
        "timeout, retries and socket count must be positive");
  }
  std::unique_ptr<Client> client(new Client(loop, std::move(options)));
  absl::Status s = client->OpenSockets();
  if (!s.ok()) return s;
  return client;
}

Client::Client(uv_loop_t* loop, ClientOptions options)
    : loop_(loop),
      options_(std::move(options)),
      wheel_(options_.tick_ms, 4096, static_cast<int64_t>(uv_now(loop))),
      bucket_(options_.rate_qps, std::max(1.0, options_.rate_qps / 20),
              static_cast<int64_t>(uv_now(loop))),
      receive_buffer_(new char[kReceiveBuffer]) {
  uv_timer_init(loop_, tick_timer_.get());
  tick_timer_.MarkInitialized();
  tick_timer_.get()->data = this;
  uv_timer_init(loop_, token_timer_.get());
  token_timer_.MarkInitialized();
  token_timer_.get()->data = this;
  uv_idle_init(loop_, completer_.get());
  completer_.MarkInitialized();
  completer_.get()->data = this;
  // Queued datagrams go out before the loop blocks (prepare) and after
  // each round of I/O callbacks (check). Neither keeps the loop alive.
  uv_prepare_init(loop_, flush_before_poll_.get());
  flush_before_poll_.MarkInitialized();
  flush_before_poll_.get()->data = this;
  uv_prepare_start(flush_before_poll_.get(), [](uv_prepare_t* h) {
    static_cast<Client*>(h->data)->batch_sender_.Flush();
  });
  uv_unref(flush_before_poll_.as_handle());
  uv_check_init(loop_, flush_after_poll_.get());
  flush_after_poll_.MarkInitialized();
  flush_after_poll_.get()->data = this;
  uv_check_start(flush_after_poll_.get(), [](uv_check_t* h) {
    static_cast<Client*>(h->data)->batch_sender_.Flush();
  });
  uv_unref(flush_after_poll_.as_handle());
}

Client::~Client() {
  batch_sender_.Flush();
  for (Transaction& t : slots_) {
    if (t.tcp != nullptr) t.tcp->Abandon();
    t.tcp = nullptr;
  }
}

absl::Status Client::OpenSockets() {
  bool want_v4 = false, want_v6 = false;
  for (const ResolverAddress& r : options_.resolvers) {
    want_v4 |= r.family() == AF_INET;
    want_v6 |= r.family() == AF_INET6;
  }
  for (int family : {AF_INET, AF_INET6}) {
    if ((family == AF_INET && !want_v4) || (family == AF_INET6 && !want_v6)) {
      continue;
    }
    for (int i = 0; i < options_.udp_sockets; ++i) {
      auto socket = std::make_unique<UdpSocket>();
      socket->client = this;
      socket->index = static_cast<uint32_t>(sockets_.size());
      socket->family = family;
      socket->id_owner.assign(65536, 0);
      uv_udp_t* udp = socket->handle.get();
      int rc = uv_udp_init_ex(loop_, udp, family | UV_UDP_RECVMMSG);
      if (rc != 0) {
        return absl::InternalError(
            absl::StrCat("uv_udp_init_ex: ", uv_strerror(rc)));
      }
      socket->handle.MarkInitialized();
      udp->data = socket.get();
      // Port 0: the kernel picks a random ephemeral source port.
      sockaddr_storage any{};
      if (family == AF_INET) {
        uv_ip4_addr("0.0.0.0", 0, reinterpret_cast<sockaddr_in*>(&any));
      } else {
        uv_ip6_addr("::", 0, reinterpret_cast<sockaddr_in6*>(&any));
      }
      rc = uv_udp_bind(udp, reinterpret_cast<const sockaddr*>(&any), 0);
      if (rc != 0) {
        return absl::InternalError(
            absl::StrCat("binding a UDP socket: ", uv_strerror(rc)));
      }
      int size = options_.socket_buffer_bytes;
      uv_recv_buffer_size(socket->handle.as_handle(), &size);
      size = options_.socket_buffer_bytes;
      uv_send_buffer_size(socket->handle.as_handle(), &size);
      rc = uv_udp_recv_start(
          udp,
          [](uv_handle_t* h, size_t, uv_buf_t* buf) {
            auto* s = static_cast<UdpSocket*>(h->data);
            *buf = uv_buf_init(s->client->receive_buffer_.get(),
                               static_cast<unsigned>(kReceiveBuffer));
          },
          [](uv_udp_t* h, ssize_t nread, const uv_buf_t* buf,
             const sockaddr* from, unsigned) {
            auto* s = static_cast<UdpSocket*>(h->data);
            if (s == nullptr || nread <= 0 || from == nullptr) return;
            s->client->OnDatagram(
                *s,
                absl::Span<const uint8_t>(
                    reinterpret_cast<const uint8_t*>(buf->base),
                    static_cast<size_t>(nread)),
                from);
          });
      if (rc != 0) {
        return absl::InternalError(
            absl::StrCat("uv_udp_recv_start: ", uv_strerror(rc)));
      }
      uv_os_fd_t fd;
      rc = uv_fileno(socket->handle.as_handle(), &fd);
      if (rc != 0) {
        return absl::InternalError(
            absl::StrCat("uv_fileno: ", uv_strerror(rc)));
      }
      socket->fd = fd;
      (family == AF_INET ? sockets_v4_ : sockets_v6_)
          .push_back(socket->index);
      sockets_.push_back(std::move(socket));
    }
  }
  batch_sender_ = UdpBatchSender(sockets_.size());
  return absl::OkStatus();
}

uint32_t Client::AllocateSlot() {
  if (free_head_ != kNoSlot) {
    const uint32_t slot = free_head_;
    free_head_ = slots_[slot].next_free;
    return slot;
  }
  slots_.emplace_back();
  return static_cast<uint32_t>(slots_.size() - 1);
}

void Client::Resolve(absl::string_view name, uint16_t type, Callback done) {
  const uint32_t slot = AllocateSlot();
  ++in_flight_;
  Transaction& t = slots_[slot];
  t = Transaction();
  t.done = std::move(done);
  t.type = type;
  t.result.type = type;
  absl::StatusOr<std::string> canonical = NormalizeName(name);
  if (!canonical.ok()) {
    t.result.name = std::string(name);
    t.result.status = LookupStatus::kError;
    t.result.error = std::string(canonical.status().message());
    CompleteLater(slot);
    return;
  }
  t.result.name = *canonical;
  t.asked_name = *std::move(canonical);
  t.visited.push_back(t.asked_name);
  t.resolver = next_resolver_++ % options_.resolvers.size();
  StartQuestion(slot);
}

void Client::StartQuestion(uint32_t slot) {
  Transaction& t = slots_[slot];
  t.attempt = 0;
  t.use_tcp = false;
  t.last_problem.clear();
  absl::Status s = BuildQuery(0, t.asked_name, t.type, options_.query,
                              &t.query);
  if (!s.ok()) {
    Finish(slot, LookupStatus::kError, std::string(s.message()));
    return;
  }
  Transmit(slot);
}

void Client::Transmit(uint32_t slot) {
  Transaction& t = slots_[slot];
  if (!bucket_.TryTake(static_cast<int64_t>(uv_now(loop_)))) {
    t.state = State::kWaitingToken;
    waiting_for_token_.push_back(slot);
    if (!uv_is_active(token_timer_.as_handle())) {
      uv_timer_start(
          token_timer_.get(),
          [](uv_timer_t* h) { static_cast<Client*>(h->data)->OnTokenTimer(); },
          static_cast<uint64_t>(std::max<int64_t>(
              1, bucket_.MsUntilAvailable(uv_now(loop_)))),
          0);
    }
    return;
  }
  SendNow(slot);
}

void Client::SendNow(uint32_t slot) {
  Transaction& t = slots_[slot];
  ++t.result.attempts;
  if (t.use_tcp) {
    SendTcp(slot);
  } else {
    SendUdp(slot);
  }
}

void Client::OnTokenTimer() {
  while (!waiting_for_token_.empty()) {
    const int64_t now = static_cast<int64_t>(uv_now(loop_));
    if (!bucket_.TryTake(now)) {
      uv_timer_start(
          token_timer_.get(),
          [](uv_timer_t* h) { static_cast<Client*>(h->data)->OnTokenTimer(); },
          static_cast<uint64_t>(
              std::max<int64_t>(1, bucket_.MsUntilAvailable(now))),
          0);
      return;
    }
    const uint32_t slot = waiting_for_token_.front();
    waiting_for_token_.pop_front();
    SendNow(slot);
  }
}

void Client::SendUdp(uint32_t slot) {
  Transaction& t = slots_[slot];
  const ResolverAddress& resolver = options_.resolvers[t.resolver];
  const std::vector<uint32_t>& pool =
      resolver.family() == AF_INET ? sockets_v4_ : sockets_v6_;
  // A random socket and a random free ID on it (RFC 5452 section 9.2).
  UdpSocket* socket = nullptr;
  uint16_t id = 0;
  for (int tries = 0; tries < 64 && socket == nullptr; ++tries) {
    UdpSocket* candidate =
        sockets_[pool[absl::Uniform<size_t>(random_, 0, pool.size())]].get();
    id = absl::Uniform<uint16_t>(random_);
    if (candidate->id_owner[id] == 0) socket = candidate;
  }
  if (socket == nullptr) {
    OnAttemptFailed(slot, LookupStatus::kError, "no free query ID");
    return;
  }
  socket->id_owner[id] = slot + 1;
  t.state = State::kUdp;
  t.socket = socket->index;
  t.id = id;
  SetMessageId(id, &t.query);
  // Sent with the rest of this loop iteration's batch; a datagram the
  // kernel drops is retried by the deadline below, like one lost on the way.
  if (!batch_sender_.Add(socket->index, socket->fd, resolver.sockaddr_ptr(),
                         resolver.family() == AF_INET ? sizeof(sockaddr_in)
                                                      : sizeof(sockaddr_in6),
                         t.query)) {
    ++stats_.send_errors;
    t.last_problem = "query too large to send";
  }
  ++stats_.sent;
  wheel_.Schedule(slot, static_cast<int64_t>(uv_now(loop_)) +
                            AttemptTimeoutMs(t.attempt));
  ArmTickTimer();
}

void Client::SendTcp(uint32_t slot) {
  Transaction& t = slots_[slot];
  ++stats_.sent;
  t.state = State::kTcp;
  t.result.used_tcp = true;
  t.tcp = TcpExchange::Start(
      loop_, options_.resolvers[t.resolver].sockaddr_ptr(), t.query,
      [this, slot](absl::Span<const uint8_t> answer) {
        slots_[slot].tcp = nullptr;
        OnAnswer(slot, answer, /*tcp=*/true);
      },
      [this, slot](absl::string_view why) {
        slots_[slot].tcp = nullptr;
        OnTcpFailure(slot, why);
      });
  wheel_.Schedule(slot, static_cast<int64_t>(uv_now(loop_)) +
                            AttemptTimeoutMs(t.attempt));
  ArmTickTimer();
}

void Client::ReleaseId(Transaction& t) {
  if (t.state != State::kUdp) return;
  std::vector<uint32_t>& owner = sockets_[t.socket]->id_owner;
  if (owner[t.id] != 0 && &slots_[owner[t.id] - 1] == &t) owner[t.id] = 0;
}

void Client::OnDatagram(UdpSocket& socket, absl::Span<const uint8_t> packet,
                        const sockaddr* from) {
  ++stats_.received;
  if (packet.size() < kHeaderSize) {
    ++stats_.unexpected;
    return;
  }
  const uint16_t id = static_cast<uint16_t>((packet[0] << 8) | packet[1]);
  const uint32_t owner = socket.id_owner[id];
  if (owner == 0) {
    ++stats_.unexpected;
    return;
  }
  const uint32_t slot = owner - 1;
  Transaction& t = slots_[slot];
  if (t.state != State::kUdp || t.socket != socket.index ||
      !options_.resolvers[t.resolver].Matches(from) ||
      !IsAnswerTo(packet, AsBytes(t.query))) {
    // Wrong source, wrong question: possibly spoofed. Keep waiting.
    ++stats_.unexpected;
    return;
  }
  OnAnswer(slot, packet, /*tcp=*/false);
}

void Client::OnAnswer(uint32_t slot, absl::Span<const uint8_t> packet,
                      bool tcp) {
  Transaction& t = slots_[slot];
  if (tcp && !IsAnswerTo(packet, AsBytes(t.query))) {
    OnAttemptFailed(slot, LookupStatus::kError,
                    "TCP answer does not match the question");
    return;
  }
  absl::StatusOr<ParsedResponse> parsed = ParseResponse(packet);
  if (!parsed.ok()) {
    ++stats_.malformed;
    t.last_problem =
        absl::StrCat("malformed answer: ", parsed.status().message());
    if (tcp) OnAttemptFailed(slot, LookupStatus::kError, t.last_problem);
    // Over UDP a forged or broken datagram must not end the attempt: the
    // real answer may still come before the deadline.
    return;
  }
  if (parsed->header.tc() && !tcp) {
    ++stats_.tcp_fallbacks;
    ReleaseId(t);
    wheel_.Cancel(slot);
    t.use_tcp = true;
    Transmit(slot);
    return;
  }
  wheel_.Cancel(slot);
  ReleaseId(t);
  t.state = State::kFinishing;
  t.result.resolver = options_.resolvers[t.resolver].text;
  t.result.rcode = parsed->rcode;
  t.result.edns_options = std::move(parsed->edns.options);
  t.result.authenticated = (t.result.answers.empty() && t.result.cname_chain.empty())
                               ? parsed->header.ad()
                               : (t.result.authenticated && parsed->header.ad());
  switch (parsed->rcode) {
    case rcode::kNoError:
    case rcode::kNxDomain: {
      ChainStep step = FollowAnswer(packet, *parsed, t.asked_name, t.type,
                                    &t.visited, options_.max_cnames);
      for (Answer& a : step.answers) t.result.answers.push_back(std::move(a));
      for (std::string& c : step.cnames) {
        t.result.cname_chain.push_back(std::move(c));
      }
      if (!step.error.ok()) {
        Finish(slot, LookupStatus::kError, std::string(step.error.message()));
        return;
      }
      if (!step.next_name.empty()) {
        t.asked_name = std::move(step.next_name);
        StartQuestion(slot);
        return;
      }
      Finish(slot,
             parsed->rcode == rcode::kNoError ? LookupStatus::kNoError
                                              : LookupStatus::kNxDomain,
             "");
      return;
    }
    case rcode::kServFail:
      OnAttemptFailed(slot, LookupStatus::kServFail, "SERVFAIL");
      return;
    case rcode::kRefused:
      OnAttemptFailed(slot, LookupStatus::kRefused, "REFUSED");
      return;
    default:
      OnAttemptFailed(slot, LookupStatus::kError,
                      absl::StrCat("RCODE ", parsed->rcode));
      return;
  }
}

void Client::OnTcpFailure(uint32_t slot, absl::string_view why) {
  OnAttemptFailed(slot, LookupStatus::kError, why);
}

void Client::OnAttemptFailed(uint32_t slot, LookupStatus status,
                             absl::string_view why) {
  Transaction& t = slots_[slot];
  wheel_.Cancel(slot);
  ReleaseId(t);
  if (t.tcp != nullptr) {
    t.tcp->Abandon();
    t.tcp = nullptr;
  }
  const bool server_said_no =
      status == LookupStatus::kServFail || status == LookupStatus::kRefused;
  // A server that refuses or fails is asked again only if another resolver
  // can be tried; a timeout is retried everywhere.
  const bool retry = t.attempt < options_.retries &&
                     (!server_said_no || options_.resolvers.size() > 1);
  if (!retry) {
    if (status == LookupStatus::kTimeout && !t.last_problem.empty()) {
      Finish(slot, LookupStatus::kError, t.last_problem);
    } else {
      Finish(slot, status, std::string(why));
    }
    return;
  }
  ++t.attempt;
  t.resolver = (t.resolver + 1) % options_.resolvers.size();
  t.use_tcp = false;  // every retry starts over UDP
  Transmit(slot);
}

int64_t Client::AttemptTimeoutMs(int attempt) {
  // Up to 1/8 of jitter: queries sent in one burst must not time out, and
  // be retried, in one burst again.
  const int64_t base = static_cast<int64_t>(options_.timeout_ms)
                       << std::min(attempt, 2);
  return base + absl::Uniform<int64_t>(random_, 0, base / 8 + 1);
}

void Client::ArmTickTimer() {
  if (tick_armed_) return;
  tick_armed_ = true;
  uv_timer_start(
      tick_timer_.get(),
      [](uv_timer_t* h) { static_cast<Client*>(h->data)->OnTick(); },
      static_cast<uint64_t>(options_.tick_ms),
      static_cast<uint64_t>(options_.tick_ms));
}

void Client::OnTick() {
  // Deadlines expire one tick late, up to the previous tick's clock: libuv
  // runs timers before it polls, so after a turn of callbacks longer than
  // a timeout, answers that came in time still wait unread in the socket.
  // They are read before the next tick, which expires what is still open.
  const int64_t now = static_cast<int64_t>(uv_now(loop_));
  const int64_t observed = previous_tick_ms_;
  previous_tick_ms_ = now;
  std::vector<uint32_t> expired;
  wheel_.Advance(observed, [&](uint32_t slot) { expired.push_back(slot); });
  for (uint32_t slot : expired) {
    ++stats_.timeouts;
    OnAttemptFailed(slot, LookupStatus::kTimeout,
                    absl::StrCat("no answer after ", slots_[slot].attempt + 1,
                                 " attempt(s)"));
  }
  if (wheel_.size() == 0) {
    uv_timer_stop(tick_timer_.get());
    tick_armed_ = false;
  }
}

void Client::CompleteLater(uint32_t slot) {
  slots_[slot].state = State::kFinishing;
  to_complete_.push_back(slot);
  uv_idle_start(completer_.get(), [](uv_idle_t* h) {
    auto* self = static_cast<Client*>(h->data);
    uv_idle_stop(h);
    std::vector<uint32_t> ready;
    ready.swap(self->to_complete_);
    for (uint32_t slot : ready) {
      Transaction& t = self->slots_[slot];
      self->Finish(slot, t.result.status, t.result.error);
    }
  });
}

void Client::Finish(uint32_t slot, LookupStatus status, std::string error) {
  Transaction& t = slots_[slot];
  wheel_.Cancel(slot);
  ReleaseId(t);
  LookupResult result = std::move(t.result);
  Callback done = std::move(t.done);
  result.status = status;
  result.error = std::move(error);
  t = Transaction();
  t.next_free = free_head_;
  free_head_ = slot;
  --in_flight_;
  if (done) done(std::move(result));
}

}  // namespace mxscan::dns
