#ifndef MXSCAN_SCANNER_CORE_PIPELINE_H_
#define MXSCAN_SCANNER_CORE_PIPELINE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scanner/core/worker.h"

namespace mxscan {

// PipelineJob is the per-worker part of a bulk command (`dns`, `scan`): it
// lives on one worker's thread and processes the items routed to it.
class PipelineJob {
 public:
  virtual ~PipelineJob() = default;
  // Process starts one item; `done(failed)` must be called exactly once,
  // later or right away, on the worker's thread.
  virtual void Process(std::string item,
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
struct RoutedItem {
  std::string key;
  std::string item;
};

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
absl::StatusOr<PipelineStats> RunPipeline(
    const PipelineOptions& options,
    std::function<std::optional<RoutedItem>(std::string line, bool too_long)>
        parse,
    std::function<absl::StatusOr<std::unique_ptr<PipelineJob>>(Worker&)>
        make_job,
    std::function<void()> on_abort = nullptr);

}  // namespace mxscan

#endif  // MXSCAN_SCANNER_CORE_PIPELINE_H_
