#include "scanner/core/deadline_timer.h"

#include <utility>

namespace mxscan::core {

DeadlineTimer::DeadlineTimer(uv_loop_t* loop,
                             absl::AnyInvocable<void()> expired)
    : expired_(std::move(expired)) {
  uv_timer_init(loop, timer_.get());
  timer_.MarkInitialized();
  timer_.get()->data = this;
}

void DeadlineTimer::Start(uint64_t delay_ms) {
  confirming_ = false;
  Arm(delay_ms);
}

void DeadlineTimer::Stop() {
  confirming_ = false;
  uv_timer_stop(timer_.get());
}

void DeadlineTimer::Arm(uint64_t delay_ms) {
  uv_timer_start(timer_.get(), &DeadlineTimer::OnFire, delay_ms, 0);
}

void DeadlineTimer::OnFire(uv_timer_t* handle) {
  auto* self = static_cast<DeadlineTimer*>(handle->data);
  if (!self->confirming_) {
    // 1 ms, not 0: a timer due now would run again before the poll.
    self->confirming_ = true;
    self->Arm(1);
    return;
  }
  self->confirming_ = false;
  self->expired_();  // may destroy this timer's owner
}

}  // namespace mxscan::core
