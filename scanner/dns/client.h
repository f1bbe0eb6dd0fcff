#ifndef MXSCAN_SCANNER_DNS_CLIENT_H_
#define MXSCAN_SCANNER_DNS_CLIENT_H_

#include <uv.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/functional/any_invocable.h"
#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scanner/base/rtt_estimate.h"
#include "scanner/base/timer_wheel.h"
#include "scanner/base/token_bucket.h"
#include "scanner/core/uv_handle.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/message.h"
#include "scanner/dns/resolver_address.h"
#include "scanner/dns/udp_batch_sender.h"

namespace mxscan::dns {

struct ClientOptions {
  std::vector<ResolverAddress> resolvers;
  // Time allowed for the first attempt; each retry doubles it (capped at
  // 4x); up to 1/8 of random jitter is added. An attempt gets longer, up
  // to 4x, when the resolver's answers have been taking longer (see
  // Client).
  int timeout_ms = 2000;
  // Attempts after the first one, rotating over the resolvers.
  int retries = 2;
  // UDP sockets per address family: source-port spread and separate ID
  // spaces (RFC 5452).
  int udp_sockets = 16;
  int socket_buffer_bytes = 4 << 20;
  size_t max_cnames = 8;
  // Transmissions per second from this client; 0 = unlimited.
  double rate_qps = 0;
  // Granularity of deadlines.
  int tick_ms = 10;
  // Read answers in batches: when a turn of the loop read fewer than a
  // batch while many lookups are in flight, the loop sleeps this long
  // before it polls again. Fewer wake-ups and system calls per lookup for
  // up to this much delay on each answer; for bulk lookups only (the whole
  // loop waits). 0 = off.
  int coalesce_us = 0;
  QueryOptions query;
};

struct ClientStats {
  uint64_t sent = 0;            // UDP datagrams and TCP queries
  uint64_t received = 0;        // datagrams read
  uint64_t unexpected = 0;      // datagrams that answered no pending query
  uint64_t malformed = 0;       // matching answers that failed to parse
  uint64_t timeouts = 0;        // attempts that ran out of time
  uint64_t late_answers = 0;    // answers to an attempt that had timed out
  uint64_t tcp_fallbacks = 0;   // truncated answers retried over TCP
  uint64_t send_errors = 0;
};

class TcpExchange;

// Client is an asynchronous DNS stub client on one libuv loop: it keeps any
// number of questions in flight over a pool of UDP sockets, matches answers
// strictly (resolver address and port, socket, ID, question), retries over
// TCP when an answer is truncated, retries on timeout with backoff and
// resolver failover, and follows CNAME chains. A retry does not give up on
// the attempts before it: whichever attempt's answer comes first is taken,
// so a slow resolver's late answer ends the question instead of costing a
// further retry. And each resolver's round-trip time is estimated from its
// answers (RFC 6298's smoothing; the answer names the attempt it answers,
// so every sample is exact): an attempt waits the estimated timeout when
// that is longer than the schedule of `timeout_ms`, up to 4x, so that a
// path slowed by load, or this loop's own backlog, is not met with a
// retry storm that would slow it further. Every Resolve() call gets
// exactly one callback, never from inside Resolve() itself.
//
// Lives on the thread of its loop; not thread-safe. Destroying it drops the
// callbacks of lookups still in flight.
class Client {
 public:
  using Callback = absl::AnyInvocable<void(LookupResult)>;

