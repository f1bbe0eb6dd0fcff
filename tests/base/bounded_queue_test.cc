// BoundedQueue between a producer thread and a polling consumer.

#include "scanner/base/bounded_queue.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Counts on_ready calls and lets a test wait for the next one.
class ReadySignal {
 public:
  std::function<void()> Callback() {
    return [this] {
      std::lock_guard<std::mutex> lock(mutex_);
      ++count_;
      cv_.notify_all();
    };
  }
  int count() {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_;
  }
  // Waits until at least `n` calls happened (or a generous timeout).
  bool WaitFor(int n) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, std::chrono::seconds(30),
                        [&] { return count_ >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int count_ = 0;
};

std::vector<std::string> Strings(std::initializer_list<const char*> list) {
  return std::vector<std::string>(list.begin(), list.end());
}

TEST(BoundedQueueTest, PushThenPopInOrder) {
  ReadySignal ready;
  base::BoundedQueue<std::string> queue(10, ready.Callback());
  std::vector<std::string> items = Strings({"a", "b", "c"});
  EXPECT_TRUE(queue.PushAll(&items));
  EXPECT_THAT(items, IsEmpty());
  EXPECT_EQ(ready.count(), 1);
  std::vector<std::string> out;
  EXPECT_EQ(queue.PopUpTo(2, &out), 2u);
  EXPECT_THAT(out, ElementsAre("a", "b"));
  EXPECT_EQ(queue.PopUpTo(10, &out), 1u);  // appends
  EXPECT_THAT(out, ElementsAre("a", "b", "c"));
  EXPECT_EQ(queue.PopUpTo(10, &out), 0u);
  EXPECT_FALSE(queue.Drained());  // empty but not closed
}

TEST(BoundedQueueTest, PopZeroTakesNothing) {
  base::BoundedQueue<int> queue(4, [] {});
  std::vector<int> items = {1};
  ASSERT_TRUE(queue.PushAll(&items));
  std::vector<int> out;
  EXPECT_EQ(queue.PopUpTo(0, &out), 0u);
  EXPECT_EQ(queue.PopUpTo(1, &out), 1u);
}

TEST(BoundedQueueTest, OnReadyOnlyWhenItemsArriveInAnEmptyQueue) {
  ReadySignal ready;
  base::BoundedQueue<int> queue(10, ready.Callback());
  std::vector<int> items = {1};
  ASSERT_TRUE(queue.PushAll(&items));
  EXPECT_EQ(ready.count(), 1);
  items = {2, 3};
  ASSERT_TRUE(queue.PushAll(&items));  // queue was not empty
  EXPECT_EQ(ready.count(), 1);
  std::vector<int> out;
  queue.PopUpTo(10, &out);
  items = {4};
  ASSERT_TRUE(queue.PushAll(&items));  // empty again
  EXPECT_EQ(ready.count(), 2);
  items.clear();
  ASSERT_TRUE(queue.PushAll(&items));  // nothing pushed, nothing signalled
  EXPECT_EQ(ready.count(), 2);
}

TEST(BoundedQueueTest, MoveOnlyItems) {
  base::BoundedQueue<std::unique_ptr<int>> queue(2, [] {});
  std::vector<std::unique_ptr<int>> items;
  items.push_back(std::make_unique<int>(5));
  ASSERT_TRUE(queue.PushAll(&items));
  std::vector<std::unique_ptr<int>> out;
  ASSERT_EQ(queue.PopUpTo(1, &out), 1u);
  EXPECT_EQ(*out[0], 5);
}

TEST(BoundedQueueTest, ProducerBlocksWhileFullUntilConsumerPops) {
  ReadySignal ready;
  base::BoundedQueue<int> queue(3, ready.Callback());
  std::atomic<bool> returned{false};
  std::atomic<bool> result{false};
  std::thread producer([&] {
    std::vector<int> items = {1, 2, 3, 4, 5, 6, 7};
    result = queue.PushAll(&items);
    returned = true;
  });
  ASSERT_TRUE(ready.WaitFor(1));
  // The producer filled the queue and must now be waiting.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(returned.load());
  std::vector<int> out;
  EXPECT_EQ(queue.PopUpTo(100, &out), 3u);  // exactly the capacity
  EXPECT_THAT(out, ElementsAre(1, 2, 3));
  // Each pop that empties the queue frees the producer for another round.
  ASSERT_TRUE(ready.WaitFor(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(returned.load());
  out.clear();
  EXPECT_EQ(queue.PopUpTo(100, &out), 3u);
  EXPECT_THAT(out, ElementsAre(4, 5, 6));
  producer.join();  // 7 fits now
  EXPECT_TRUE(returned.load());
  EXPECT_TRUE(result.load());
  out.clear();
  EXPECT_EQ(queue.PopUpTo(100, &out), 1u);
  EXPECT_THAT(out, ElementsAre(7));
}

TEST(BoundedQueueTest, PartialPopUnblocksProducer) {
  ReadySignal ready;
  base::BoundedQueue<int> queue(2, ready.Callback());
  std::atomic<bool> returned{false};
  std::thread producer([&] {
    std::vector<int> items = {1, 2, 3};
    queue.PushAll(&items);
    returned = true;
  });
  ASSERT_TRUE(ready.WaitFor(1));
  std::vector<int> out;
  EXPECT_EQ(queue.PopUpTo(1, &out), 1u);  // one slot frees up
  producer.join();
  EXPECT_TRUE(returned.load());
  // 3 went into a non-empty queue: no second on_ready.
  EXPECT_EQ(ready.count(), 1);
  EXPECT_EQ(queue.PopUpTo(10, &out), 2u);
  EXPECT_THAT(out, ElementsAre(1, 2, 3));
}

TEST(BoundedQueueTest, CloseWakesBlockedProducerWhichKeepsTheRest) {
  ReadySignal ready;
  base::BoundedQueue<std::string> queue(2, ready.Callback());
  std::vector<std::string> items = Strings({"a", "b", "c", "d", "e"});
  std::atomic<bool> result{true};
  std::thread producer([&] { result = queue.PushAll(&items); });
  ASSERT_TRUE(ready.WaitFor(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  queue.Close();
  producer.join();
  EXPECT_FALSE(result.load());
  // The items that were not queued are still in the caller's vector (the
  // queued ones are left moved-from in front of them).
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[2], "c");
  EXPECT_EQ(items[3], "d");
  EXPECT_EQ(items[4], "e");
  EXPECT_EQ(ready.count(), 2);  // the arrival and the Close
  // What was queued before the Close can still be consumed.
  EXPECT_FALSE(queue.Drained());
  std::vector<std::string> out;
  EXPECT_EQ(queue.PopUpTo(10, &out), 2u);
  EXPECT_THAT(out, ElementsAre("a", "b"));
  EXPECT_TRUE(queue.Drained());
}

TEST(BoundedQueueTest, PushAfterCloseFails) {
  ReadySignal ready;
  base::BoundedQueue<int> queue(4, ready.Callback());
  queue.Close();
  EXPECT_EQ(ready.count(), 1);  // Close signals the consumer
  EXPECT_TRUE(queue.Drained());
  std::vector<int> items = {1, 2};
  EXPECT_FALSE(queue.PushAll(&items));
  EXPECT_THAT(items, ElementsAre(1, 2));
  std::vector<int> out;
  EXPECT_EQ(queue.PopUpTo(10, &out), 0u);
}

TEST(BoundedQueueTest, DrainedOnlyWhenClosedAndEmpty) {
  base::BoundedQueue<int> queue(4, [] {});
  EXPECT_FALSE(queue.Drained());
  std::vector<int> items = {1, 2};
  ASSERT_TRUE(queue.PushAll(&items));
  queue.Close();
  EXPECT_FALSE(queue.Drained());
  std::vector<int> out;
  queue.PopUpTo(1, &out);
  EXPECT_FALSE(queue.Drained());
  queue.PopUpTo(1, &out);
  EXPECT_TRUE(queue.Drained());
}

TEST(BoundedQueueTest, DiscardDropsItemsAndCloses) {
  ReadySignal ready;
  base::BoundedQueue<int> queue(4, ready.Callback());
  std::vector<int> items = {1, 2, 3};
  ASSERT_TRUE(queue.PushAll(&items));
  queue.Discard();
  EXPECT_TRUE(queue.Drained());
  EXPECT_EQ(ready.count(), 2);
  std::vector<int> out;
  EXPECT_EQ(queue.PopUpTo(10, &out), 0u);
  items = {4};
  EXPECT_FALSE(queue.PushAll(&items));
}

TEST(BoundedQueueTest, DiscardWakesBlockedProducer) {
  ReadySignal ready;
  base::BoundedQueue<int> queue(1, ready.Callback());
  std::atomic<bool> result{true};
  std::thread producer([&] {
    std::vector<int> items = {1, 2, 3};
    result = queue.PushAll(&items);
  });
  ASSERT_TRUE(ready.WaitFor(1));
  queue.Discard();
  producer.join();
  EXPECT_FALSE(result.load());
  EXPECT_TRUE(queue.Drained());
}

TEST(BoundedQueueTest, CloseTwiceIsHarmless) {
  ReadySignal ready;
  base::BoundedQueue<int> queue(1, ready.Callback());
  queue.Close();
  queue.Discard();
  queue.Close();
  EXPECT_TRUE(queue.Drained());
}

TEST(BoundedQueueTest, StressEverythingArrivesInOrder) {
  constexpr int kItems = 200000;
  std::mutex mutex;
  std::condition_variable cv;
  bool signalled = false;
  base::BoundedQueue<int> queue(16, [&] {
    std::lock_guard<std::mutex> lock(mutex);
    signalled = true;
    cv.notify_one();
  });
  std::thread producer([&] {
    std::vector<int> batch;
    for (int i = 0; i < kItems; ++i) {
      batch.push_back(i);
      if (batch.size() == 37) ASSERT_TRUE(queue.PushAll(&batch));
    }
    ASSERT_TRUE(queue.PushAll(&batch));
    queue.Close();
  });
  // The consumer behaves like the worker loop: sleep until on_ready, then
  // poll until empty.
  std::vector<int> got;
  std::vector<int> out;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mutex);
      cv.wait_for(lock, std::chrono::milliseconds(100),
                  [&] { return signalled; });
      signalled = false;
    }
    while (true) {
      out.clear();
      if (queue.PopUpTo(5, &out) == 0) break;
      got.insert(got.end(), out.begin(), out.end());
    }
    if (queue.Drained()) break;
  }
  producer.join();
  ASSERT_EQ(got.size(), static_cast<size_t>(kItems));
  for (int i = 0; i < kItems; ++i) ASSERT_EQ(got[i], i);
}

}  // namespace
}  // namespace mxscan
