#include "tools/farm/farm_connection.h"

#include <algorithm>
#include <utility>

namespace mxscan::farm {
namespace {

using Then = Step::Then;

FarmConnection* Self(uv_handle_t* handle) {
  return static_cast<FarmConnection*>(handle->data);
}

// garbage_tls's answer to a ClientHello: no TLS record starts with 'G'.
std::string Garbage() {
  std::string out = "GARBAGE-INSTEAD-OF-A-SERVER-HELLO ";
  uint32_t x = 0x2545F491u;
  while (out.size() < 2048) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out.push_back(static_cast<char>(x & 0xFF));
  }
  return out;
}

}  // namespace

void FarmConnection::Accept(uv_loop_t* loop, uv_stream_t* server,
                            std::unique_ptr<Conversation> conversation,
                            Settings settings, ConnectionSet* set) {
  auto* c =
      new FarmConnection(std::move(conversation), std::move(settings), set);
  for (uv_handle_t* h : {reinterpret_cast<uv_handle_t*>(&c->tcp_),
                         reinterpret_cast<uv_handle_t*>(&c->deadline_),
                         reinterpret_cast<uv_handle_t*>(&c->wait_),
                         reinterpret_cast<uv_handle_t*>(&c->delay_)}) {
    h->data = c;
  }
  uv_tcp_init(loop, &c->tcp_);
  uv_timer_init(loop, &c->deadline_);
  uv_timer_init(loop, &c->wait_);
  uv_timer_init(loop, &c->delay_);
  c->open_handles_ = 4;
  if (c->set_ != nullptr) c->set_->insert(c);
  if (uv_accept(server, reinterpret_cast<uv_stream_t*>(&c->tcp_)) != 0) {
    c->CloseNow();
    return;
  }
  c->Start();
}

FarmConnection::FarmConnection(std::unique_ptr<Conversation> conversation,
                               Settings settings, ConnectionSet* set)
    : conversation_(std::move(conversation)),
      settings_(std::move(settings)),
      set_(set) {}

FarmConnection::~FarmConnection() = default;

void FarmConnection::Start() {
  uv_tcp_nodelay(&tcp_, 1);
  uv_timer_start(
      &deadline_,
      [](uv_timer_t* t) {
        Self(reinterpret_cast<uv_handle_t*>(t))->CloseNow();
      },
      static_cast<uint64_t>(std::max<int64_t>(settings_.timeout_ms, 0)), 0);
  const int rc = uv_read_start(
      reinterpret_cast<uv_stream_t*>(&tcp_),
      [](uv_handle_t*, size_t, uv_buf_t* buf) {
        // Every read is consumed before the next one: one buffer per
        // thread serves every connection.
        static thread_local char buffer[64 * 1024];
        *buf = uv_buf_init(buffer, sizeof(buffer));
      },
      [](uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
        Self(reinterpret_cast<uv_handle_t*>(s))->OnRead(nread, buf);
      });
  if (rc != 0) {
    CloseNow();
    return;
  }
  if (settings_.tls_from_start) BeginTls();
  if (closing_) return;
  if (Delaying()) {
    Hold(Held{Held::Kind::kStart, 0}, NextDelay());
    return;
  }
  Apply(conversation_->Start());
}

int64_t FarmConnection::NextDelay() {
  return settings_.reply_delay.Draw(MixKey(settings_.delay_key, draws_++));
}

void FarmConnection::Hold(Held held, int64_t delay_ms) {
  const uint64_t now = uv_now(tcp_.loop);
  held.due_ms =
      std::max(now + static_cast<uint64_t>(std::max<int64_t>(delay_ms, 0)),
               last_due_ms_);
  last_due_ms_ = held.due_ms;
  held_.push_back(std::move(held));
  if (held_.size() == 1) {
    uv_timer_start(
        &delay_,
        [](uv_timer_t* t) {
          Self(reinterpret_cast<uv_handle_t*>(t))->ReleaseHeld();
        },
        held_.front().due_ms - now, 0);
  }
}

void FarmConnection::ReleaseHeld() {
  const uint64_t now = uv_now(tcp_.loop);
  while (!closing_ && !held_.empty() && held_.front().due_ms <= now) {
    Held held = std::move(held_.front());
    held_.pop_front();
    replaying_ = true;
    switch (held.kind) {
      case Held::Kind::kStart:
        Apply(conversation_->Start());
        break;
      case Held::Kind::kRaw:
        Dispatch(held.nread, held.bytes);
        break;
      case Held::Kind::kPlaintext:
        if (!shutting_down_) Apply(conversation_->OnBytes(held.bytes));
        break;
      case Held::Kind::kTlsEnd:
        CloseGracefully();
        break;
    }
    replaying_ = false;
  }
  if (!closing_ && !held_.empty()) {
    uv_timer_start(
        &delay_,
        [](uv_timer_t* t) {
          Self(reinterpret_cast<uv_handle_t*>(t))->ReleaseHeld();
        },
        held_.front().due_ms - now, 0);
  }
}

