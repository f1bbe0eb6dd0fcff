#include "scanner/https/https_fetch.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "scanner/core/tls_stream.h"
#include "scanner/https/http_response.h"

namespace mxscan::https {
namespace {

// HttpsFetch is one fetch in flight on a TlsStream: connect, TLS
// handshake, request, response, all within the fetch's deadline. Owns
// itself until it has reported. Lives on its loop's thread.
class HttpsFetch : public core::TlsStream::Handler {
 public:
  HttpsFetch(uv_loop_t* loop, std::string host, std::string path,
             const tls::ClientContext& context, const FetchOptions& options,
             absl::AnyInvocable<void(FetchResult)> done)
      : host_(std::move(host)),
        path_(std::move(path)),
        context_(context),
        parser_(HttpResponseParser::Limits{options.max_header_bytes,
                                           options.max_body_bytes}),
        done_(std::move(done)),
        stream_(loop, this) {}

  void Start(const sockaddr* address, int timeout_ms) {
    core::TlsStreamOptions stream;
    stream.total_timeout_ms = timeout_ms;  // the whole fetch
    stream_.Connect(address, stream);
  }

 private:
  void OnConnected() override {
    const absl::Status started = stream_.StartTls(context_, host_);
    if (!started.ok()) HandshakeFailed(started.message());
  }

  void OnHandshakeDone(core::TlsStream::HandshakeResult result) override {
    if (!result.ok) {
      HandshakeFailed(result.error);
      return;
    }
    result_.tls_done = true;
    result_.tls = std::move(result.info);
    absl::Status s = stream_.Write(
        absl::StrCat("GET ", path_, " HTTP/1.1\r\nHost: ", host_,
                     "\r\nUser-Agent: mxscan\r\nAccept: text/plain\r\n"
                     "Connection: close\r\n\r\n"));
    if (!s.ok()) Finish(s);
  }

  void OnBytes(absl::string_view bytes) override {
    absl::Status s = parser_.Feed(bytes);
    if (!s.ok()) {
      Finish(s);
    } else if (parser_.complete()) {
      Complete();
    }
  }

  void OnClosed(const core::TlsStream::Closed& closed) override {
    if (closed.reason == core::TlsStream::CloseReason::kConnectFailed) {
      Finish(absl::UnavailableError(absl::StrCat("connect: ", closed.message)));
      return;
    }
    if (closed.reason == core::TlsStream::CloseReason::kTlsError) {
      Finish(absl::DataLossError(closed.message));
      return;
    }
    if (closed.stage != core::TlsStream::Stage::kTls) {
      Finish(absl::UnavailableError(closed.message));
      return;
    }
    // The end of a response without a length (Connection: close).
    absl::Status s = parser_.OnEof();
    if (!s.ok()) {
      Finish(s);
      return;
    }
    Complete();
  }

  void OnDeadline(core::TlsStream::Stage) override {
    Finish(absl::DeadlineExceededError("HTTPS fetch timed out"));
  }

  void HandshakeFailed(absl::string_view error) {
    Finish(absl::UnavailableError(absl::StrCat("TLS handshake: ", error)));
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
    stream_.Close();
    result_.status = std::move(status);
    auto done = std::move(done_);
    FetchResult result = std::move(result_);
    delete this;  // the stream's timer closes with it
    done(std::move(result));
  }

  std::string host_;
  std::string path_;
  const tls::ClientContext& context_;
  HttpResponseParser parser_;
  absl::AnyInvocable<void(FetchResult)> done_;
  FetchResult result_;
  core::TlsStream stream_;  // last: closed first, while the rest still lives
};

}  // namespace

void FetchHttps(uv_loop_t* loop, const sockaddr* address, std::string host,
                std::string path, const tls::ClientContext& context,
                const FetchOptions& options,
                absl::AnyInvocable<void(FetchResult)> done) {
  auto* fetch = new HttpsFetch(loop, std::move(host), std::move(path), context,
                               options, std::move(done));
  fetch->Start(address, options.timeout_ms);
}

}  // namespace mxscan::https
