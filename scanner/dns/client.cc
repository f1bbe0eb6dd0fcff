#include "scanner/dns/client.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "scanner/dns/answer_chain.h"
#include "scanner/dns/name.h"
#include "scanner/dns/tcp_exchange.h"

namespace mxscan::dns {
namespace {

constexpr uint32_t kNoSlot = UINT32_MAX;
// Datagrams read per recvmmsg() call, each into a chunk that holds any UDP
// payload. Only the pages a datagram touches become resident. The chunks
// lie a cache line more than 64 KiB apart: at exactly 64 KiB the starts of
// all of them, where the answers land, would share one set of each cache.
constexpr size_t kReceiveBatch = 32;
constexpr size_t kReceiveChunk = 64 * 1024;
constexpr size_t kReceiveStride = kReceiveChunk + 64;
// Batches read from one socket per readiness report: the others get their
// turn, and epoll reports what is left.
constexpr int kMaxBatchesPerWakeup = 4;
// Coalescing (ClientOptions::coalesce_us): a turn that read fewer answers
// than a batch is followed by a pause while at least this many lookups are
// in flight (fewer would not gather a batch in a pause).
constexpr size_t kCoalesceBatch = kReceiveBatch;
constexpr size_t kCoalesceMinInFlight = 4 * kCoalesceBatch;

uint32_t IdKey(uint32_t socket, uint16_t id) { return socket << 16 | id; }

socklen_t AddressLength(int family) {
  return family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
}

}  // namespace

// ReceiveBatch is the recvmmsg() scratch space, shared by every socket of
// the client: the read callbacks run one after the other.
struct Client::ReceiveBatch {
  ReceiveBatch() : data(new char[kReceiveBatch * kReceiveStride]) {
    for (size_t i = 0; i < kReceiveBatch; ++i) {
      vectors[i].iov_base = data.get() + i * kReceiveStride;
      vectors[i].iov_len = kReceiveChunk;
    }
  }
  // Readies the headers for the next call (the kernel writes into them).
  void Reset() {
    std::memset(headers, 0, sizeof(headers));
    for (size_t i = 0; i < kReceiveBatch; ++i) {
      msghdr& h = headers[i].msg_hdr;
      h.msg_name = &sources[i];
      h.msg_namelen = sizeof(sources[i]);
      h.msg_iov = &vectors[i];
      h.msg_iovlen = 1;
    }
  }

