#ifndef MXSCAN_SCANNER_BASE_TIMER_WHEEL_H_
#define MXSCAN_SCANNER_BASE_TIMER_WHEEL_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mxscan::base {

// TimerWheel holds deadlines for many entries, identified by small dense
// integer ids (slot numbers), in coarse buckets of `tick_ms`: scheduling and
// cancelling are O(1) and allocation-free once the id space has grown, which
// tens of thousands of in-flight lookups need (one libuv heap timer each
// costs O(log n) per operation plus a handle each). An entry fires at the
// first Advance() whose `now_ms` is at or past its deadline, so it fires at
// most one tick late. Pure logic: the caller supplies the clock.
class TimerWheel {
 public:
  TimerWheel(int64_t tick_ms, size_t bucket_count, int64_t now_ms);

  // Schedules (or reschedules) `id` to expire at `deadline_ms`.
  void Schedule(uint32_t id, int64_t deadline_ms);
  // Removes `id`; a no-op when it is not scheduled.
  void Cancel(uint32_t id);
  bool IsScheduled(uint32_t id) const;
  size_t size() const { return size_; }
  int64_t tick_ms() const { return tick_ms_; }

  // Calls `expired(id)` for every entry due at `now_ms`, in no particular
  // order. The callback may schedule or cancel any id.
  template <typename F>
  void Advance(int64_t now_ms, F&& expired);

 private:
  static constexpr uint32_t kNil = UINT32_MAX;
  struct Node {
    int64_t deadline_ms = 0;
    uint32_t prev = kNil;
    uint32_t next = kNil;
    uint32_t bucket = kNil;  // kNil when not scheduled
  };

  uint32_t BucketFor(int64_t deadline_ms) const;
  void Link(uint32_t id, uint32_t bucket);
  void Unlink(uint32_t id);
  // Moves bucket `b`'s entries to the processing list.
  void MoveToProcessing(uint32_t b);

  int64_t tick_ms_;
  int64_t current_tick_;
  uint32_t wheel_size_;
  uint32_t processing_;  // index of the extra list in heads_
  std::vector<uint32_t> heads_;
  std::vector<Node> nodes_;
  size_t size_ = 0;
};

template <typename F>
void TimerWheel::Advance(int64_t now_ms, F&& expired) {
  const int64_t now_tick = now_ms / tick_ms_;
  if (now_tick < current_tick_) return;
  int64_t first = current_tick_;
  // Visiting more than one revolution would only revisit buckets.
  if (now_tick - first >= static_cast<int64_t>(wheel_size_)) {
    first = now_tick - static_cast<int64_t>(wheel_size_) + 1;
  }
  current_tick_ = now_tick;
  for (int64_t t = first; t <= now_tick; ++t) {
    // The bucket's entries move to the processing list, where Unlink()
    // still finds them: a callback may cancel or reschedule any of them.
    MoveToProcessing(static_cast<uint32_t>(t % wheel_size_));
    while (heads_[processing_] != kNil) {
      const uint32_t id = heads_[processing_];
      Unlink(id);
      if (nodes_[id].deadline_ms <= now_ms) {
        expired(id);
      } else {
        Schedule(id, nodes_[id].deadline_ms);  // later this tick, next lap
      }
    }
  }
}

}  // namespace mxscan::base

#endif  // MXSCAN_SCANNER_BASE_TIMER_WHEEL_H_
