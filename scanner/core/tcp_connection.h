#ifndef MXSCAN_SCANNER_CORE_TCP_CONNECTION_H_
#define MXSCAN_SCANNER_CORE_TCP_CONNECTION_H_

#include <sys/socket.h>
#include <uv.h>

#include <cstdint>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"

namespace mxscan {

// TcpConnection is one outbound TCP connection on a libuv loop, for the
// protocol drivers (SMTP probe, HTTPS fetch) to move bytes through. It owns
// itself: Close() (or a failure) closes the socket and the object is
// deleted in the handle's close callback, after libuv has cancelled every
// pending request, so no callback ever reaches freed memory. After
// Close(), no callback is called. Lives on the thread of its loop.
class TcpConnection {
 public:
  struct Callbacks {
    // Called once: 0 when connected, else a libuv error code.
    absl::AnyInvocable<void(int status)> connected;
    // Bytes read; never empty.
    absl::AnyInvocable<void(absl::string_view bytes)> data;
    // The peer closed (UV_EOF) or the connection failed; called once.
    absl::AnyInvocable<void(int error)> closed;
  };

  // Connect starts connecting to `address`; failures to start are
  // reported through `connected` from the loop.
  static TcpConnection* Connect(uv_loop_t* loop, const sockaddr* address,
                                Callbacks callbacks);

  // Write queues bytes to send.
  void Write(std::string bytes);
  // Close drops the callbacks and closes the connection.
  void Close();

  uint64_t bytes_read() const { return bytes_read_; }

 private:
  explicit TcpConnection(Callbacks callbacks);
  ~TcpConnection() = default;
  void OnConnected(int status);
  void OnRead(ssize_t nread, const uv_buf_t* buf);
  void CloseHandle();

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
  char read_buffer_[16384];
};

}  // namespace mxscan

#endif  // MXSCAN_SCANNER_CORE_TCP_CONNECTION_H_
