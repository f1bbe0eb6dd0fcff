#ifndef MXSCAN_SCANNER_CORE_TCP_CONNECTION_H_
#define MXSCAN_SCANNER_CORE_TCP_CONNECTION_H_

#include <sys/socket.h>
#include <uv.h>

#include <cstdint>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"

namespace mxscan::core {

// TcpConnection is one outbound TCP connection on a libuv loop, for the
// protocol drivers (SMTP probe, HTTPS fetch) to move bytes through. It owns
// itself: Close() (or a failure) closes the socket and the object is
// deleted in the handle's close callback, after libuv has cancelled every
// pending request, so no callback ever reaches freed memory. After
// Close(), no callback is called. Lives on the thread of its loop.
//
// Costs per connection, for tens of thousands in flight: reads land in
// one buffer shared by every connection of the thread (a callback gets a
// view of it, valid until it returns), and a write that the socket takes
// at once needs no request, callback or poll change.
class TcpConnection {
 public:
  struct Callbacks {
    // Called once: 0 when connected, else a libuv error code.
    absl::AnyInvocable<void(int status)> connected;
    // Bytes read; never empty. The view is valid only during the call
    // (the buffer is shared by the thread's connections).
    absl::AnyInvocable<void(absl::string_view bytes)> data;
    // The peer closed (UV_EOF) or the connection failed; called once.
    absl::AnyInvocable<void(int error)> closed;
  };

  // Connect starts connecting to `address`; failures to start are
  // reported through `connected` from the loop.
  static TcpConnection* Connect(uv_loop_t* loop, const sockaddr* address,
                                Callbacks callbacks);

  // Write sends bytes: at once when the socket takes them all, else the
  // rest is queued. Errors are reported through `closed`.
  void Write(std::string bytes);
  // Close drops the callbacks and closes the connection.
  void Close();

  uint64_t bytes_read() const { return bytes_read_; }

 private:
  explicit TcpConnection(Callbacks callbacks);
  ~TcpConnection() = default;
  void OnConnected(int status);
  void OnRead(ssize_t nread, const uv_buf_t* buf);

  struct WriteRequest {
    uv_write_t request;
    std::string bytes;
    TcpConnection* connection;
  };

  uv_tcp_t tcp_{};
  uv_connect_t connect_{};
  Callbacks callbacks_;
  bool closing_ = false;
  int connect_error_ = 0;
  uint64_t bytes_read_ = 0;
};

}  // namespace mxscan::core

#endif  // MXSCAN_SCANNER_CORE_TCP_CONNECTION_H_