  mmsghdr headers[kReceiveBatch];
  iovec vectors[kReceiveBatch];
  sockaddr_storage sources[kReceiveBatch];
  std::unique_ptr<char[]> data;
};

void Client::BeforePoll() {
  batch_sender_.Flush();
  const size_t read = read_this_turn_;
  read_this_turn_ = 0;
  // Few answers in the last turn, many still due: let them gather (the
  // queries just sent keep the server busy meanwhile), then read them in
  // one turn instead of one wake-up for each handful.
  if (options_.coalesce_us > 0 && read < kCoalesceBatch &&
      in_flight_ >= kCoalesceMinInFlight) {
    std::this_thread::sleep_for(
        std::chrono::microseconds(options_.coalesce_us));
  }
}

void Client::OnPollEvent(uv_poll_t* handle, int status, int) {
  auto* socket = static_cast<UdpSocket*>(handle->data);
  if (socket == nullptr) return;
  if (status < 0) {
    // A socket error (ICMP port unreachable on a connected socket): libuv
    // has stopped polling. Take the error off the socket and go on; the
    // query it concerned times out like a lost one.
    int error = 0;
    socklen_t length = sizeof(error);
    getsockopt(socket->fd, SOL_SOCKET, SO_ERROR, &error, &length);
    uv_poll_start(handle, UV_READABLE, &OnPollEvent);
  }
  socket->client->OnReadable(*socket);
}

Client::UdpSocket::~UdpSocket() {
  // uv_close() stops polling at once (the fd leaves epoll), so the fd can
  // be closed right after; the handle's memory goes in its close callback.
  poll.Reset();
  if (fd >= 0) close(fd);
}

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
      rtt_(options_.resolvers.size()),
      receive_(std::make_unique<ReceiveBatch>()) {
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
    static_cast<Client*>(h->data)->BeforePoll();
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
  // A family with a single resolver gets connected sockets.
  int resolvers_v4 = 0, resolvers_v6 = 0;
  const ResolverAddress* only[2] = {nullptr, nullptr};  // v4, v6
  for (const ResolverAddress& r : options_.resolvers) {
    if (r.family() == AF_INET) {
      ++resolvers_v4;
      only[0] = &r;
    } else if (r.family() == AF_INET6) {
      ++resolvers_v6;
      only[1] = &r;
    }
  }
  for (int family : {AF_INET, AF_INET6}) {
    const int resolvers = family == AF_INET ? resolvers_v4 : resolvers_v6;
    if (resolvers == 0) continue;
    const ResolverAddress* peer =
        resolvers == 1 ? only[family == AF_INET ? 0 : 1] : nullptr;
    for (int i = 0; i < options_.udp_sockets; ++i) {
      auto socket = std::make_unique<UdpSocket>();
      socket->client = this;
      socket->index = static_cast<uint32_t>(sockets_.size());
      socket->family = family;
      socket->fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                            IPPROTO_UDP);
      if (socket->fd < 0) {
        return absl::InternalError(
            absl::StrCat("opening a UDP socket: ", strerror(errno)));
      }
      const int size = options_.socket_buffer_bytes;
      // Best effort, like the kernel's own cap (net.core.rmem_max).
      setsockopt(socket->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
      setsockopt(socket->fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
      // Port 0: the kernel picks a random ephemeral source port.
      sockaddr_storage any{};
      any.ss_family = static_cast<sa_family_t>(family);
      if (bind(socket->fd, reinterpret_cast<const sockaddr*>(&any),
               AddressLength(family)) != 0) {
        return absl::InternalError(
            absl::StrCat("binding a UDP socket: ", strerror(errno)));
      }
      if (peer != nullptr) {
        if (connect(socket->fd, peer->sockaddr_ptr(), AddressLength(family)) !=
            0) {
          return absl::InternalError(absl::StrCat("connecting a UDP socket to ",
                                                  peer->text, ": ",
                                                  strerror(errno)));
        }
        socket->connected = true;
      }
      int rc = uv_poll_init_socket(loop_, socket->poll.get(), socket->fd);
      if (rc != 0) {
        return absl::InternalError(
            absl::StrCat("uv_poll_init_socket: ", uv_strerror(rc)));
      }
      socket->poll.MarkInitialized();
      socket->poll.get()->data = socket.get();
      rc = uv_poll_start(socket->poll.get(), UV_READABLE, &OnPollEvent);
      if (rc != 0) {
        return absl::InternalError(
            absl::StrCat("uv_poll_start: ", uv_strerror(rc)));
      }
      (family == AF_INET ? sockets_v4_ : sockets_v6_).push_back(socket->index);
      sockets_.push_back(std::move(socket));
    }
  }
  batch_sender_ = UdpBatchSender(sockets_.size());
  return absl::OkStatus();
}

void Client::Transaction::Reuse() {
  state = State::kFree;
  asked_name.clear();
  type = 0;
  done = nullptr;
  result = LookupResult();
  attempt = 0;
  use_tcp = false;
  resolver = 0;
  udp_attempts.clear();
  last_problem.clear();
  tcp = nullptr;
  next_free = kNoSlot;
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
  t.Reuse();
  t.done = std::move(done);
  t.type = type;
  t.result.type = type;
  absl::Status canonical = NormalizeName(name, &t.asked_name);
  if (!canonical.ok()) {
    t.result.name = std::string(name);
    t.result.status = LookupStatus::kError;
    t.result.error = std::string(canonical.message());
    CompleteLater(slot);
    return;
  }
  t.result.name = t.asked_name;
  t.visited.resize(1);
  t.visited[0] = t.asked_name;
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
    if (!id_owner_.contains(IdKey(candidate->index, id))) socket = candidate;
  }
  if (socket == nullptr) {
    OnAttemptFailed(slot, LookupStatus::kError, "no free query ID");
    return;
  }
  id_owner_.emplace(IdKey(socket->index, id), slot);
  t.state = State::kUdp;
  const int64_t now = static_cast<int64_t>(uv_now(loop_));
  t.udp_attempts.push_back(
      UdpAttempt{socket->index, id, static_cast<uint32_t>(t.resolver), now});
  SetMessageId(id, &t.query);
  // Sent with the rest of this loop iteration's batch; a datagram the
  // kernel drops is retried by the deadline below, like one lost on the way.
  // A connected socket sends without an address (no route lookup).
  if (!batch_sender_.Add(
          socket->index, socket->fd,
          socket->connected ? nullptr : resolver.sockaddr_ptr(),
          socket->connected ? 0 : AddressLength(resolver.family()), t.query)) {
    ++stats_.send_errors;
    t.last_problem = "query too large to send";
  }
  ++stats_.sent;
  wheel_.Schedule(slot, now + AttemptTimeoutMs(t.attempt, t.resolver));
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
                            AttemptTimeoutMs(t.attempt, t.resolver));
  ArmTickTimer();
}

