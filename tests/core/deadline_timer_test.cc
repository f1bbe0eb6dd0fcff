// DeadlineTimer against a real loop: an event that arrived before the
// deadline but is read only after it (the loop stalled in between) wins;
// a plain libuv timer, in the same stall, fires first.

#include "scanner/core/deadline_timer.h"

#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "scanner/core/event_loop.h"
#include "scanner/core/uv_handle.h"

namespace mxscan {
namespace {

// A socket pair whose one end the loop polls: Send() makes it readable.
class ReadableEnd {
 public:
  ReadableEnd(uv_loop_t* loop, std::vector<std::string>* log) : log_(log) {
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0);
    uv_poll_init(loop, poll_.get(), fds_[0]);
    poll_.MarkInitialized();
    poll_.get()->data = this;
    uv_poll_start(poll_.get(), UV_READABLE, [](uv_poll_t* h, int, int) {
      auto* self = static_cast<ReadableEnd*>(h->data);
      self->log_->push_back("read");
      uv_poll_stop(h);
      if (self->on_read) self->on_read();
    });
  }
  ~ReadableEnd() {
    poll_.Reset();
    close(fds_[0]);
    close(fds_[1]);
  }
  void Send() { EXPECT_EQ(write(fds_[1], "x", 1), 1); }

  std::function<void()> on_read;

 private:
  std::vector<std::string>* log_;
  int fds_[2] = {-1, -1};
  core::UvHandle<uv_poll_t> poll_;
};

// Stall runs once, after the first poll: the peer's byte arrives, then the
// loop is busy past every deadline before it polls again.
class StallAfterPoll {
 public:
  StallAfterPoll(uv_loop_t* loop, ReadableEnd* end, int stall_ms)
      : end_(end), stall_ms_(stall_ms) {
    uv_check_init(loop, check_.get());
    check_.MarkInitialized();
    check_.get()->data = this;
    uv_check_start(check_.get(), [](uv_check_t* h) {
      auto* self = static_cast<StallAfterPoll*>(h->data);
      uv_check_stop(h);
      self->end_->Send();
      std::this_thread::sleep_for(std::chrono::milliseconds(self->stall_ms_));
    });
    uv_unref(check_.as_handle());
  }

 private:
  ReadableEnd* end_;
  int stall_ms_;
  core::UvHandle<uv_check_t> check_;
};

TEST(DeadlineTimerTest, AnEventThatArrivedInTimeWinsAfterAStall) {
  core::EventLoop loop;
  std::vector<std::string> log;
  ReadableEnd end(loop.get(), &log);
  core::DeadlineTimer deadline(loop.get(), [&] { log.push_back("timeout"); });
  end.on_read = [&] { deadline.Stop(); };
  deadline.Start(20);
  // The first poll blocks until the deadline is near; the byte comes
  // after it, and the stall takes the loop well past the deadline.
  StallAfterPoll stall(loop.get(), &end, 100);
  loop.Run();
  EXPECT_EQ(log, std::vector<std::string>({"read"}));
}

TEST(DeadlineTimerTest, APlainTimerLosesTheSameRace) {
  // Why DeadlineTimer exists: libuv runs due timers before it polls.
  core::EventLoop loop;
  std::vector<std::string> log;
  ReadableEnd end(loop.get(), &log);
  core::UvHandle<uv_timer_t> timer;
  uv_timer_init(loop.get(), timer.get());
  timer.MarkInitialized();
  timer.get()->data = &log;
  uv_timer_start(
      timer.get(),
      [](uv_timer_t* h) {
        static_cast<std::vector<std::string>*>(h->data)->push_back("timeout");
      },
      20, 0);
  StallAfterPoll stall(loop.get(), &end, 100);
  loop.Run();
  EXPECT_EQ(log, std::vector<std::string>({"timeout", "read"}));
}

TEST(DeadlineTimerTest, ExpiresWhenNothingArrives) {
  core::EventLoop loop;
  int expired = 0;
  core::DeadlineTimer deadline(loop.get(), [&] { ++expired; });
  const uint64_t start = uv_now(loop.get());
  deadline.Start(30);
  EXPECT_TRUE(deadline.active());
  loop.Run();
  EXPECT_EQ(expired, 1);
  EXPECT_GE(uv_now(loop.get()) - start, 30u);
  EXPECT_FALSE(deadline.active());
}

TEST(DeadlineTimerTest, StopAndRestart) {
  core::EventLoop loop;
  int expired = 0;
  core::DeadlineTimer deadline(loop.get(), [&] { ++expired; });
  deadline.Start(10);
  deadline.Stop();
  EXPECT_FALSE(deadline.active());
  loop.Run();
  EXPECT_EQ(expired, 0);

  // A restart while confirming starts a whole new deadline: both timers
  // are due in the same turn and the deadline's, started first, runs first.
  core::UvHandle<uv_timer_t> restart;
  uv_timer_init(loop.get(), restart.get());
  restart.MarkInitialized();
  restart.get()->data = &deadline;
  const uint64_t start = uv_now(loop.get());
  deadline.Start(10);
  uv_timer_start(
      restart.get(),
      [](uv_timer_t* h) {
        static_cast<core::DeadlineTimer*>(h->data)->Start(40);
      },
      10, 0);
  loop.Run();
  EXPECT_EQ(expired, 1);
  EXPECT_GE(uv_now(loop.get()) - start, 50u);
}

TEST(DeadlineTimerTest, TheCallbackMayDestroyTheTimer) {
  core::EventLoop loop;
  std::unique_ptr<core::DeadlineTimer> deadline;
  int expired = 0;
  deadline = std::make_unique<core::DeadlineTimer>(loop.get(), [&] {
    ++expired;
    deadline.reset();
  });
  deadline->Start(5);
  loop.Run();
  EXPECT_EQ(expired, 1);
  EXPECT_EQ(deadline, nullptr);
}

}  // namespace
}  // namespace mxscan
