#ifndef MXSCAN_SCANNER_CORE_LOOP_THREAD_H_
#define MXSCAN_SCANNER_CORE_LOOP_THREAD_H_

#include <thread>

namespace mxscan::core {

// LoopThread remembers the thread an object was created on, so that an
// object living on one worker's loop (lock-free by design: its state is
// touched by that loop only) can check that it is used there. A use from
// another thread is a bug that would corrupt state silently: Check aborts
// with a message naming the object. Costs a thread-id comparison.
class LoopThread {
 public:
  LoopThread() : id_(std::this_thread::get_id()) {}

  // Check aborts when called from a thread other than the creator's;
  // `what` names the object ("ScanWorker").
  void Check(const char* what) const {
    if (std::this_thread::get_id() != id_) Abort(what);
  }

 private:
  [[noreturn]] static void Abort(const char* what);

  std::thread::id id_;
};

}  // namespace mxscan::core

#endif  // MXSCAN_SCANNER_CORE_LOOP_THREAD_H_
