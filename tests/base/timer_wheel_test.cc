// TimerWheel on a simulated clock: never early, at most one tick late,
// cancel/reschedule, deadlines many laps beyond the wheel, re-entrant
// callbacks, and a randomised comparison against a plain map.

#include "scanner/base/timer_wheel.h"

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;

// Advances `wheel` to `now` and returns the ids that expired.
std::vector<uint32_t> AdvanceTo(base::TimerWheel& wheel, int64_t now) {
  std::vector<uint32_t> fired;
  wheel.Advance(now, [&](uint32_t id) { fired.push_back(id); });
  return fired;
}

TEST(TimerWheelTest, EmptyWheelFiresNothing) {
  base::TimerWheel wheel(10, 16, 0);
  EXPECT_EQ(wheel.size(), 0u);
  EXPECT_EQ(wheel.tick_ms(), 10);
  EXPECT_FALSE(wheel.IsScheduled(0));
  EXPECT_FALSE(wheel.IsScheduled(123456));
  EXPECT_THAT(AdvanceTo(wheel, 1000), IsEmpty());
  EXPECT_EQ(wheel.size(), 0u);
}

TEST(TimerWheelTest, ZeroTickAndZeroBucketsAreClampedToOne) {
  base::TimerWheel wheel(0, 0, 0);
  EXPECT_EQ(wheel.tick_ms(), 1);
  wheel.Schedule(1, 5);
  wheel.Schedule(2, 3);
  EXPECT_THAT(AdvanceTo(wheel, 4), ElementsAre(2u));
  EXPECT_THAT(AdvanceTo(wheel, 5), ElementsAre(1u));
  EXPECT_EQ(wheel.size(), 0u);
}

TEST(TimerWheelTest, FiresAtDeadlineNotBefore) {
  base::TimerWheel wheel(10, 16, 0);
  wheel.Schedule(7, 35);
  EXPECT_TRUE(wheel.IsScheduled(7));
  EXPECT_EQ(wheel.size(), 1u);
  // 30 is in the deadline's tick but before the deadline itself.
  EXPECT_THAT(AdvanceTo(wheel, 30), IsEmpty());
  EXPECT_THAT(AdvanceTo(wheel, 34), IsEmpty());
  EXPECT_TRUE(wheel.IsScheduled(7));
  EXPECT_THAT(AdvanceTo(wheel, 35), ElementsAre(7u));
  EXPECT_FALSE(wheel.IsScheduled(7));
  EXPECT_EQ(wheel.size(), 0u);
  // Fired once only.
  EXPECT_THAT(AdvanceTo(wheel, 1000), IsEmpty());
}

TEST(TimerWheelTest, FiresAtMostOneTickLateWhenAdvancedEveryTick) {
  constexpr int64_t kTick = 10;
  base::TimerWheel wheel(kTick, 32, 0);
  std::map<uint32_t, int64_t> deadline;
  for (uint32_t id = 0; id < 200; ++id) {
    deadline[id] = 1 + id * 7;  // every phase within a tick
    wheel.Schedule(id, deadline[id]);
  }
  std::map<uint32_t, int64_t> fired_at;
  for (int64_t now = 0; now <= 1500; now += kTick) {
    for (uint32_t id : AdvanceTo(wheel, now)) {
      EXPECT_TRUE(fired_at.emplace(id, now).second) << "fired twice: " << id;
    }
  }
  ASSERT_EQ(fired_at.size(), deadline.size());
  for (const auto& [id, when] : fired_at) {
    EXPECT_GE(when, deadline[id]) << "early: id " << id;
    EXPECT_LT(when, deadline[id] + kTick) << "more than a tick late: " << id;
  }
}

TEST(TimerWheelTest, PastDeadlineFiresOnNextAdvance) {
  base::TimerWheel wheel(10, 8, 1000);
  wheel.Schedule(1, 5);     // long past
  wheel.Schedule(2, 1000);  // now
  EXPECT_THAT(AdvanceTo(wheel, 1000), UnorderedElementsAre(1u, 2u));
}

