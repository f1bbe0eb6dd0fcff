#ifndef MXSCAN_SCANNER_CORE_PROGRESS_H_
#define MXSCAN_SCANNER_CORE_PROGRESS_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace mxscan::core {

// ProgressLine redraws one status line on standard error twice a second
// while it lives, if `enabled` (the caller checks that stderr is a
// terminal and --no-progress is absent). `render` is called on the
// reporter's own thread and must read shared counters safely (atomics).
class ProgressLine {
 public:
  ProgressLine(bool enabled, std::function<std::string()> render);
  ~ProgressLine();

 private:
  std::function<std::string()> render_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace mxscan::core

#endif  // MXSCAN_SCANNER_CORE_PROGRESS_H_