  static absl::StatusOr<std::unique_ptr<Client>> Create(uv_loop_t* loop,
                                                        ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Resolve asks (name, type, IN). `name` is presentation form; an invalid
  // one completes with kError.
  void Resolve(absl::string_view name, uint16_t type, Callback done);

  size_t in_flight() const { return in_flight_; }
  const ClientStats& stats() const { return stats_; }

 private:
  friend class TcpExchange;
  enum class State { kFree, kWaitingToken, kUdp, kTcp, kFinishing };

  // A UDP transmission of the current question that may still be answered.
  struct UdpAttempt {
    uint32_t socket = 0;
    uint16_t id = 0;
    uint32_t resolver = 0;
    int64_t sent_ms = 0;  // the loop's clock
  };

  struct Transaction {
    // Reuse readies a freed slot for a new lookup; its strings keep their
    // memory (the name, the query, the chain) for the next one.
    void Reuse();

    State state = State::kFree;
    std::string asked_name;  // the current question (moves along CNAMEs)
    uint16_t type = 0;
    std::string query;  // wire form of the current question
    Callback done;
    LookupResult result;
    std::vector<std::string> visited;
    int attempt = 0;  // attempts at the current question
    bool use_tcp = false;  // the current attempt goes over TCP
    size_t resolver = 0;   // of the current attempt
    // Every UDP attempt at the current question, the current one last, each
    // holding its (socket, ID) until the question ends. Room for one in
    // the slot: most questions need no retry.
    absl::InlinedVector<UdpAttempt, 1> udp_attempts;
    std::string last_problem;  // e.g. a malformed answer seen meanwhile
    TcpExchange* tcp = nullptr;
    uint32_t next_free = UINT32_MAX;
  };

  // UdpSocket is one of the client's UDP sockets: bound to a random port,
  // and connected to the resolver when it is the only one of its address
  // family (the kernel then drops datagrams from anywhere else before we
  // see them, and spares a route lookup per query).
  struct UdpSocket {
    UdpSocket() = default;
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;
    ~UdpSocket();

    Client* client = nullptr;
    uint32_t index = 0;
    int family = 0;
    int fd = -1;
    bool connected = false;
    core::UvHandle<uv_poll_t> poll;
  };
  struct ReceiveBatch;

  Client(uv_loop_t* loop, ClientOptions options);
  absl::Status OpenSockets();

  uint32_t AllocateSlot();
  void StartQuestion(uint32_t slot);
  // Transmit sends the current attempt once the rate limit allows it.
  void Transmit(uint32_t slot);
  void SendNow(uint32_t slot);
  void SendUdp(uint32_t slot);
  void SendTcp(uint32_t slot);
  // ReleaseIds frees the IDs of every UDP attempt at the question.
  void ReleaseIds(Transaction& t);
  void ReleaseAttempt(Transaction& t, size_t attempt);
  static void OnPollEvent(uv_poll_t* handle, int status, int events);
  // OnReadable reads the datagrams waiting on `socket`, a batch at a time.
  void OnReadable(UdpSocket& socket);
  void OnDatagram(UdpSocket& socket, absl::Span<const uint8_t> packet,
                  const sockaddr* from);
  // OnAnswer takes a matched answer: over TCP, or over UDP to
  // t.udp_attempts[udp_attempt].
  void OnAnswer(uint32_t slot, absl::Span<const uint8_t> packet, bool tcp,
                size_t udp_attempt = 0);
  void OnTcpFailure(uint32_t slot, absl::string_view why);
  void OnAttemptFailed(uint32_t slot, LookupStatus status,
                       absl::string_view why);
  // BeforePoll runs before the loop polls: sends what is queued, and
  // waits for answers to gather when coalescing.
  void BeforePoll();
  void OnTick();
  void OnTokenTimer();
  void ArmTickTimer();
  void Finish(uint32_t slot, LookupStatus status, std::string error);
  void CompleteLater(uint32_t slot);
  int64_t AttemptTimeoutMs(int attempt, size_t resolver);

  uv_loop_t* loop_;
  ClientOptions options_;
  std::vector<std::unique_ptr<UdpSocket>> sockets_;
  std::vector<uint32_t> sockets_v4_, sockets_v6_;
  // The query IDs in use: (socket index << 16 | ID) -> slot.
  absl::flat_hash_map<uint32_t, uint32_t> id_owner_;
  std::vector<Transaction> slots_;
  uint32_t free_head_ = UINT32_MAX;
  size_t in_flight_ = 0;
  base::TimerWheel wheel_;
  core::UvHandle<uv_timer_t> tick_timer_;
  bool tick_armed_ = false;
  // The loop's clock at the previous tick: the loop has polled for I/O
  // since, so an answer that came by then has been read.
  int64_t previous_tick_ms_ = 0;
  base::TokenBucket bucket_;
  core::UvHandle<uv_timer_t> token_timer_;
  std::deque<uint32_t> waiting_for_token_;
  // Lookups completed without any I/O (invalid names) are reported from an
  // idle callback, keeping "never from inside Resolve()".
  core::UvHandle<uv_idle_t> completer_;
  std::vector<uint32_t> to_complete_;
  size_t next_resolver_ = 0;
  std::vector<base::RttEstimate> rtt_;  // per resolver
  absl::BitGen random_;
  // Every answer is parsed into this one, reusing its memory.
  ParsedResponse parsed_;
  std::unique_ptr<ReceiveBatch> receive_;
  UdpBatchSender batch_sender_{0};
  core::UvHandle<uv_prepare_t> flush_before_poll_;
  size_t read_this_turn_ = 0;  // datagrams read since the last BeforePoll
  core::UvHandle<uv_check_t> flush_after_poll_;
  ClientStats stats_;
};

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_CLIENT_H_
