#include "scanner/core/tcp_connection.h"

#include <memory>

namespace mxscan::core {
namespace {

// The read buffer of every connection of this thread (one loop per
// thread): libuv reads into it and the data callback consumes the bytes
// before the next read, so no connection needs its own.
constexpr size_t kReadBufferSize = 65536;

void AllocReadBuffer(uv_handle_t*, size_t, uv_buf_t* buf) {
  thread_local const std::unique_ptr<char[]> buffer(new char[kReadBufferSize]);
  *buf = uv_buf_init(buffer.get(), kReadBufferSize);
}

}  // namespace

TcpConnection::TcpConnection(Callbacks callbacks)
    : callbacks_(std::move(callbacks)) {}

TcpConnection* TcpConnection::Connect(uv_loop_t* loop, const sockaddr* address,
                                      Callbacks callbacks) {
  auto* self = new TcpConnection(std::move(callbacks));
  uv_tcp_init(loop, &self->tcp_);
  self->tcp_.data = self;
  self->connect_.data = self;
  uv_tcp_nodelay(&self->tcp_, 1);
  const int rc = uv_tcp_connect(
      &self->connect_, &self->tcp_, address,
      [](uv_connect_t* request, int status) {
        static_cast<TcpConnection*>(request->data)->OnConnected(status);
      });
  if (rc == 0) {
    // Reading from the start: the socket is registered for both events at
    // once, and no read callback runs before the connect callback.
    uv_read_start(reinterpret_cast<uv_stream_t*>(&self->tcp_), AllocReadBuffer,
                  [](uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
                    static_cast<TcpConnection*>(s->data)->OnRead(nread, buf);
                  });
  } else {
    // Reported from the close callback, never from inside Connect().
    self->connect_error_ = rc;
    self->closing_ = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&self->tcp_), [](uv_handle_t* h) {
      auto* closed = static_cast<TcpConnection*>(h->data);
      // The callback may Close() this connection, which drops callbacks_:
      // it runs out of them, and the connection is freed after it.
      if (auto connected = std::move(closed->callbacks_.connected)) {
        connected(closed->connect_error_);
      }
      delete closed;
    });
  }
  return self;
}

void TcpConnection::OnConnected(int status) {
  if (closing_) return;
  if (status != 0) uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
  if (callbacks_.connected) {
    auto connected = std::move(callbacks_.connected);
    connected(status);
  }
}

void TcpConnection::OnRead(ssize_t nread, const uv_buf_t* buf) {
  if (closing_ || nread == 0) return;
  if (nread < 0) {
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
    if (callbacks_.closed) {
      auto closed = std::move(callbacks_.closed);
      closed(static_cast<int>(nread));
    }
    return;
  }
  bytes_read_ += static_cast<uint64_t>(nread);
  if (callbacks_.data) {
    // The callback may Close() this connection, which drops callbacks_:
    // keep the running one alive until it returns.
    auto data = std::move(callbacks_.data);
    data(absl::string_view(buf->base, static_cast<size_t>(nread)));
    if (!closing_) callbacks_.data = std::move(data);
  }
}

void TcpConnection::Write(std::string bytes) {
  if (closing_ || bytes.empty()) return;
  // The usual case: the socket takes it all now. Otherwise (a full
  // socket buffer, a write still queued, still connecting, an error) the
  // rest goes through a write request, whose callback reports errors.
  uv_buf_t now = uv_buf_init(bytes.data(), static_cast<unsigned>(bytes.size()));
  const int sent = uv_try_write(reinterpret_cast<uv_stream_t*>(&tcp_), &now, 1);
  if (sent == static_cast<int>(bytes.size())) return;
  if (sent > 0) bytes.erase(0, static_cast<size_t>(sent));
  auto* write = new WriteRequest{uv_write_t{}, std::move(bytes), this};
  write->request.data = write;
  uv_buf_t buf = uv_buf_init(write->bytes.data(),
                             static_cast<unsigned>(write->bytes.size()));
  const int rc =
      uv_write(&write->request, reinterpret_cast<uv_stream_t*>(&tcp_), &buf, 1,
               [](uv_write_t* request, int status) {
                 auto* w = static_cast<WriteRequest*>(request->data);
                 TcpConnection* self = w->connection;
                 delete w;
                 if (status != 0 && status != UV_ECANCELED && !self->closing_ &&
                     self->callbacks_.closed) {
                   auto closed = std::move(self->callbacks_.closed);
                   closed(status);
                 }
               });
  if (rc != 0) {
    delete write;
    if (callbacks_.closed) {
      auto closed = std::move(callbacks_.closed);
      closed(rc);
    }
  }
}

void TcpConnection::Close() {
  callbacks_ = Callbacks();
  if (closing_) return;
  closing_ = true;
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_),
           [](uv_handle_t* h) { delete static_cast<TcpConnection*>(h->data); });
}

}  // namespace mxscan::core
