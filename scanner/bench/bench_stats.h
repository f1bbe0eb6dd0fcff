#ifndef MXSCAN_SCANNER_BENCH_BENCH_STATS_H_
#define MXSCAN_SCANNER_BENCH_BENCH_STATS_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "absl/strings/string_view.h"
#include "scanner/bench/latency_histogram.h"

namespace mxscan::bench {

// The steps of one attempt whose durations are measured. kTotal runs from
// the start of the TCP connection to the end of the TLS handshake.
enum class Step { kConnect, kBanner, kEhlo, kStartTls, kHandshake, kTotal };
inline constexpr int kStepCount = 6;

// StepName returns "connect", "banner", "ehlo", "starttls", "handshake" or
// "total".
absl::string_view StepName(Step step);

// BenchAttempt is what one handshake attempt of `mxscan bench` came to,
// independent of the probe that ran it.
struct BenchAttempt {
  // The TLS handshake completed.
  bool handshake_done = false;
  // Why not (or what failed after the handshake): the stage as the probe
  // records it ("CONNECT", "BANNER", "EHLO", "STARTTLS", "HANDSHAKE",
  // "EHLO_TLS", "QUIT"), a code (the error kind, then ":" and the SMTP
  // reply code or errno when there is one: "refused:554",
  // "connect_failed:111", "timeout") and the message. Empty stage: none.
  std::string error_stage;
  std::string error_code;
  std::string error_message;
  // What the handshake negotiated.
  bool resumed = false;
  std::string version;
  std::string cipher;
  std::string group;
  // Nanoseconds per step; negative for a step not reached (or not part of
  // the protocol: no banner for plain TLS).
  std::array<int64_t, kStepCount> step_ns{-1, -1, -1, -1, -1, -1};

  int64_t& duration(Step step) { return step_ns[static_cast<int>(step)]; }
};

// ErrorTally counts the attempts that failed one way.
struct ErrorTally {
  uint64_t count = 0;
  std::string example;  // the first message seen
};

// The handshakes of one kind (full or resumed).
struct HandshakeKind {
  uint64_t count = 0;
  LatencyHistogram handshake;  // Step::kHandshake
  LatencyHistogram total;      // Step::kTotal
};

// BenchStats aggregates the measured attempts of a run. Every attempt is
// either succeeded (handshake done) or failed (counted once under its
// stage and code), so attempted() == succeeded() + failed() and the
// failures by stage sum to failed(). A failure after the handshake (EHLO
// inside TLS, QUIT) does not undo it: it is counted apart. Pure logic;
// lives on one thread.
class BenchStats {
 public:
  // (stage, code) of a failure.
  using ErrorKey = std::pair<std::string, std::string>;
  // (version, cipher, group) of a handshake.
  using Negotiated = std::tuple<std::string, std::string, std::string>;

  void Add(const BenchAttempt& attempt);
  // Merge adds the attempts `other` counted (another event loop's).
  void Merge(const BenchStats& other);

  uint64_t attempted() const { return succeeded_ + failed_; }
  uint64_t succeeded() const { return succeeded_; }
  uint64_t failed() const { return failed_; }
  // Durations of every attempt that got through a step, failed or not
  // (kHandshake and kTotal: completed handshakes only).
  const LatencyHistogram& step(Step s) const {
    return steps_[static_cast<int>(s)];
  }
  const HandshakeKind& full() const { return full_; }
  const HandshakeKind& resumed() const { return resumed_; }
  const std::map<ErrorKey, ErrorTally>& errors() const { return errors_; }
  // Failures by stage alone (sums to failed()).
  std::map<std::string, uint64_t> FailuresByStage() const;
  const std::map<ErrorKey, ErrorTally>& errors_after_handshake() const {
    return after_handshake_;
  }
  const std::map<Negotiated, uint64_t>& negotiated() const {
    return negotiated_;
  }

 private:
  uint64_t succeeded_ = 0;
  uint64_t failed_ = 0;
  std::array<LatencyHistogram, kStepCount> steps_;
  HandshakeKind full_;
  HandshakeKind resumed_;
  std::map<ErrorKey, ErrorTally> errors_;
  std::map<ErrorKey, ErrorTally> after_handshake_;
  std::map<Negotiated, uint64_t> negotiated_;
};

}  // namespace mxscan::bench

#endif  // MXSCAN_SCANNER_BENCH_BENCH_STATS_H_
