#include "scanner/core/stop_signal.h"

#include <pthread.h>
#include <signal.h>

namespace mxscan::core {
namespace {

// SIGUSR2 only wakes the thread up at destruction.
sigset_t WatchedSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);
  return set;
}

}  // namespace

StopSignal::StopSignal(std::function<void(int)> on_signal)
    : on_signal_(std::move(on_signal)) {
  sigset_t set = WatchedSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([this] {
    sigset_t watched = WatchedSignals();
    while (true) {
      int signal = 0;
      if (sigwait(&watched, &signal) != 0) continue;
      if (exiting_.load()) return;
      if (signal == SIGUSR2) continue;
      on_signal_(++count_);
    }
  });
}

StopSignal::~StopSignal() {
  exiting_.store(true);
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
}

}  // namespace mxscan::core
