#include "scanner/core/loop_thread.h"

#include <thread>

#include "gtest/gtest.h"

namespace mxscan::core {
namespace {

TEST(LoopThreadTest, TheCreatorsThreadPasses) {
  LoopThread thread;
  thread.Check("object");
}

TEST(LoopThreadDeathTest, AnotherThreadAborts) {
  LoopThread thread;
  EXPECT_DEATH(
      {
        std::thread other([&thread] { thread.Check("ScanWorker"); });
        other.join();
      },
      "ScanWorker used off its event loop's thread");
}

}  // namespace
}  // namespace mxscan::core