TEST(TimerWheelTest, TimeGoingBackwardsIsIgnored) {
  base::TimerWheel wheel(10, 8, 100);
  wheel.Schedule(1, 150);
  EXPECT_THAT(AdvanceTo(wheel, 50), IsEmpty());
  EXPECT_THAT(AdvanceTo(wheel, 0), IsEmpty());
  EXPECT_THAT(AdvanceTo(wheel, 150), ElementsAre(1u));
}

TEST(TimerWheelTest, LargeStartTime) {
  const int64_t start = int64_t{1} << 42;  // uv_now() after a long uptime
  base::TimerWheel wheel(10, 64, start);
  wheel.Schedule(3, start + 25);
  EXPECT_THAT(AdvanceTo(wheel, start + 20), IsEmpty());
  EXPECT_THAT(AdvanceTo(wheel, start + 30), ElementsAre(3u));
}

TEST(TimerWheelTest, CancelPreventsFiring) {
  base::TimerWheel wheel(10, 16, 0);
  wheel.Schedule(1, 20);
  wheel.Schedule(2, 20);
  wheel.Schedule(3, 20);
  wheel.Cancel(2);
  EXPECT_FALSE(wheel.IsScheduled(2));
  EXPECT_EQ(wheel.size(), 2u);
  EXPECT_THAT(AdvanceTo(wheel, 20), UnorderedElementsAre(1u, 3u));
  EXPECT_EQ(wheel.size(), 0u);
}

TEST(TimerWheelTest, CancelOfUnknownOrUnscheduledIdIsANoOp) {
  base::TimerWheel wheel(10, 16, 0);
  wheel.Cancel(0);
  wheel.Cancel(999999);  // beyond any id ever seen
  wheel.Schedule(5, 10);
  wheel.Cancel(4);  // known slot, never scheduled
  wheel.Cancel(5);
  wheel.Cancel(5);  // twice
  EXPECT_EQ(wheel.size(), 0u);
  EXPECT_THAT(AdvanceTo(wheel, 100), IsEmpty());
}

TEST(TimerWheelTest, CancelHeadMiddleAndTailOfOneBucket) {
  // Same deadline: one bucket, one list; unlink from every position.
  for (uint32_t victim = 0; victim < 5; ++victim) {
    base::TimerWheel wheel(10, 16, 0);
    for (uint32_t id = 0; id < 5; ++id) wheel.Schedule(id, 50);
    wheel.Cancel(victim);
    std::vector<uint32_t> expected;
    for (uint32_t id = 0; id < 5; ++id) {
      if (id != victim) expected.push_back(id);
    }
    EXPECT_THAT(AdvanceTo(wheel, 50), UnorderedElementsAreArray(expected))
        << "victim " << victim;
  }
}

TEST(TimerWheelTest, RescheduleLaterAndEarlier) {
  base::TimerWheel wheel(10, 16, 0);
  wheel.Schedule(1, 50);
  wheel.Schedule(1, 120);  // later
  EXPECT_EQ(wheel.size(), 1u);
  EXPECT_THAT(AdvanceTo(wheel, 100), IsEmpty());
  wheel.Schedule(1, 105);  // earlier than 120
  EXPECT_EQ(wheel.size(), 1u);
  EXPECT_THAT(AdvanceTo(wheel, 110), ElementsAre(1u));
  EXPECT_THAT(AdvanceTo(wheel, 200), IsEmpty());
}

TEST(TimerWheelTest, RescheduleToSameBucketDoesNotDuplicate) {
  base::TimerWheel wheel(10, 4, 0);
  wheel.Schedule(1, 15);
  wheel.Schedule(1, 15);
  wheel.Schedule(1, 55);  // 4 ticks later: same bucket, next lap
  EXPECT_EQ(wheel.size(), 1u);
  EXPECT_THAT(AdvanceTo(wheel, 20), IsEmpty());
  EXPECT_THAT(AdvanceTo(wheel, 55), ElementsAre(1u));
}

