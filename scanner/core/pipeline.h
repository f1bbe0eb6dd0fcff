#ifndef MXSCAN_SCANNER_CORE_PIPELINE_H_
#define MXSCAN_SCANNER_CORE_PIPELINE_H_

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scanner/base/bounded_queue.h"
#include "scanner/base/line_reader.h"
#include "scanner/core/progress.h"
#include "scanner/core/stop_signal.h"
#include "scanner/core/worker.h"

namespace mxscan::core {

// PipelineJob is the per-worker part of a bulk command (`dns`, `scan`): it
// lives on one worker's thread and processes the items routed to it.
template <typename Item>
class PipelineJob {
 public:
  virtual ~PipelineJob() = default;
  // Process starts one item; `done(failed)` must be called exactly once,
  // later or right away, on the worker's thread.
  virtual void Process(Item item,
                       absl::AnyInvocable<void(bool failed)> done) = 0;
  // Finish runs once every item has been done: flush and close output,
  // release handles. Its error makes the command fail.
  virtual absl::Status Finish() = 0;
  // FatalError, checked after every item, is an error after which no new
  // item should start anywhere (the output cannot be written: a full disk).
  // The pipeline then stops as on SIGTERM and Finish() reports it.
  virtual absl::Status FatalError() const { return absl::OkStatus(); }
};

struct PipelineOptions {
  std::string command;  // for messages: "mxscan dns"
  std::string input_path = "-";
  int workers = 1;
  size_t max_in_flight_per_worker = 1000;
  bool show_progress = false;
  size_t max_line = 1024;
};

struct PipelineStats {
  uint64_t items = 0;
  uint64_t failed = 0;
  double seconds = 0;
  bool interrupted = false;  // stopped by SIGINT/SIGTERM
};

// RoutedItem is an input line turned into work: `key` chooses the worker
// (the same key always goes to the same worker, so per-key state lives on
// one loop without locks), `item` is what Process() receives.
template <typename Item>
struct RoutedItem {
  std::string key;
  Item item;
};

namespace pipeline_internal {

constexpr size_t kReaderBatch = 256;

struct Counters {
  std::atomic<uint64_t> read{0};
  std::atomic<uint64_t> done{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> in_flight{0};
};

std::string ProgressText(const std::string& command, const Counters& c,
                         long long total,
                         std::chrono::steady_clock::time_point start);

// WorkerDriver feeds one worker's job from its queue and finishes it once
// the queue is drained. Lives on the worker's thread.
template <typename Item>
class WorkerDriver {
 public:
  WorkerDriver(Worker& worker, base::BoundedQueue<Item>& queue,
               size_t max_in_flight, Counters& counters,
               std::function<void(const absl::Status&)> on_fatal)
      : worker_(worker),
        queue_(queue),
        max_in_flight_(max_in_flight),
        counters_(counters),
        on_fatal_(std::move(on_fatal)) {}

  void set_job(std::unique_ptr<PipelineJob<Item>> job) {
    job_ = std::move(job);
  }
  absl::Status status() const { return status_; }

  void Refill() {
    if (finished_ || job_ == nullptr) return;
    while (in_flight_ < max_in_flight_) {
      batch_.clear();
      if (queue_.PopUpTo(std::min<size_t>(max_in_flight_ - in_flight_, 64),
                         &batch_) == 0) {
        break;
      }
      for (Item& item : batch_) {
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
  base::BoundedQueue<Item>& queue_;
  const size_t max_in_flight_;
  Counters& counters_;
  std::function<void(const absl::Status&)> on_fatal_;
  bool fatal_reported_ = false;
  std::unique_ptr<PipelineJob<Item>> job_;
  std::vector<Item> batch_;
  size_t in_flight_ = 0;
  bool refill_posted_ = false;
  bool finished_ = false;
  absl::Status status_;
};

}  // namespace pipeline_internal

// RunPipeline reads `options.input_path` line by line on the calling
// thread (a line longer than max_line reaches `parse` cut short, with
// `too_long` set), turns each line into an item with `parse` (nullopt:
// skip the line), routes items by hash of their key to `options.workers`
// worker loops created with `make_job`, keeps at most
// max_in_flight_per_worker items in flight per worker, shows a progress
// line, and on SIGINT/SIGTERM stops reading, lets in-flight items finish
// and calls Finish() (a second signal exits at once after `on_abort`).
// Memory does not grow with the input: queues between the reader and the
// workers are bounded. Fails if the input cannot be read or a job cannot
// be created; a job's Finish() error is returned too.
template <typename Item>
absl::StatusOr<PipelineStats> RunPipeline(
    const PipelineOptions& options,
    std::function<std::optional<RoutedItem<Item>>(std::string line,
                                                  bool too_long)>
        parse,
    std::function<absl::StatusOr<std::unique_ptr<PipelineJob<Item>>>(Worker&)>
        make_job,
    std::function<void()> on_abort = nullptr) {
  absl::StatusOr<std::unique_ptr<base::LineReader>> reader =
      base::LineReader::Open(options.input_path, options.max_line);
  if (!reader.ok()) return reader.status();
  const int workers = std::max(1, options.workers);

  pipeline_internal::Counters counters;
  std::atomic<bool> stopping{false};
  std::vector<std::unique_ptr<Worker>> pool;
  std::vector<std::unique_ptr<base::BoundedQueue<Item>>> queues;
  std::vector<std::unique_ptr<pipeline_internal::WorkerDriver<Item>>> drivers(
      workers);
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
    queues.push_back(std::make_unique<base::BoundedQueue<Item>>(
        std::max<size_t>(1024, 2 * options.max_in_flight_per_worker),
        [w, &drivers, i] {
          w->Post([&drivers, i] {
            if (drivers[i]) drivers[i]->Refill();
          });
        }));
  }
  for (int i = 0; i < workers; ++i) {
    pool[i]->Start([&, i](Worker& w) {
      drivers[i] = std::make_unique<pipeline_internal::WorkerDriver<Item>>(
          w, *queues[i], options.max_in_flight_per_worker, counters,
          [&](const absl::Status& fatal) {
            if (stopping.exchange(true)) return;
            for (auto& q : queues) q->Discard();
            std::fprintf(
                stderr, "\n%s: stopping: %s (finishing the work in flight)\n",
                options.command.c_str(), std::string(fatal.message()).c_str());
          });
      absl::StatusOr<std::unique_ptr<PipelineJob<Item>>> job = make_job(w);
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
  const long long total = base::CountLines(options.input_path);
  auto progress = std::make_unique<ProgressLine>(
      options.show_progress && isatty(STDERR_FILENO), [&] {
        return pipeline_internal::ProgressText(options.command, counters, total,
                                               start);
      });

  std::vector<std::vector<Item>> batches(workers);
  std::string line;
  absl::Status input_error;
  while (!stopping.load()) {
    base::LineReader::Result r = (*reader)->Next(&line);
    if (r == base::LineReader::Result::kEnd) break;
    if (r == base::LineReader::Result::kError) {
      input_error = absl::DataLossError((*reader)->error());
      break;
    }
    std::optional<RoutedItem<Item>> routed =
        parse(std::move(line), r == base::LineReader::Result::kTooLong);
    line.clear();
    if (!routed) continue;
    counters.read.fetch_add(1, std::memory_order_relaxed);
    const size_t w = absl::HashOf(routed->key) % workers;
    batches[w].push_back(std::move(routed->item));
    if (batches[w].size() >= pipeline_internal::kReaderBatch)
      queues[w]->PushAll(&batches[w]);
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

}  // namespace mxscan::core

#endif  // MXSCAN_SCANNER_CORE_PIPELINE_H_
