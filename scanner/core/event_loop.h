#ifndef MXSCAN_SCANNER_CORE_EVENT_LOOP_H_
#define MXSCAN_SCANNER_CORE_EVENT_LOOP_H_

#include <uv.h>

namespace mxscan::core {

// EventLoop owns one uv_loop_t. It is used by exactly one thread. The
// destructor runs the loop until every closing handle has released its
// memory, then closes the loop; objects owning handles must be destroyed
// before it.
class EventLoop {
 public:
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  uv_loop_t* get() { return &loop_; }
  // Runs until no active handle or request remains, or Stop() is called.
  void Run();
  void Stop();
  // Milliseconds of the loop's cached clock.
  int64_t NowMs() const { return static_cast<int64_t>(uv_now(&loop_)); }

 private:
  uv_loop_t loop_;
};

}  // namespace mxscan::core

#endif  // MXSCAN_SCANNER_CORE_EVENT_LOOP_H_
