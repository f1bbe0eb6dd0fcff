#ifndef MXSCAN_SCANNER_BENCH_BENCH_DRIVER_H_
#define MXSCAN_SCANNER_BENCH_BENCH_DRIVER_H_

#include <sys/socket.h>
#include <uv.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "scanner/base/token_bucket.h"
#include "scanner/bench/bench_report.h"
#include "scanner/bench/bench_stats.h"
#include "scanner/core/uv_handle.h"
#include "scanner/tls/tls_client.h"

namespace mxscan::bench {

struct BenchDriverOptions {
  sockaddr_storage address{};  // port included
  std::string server_name;     // SNI; empty for none
  bool starttls = true;        // SMTP STARTTLS; false: plain TLS
  std::string ehlo_name = "localhost";
  int concurrency = 10;  // attempts in flight at most
  double rate = 0;       // attempts started per second at most; 0 = no cap
  double warmup_s = 0;   // attempts started before this are not counted
  // The warm-up also ends once this many attempts have started (0: by time
  // only), so that a short --count run is not dwarfed by its warm-up.
  uint64_t warmup_max_attempts = 0;
  // The measurement: `count` attempts after the warm-up, or (count 0)
  // every attempt started within `duration_s` after it.
  uint64_t count = 0;
  double duration_s = 10;
  bool resume_sessions = false;
  int stage_timeout_ms = 10000;  // per step; a session gets 3x in all
  // Distinct certificate chains kept for judging afterwards.
  size_t max_chains = 16;
};

// Live counters for the progress line, added to by every loop's driver
// and read from any thread (the phase is the last one a driver entered).
struct BenchProgress {
  enum Phase { kWarmup = 0, kMeasure = 1, kDrain = 2, kDone = 3 };
  std::atomic<int> phase{kWarmup};
  std::atomic<uint64_t> in_flight{0};
  std::atomic<uint64_t> measured_started{0};
  std::atomic<uint64_t> succeeded{0};
  std::atomic<uint64_t> failed{0};
};

// A certificate chain presented in the measured full handshakes.
struct SeenChain {
  std::vector<std::string> chain_der;  // leaf first
  uint64_t handshakes = 0;
};

// CountChain adds `handshakes` full handshakes that presented `chain_der`
// to `chains`: to its entry, or as a new one while fewer than `max_chains`
// are kept. An empty chain counts nowhere.
void CountChain(std::vector<std::string> chain_der, uint64_t handshakes,
                size_t max_chains, std::vector<SeenChain>* chains);

// BenchDriver runs `mxscan bench` on one libuv loop: it keeps up to
// `concurrency` handshake attempts in flight against one address (the
// scanner's own SMTP probe, probe::ProbeSmtp, or for plain TLS
// probe::ProbeTls), starts a new one as soon as one ends (within the
// --rate cap, a token bucket), and counts in `stats()` only the attempts
// started after the warm-up: exactly `count` of them, or those started
// within `duration_s`. With resume_sessions it keeps the newest session
// the server gave and offers it in every later attempt. The measurement
// (elapsed time, getrusage of the process) runs from the end of the
// warm-up until the last measured attempt has ended. Lives on the loop's
// thread; `context` must outlive it (and have session_cache for
// resume_sessions).
class BenchDriver {
 public:
  BenchDriver(uv_loop_t* loop, const tls::ClientContext& context,
              BenchDriverOptions options, BenchProgress* progress);
  BenchDriver(const BenchDriver&) = delete;
  BenchDriver& operator=(const BenchDriver&) = delete;

  // Start begins the run; `done` is called once, from the loop, when
  // every attempt has ended.
  void Start(absl::AnyInvocable<void()> done);
  // Stop ends the run early (a signal): no attempt starts any more, those
  // in flight finish, and the measurement is marked interrupted.
  void Stop();

  const BenchStats& stats() const { return stats_; }
  // The measurement; `certificates` is left empty (see chains()).
  const BenchMeasurement& measurement() const { return measurement_; }
  const std::vector<SeenChain>& chains() const { return chains_; }

 private:
  struct Attempt {
    BenchAttempt result;
    bssl::UniquePtr<SSL_SESSION> session;
    std::vector<std::string> chain_der;
  };

  void BeginMeasurement();
  void EndMeasurement();
  // Fill starts attempts until `concurrency` are in flight, the rate cap
  // says wait, or the run starts no more.
  void Fill();
  bool MayStart() const;
  bool WarmupBoundReached() const;
  void Launch();
  void OnAttemptDone(bool measured, Attempt attempt);
  void Finish();
  // The warm-up's or the duration's end.
  void OnPhaseTimer();
  void SetPhase(BenchProgress::Phase phase);

  uv_loop_t* loop_;
  const tls::ClientContext& context_;
  BenchDriverOptions options_;
  BenchProgress* progress_;
  base::TokenBucket bucket_;
  core::UvHandle<uv_timer_t> phase_timer_;
  core::UvHandle<uv_timer_t> rate_timer_;
  absl::AnyInvocable<void()> done_;
  BenchProgress::Phase phase_ = BenchProgress::kWarmup;
  uint64_t in_flight_ = 0;
  uint64_t measured_started_ = 0;
  uint64_t measure_start_ns_ = 0;
  uint64_t last_end_ns_ = 0;
  double cpu_start_user_s_ = 0;
  double cpu_start_system_s_ = 0;
  std::shared_ptr<SSL_SESSION> session_;  // the one to offer next
  // Plain TLS attempts that waited for a ticket in vain, in a row, and
  // whether the driver stopped asking for one.
  int sessionless_waits_ = 0;
  bool stop_asking_ = false;
  BenchStats stats_;
  BenchMeasurement measurement_;
  std::vector<SeenChain> chains_;
};

}  // namespace mxscan::bench

#endif  // MXSCAN_SCANNER_BENCH_BENCH_DRIVER_H_