TEST(TimerWheelTest, DeadlinesManyLapsBeyondTheHorizon) {
  // 8 buckets of 10 ms: the wheel covers 80 ms; deadlines up to 100 laps.
  base::TimerWheel wheel(10, 8, 0);
  const std::vector<int64_t> deadlines = {79, 80, 81, 555, 1234, 8000, 8001};
  for (uint32_t id = 0; id < deadlines.size(); ++id) {
    wheel.Schedule(id, deadlines[id]);
  }
  std::map<uint32_t, int64_t> fired_at;
  for (int64_t now = 0; now <= 9000; now += 10) {
    for (uint32_t id : AdvanceTo(wheel, now)) fired_at[id] = now;
    // Everything not yet due is still scheduled.
    for (uint32_t id = 0; id < deadlines.size(); ++id) {
      EXPECT_EQ(wheel.IsScheduled(id), deadlines[id] > now)
          << "id " << id << " at " << now;
    }
  }
  ASSERT_EQ(fired_at.size(), deadlines.size());
  for (uint32_t id = 0; id < deadlines.size(); ++id) {
    EXPECT_GE(fired_at[id], deadlines[id]);
    EXPECT_LT(fired_at[id], deadlines[id] + 10);
  }
}

TEST(TimerWheelTest, JumpFarAheadFiresEverythingDueOnly) {
  base::TimerWheel wheel(10, 8, 0);
  wheel.Schedule(1, 35);
  wheel.Schedule(2, 500);
  wheel.Schedule(3, 10000);
  wheel.Schedule(4, 10001);
  // One Advance crossing more than a whole revolution many times over.
  EXPECT_THAT(AdvanceTo(wheel, 10000), UnorderedElementsAre(1u, 2u, 3u));
  EXPECT_TRUE(wheel.IsScheduled(4));
  EXPECT_EQ(wheel.size(), 1u);
  EXPECT_THAT(AdvanceTo(wheel, 10001), ElementsAre(4u));
}

TEST(TimerWheelTest, JumpOfExactlyOneRevolution) {
  base::TimerWheel wheel(10, 8, 0);
  for (uint32_t id = 0; id < 8; ++id) wheel.Schedule(id, id * 10);
  wheel.Schedule(8, 80);
  wheel.Schedule(9, 81);
  EXPECT_THAT(AdvanceTo(wheel, 80),
              UnorderedElementsAre(0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u));
  EXPECT_THAT(AdvanceTo(wheel, 81), ElementsAre(9u));
}

TEST(TimerWheelTest, NotScheduledInsideItsOwnCallback) {
  base::TimerWheel wheel(10, 8, 0);
  wheel.Schedule(1, 10);
  bool called = false;
  wheel.Advance(10, [&](uint32_t id) {
    called = true;
    EXPECT_FALSE(wheel.IsScheduled(id));
    EXPECT_EQ(wheel.size(), 0u);
  });
  EXPECT_TRUE(called);
}

TEST(TimerWheelTest, RescheduleFromInsideCallbackActsAsPeriodicTimer) {
  base::TimerWheel wheel(10, 8, 0);
  wheel.Schedule(1, 25);
  std::vector<int64_t> fired_at;
  for (int64_t now = 0; now <= 300; now += 10) {
    wheel.Advance(now, [&](uint32_t id) {
      fired_at.push_back(now);
      wheel.Schedule(id, now + 45);  // crosses a bucket boundary each time
    });
  }
  EXPECT_THAT(fired_at, ElementsAre(30, 80, 130, 180, 230, 280));
  EXPECT_TRUE(wheel.IsScheduled(1));
}

TEST(TimerWheelTest, ScheduleNewIdsFromInsideCallback) {
  base::TimerWheel wheel(10, 8, 0);
  wheel.Schedule(0, 10);
  std::vector<uint32_t> fired;
  for (int64_t now = 0; now <= 200; now += 10) {
    wheel.Advance(now, [&](uint32_t id) {
      fired.push_back(id);
      if (id < 5) wheel.Schedule(id + 1, now + 20);  // grows the id space
    });
  }
  EXPECT_THAT(fired, ElementsAre(0u, 1u, 2u, 3u, 4u, 5u));
  EXPECT_EQ(wheel.size(), 0u);
}

TEST(TimerWheelTest, ImmediateRescheduleFromCallbackTerminates) {
  // A callback that re-arms its id for "now" must not spin forever inside
  // one Advance; it fires again on a later Advance.
  base::TimerWheel wheel(10, 8, 0);
  wheel.Schedule(1, 10);
  int calls = 0;
  wheel.Advance(10, [&](uint32_t id) {
    ++calls;
    wheel.Schedule(id, 10);
  });
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(wheel.IsScheduled(1));
  EXPECT_THAT(AdvanceTo(wheel, 10), ElementsAre(1u));
}

