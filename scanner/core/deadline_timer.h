#ifndef MXSCAN_SCANNER_CORE_DEADLINE_TIMER_H_
#define MXSCAN_SCANNER_CORE_DEADLINE_TIMER_H_

#include <uv.h>

#include <cstdint>

#include "absl/functional/any_invocable.h"
#include "scanner/core/uv_handle.h"

namespace mxscan::core {

// DeadlineTimer reports a deadline as passed only once the loop has polled
// for I/O after it. libuv runs due timers before it polls: when one turn of
// callbacks takes longer than a deadline (tens of thousands of sessions on
// one loop), a plain timer reports a timeout for a connect or a reply that
// arrived in time and waits, unread, in the kernel. So the first firing
// only re-arms the timer for the next turn (1 ms); the callback runs at the
// second, after a poll has delivered whatever had arrived. A real timeout
// costs one loop turn more. Lives on its loop's thread.
class DeadlineTimer {
 public:
  DeadlineTimer(uv_loop_t* loop, absl::AnyInvocable<void()> expired);
  DeadlineTimer(const DeadlineTimer&) = delete;
  DeadlineTimer& operator=(const DeadlineTimer&) = delete;

  // (Re)starts the timer: the deadline is `delay_ms` after the loop's now.
  void Start(uint64_t delay_ms);
  void Stop();
  bool active() const { return uv_is_active(timer_.as_handle()) != 0; }
  uv_loop_t* loop() const { return timer_.get()->loop; }

 private:
  static void OnFire(uv_timer_t* handle);
  void Arm(uint64_t delay_ms);

  UvHandle<uv_timer_t> timer_;
  absl::AnyInvocable<void()> expired_;
  bool confirming_ = false;  // due; waiting for the poll after it
};

}  // namespace mxscan::core

#endif  // MXSCAN_SCANNER_CORE_DEADLINE_TIMER_H_