void FarmConnection::Apply(Step step) {
  if (closing_ || shutting_down_) return;
  if (!step.send.empty()) SendPlain(step.send);
  if (closing_) return;
  switch (step.then) {
    case Then::kRead:
      break;
    case Then::kWait:
      uv_timer_start(
          &wait_,
          [](uv_timer_t* t) {
            FarmConnection* self = Self(reinterpret_cast<uv_handle_t*>(t));
            if (!self->closing_) self->Apply(self->conversation_->OnTimer());
          },
          static_cast<uint64_t>(std::max<int64_t>(step.wait_ms, 0)), 0);
      break;
    case Then::kStream:
      if (pending_writes_ > 0) {
        after_drain_ = AfterDrain::kStream;
      } else {
        Apply(conversation_->OnDrained());
      }
      break;
    case Then::kStartTls:
      BeginTls();
      break;
    case Then::kGarbageTls:
      mode_ = Mode::kGarbage;
      break;
    case Then::kResetHandshake:
      BeginTls();
      if (!closing_) mode_ = Mode::kReset;
      break;
    case Then::kClose:
      CloseGracefully();
      break;
  }
}

void FarmConnection::BeginTls() {
  if (settings_.tls_context == nullptr) {
    CloseNow();
    return;
  }
  tls_ = std::make_unique<TlsServerSession>(
      settings_.tls_context, settings_.credential, settings_.session_context);
  if (!tls_->ok()) {
    CloseNow();
    return;
  }
  mode_ = Mode::kTlsHandshake;
}

void FarmConnection::SendPlain(absl::string_view text) {
  if (mode_ == Mode::kTls) {
    if (!tls_->Write(text).ok()) {
      CloseNow();
      return;
    }
    SendRaw(tls_->TakeCiphertext());
    return;
  }
  SendRaw(std::string(text));
}

void FarmConnection::SendRaw(std::string bytes) {
  if (bytes.empty() || closing_ || shutting_down_) return;
  auto* stream = reinterpret_cast<uv_stream_t*>(&tcp_);
  if (uv_stream_get_write_queue_size(stream) + bytes.size() > kMaxQueued) {
    CloseNow();  // the client sends without reading
    return;
  }
  auto* write = new WriteRequest;
  write->bytes = std::move(bytes);
  write->request.data = write;
  uv_buf_t buf = uv_buf_init(write->bytes.data(),
                             static_cast<unsigned>(write->bytes.size()));
  const int rc = uv_write(
      &write->request, stream, &buf, 1, [](uv_write_t* request, int status) {
        auto* w = static_cast<WriteRequest*>(request->data);
        FarmConnection* self =
            Self(reinterpret_cast<uv_handle_t*>(request->handle));
        delete w;
        self->OnWritten(status);
      });
  if (rc != 0) {
    delete write;
    CloseNow();
    return;
  }
  ++pending_writes_;
}

void FarmConnection::OnWritten(int status) {
  --pending_writes_;
  if (closing_) return;
  if (status < 0) {
    CloseNow();
    return;
  }
  if (pending_writes_ > 0) return;
  const AfterDrain after = std::exchange(after_drain_, AfterDrain::kNothing);
  if (after == AfterDrain::kStream) {
    Apply(conversation_->OnDrained());
  } else if (after == AfterDrain::kReset) {
    CloseNow(/*reset=*/true);
  }
}

void FarmConnection::CloseGracefully() {
  if (closing_ || shutting_down_) return;
  if (mode_ == Mode::kTls) {
    tls_->Shutdown();
    SendRaw(tls_->TakeCiphertext());
    if (closing_) return;
  }
  shutting_down_ = true;
  mode_ = Mode::kDraining;
  shutdown_.data = this;
  const int rc = uv_shutdown(
      &shutdown_, reinterpret_cast<uv_stream_t*>(&tcp_),
      [](uv_shutdown_t* request, int status) {
        static_cast<FarmConnection*>(request->data)->OnShutdown(status);
      });
  if (rc != 0) CloseNow();
}

void FarmConnection::OnShutdown(int status) {
  if (closing_) return;
  if (status < 0 || peer_eof_) {
    CloseNow();
    return;
  }
  // Give the client a moment to read the last reply and close first.
  uv_timer_start(
      &wait_,
      [](uv_timer_t* t) {
        Self(reinterpret_cast<uv_handle_t*>(t))->CloseNow();
      },
      kLingerMs, 0);
}

