#ifndef MXSCAN_SCANNER_BASE_BOUNDED_QUEUE_H_
#define MXSCAN_SCANNER_BASE_BOUNDED_QUEUE_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace mxscan::base {

// BoundedQueue carries work items from the input reader thread to one
// worker loop. The producer blocks while the queue is full, so memory does
// not grow with the input; the consumer never blocks (it polls from its
// loop when woken through `on_ready`). Thread-safe.
template <typename T>
class BoundedQueue {
 public:
  // `on_ready` runs on the producer's thread after items arrive in an empty
  // queue and after Close(); it must be cheap and thread-safe (uv_async).
  BoundedQueue(size_t capacity, std::function<void()> on_ready)
      : capacity_(capacity), on_ready_(std::move(on_ready)) {}

  // PushAll moves all of `items` in, blocking while full. Returns false (and
  // keeps the rest) once the queue is closed.
  bool PushAll(std::vector<T>* items) {
    size_t next = 0;
    while (next < items->size()) {
      bool was_empty;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        not_full_.wait(lock,
                       [&] { return closed_ || items_.size() < capacity_; });
        if (closed_) return false;
        was_empty = items_.empty();
        while (next < items->size() && items_.size() < capacity_) {
          items_.push_back(std::move((*items)[next++]));
        }
      }
      if (was_empty) on_ready_();
    }
    items->clear();
    return true;
  }

  // PopUpTo moves at most `max` items into `out` without blocking.
  size_t PopUpTo(size_t max, std::vector<T>* out) {
    size_t n = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      while (n < max && !items_.empty()) {
        out->push_back(std::move(items_.front()));
        items_.pop_front();
        ++n;
      }
    }
    if (n > 0) not_full_.notify_all();
    return n;
  }

  // Close ends the input: pushes fail, and Drained() turns true once empty.
  void Close() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    not_full_.notify_all();
    on_ready_();
  }

  // Discard drops queued items (on a stop request) and closes.
  void Discard() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      items_.clear();
    }
    Close();
  }

  bool Drained() {
    std::lock_guard<std::mutex> lock(mutex_);
    return closed_ && items_.empty();
  }

 private:
  const size_t capacity_;
  std::function<void()> on_ready_;
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace mxscan::base

#endif  // MXSCAN_SCANNER_BASE_BOUNDED_QUEUE_H_
