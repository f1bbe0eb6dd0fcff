#include "scanner/https/https_fetch.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "scanner/core/deadline_timer.h"
#include "scanner/core/tcp_connection.h"
#include "scanner/https/http_response.h"

namespace mxscan::https {
namespace {

// HttpsFetch is one fetch in flight: connect, TLS handshake, request,
// response. Owns itself until it has reported. Lives on its loop's thread.
class HttpsFetch {
 public:
  HttpsFetch(uv_loop_t* loop, std::string host, std::string path,
             const tls::ClientContext& context, const FetchOptions& options,
             absl::AnyInvocable<void(FetchResult)> done)
      : loop_(loop),
        host_(std::move(host)),
        path_(std::move(path)),
        tls_(context, host_),
        parser_(HttpResponseParser::Limits{options.max_header_bytes,
                                           options.max_body_bytes}),
        done_(std::move(done)),
        timer_(loop, [this] {
          Finish(absl::DeadlineExceededError("HTTPS fetch timed out"));
        }) {
    timer_.Start(static_cast<uint64_t>(options.timeout_ms));
  }

  void Start(const sockaddr* address) {
    TcpConnection::Callbacks callbacks;
    callbacks.connected = [this](int status) { OnConnected(status); };
    callbacks.data = [this](absl::string_view bytes) { OnBytes(bytes); };
    callbacks.closed = [this](int error) { OnClosed(error); };
    connection_ = TcpConnection::Connect(loop_, address, std::move(callbacks));
  }

 private:
  void OnConnected(int status) {
    if (status != 0) {
      Finish(absl::UnavailableError(
          absl::StrCat("connect: ", uv_strerror(status))));
      return;
    }
    Advance();
  }

  void OnBytes(absl::string_view bytes) {
    tls_.FeedCiphertext(bytes);
    Advance();
  }

  void OnClosed(int error) {
    if (!handshake_done_) {
      Finish(absl::UnavailableError(
          absl::StrCat("connection closed during the TLS handshake (",
                       uv_strerror(error), ")")));
      return;
    }
    absl::Status s = parser_.OnEof();
    if (!s.ok()) {
      Finish(s);
      return;
    }
    Complete();
  }

  void Advance() {
    if (!handshake_done_) {
      tls::TlsConnection::Progress p = tls_.Handshake();
      Flush();
      if (p == tls::TlsConnection::Progress::kFailed) {
        Finish(absl::UnavailableError(
            absl::StrCat("TLS handshake: ", tls_.error())));
        return;
      }
      if (p == tls::TlsConnection::Progress::kNeedMore) return;
      handshake_done_ = true;
      result_.tls_done = true;
      result_.tls = tls_.Info();
      absl::Status s = tls_.Write(absl::StrCat(
          "GET ", path_, " HTTP/1.1\r\nHost: ", host_,
          "\r\nUser-Agent: mxscan\r\nAccept: text/plain\r\n"
          "Connection: close\r\n\r\n"));
      Flush();
      if (!s.ok()) {
        Finish(s);
        return;
      }
    }
    std::string plaintext;
    absl::Status s = tls_.Read(&plaintext);
    if (!s.ok()) {
      Finish(s);
      return;
    }
    s = parser_.Feed(plaintext);
    if (!s.ok()) {
      Finish(s);
      return;
    }
    if (parser_.complete()) {
      Complete();
    } else if (tls_.peer_closed()) {
      s = parser_.OnEof();
      if (!s.ok()) {
        Finish(s);
      } else {
        Complete();
      }
    }
  }

  void Flush() {
    std::string out = tls_.TakeCiphertext();
    if (!out.empty() && connection_ != nullptr) {
      connection_->Write(std::move(out));
    }
  }

  void Complete() {
    result_.http_status = parser_.status_code();
    result_.content_type = parser_.Header("content-type");
    result_.location = parser_.Header("location");
    result_.body = parser_.body();
    if (result_.http_status >= 300 && result_.http_status < 400) {
      Finish(absl::FailedPreconditionError(absl::StrCat(
          "HTTP ", result_.http_status, " redirect to \"", result_.location,
          "\" (not followed, RFC 8461 section 3.3)")));
      return;
    }
    Finish(absl::OkStatus());
  }

  void Finish(absl::Status status) {
    if (finished_) return;
    finished_ = true;
    if (connection_ != nullptr) connection_->Close();
    connection_ = nullptr;
    result_.status = std::move(status);
    auto done = std::move(done_);
    FetchResult result = std::move(result_);
    delete this;  // the timer's handle closes with it
    done(std::move(result));
  }

  uv_loop_t* loop_;
  std::string host_;
  std::string path_;
  tls::TlsConnection tls_;
  HttpResponseParser parser_;
  absl::AnyInvocable<void(FetchResult)> done_;
  DeadlineTimer timer_;
  TcpConnection* connection_ = nullptr;
  bool handshake_done_ = false;
  bool finished_ = false;
  FetchResult result_;
};

}  // namespace

void FetchHttps(uv_loop_t* loop, const sockaddr* address, std::string host,
                std::string path, const tls::ClientContext& context,
                const FetchOptions& options,
                absl::AnyInvocable<void(FetchResult)> done) {
  auto* fetch = new HttpsFetch(loop, std::move(host), std::move(path), context,
                               options, std::move(done));
  fetch->Start(address);
}

}  // namespace mxscan::https
