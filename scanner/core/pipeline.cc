#include "scanner/core/pipeline.h"

#include <unistd.h>

#include <chrono>
#include <functional>
#include <cstdio>
#include <mutex>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "scanner/core/bounded_queue.h"
#include "scanner/core/line_reader.h"
#include "scanner/core/progress.h"
#include "scanner/core/stop_signal.h"

namespace mxscan {
namespace {

constexpr size_t kReaderBatch = 256;

struct Counters {
  std::atomic<uint64_t> read{0};
  std::atomic<uint64_t> done{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> in_flight{0};
};

// WorkerDriver feeds one worker's job from its queue and finishes it once
// the queue is drained. Lives on the worker's thread.
class WorkerDriver {
 public:
  WorkerDriver(Worker& worker, BoundedQueue<std::string>& queue,
               size_t max_in_flight, Counters& counters,
               std::function<void(const absl::Status&)> on_fatal)
      : worker_(worker),
        queue_(queue),
        max_in_flight_(max_in_flight),
        counters_(counters),
        on_fatal_(std::move(on_fatal)) {}

  void set_job(std::unique_ptr<PipelineJob> job) { job_ = std::move(job); }
  absl::Status status() const { return status_; }

  void Refill() {
    if (finished_ || job_ == nullptr) return;
    while (in_flight_ < max_in_flight_) {
      batch_.clear();
      if (queue_.PopUpTo(std::min<size_t>(max_in_flight_ - in_flight_, 64),
                         &batch_) == 0) {
        break;
      }
      for (std::string& item : batch_) {
        ++in_flight_;
        counters_.in_flight.fetch_add(1, std::memory_order_relaxed);
        job_->Process(std::move(item), [this](bool failed) { OnDone(failed); });
      }
    }
    if (in_flight_ == 0 && queue_.Drained()) Finish();
  }

 private:
  void OnDone(bool failed) {
    --in_flight_;
    counters_.in_flight.fetch_sub(1, std::memory_order_relaxed);
    counters_.done.fetch_add(1, std::memory_order_relaxed);
    if (failed) counters_.failed.fetch_add(1, std::memory_order_relaxed);
    if (!fatal_reported_) {
      absl::Status fatal = job_->FatalError();
      if (!fatal.ok()) {
        fatal_reported_ = true;
        on_fatal_(fatal);
      }
    }
    if (!refill_posted_) {
      // One refill per loop iteration, not one per completed item.
      refill_posted_ = true;
      worker_.Post([this] {
        refill_posted_ = false;
        Refill();
      });
    }
  }

  void Finish() {
    finished_ = true;
    status_ = job_->Finish();
    job_.reset();
    worker_.Quit();
  }

