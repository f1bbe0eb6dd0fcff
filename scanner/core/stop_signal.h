#ifndef MXSCAN_SCANNER_CORE_STOP_SIGNAL_H_
#define MXSCAN_SCANNER_CORE_STOP_SIGNAL_H_

#include <atomic>
#include <functional>
#include <thread>

namespace mxscan::core {

// StopSignal turns SIGINT and SIGTERM into calls of `on_signal(count)` on a
// thread of its own (count 1 asks for a graceful stop, 2 for an immediate
// one). Construct it before any other thread: it blocks the signals in the
// calling thread, and threads started later inherit that mask, so no
// worker is ever interrupted by them.
class StopSignal {
 public:
  explicit StopSignal(std::function<void(int count)> on_signal);
  ~StopSignal();
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  int count() const { return count_.load(); }

 private:
  std::function<void(int)> on_signal_;
  std::atomic<int> count_{0};
  std::atomic<bool> exiting_{false};
  std::thread thread_;
};

}  // namespace mxscan::core

#endif  // MXSCAN_SCANNER_CORE_STOP_SIGNAL_H_
