#include "scanner/base/timer_wheel.h"

namespace mxscan::base {

TimerWheel::TimerWheel(int64_t tick_ms, size_t bucket_count, int64_t now_ms)
    : tick_ms_(tick_ms > 0 ? tick_ms : 1),
      current_tick_(now_ms / tick_ms_),
      wheel_size_(static_cast<uint32_t>(bucket_count > 0 ? bucket_count : 1)),
      processing_(wheel_size_),
      heads_(wheel_size_ + 1, kNil) {}

uint32_t TimerWheel::BucketFor(int64_t deadline_ms) const {
  int64_t tick = deadline_ms / tick_ms_;
  if (tick < current_tick_) tick = current_tick_;
  return static_cast<uint32_t>(tick % static_cast<int64_t>(wheel_size_));
}

void TimerWheel::Schedule(uint32_t id, int64_t deadline_ms) {
  if (id >= nodes_.size()) nodes_.resize(static_cast<size_t>(id) + 1);
  if (nodes_[id].bucket != kNil) Unlink(id);
  nodes_[id].deadline_ms = deadline_ms;
  Link(id, BucketFor(deadline_ms));
}

void TimerWheel::Cancel(uint32_t id) {
  if (id < nodes_.size() && nodes_[id].bucket != kNil) Unlink(id);
}

bool TimerWheel::IsScheduled(uint32_t id) const {
  return id < nodes_.size() && nodes_[id].bucket != kNil;
}

void TimerWheel::Link(uint32_t id, uint32_t bucket) {
  Node& node = nodes_[id];
  node.bucket = bucket;
  node.prev = kNil;
  node.next = heads_[bucket];
  if (node.next != kNil) nodes_[node.next].prev = id;
  heads_[bucket] = id;
  ++size_;
}

void TimerWheel::Unlink(uint32_t id) {
  Node& node = nodes_[id];
  if (node.prev != kNil) {
    nodes_[node.prev].next = node.next;
  } else {
    heads_[node.bucket] = node.next;
  }
  if (node.next != kNil) nodes_[node.next].prev = node.prev;
  node.prev = node.next = kNil;
  node.bucket = kNil;
  --size_;
}

void TimerWheel::MoveToProcessing(uint32_t b) {
  uint32_t id = heads_[b];
  heads_[b] = kNil;
  if (id == kNil) return;
  heads_[processing_] = id;
  for (; id != kNil; id = nodes_[id].next) nodes_[id].bucket = processing_;
}

}  // namespace mxscan::base
