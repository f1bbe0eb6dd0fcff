#ifndef MXSCAN_SCANNER_CORE_WORKER_H_
#define MXSCAN_SCANNER_CORE_WORKER_H_

#include <uv.h>

#include <mutex>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "scanner/core/event_loop.h"
#include "scanner/core/uv_handle.h"

namespace mxscan::core {

// Worker is one thread running one EventLoop: mxscan runs one per core and
// splits the work between them by hash, so that all state of one domain or
// one server lives on one loop without locks.
//
// Post() may be called from any thread; everything else of the worker's
// job runs on its own thread. The loop runs until the job has closed its
// handles and called Quit().
class Worker {
 public:
  explicit Worker(int index);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Start launches the thread and runs `on_start` on it, inside the loop.
  void Start(absl::AnyInvocable<void(Worker&)> on_start);
  // Post queues `task` to run on the worker's loop. Thread-safe.
  void Post(absl::AnyInvocable<void()> task);
  // Quit lets the loop end once no other handle is active; tasks posted
  // afterwards are dropped. Loop thread only.
  void Quit();
  void Join();

  int index() const { return index_; }
  uv_loop_t* loop() { return loop_.get(); }

 private:
  void RunPosted();

  int index_;
  EventLoop loop_;
  UvHandle<uv_async_t> wake_;
  std::mutex mutex_;
  std::vector<absl::AnyInvocable<void()>> posted_;
  bool quit_ = false;
  std::thread thread_;
};

}  // namespace mxscan::core

#endif  // MXSCAN_SCANNER_CORE_WORKER_H_
