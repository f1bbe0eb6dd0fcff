#ifndef MXSCAN_SCANNER_BENCH_BENCH_REPORT_H_
#define MXSCAN_SCANNER_BENCH_BENCH_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "scanner/bench/bench_stats.h"

namespace mxscan::bench {

// A client that used this share of one core per event loop (or more) was
// the bottleneck: the figures then measure the client, not the server.
inline constexpr double kClientBoundShare = 0.9;

// BenchSettings is what the run was asked to do (echoed in the report so
// that a figure always travels with its conditions).
struct BenchSettings {
  std::string target;    // as given: "mx.example.org:25"
  std::string address;   // what it resolved to: "192.0.2.1:25"
  bool starttls = true;  // --starttls smtp (else a plain TLS handshake)
  std::string sni;       // empty: none sent
  int concurrency = 1;
  double rate = 0;  // handshakes started per second; 0 = no cap
  double warmup_s = 0;
  uint64_t warmup_max_attempts = 0;  // 0: the warm-up is bounded by time only
  double duration_s = 0;             // 0 when the run is a --count
  uint64_t count = 0;                // 0 when the run is a --duration
  std::string tls_version;           // "" = every version 1.0-1.3 offered
  std::string groups;
  std::string ciphers;
  bool resume_sessions = false;
  int loops = 1;  // event loops (threads) driving the handshakes
  int cores = 0;  // cores of the machine; 0: unknown
};

// One distinct certificate chain the server presented, judged once after
// the measurement (so that judging costs nothing in the figures).
struct CertificateSummary {
  std::string leaf_sha256;      // hex
  uint64_t handshakes = 0;      // measured full handshakes that presented it
  bool trusted = false;         // against --ca-file
  bool hostname_match = false;  // for the SNI name (false without one)
  std::string verify_error;
};

// BenchMeasurement is the run's clock and CPU figures over one window:
// from the end of the warm-up to the end of the last measured attempt.
// Attempts started during the warm-up are never in the stats, but those
// still in flight when the window opens do their last steps (and use
// CPU) inside it: the rate and the CPU per handshake count the handshakes
// that ended inside the window, theirs included, so that the pipeline is
// full at both ends of the window rather than only at one.
struct BenchMeasurement {
  double elapsed_s = 0;
  // The CPU of the event loops' threads over the window (getrusage
  // RUSAGE_THREAD on each loop, summed), and of the busiest loop.
  double user_cpu_s = 0;
  double system_cpu_s = 0;
  double busiest_loop_cpu_s = 0;
  uint64_t warmup_attempts = 0;    // started during the warm-up (not in the
                                   // stats)
  uint64_t warmup_handshakes = 0;  // of which completed their handshake
  // Of those, the ones that ended inside the window, and how many of them
  // completed their handshake.
  uint64_t leftover_attempts = 0;
  uint64_t leftover_handshakes = 0;
  bool interrupted = false;  // stopped by a signal
  // --resume-sessions: measured attempts that offered a session, and
  // whether the server never gave a resumable one (a TLS 1.3 server may
  // send its tickets only after application data).
  uint64_t sessions_offered = 0;
  bool no_session_given = false;
  std::vector<CertificateSummary> certificates;
  // The window on the monotonic clock (uv_hrtime), to join the windows of
  // several loops.
  uint64_t window_start_ns = 0;
  uint64_t window_end_ns = 0;
};

// BenchFigures are derived from the stats and the measurement.
struct BenchFigures {
  // Handshakes (and attempts) that ended inside the window: the measured
  // ones plus the warm-up's leftovers.
  uint64_t window_handshakes = 0;
  uint64_t window_attempts = 0;
  double handshakes_per_s = 0;      // window_handshakes / elapsed
  double cpu_us_per_handshake = 0;  // (user + system) / window_handshakes
  double cpu_us_per_attempt = 0;    // (user + system) / window_attempts
  double core_share = 0;            // (user + system) / elapsed / loops
  double busiest_loop_share = 0;    // the busiest loop's CPU / elapsed
  // Some loop used kClientBoundShare of a core or more, or the loops
  // together used that share of every core they could have (more loops
  // than cores): the client, not the server, set the pace.
  bool client_bound = false;
};

BenchFigures ComputeFigures(const BenchSettings& settings,
                            const BenchStats& stats,
                            const BenchMeasurement& measurement);

// RenderBenchJson returns the report as one JSON object (and a newline):
// the settings, counts, handshakes/s, latency percentiles in milliseconds
// per step, full and resumed handshakes apart, failures by stage and by
// (stage, code), the negotiated (version, cipher, group) mix, the client's
// CPU and the certificates.
std::string RenderBenchJson(const BenchSettings& settings,
                            const BenchStats& stats,
                            const BenchMeasurement& measurement);

// RenderBenchText returns the same report for a person to read.
std::string RenderBenchText(const BenchSettings& settings,
                            const BenchStats& stats,
                            const BenchMeasurement& measurement);

}  // namespace mxscan::bench

#endif  // MXSCAN_SCANNER_BENCH_BENCH_REPORT_H_
