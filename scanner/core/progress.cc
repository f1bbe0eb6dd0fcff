#include "scanner/core/progress.h"

#include <chrono>
#include <cstdio>

namespace mxscan::core {

ProgressLine::ProgressLine(bool enabled, std::function<std::string()> render)
    : render_(std::move(render)) {
  if (!enabled) return;
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(500),
                         [this] { return done_; })) {
      std::string line = render_();
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
      std::fflush(stderr);
    }
    std::string line = render_();
    std::fprintf(stderr, "\r\033[K%s\n", line.c_str());
  });
}

ProgressLine::~ProgressLine() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace mxscan::core
