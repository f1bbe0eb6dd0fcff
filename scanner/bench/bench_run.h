#ifndef MXSCAN_SCANNER_BENCH_BENCH_RUN_H_
#define MXSCAN_SCANNER_BENCH_BENCH_RUN_H_

#include <atomic>
#include <vector>

#include "absl/status/statusor.h"
#include "scanner/bench/bench_driver.h"
#include "scanner/bench/bench_report.h"
#include "scanner/bench/bench_stats.h"
#include "scanner/tls/tls_client.h"

namespace mxscan::bench {

// What a run measured, every loop's merged.
struct BenchRunResult {
  BenchStats stats;
  BenchMeasurement measurement;  // certificates left empty
  std::vector<SeenChain> chains;
  int loops = 1;  // the loops that ran (no more than attempts to make)
};

// SplitOptions is loop `index` of `loops`'s share of `options`: the
// concurrency, the rate cap, the --count and the warm-up bound divided
// between the loops (the first ones take the remainders), the rest as is.
BenchDriverOptions SplitOptions(const BenchDriverOptions& options, int loops,
                                int index);

// RunBench runs `loops` BenchDrivers, each on an event loop of its own
// (a thread, with its own TLS context made from `tls`, so that the loops
// share nothing), over their shares of `options` (SplitOptions), and
// merges what they measured: the stats; the window from the first loop's
// start to the last one's end; the CPU of every loop, and the busiest
// one's; the chains seen. `progress` gets every loop's live counts. Once
// `stop` is set (a signal), every loop stops starting attempts and the
// measurement is marked interrupted. Returns when every loop has ended.
absl::StatusOr<BenchRunResult> RunBench(const BenchDriverOptions& options,
                                        const tls::ClientContextOptions& tls,
                                        int loops, BenchProgress* progress,
                                        const std::atomic<bool>& stop);

}  // namespace mxscan::bench

#endif  // MXSCAN_SCANNER_BENCH_BENCH_RUN_H_