TEST(TimerWheelTest, CallbackCancelsIdInAnotherBucket) {
  base::TimerWheel wheel(10, 8, 0);
  wheel.Schedule(1, 10);
  wheel.Schedule(2, 30);  // other bucket, not yet due
  wheel.Schedule(3, 20);  // other bucket, due in the same Advance
  std::vector<uint32_t> fired;
  wheel.Advance(20, [&](uint32_t id) {
    fired.push_back(id);
    if (id == 1) {
      wheel.Cancel(2);
      wheel.Cancel(3);
    }
  });
  EXPECT_THAT(fired, ElementsAre(1u));
  EXPECT_EQ(wheel.size(), 0u);
  EXPECT_THAT(AdvanceTo(wheel, 100), IsEmpty());
}

// Regression test (fixed bug; scanner/base/timer_wheel.h, Advance): the header
// promises "The callback may schedule or cancel any id", but Advance detaches a
// bucket's list and walks it with a saved `next` while the nodes still carry
// the stale `bucket`/`prev` links. Cancel()ing (or Schedule()ing) an id that is
// still further down that detached list unlinks it through a node that was
// already expired, so: the cancelled id is expired anyway, the ids after it
// are lost (IsScheduled() stays true, they never fire) and size() underflows.
// (The DNS client is not affected today: it collects ids and acts after
// Advance returns.)
TEST(TimerWheelTest, CallbackCancelsOtherIdDueInSameBucket) {
  base::TimerWheel wheel(10, 8, 0);
  for (uint32_t id = 1; id <= 3; ++id) wheel.Schedule(id, 10);
  std::vector<uint32_t> fired;
  wheel.Advance(10, [&](uint32_t id) {
    fired.push_back(id);
    // The first one to expire cancels the other two.
    for (uint32_t other = 1; other <= 3; ++other) {
      if (other != id) wheel.Cancel(other);
    }
  });
  EXPECT_EQ(fired.size(), 1u) << "a cancelled id was expired";
  EXPECT_EQ(wheel.size(), 0u);
  for (uint32_t id = 1; id <= 3; ++id) EXPECT_FALSE(wheel.IsScheduled(id));
}

// Regression test (fixed bug; same cause as above): a callback that reschedules another id which
// is in the bucket being expired.
TEST(TimerWheelTest, CallbackReschedulesOtherIdDueInSameBucket) {
  base::TimerWheel wheel(10, 8, 0);
  for (uint32_t id = 1; id <= 4; ++id) wheel.Schedule(id, 10);
  std::vector<uint32_t> fired_early;
  uint32_t first = 0;
  wheel.Advance(10, [&](uint32_t id) {
    fired_early.push_back(id);
    if (first != 0) return;
    first = id;
    for (uint32_t other = 1; other <= 4; ++other) {
      if (other != id) wheel.Schedule(other, 500);
    }
  });
  EXPECT_EQ(fired_early.size(), 1u) << "a postponed id expired at 10";
  EXPECT_EQ(wheel.size(), 3u);
  std::vector<uint32_t> others;
  for (uint32_t id = 1; id <= 4; ++id) {
    if (id != first) others.push_back(id);
  }
  EXPECT_THAT(AdvanceTo(wheel, 499), IsEmpty());
  EXPECT_THAT(AdvanceTo(wheel, 500), UnorderedElementsAreArray(others));
}