  Worker& worker_;
  BoundedQueue<std::string>& queue_;
  const size_t max_in_flight_;
  Counters& counters_;
  std::function<void(const absl::Status&)> on_fatal_;
  bool fatal_reported_ = false;
  std::unique_ptr<PipelineJob> job_;
  std::vector<std::string> batch_;
  size_t in_flight_ = 0;
  bool refill_posted_ = false;
  bool finished_ = false;
  absl::Status status_;
};

std::string ProgressText(const std::string& command, const Counters& c,
                         long long total,
                         std::chrono::steady_clock::time_point start) {
  const double seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  const uint64_t done = c.done.load();
  return absl::StrFormat(
      "%s: %d/%s done  %.0f/s  in flight %d  failed %d", command, done,
      total >= 0 ? absl::StrCat(total) : absl::StrCat(c.read.load(), "+"),
      seconds > 0 ? done / seconds : 0.0, c.in_flight.load(),
      c.failed.load());
}

}  // namespace

absl::StatusOr<PipelineStats> RunPipeline(
    const PipelineOptions& options,
    std::function<std::optional<RoutedItem>(std::string, bool)> parse,
    std::function<absl::StatusOr<std::unique_ptr<PipelineJob>>(Worker&)>
        make_job,
    std::function<void()> on_abort) {
  absl::StatusOr<std::unique_ptr<LineReader>> reader =
      LineReader::Open(options.input_path, options.max_line);
  if (!reader.ok()) return reader.status();
  const int workers = std::max(1, options.workers);

  Counters counters;
  std::atomic<bool> stopping{false};
  std::vector<std::unique_ptr<Worker>> pool;
  std::vector<std::unique_ptr<BoundedQueue<std::string>>> queues;
  std::vector<std::unique_ptr<WorkerDriver>> drivers(workers);
  std::mutex error_mutex;
  absl::Status start_error;

  // The signal thread first, so that every later thread ignores signals.
  StopSignal stop_signal([&](int count) {
    stopping.store(true);
    for (auto& q : queues) q->Discard();
    if (count >= 2) {
      std::fprintf(stderr, "\n%s: stopping now\n", options.command.c_str());
      if (on_abort) on_abort();
      _exit(130);
    }
    std::fprintf(stderr,
                 "\n%s: stopping: finishing the work in flight (again to "
                 "stop at once)\n",
                 options.command.c_str());
  });
  for (int i = 0; i < workers; ++i) {
    pool.push_back(std::make_unique<Worker>(i));
    Worker* w = pool.back().get();
    queues.push_back(std::make_unique<BoundedQueue<std::string>>(
        std::max<size_t>(1024, 2 * options.max_in_flight_per_worker),
        [w, &drivers, i] {
          w->Post([&drivers, i] {
            if (drivers[i]) drivers[i]->Refill();
          });
        }));
  }
  for (int i = 0; i < workers; ++i) {
    pool[i]->Start([&, i](Worker& w) {
      drivers[i] = std::make_unique<WorkerDriver>(
          w, *queues[i], options.max_in_flight_per_worker, counters,
          [&](const absl::Status& fatal) {
            if (stopping.exchange(true)) return;
            for (auto& q : queues) q->Discard();
            std::fprintf(stderr,
                         "\n%s: stopping: %s (finishing the work in flight)\n",
                         options.command.c_str(),
                         std::string(fatal.message()).c_str());
          });
      absl::StatusOr<std::unique_ptr<PipelineJob>> job = make_job(w);
      if (!job.ok()) {
        {
          std::lock_guard<std::mutex> lock(error_mutex);
          if (start_error.ok()) start_error = job.status();
        }
        stopping.store(true);
        for (auto& q : queues) q->Discard();
        drivers[i].reset();
        w.Quit();
        return;
      }
      drivers[i]->set_job(*std::move(job));
      drivers[i]->Refill();
    });
  }

  const auto start = std::chrono::steady_clock::now();
  const long long total = CountLines(options.input_path);
  auto progress = std::make_unique<ProgressLine>(
      options.show_progress && isatty(STDERR_FILENO),
      [&] { return ProgressText(options.command, counters, total, start); });

  std::vector<std::vector<std::string>> batches(workers);
  std::string line;
  absl::Status input_error;
  while (!stopping.load()) {
    LineReader::Result r = (*reader)->Next(&line);
    if (r == LineReader::Result::kEnd) break;
    if (r == LineReader::Result::kError) {
      input_error = absl::DataLossError((*reader)->error());
      break;
    }
    std::optional<RoutedItem> routed =
        parse(std::move(line), r == LineReader::Result::kTooLong);
    line.clear();
    if (!routed) continue;
    counters.read.fetch_add(1, std::memory_order_relaxed);
    const size_t w = absl::HashOf(routed->key) % workers;
    batches[w].push_back(std::move(routed->item));
    if (batches[w].size() >= kReaderBatch) queues[w]->PushAll(&batches[w]);
  }
  for (int i = 0; i < workers; ++i) {
    if (!stopping.load()) queues[i]->PushAll(&batches[i]);
    queues[i]->Close();
  }
  for (auto& w : pool) w->Join();
  progress.reset();

  if (!start_error.ok()) return start_error;
  for (auto& d : drivers) {
    if (d && !d->status().ok()) return d->status();
  }
  if (!input_error.ok()) return input_error;
  PipelineStats stats;
  stats.items = counters.done.load();
  stats.failed = counters.failed.load();
  stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  stats.interrupted = stop_signal.count() > 0;
  return stats;
}

}  // namespace mxscan