void Client::ReleaseAttempt(Transaction& t, size_t attempt) {
  const UdpAttempt& a = t.udp_attempts[attempt];
  const auto owner = id_owner_.find(IdKey(a.socket, a.id));
  if (owner != id_owner_.end() && &slots_[owner->second] == &t) {
    id_owner_.erase(owner);
  }
  t.udp_attempts.erase(t.udp_attempts.begin() + attempt);
}

void Client::ReleaseIds(Transaction& t) {
  while (!t.udp_attempts.empty()) {
    ReleaseAttempt(t, t.udp_attempts.size() - 1);
  }
}

void Client::OnReadable(UdpSocket& socket) {
  ReceiveBatch& batch = *receive_;
  for (int round = 0; round < kMaxBatchesPerWakeup; ++round) {
    batch.Reset();
    const int n = recvmmsg(socket.fd, batch.headers, kReceiveBatch, 0, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      // ECONNREFUSED and the like report an earlier datagram's fate (a
      // connected socket): read on. EAGAIN: nothing left.
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      continue;
    }
    read_this_turn_ += static_cast<size_t>(n);
    for (int i = 0; i < n; ++i) {
      const mmsghdr& m = batch.headers[i];
      OnDatagram(socket,
                 absl::Span<const uint8_t>(
                     static_cast<const uint8_t*>(batch.vectors[i].iov_base),
                     m.msg_len),
                 m.msg_hdr.msg_namelen > 0
                     ? static_cast<const sockaddr*>(m.msg_hdr.msg_name)
                     : nullptr);
    }
    // A short batch emptied the socket (or nearly: epoll reports the
    // rest), so no call is spent on learning that it is empty.
    if (static_cast<size_t>(n) < kReceiveBatch) return;
  }
}

void Client::OnDatagram(UdpSocket& socket, absl::Span<const uint8_t> packet,
                        const sockaddr* from) {
  ++stats_.received;
  if (packet.size() < kHeaderSize) {
    ++stats_.unexpected;
    return;
  }
  const uint16_t id = static_cast<uint16_t>((packet[0] << 8) | packet[1]);
  const auto owner = id_owner_.find(IdKey(socket.index, id));
  if (owner == id_owner_.end()) {
    ++stats_.unexpected;
    return;
  }
  const uint32_t slot = owner->second;
  Transaction& t = slots_[slot];
  // Any UDP attempt at the question still open may be answered, each by
  // its own resolver, on its own socket, under its own ID. (A question
  // waiting for a rate-limit token takes no answer: it is queued to send.)
  size_t attempt = 0;
  while (attempt < t.udp_attempts.size() &&
         (t.udp_attempts[attempt].socket != socket.index ||
          t.udp_attempts[attempt].id != id)) {
    ++attempt;
  }
  if (t.state != State::kUdp || attempt == t.udp_attempts.size() ||
      !options_.resolvers[t.udp_attempts[attempt].resolver].Matches(from) ||
      !IsAnswerTo(packet, AsBytes(t.query), id)) {
    // Wrong source, wrong question: possibly spoofed. Keep waiting.
    ++stats_.unexpected;
    return;
  }
  const UdpAttempt& answered = t.udp_attempts[attempt];
  rtt_[answered.resolver].Sample(static_cast<int64_t>(uv_now(loop_)) -
                                 answered.sent_ms);
  OnAnswer(slot, packet, /*tcp=*/false, attempt);
}