TEST(TimerWheelTest, ManyIds) {
  constexpr uint32_t kIds = 100000;
  constexpr int64_t kTick = 10;
  base::TimerWheel wheel(kTick, 1024, 0);
  std::mt19937 rng(42);
  std::uniform_int_distribution<int64_t> when(1, 60000);
  std::vector<int64_t> deadline(kIds);
  for (uint32_t id = 0; id < kIds; ++id) {
    deadline[id] = when(rng);
    wheel.Schedule(id, deadline[id]);
  }
  // Cancel every third id, reschedule every fifth.
  std::vector<bool> cancelled(kIds, false);
  for (uint32_t id = 0; id < kIds; id += 3) {
    wheel.Cancel(id);
    cancelled[id] = true;
  }
  for (uint32_t id = 1; id < kIds; id += 5) {
    if (cancelled[id]) continue;
    deadline[id] = when(rng);
    wheel.Schedule(id, deadline[id]);
  }
  size_t live = 0;
  for (uint32_t id = 0; id < kIds; ++id) live += cancelled[id] ? 0 : 1;
  EXPECT_EQ(wheel.size(), live);

  std::vector<int> fire_count(kIds, 0);
  for (int64_t now = 0; now <= 60000; now += kTick) {
    wheel.Advance(now, [&](uint32_t id) {
      ++fire_count[id];
      EXPECT_FALSE(cancelled[id]) << id;
      EXPECT_GE(now, deadline[id]) << id;
      EXPECT_LT(now, deadline[id] + kTick) << id;
    });
  }
  EXPECT_EQ(wheel.size(), 0u);
  for (uint32_t id = 0; id < kIds; ++id) {
    ASSERT_EQ(fire_count[id], cancelled[id] ? 0 : 1) << "id " << id;
  }
}

// Random schedule/cancel/advance sequences against a map of deadlines: at
// every Advance exactly the ids whose deadline has passed expire.
class TimerWheelModelTest
    : public ::testing::TestWithParam<std::pair<int64_t, size_t>> {};

TEST_P(TimerWheelModelTest, MatchesReferenceModel) {
  const auto [tick, buckets] = GetParam();
  std::mt19937 rng(static_cast<uint32_t>(tick * 1000 + buckets));
  int64_t now = 5000;
  base::TimerWheel wheel(tick, buckets, now);
  std::map<uint32_t, int64_t> model;
  std::uniform_int_distribution<int> op(0, 99);
  std::uniform_int_distribution<uint32_t> any_id(0, 299);
  for (int step = 0; step < 20000; ++step) {
    const int o = op(rng);
    if (o < 45) {
      const uint32_t id = any_id(rng);
      // From the past up to several revolutions ahead.
      const int64_t span = tick * static_cast<int64_t>(buckets) * 3 + 50;
      const int64_t deadline =
          now + std::uniform_int_distribution<int64_t>(-20, span)(rng);
      wheel.Schedule(id, deadline);
      model[id] = deadline;
    } else if (o < 60) {
      const uint32_t id = any_id(rng);
      wheel.Cancel(id);
      model.erase(id);
    } else {
      // Small steps mostly, sometimes a jump over several revolutions.
      const int64_t jump =
          o < 97 ? std::uniform_int_distribution<int64_t>(0, 2 * tick)(rng)
                 : std::uniform_int_distribution<int64_t>(
                       0, tick * static_cast<int64_t>(buckets) * 5)(rng);
      now += jump;
      std::set<uint32_t> expected;
      for (const auto& [id, deadline] : model) {
        if (deadline <= now) expected.insert(id);
      }
      std::multiset<uint32_t> fired;
      wheel.Advance(now, [&](uint32_t id) {
        fired.insert(id);
        // Re-arming the expired id itself is always allowed.
        if (id % 7 == 0) {
          const int64_t again = now + 1 + static_cast<int64_t>(id % 50);
          wheel.Schedule(id, again);
          model[id] = again;
        } else {
          model.erase(id);
        }
      });
      ASSERT_EQ(fired, std::multiset<uint32_t>(expected.begin(), expected.end()))
          << "step " << step << " now " << now;
    }
    ASSERT_EQ(wheel.size(), model.size()) << "step " << step;
  }
  for (uint32_t id = 0; id < 300; ++id) {
    ASSERT_EQ(wheel.IsScheduled(id), model.count(id) == 1) << id;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, TimerWheelModelTest,
    ::testing::Values(std::make_pair(int64_t{1}, size_t{1}),
                      std::make_pair(int64_t{1}, size_t{2}),
                      std::make_pair(int64_t{3}, size_t{7}),
                      std::make_pair(int64_t{10}, size_t{8}),
                      std::make_pair(int64_t{10}, size_t{64}),
                      std::make_pair(int64_t{25}, size_t{1000})));

}  // namespace
}  // namespace mxscan
