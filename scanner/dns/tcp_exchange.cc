#include "scanner/dns/tcp_exchange.h"

#include "absl/strings/str_cat.h"

namespace mxscan::dns {

TcpExchange::TcpExchange(AnswerFn on_answer, FailureFn on_failure)
    : on_answer_(std::move(on_answer)), on_failure_(std::move(on_failure)) {}

TcpExchange* TcpExchange::Start(uv_loop_t* loop, const sockaddr* server,
                                absl::string_view query, AnswerFn on_answer,
                                FailureFn on_failure) {
  auto* self = new TcpExchange(std::move(on_answer), std::move(on_failure));
  self->out_.reserve(query.size() + 2);
  self->out_.push_back(static_cast<char>(query.size() >> 8));
  self->out_.push_back(static_cast<char>(query.size() & 0xFF));
  self->out_.append(query.data(), query.size());
  uv_tcp_init(loop, &self->tcp_);
  self->tcp_.data = self;
  self->connect_.data = self;
  int rc = uv_tcp_connect(
      &self->connect_, &self->tcp_, server,
      [](uv_connect_t* req, int status) {
        static_cast<TcpExchange*>(req->data)->OnConnected(status);
      });
  if (rc != 0) {
    // Report from the loop, never from inside the caller.
    self->Fail(absl::StrCat("TCP connect: ", uv_strerror(rc)));
  }
  return self;
}

void TcpExchange::Abandon() {
  on_answer_ = nullptr;
  on_failure_ = nullptr;
  Close();
}

void TcpExchange::Close() {
  if (closing_) return;
  closing_ = true;
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), [](uv_handle_t* h) {
    delete static_cast<TcpExchange*>(h->data);
  });
}

void TcpExchange::Fail(absl::string_view why) {
  if (on_failure_) {
    // The close callback delivers the failure, so it never runs inside the
    // caller's stack.
    std::string message(why);
    FailureFn fn = std::move(on_failure_);
    on_answer_ = nullptr;
    on_failure_ = [fn = std::move(fn), message](absl::string_view) mutable {
      fn(message);
    };
  }
  if (closing_) return;
  closing_ = true;
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), [](uv_handle_t* h) {
    auto* self = static_cast<TcpExchange*>(h->data);
    if (self->on_failure_) self->on_failure_("");
    delete self;
  });
}

void TcpExchange::Succeed() {
  AnswerFn fn = std::move(on_answer_);
  on_answer_ = nullptr;
  on_failure_ = nullptr;
  std::string answer = std::move(in_);
  Close();
  if (fn) {
    fn(absl::Span<const uint8_t>(
        reinterpret_cast<const uint8_t*>(answer.data()) + 2, expected_));
  }
}

void TcpExchange::OnConnected(int status) {
  if (closing_) return;
  if (status != 0) {
    Fail(absl::StrCat("TCP connect: ", uv_strerror(status)));
    return;
  }
  uv_buf_t buf = uv_buf_init(out_.data(), static_cast<unsigned>(out_.size()));
  write_.data = this;
  int rc = uv_write(&write_, reinterpret_cast<uv_stream_t*>(&tcp_), &buf, 1,
                    [](uv_write_t* req, int status) {
                      auto* self = static_cast<TcpExchange*>(req->data);
                      if (status != 0 && !self->closing_) {
                        self->Fail(
                            absl::StrCat("TCP write: ", uv_strerror(status)));
                      }
                    });
  if (rc != 0) {
    Fail(absl::StrCat("TCP write: ", uv_strerror(rc)));
    return;
  }
  rc = uv_read_start(
      reinterpret_cast<uv_stream_t*>(&tcp_),
      [](uv_handle_t* h, size_t, uv_buf_t* buf) {
        auto* self = static_cast<TcpExchange*>(h->data);
        // Grow towards the announced size; never past 2 + 65535 octets.
        const size_t used = self->in_.size();
        const size_t want = self->expected_ ? self->expected_ + 2 - used
                                            : 2 - used;
        self->in_.resize(used + want);
        *buf = uv_buf_init(self->in_.data() + used,
                           static_cast<unsigned>(want));
      },
      [](uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
        static_cast<TcpExchange*>(s->data)->OnRead(nread, buf);
      });
  if (rc != 0) Fail(absl::StrCat("TCP read: ", uv_strerror(rc)));
}

void TcpExchange::OnRead(ssize_t nread, const uv_buf_t* buf) {
  // Give back what the allocation callback reserved but was not filled.
  const size_t reserved_end =
      static_cast<size_t>(buf->base - in_.data()) + buf->len;
  const size_t filled_end = static_cast<size_t>(buf->base - in_.data()) +
                            (nread > 0 ? static_cast<size_t>(nread) : 0);
  if (buf->base != nullptr && reserved_end == in_.size()) {
    in_.resize(filled_end);
  }
  if (closing_) return;
  if (nread < 0) {
    Fail(nread == UV_EOF ? std::string("TCP connection closed before the "
                                       "whole answer")
                         : absl::StrCat("TCP read: ", uv_strerror(nread)));
    return;
  }
  if (expected_ == 0 && in_.size() >= 2) {
    expected_ = (static_cast<uint8_t>(in_[0]) << 8) |
                static_cast<uint8_t>(in_[1]);
    if (expected_ == 0) {
      Fail("TCP answer of length 0");
      return;
    }
  }
  if (expected_ != 0 && in_.size() >= expected_ + 2) Succeed();
}

}  // namespace mxscan::dns