void Client::OnAnswer(uint32_t slot, absl::Span<const uint8_t> packet, bool tcp,
                      size_t udp_attempt) {
  Transaction& t = slots_[slot];
  if (tcp && !IsAnswerTo(packet, AsBytes(t.query))) {
    OnAttemptFailed(slot, LookupStatus::kError,
                    "TCP answer does not match the question");
    return;
  }
  ParsedResponse& parsed = parsed_;
  absl::Status parse = ParseResponse(packet, &parsed);
  if (!parse.ok()) {
    ++stats_.malformed;
    t.last_problem = absl::StrCat("malformed answer: ", parse.message());
    if (tcp) OnAttemptFailed(slot, LookupStatus::kError, t.last_problem);
    // Over UDP a forged or broken datagram must not end the attempt: the
    // real answer may still come before the deadline.
    return;
  }
  if (!tcp && udp_attempt + 1 < t.udp_attempts.size()) ++stats_.late_answers;
  if (parsed.header.tc() && !tcp) {
    ++stats_.tcp_fallbacks;
    ReleaseIds(t);
    wheel_.Cancel(slot);
    t.use_tcp = true;
    Transmit(slot);
    return;
  }
  // The resolver that answered: a late answer's may not be the current
  // attempt's.
  const size_t resolver =
      tcp ? t.resolver : t.udp_attempts[udp_attempt].resolver;
  const bool server_said_no =
      parsed.rcode != rcode::kNoError && parsed.rcode != rcode::kNxDomain;
  if (server_said_no && !tcp) {
    const bool current = udp_attempt + 1 == t.udp_attempts.size();
    ReleaseAttempt(t, udp_attempt);
    // An earlier attempt's "no" leaves the current one waiting for its own
    // resolver's answer.
    if (!current) return;
  } else {
    wheel_.Cancel(slot);
    ReleaseIds(t);
    t.state = State::kFinishing;
  }
  t.result.resolver = options_.resolvers[resolver].text;
  t.result.rcode = parsed.rcode;
  t.result.edns_options = std::move(parsed.edns.options);
  t.result.authenticated =
      (t.result.answers.empty() && t.result.cname_chain.empty())
          ? parsed.header.ad()
          : (t.result.authenticated && parsed.header.ad());
  switch (parsed.rcode) {
    case rcode::kNoError:
    case rcode::kNxDomain: {
      ChainStep step = FollowAnswer(packet, parsed, t.asked_name, t.type,
                                    &t.visited, options_.max_cnames);
      // The first step's vectors become the result's (no copy); later
      // steps of a chain append.
      if (t.result.answers.empty()) {
        t.result.answers = std::move(step.answers);
      } else {
        for (Answer& a : step.answers) {
          t.result.answers.push_back(std::move(a));
        }
      }
      if (t.result.cname_chain.empty()) {
        t.result.cname_chain = std::move(step.cnames);
      } else {
        for (std::string& c : step.cnames) {
          t.result.cname_chain.push_back(std::move(c));
        }
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
             parsed.rcode == rcode::kNoError ? LookupStatus::kNoError
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
                      absl::StrCat("RCODE ", parsed.rcode));
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
  // The question's earlier UDP attempts stay open across a retry: their
  // answers are as good as the next attempt's. Finish() frees their IDs.
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

int64_t Client::AttemptTimeoutMs(int attempt, size_t resolver) {
  const int64_t timeout = options_.timeout_ms;
  // The schedule (x1, x2, x4, x4 ...), or the resolver's estimated
  // timeout when longer: its answers have been slow (a loaded path, or
  // this loop's backlog: the time an answer waited unread counts).
  const int64_t base =
      std::max(timeout << std::min(attempt, 2),
               std::min(rtt_[resolver].TimeoutMs(), 4 * timeout));
  // Up to 1/8 of jitter: queries sent in one burst must not time out, and
  // be retried, in one burst again.
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
  ReleaseIds(t);
  LookupResult result = std::move(t.result);
  Callback done = std::move(t.done);
  result.status = status;
  result.error = std::move(error);
  t.state = State::kFree;
  t.done = nullptr;
  t.tcp = nullptr;
  t.next_free = free_head_;
  free_head_ = slot;
  --in_flight_;
  if (done) done(std::move(result));
}

}  // namespace mxscan::dns