void FarmConnection::CloseNow(bool reset) {
  if (closing_) return;
  closing_ = true;
  if (settings_.on_closed) settings_.on_closed();
  if (set_ != nullptr) set_->erase(this);
  set_ = nullptr;
  conversation_.reset();
  tls_.reset();
  uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
  if (!reset ||
      uv_tcp_close_reset(&tcp_, &FarmConnection::OnHandleClosed) != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp_),
             &FarmConnection::OnHandleClosed);
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&deadline_),
           &FarmConnection::OnHandleClosed);
  uv_close(reinterpret_cast<uv_handle_t*>(&wait_),
           &FarmConnection::OnHandleClosed);
  uv_close(reinterpret_cast<uv_handle_t*>(&delay_),
           &FarmConnection::OnHandleClosed);
  held_.clear();
}

void FarmConnection::OnHandleClosed(uv_handle_t* handle) {
  FarmConnection* self = Self(handle);
  if (--self->open_handles_ == 0) delete self;
}

void FarmConnection::OnRead(ssize_t nread, const uv_buf_t* buf) {
  if (closing_ || nread == 0) return;
  const absl::string_view bytes(
      nread > 0 ? buf->base : nullptr,
      nread > 0 ? static_cast<size_t>(nread) : 0);
  if (Delaying() && (!held_.empty() || (nread > 0 && mode_ == Mode::kPlain))) {
    // A command (its own delay), or anything behind what is held (in order).
    const int64_t delay =
        nread > 0 && mode_ == Mode::kPlain ? NextDelay() : 0;
    Hold(Held{Held::Kind::kRaw, 0, nread, std::string(bytes)}, delay);
    return;
  }
  Dispatch(nread, bytes);
}

void FarmConnection::Dispatch(ssize_t nread, absl::string_view bytes) {
  if (closing_) return;
  if (nread < 0) {
    // The client closed (or the connection broke): finish writing what is
    // queued, then close.
    peer_eof_ = true;
    if (nread != UV_EOF || shutting_down_) {
      CloseNow();
    } else {
      CloseGracefully();
    }
    return;
  }
  if (nread == 0) return;
  switch (mode_) {
    case Mode::kPlain:
      Apply(conversation_->OnBytes(bytes));
      break;
    case Mode::kTlsHandshake:
    case Mode::kTls:
      OnCiphertext(bytes);
      break;
    case Mode::kGarbage:
      OnClientHelloForGarbage();
      break;
    case Mode::kReset:
      OnClientHelloForReset(bytes);
      break;
    case Mode::kDraining:
      break;
  }
}

void FarmConnection::OnCiphertext(absl::string_view bytes) {
  tls_->FeedCiphertext(bytes);
  if (mode_ == Mode::kTlsHandshake) {
    const TlsServerSession::Progress progress = tls_->Handshake();
    SendRaw(tls_->TakeCiphertext());  // the next flight, or an alert
    if (closing_) return;
    if (progress == TlsServerSession::Progress::kFailed) {
      CloseGracefully();
      return;
    }
    if (progress == TlsServerSession::Progress::kNeedMore) return;
    mode_ = Mode::kTls;
    Apply(conversation_->OnTlsEstablished(tls_->ServerName()));
    if (closing_ || shutting_down_) return;
  }
  std::string plaintext;
  const absl::Status status = tls_->Read(&plaintext);
  SendRaw(tls_->TakeCiphertext());  // e.g. an alert
  if (closing_) return;
  if (Delaying() && (!plaintext.empty() || !held_.empty())) {
    // A command inside TLS: held like a plaintext one; the end behind it.
    if (!plaintext.empty()) {
      Hold(Held{Held::Kind::kPlaintext, 0, 0, std::move(plaintext)},
           NextDelay());
    }
    if (!status.ok() || tls_->peer_closed()) {
      Hold(Held{Held::Kind::kTlsEnd, 0}, 0);
    }
    return;
  }
  if (!plaintext.empty()) Apply(conversation_->OnBytes(plaintext));
  if (closing_ || shutting_down_) return;
  if (!status.ok() || tls_->peer_closed()) CloseGracefully();
}

void FarmConnection::OnClientHelloForGarbage() {
  mode_ = Mode::kDraining;
  SendRaw(Garbage());
  CloseGracefully();
}

void FarmConnection::OnClientHelloForReset(absl::string_view bytes) {
  tls_->FeedCiphertext(bytes);
  const TlsServerSession::Progress progress = tls_->Handshake();
  const std::string flight = tls_->TakeCiphertext();
  if (progress == TlsServerSession::Progress::kNeedMore && flight.empty()) {
    return;  // the ClientHello is not complete yet
  }
  mode_ = Mode::kDraining;
  if (flight.size() < 2) {
    CloseNow(/*reset=*/true);
    return;
  }
  // Half of the server's first flight, then a reset.
  SendRaw(flight.substr(0, flight.size() / 2));
  if (closing_) return;
  after_drain_ = AfterDrain::kReset;
}

}  // namespace mxscan::farm
