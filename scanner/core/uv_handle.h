#ifndef MXSCAN_SCANNER_CORE_UV_HANDLE_H_
#define MXSCAN_SCANNER_CORE_UV_HANDLE_H_

#include <uv.h>

#include <utility>

namespace mxscan::core {

// UvHandle owns one libuv handle of type T (uv_udp_t, uv_tcp_t, ...).
// libuv forbids freeing a handle before its close callback has run, so the
// destructor calls uv_close() and the memory is released in that callback;
// the loop must run once more afterwards (EventLoop's destructor does).
// Lives on the thread of the loop the handle was initialised on.
template <typename T>
class UvHandle {
 public:
  UvHandle() : handle_(new T()) {}
  ~UvHandle() { Reset(); }

  UvHandle(const UvHandle&) = delete;
  UvHandle& operator=(const UvHandle&) = delete;
  UvHandle(UvHandle&& other) noexcept
      : handle_(std::exchange(other.handle_, nullptr)),
        initialized_(std::exchange(other.initialized_, false)) {}
  UvHandle& operator=(UvHandle&& other) noexcept {
    if (this != &other) {
      Reset();
      handle_ = std::exchange(other.handle_, nullptr);
      initialized_ = std::exchange(other.initialized_, false);
    }
    return *this;
  }

  T* get() const { return handle_; }
  uv_handle_t* as_handle() const {
    return reinterpret_cast<uv_handle_t*>(handle_);
  }
  uv_stream_t* as_stream() const {
    return reinterpret_cast<uv_stream_t*>(handle_);
  }

  // Records that uv_*_init succeeded, so that Reset() must close the handle
  // rather than simply free it.
  void MarkInitialized() { initialized_ = true; }
  bool initialized() const { return initialized_; }

  // Closes the handle (no callback of it runs afterwards but the close
  // callback, which frees it). Safe to call twice.
  void Reset() {
    if (handle_ == nullptr) return;
    if (initialized_) {
      uv_handle_t* h = as_handle();
      h->data = nullptr;
      if (!uv_is_closing(h)) {
        uv_close(h, [](uv_handle_t* closed) {
          delete reinterpret_cast<T*>(closed);
        });
      }
    } else {
      delete handle_;
    }
    handle_ = nullptr;
    initialized_ = false;
  }

 private:
  T* handle_;
  bool initialized_ = false;
};

}  // namespace mxscan::core

#endif  // MXSCAN_SCANNER_CORE_UV_HANDLE_H_
