#include "scanner/core/event_loop.h"

#include <cstdio>
#include <cstdlib>

namespace mxscan::core {

EventLoop::EventLoop() {
  int rc = uv_loop_init(&loop_);
  if (rc != 0) {
    std::fprintf(stderr, "mxscan: uv_loop_init: %s\n", uv_strerror(rc));
    std::abort();
  }
}

EventLoop::~EventLoop() {
  // Let close callbacks free their handles; then close. A handle still
  // open here is a bug of ours: close it so the loop can be released.
  uv_run(&loop_, UV_RUN_DEFAULT);
  if (uv_loop_close(&loop_) == UV_EBUSY) {
    uv_walk(
        &loop_,
        [](uv_handle_t* h, void*) {
          if (!uv_is_closing(h)) uv_close(h, nullptr);
        },
        nullptr);
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
  }
}

void EventLoop::Run() { uv_run(&loop_, UV_RUN_DEFAULT); }

void EventLoop::Stop() { uv_stop(&loop_); }

}  // namespace mxscan::core
