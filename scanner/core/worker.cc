#include "scanner/core/worker.h"

namespace mxscan::core {

Worker::Worker(int index) : index_(index) {
  uv_async_init(loop_.get(), wake_.get(), [](uv_async_t* h) {
    static_cast<Worker*>(h->data)->RunPosted();
  });
  wake_.MarkInitialized();
  wake_.get()->data = this;
}

Worker::~Worker() { Join(); }

void Worker::Start(absl::AnyInvocable<void(Worker&)> on_start) {
  Post([this, fn = std::move(on_start)]() mutable { fn(*this); });
  thread_ = std::thread([this] { loop_.Run(); });
}

void Worker::Post(absl::AnyInvocable<void()> task) {
  // The lock also keeps Quit() from closing the handle during a send.
  std::lock_guard<std::mutex> lock(mutex_);
  if (quit_) return;
  posted_.push_back(std::move(task));
  uv_async_send(wake_.get());
}

void Worker::RunPosted() {
  std::vector<absl::AnyInvocable<void()>> tasks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks.swap(posted_);
  }
  for (auto& task : tasks) task();
}

void Worker::Quit() {
  std::lock_guard<std::mutex> lock(mutex_);
  quit_ = true;
  posted_.clear();
  wake_.Reset();
}

void Worker::Join() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace mxscan::core
