#include "scanner/bench/bench_run.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "scanner/core/worker.h"

namespace mxscan::bench {
namespace {

// `total` divided between `loops`, the first ones taking the remainder.
uint64_t ShareOf(uint64_t total, int loops, int index) {
  const uint64_t n = static_cast<uint64_t>(loops);
  const uint64_t i = static_cast<uint64_t>(index);
  return total / n + (i < total % n ? 1 : 0);
}

// One loop's run: its TLS context and driver, made and destroyed on the
// loop's thread, and what it measured.
struct LoopRun {
  std::unique_ptr<tls::ClientContext> context;
  std::unique_ptr<BenchDriver> driver;
  absl::Status status;
  BenchStats stats;
  BenchMeasurement measurement;
  std::vector<SeenChain> chains;
  std::atomic<bool> done{false};
};

}  // namespace

BenchDriverOptions SplitOptions(const BenchDriverOptions& options, int loops,
                                int index) {
  BenchDriverOptions share = options;
  share.concurrency = static_cast<int>(
      ShareOf(static_cast<uint64_t>(options.concurrency), loops, index));
  share.rate = options.rate / loops;
  if (options.count > 0) share.count = ShareOf(options.count, loops, index);
  if (options.warmup_max_attempts > 0) {
    // At least one each, so that no loop's warm-up runs on by time alone.
    share.warmup_max_attempts = std::max<uint64_t>(
        1, ShareOf(options.warmup_max_attempts, loops, index));
  }
  return share;
}

absl::StatusOr<BenchRunResult> RunBench(const BenchDriverOptions& options,
                                        const tls::ClientContextOptions& tls,
                                        int loops, BenchProgress* progress,
                                        const std::atomic<bool>& stop) {
  // No loop without an attempt in flight to drive.
  loops = std::max(1, std::min(loops, options.concurrency));
  if (options.count > 0) {
    loops = static_cast<int>(std::min<uint64_t>(loops, options.count));
  }
  std::vector<std::unique_ptr<LoopRun>> runs;
  std::vector<std::unique_ptr<core::Worker>> workers;
  for (int i = 0; i < loops; ++i) {
    runs.push_back(std::make_unique<LoopRun>());
    workers.push_back(std::make_unique<core::Worker>(i));
  }
  for (int i = 0; i < loops; ++i) {
    LoopRun* run = runs[i].get();
    const BenchDriverOptions share = SplitOptions(options, loops, i);
    workers[i]->Start([run, share, &tls, progress](core::Worker& w) {
      absl::StatusOr<std::unique_ptr<tls::ClientContext>> context =
          tls::ClientContext::Create(tls);
      if (!context.ok()) {
        run->status = context.status();
        run->done.store(true);
        w.Quit();
        return;
      }
      run->context = *std::move(context);
      run->driver = std::make_unique<BenchDriver>(w.loop(), *run->context,
                                                  share, progress);
      run->driver->Start([run, &w] {
        run->stats = run->driver->stats();
        run->measurement = run->driver->measurement();
        run->chains = run->driver->chains();
        // The driver is in its own callback: let it go from the loop.
        w.Post([run, &w] {
          run->driver.reset();
          run->context.reset();
          run->done.store(true);
          w.Quit();
        });
      });
    });
  }
  // The signal reaches every loop through its task queue.
  bool stopped = false;
  while (!std::all_of(runs.begin(), runs.end(),
                      [](const auto& run) { return run->done.load(); })) {
    if (!stopped && stop.load()) {
      stopped = true;
      for (int i = 0; i < loops; ++i) {
        LoopRun* run = runs[i].get();
        workers[i]->Post([run] {
          if (run->driver != nullptr) run->driver->Stop();
        });
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (auto& worker : workers) worker->Join();

  BenchRunResult result;
  result.loops = loops;
  BenchMeasurement& m = result.measurement;
  for (const auto& run : runs) {
    if (!run->status.ok()) return run->status;
    const BenchMeasurement& part = run->measurement;
    result.stats.Merge(run->stats);
    m.window_start_ns = m.window_start_ns == 0
                            ? part.window_start_ns
                            : std::min(m.window_start_ns, part.window_start_ns);
    m.window_end_ns = std::max(m.window_end_ns, part.window_end_ns);
    m.user_cpu_s += part.user_cpu_s;
    m.system_cpu_s += part.system_cpu_s;
    m.busiest_loop_cpu_s =
        std::max(m.busiest_loop_cpu_s, part.user_cpu_s + part.system_cpu_s);
    m.warmup_attempts += part.warmup_attempts;
    m.warmup_handshakes += part.warmup_handshakes;
    m.leftover_attempts += part.leftover_attempts;
    m.leftover_handshakes += part.leftover_handshakes;
    m.interrupted = m.interrupted || part.interrupted;
    m.sessions_offered += part.sessions_offered;
    for (SeenChain& chain : run->chains) {
      CountChain(std::move(chain.chain_der), chain.handshakes,
                 options.max_chains, &result.chains);
    }
  }
  m.no_session_given =
      options.resume_sessions &&
      std::all_of(runs.begin(), runs.end(), [](const auto& run) {
        return run->measurement.no_session_given;
      });
  m.elapsed_s = static_cast<double>(m.window_end_ns - m.window_start_ns) / 1e9;
  return result;
}

}  // namespace mxscan::bench
