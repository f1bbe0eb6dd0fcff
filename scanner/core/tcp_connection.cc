#include "scanner/core/tcp_connection.h"

namespace mxscan {

TcpConnection::TcpConnection(Callbacks callbacks)
    : callbacks_(std::move(callbacks)) {}

TcpConnection* TcpConnection::Connect(uv_loop_t* loop,
                                      const sockaddr* address,
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
  if (rc != 0) {
    // Reported from the close callback, never from inside Connect().
    self->connect_error_ = rc;
    self->closing_ = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&self->tcp_), [](uv_handle_t* h) {
      auto* closed = static_cast<TcpConnection*>(h->data);
      if (closed->callbacks_.connected) {
        closed->callbacks_.connected(closed->connect_error_);
      }
      delete closed;
    });
  }
  return self;
}

void TcpConnection::OnConnected(int status) {
  if (closing_) return;
  if (status == 0) {
    const int rc = uv_read_start(
        reinterpret_cast<uv_stream_t*>(&tcp_),
        [](uv_handle_t* h, size_t, uv_buf_t* buf) {
          auto* self = static_cast<TcpConnection*>(h->data);
          *buf = uv_buf_init(self->read_buffer_, sizeof(self->read_buffer_));
        },
        [](uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
          static_cast<TcpConnection*>(s->data)->OnRead(nread, buf);
        });
    if (rc != 0) status = rc;
  }
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
  auto* write = new WriteRequest{uv_write_t{}, std::move(bytes), this};
  write->request.data = write;
  uv_buf_t buf = uv_buf_init(write->bytes.data(),
                             static_cast<unsigned>(write->bytes.size()));
  const int rc = uv_write(&write->request,
                          reinterpret_cast<uv_stream_t*>(&tcp_), &buf, 1,
                          [](uv_write_t* request, int status) {
                            auto* w = static_cast<WriteRequest*>(request->data);
                            TcpConnection* self = w->connection;
                            delete w;
                            if (status != 0 && status != UV_ECANCELED &&
                                !self->closing_ && self->callbacks_.closed) {
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

}  // namespace mxscan
