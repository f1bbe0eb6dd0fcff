#include "tools/farm/tls_server_session.h"

#include <openssl/bio.h>
#include <openssl/err.h>

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace mxscan::farm {

TlsServerSession::TlsServerSession(SSL_CTX* ctx, const Credential* credential,
                                   absl::string_view session_context)
    : ssl_(SSL_new(ctx)) {
  if (ssl_ == nullptr) {
    ERR_clear_error();
    return;
  }
  SSL* ssl = ssl_.get();
  network_in_ = BIO_new(BIO_s_mem());
  network_out_ = BIO_new(BIO_s_mem());
  if (network_in_ == nullptr || network_out_ == nullptr) {
    BIO_free(network_in_);
    BIO_free(network_out_);
    network_in_ = network_out_ = nullptr;
    ERR_clear_error();
    return;
  }
  // An empty input buffer means "wait for more", not end of stream.
  BIO_set_mem_eof_return(network_in_, -1);
  SSL_set_bio(ssl, network_in_, network_out_);
  SSL_set_accept_state(ssl);
  const size_t context_length =
      std::min(session_context.size(), size_t{SSL_MAX_SID_CTX_LENGTH});
  ok_ = SSL_set_session_id_context(
            ssl, reinterpret_cast<const uint8_t*>(session_context.data()),
            context_length) == 1 &&
        (credential == nullptr || credential->ApplyTo(ssl));
  // Drop the handshake's configuration once it is done: memory per
  // connection stays small.
  SSL_set_shed_handshake_config(ssl, 1);
  if (!ok_) ERR_clear_error();
}

TlsServerSession::~TlsServerSession() = default;

void TlsServerSession::FeedCiphertext(absl::string_view bytes) {
  if (!bytes.empty() && network_in_ != nullptr) {
    BIO_write(network_in_, bytes.data(), static_cast<int>(bytes.size()));
  }
}

std::string TlsServerSession::TakeCiphertext() {
  const uint8_t* data = nullptr;
  size_t length = 0;
  std::string out;
  if (network_out_ != nullptr &&
      BIO_mem_contents(network_out_, &data, &length) && length > 0) {
    out.assign(reinterpret_cast<const char*>(data), length);
    BIO_reset(network_out_);
  }
  return out;
}

std::string TlsServerSession::ErrorText(int ret) {
  const int code = SSL_get_error(ssl_.get(), ret);
  const uint32_t packed = ERR_get_error();
  ERR_clear_error();
  char library[256] = "";
  if (packed != 0) ERR_error_string_n(packed, library, sizeof(library));
  switch (code) {
    case SSL_ERROR_SSL:
      return packed != 0 ? library : "TLS protocol error";
    case SSL_ERROR_ZERO_RETURN:
      return "connection closed by the peer";
    case SSL_ERROR_SYSCALL:
      return "connection closed during the TLS handshake";
    default:
      return absl::StrCat("TLS error ", code, packed != 0 ? ": " : "", library);
  }
}

TlsServerSession::Progress TlsServerSession::Handshake() {
  if (!ok_) {
    error_ = "TLS session set-up failed";
    return Progress::kFailed;
  }
  const int ret = SSL_do_handshake(ssl_.get());
  if (ret == 1) return Progress::kDone;
  const int code = SSL_get_error(ssl_.get(), ret);
  if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
    return Progress::kNeedMore;
  }
  error_ = ErrorText(ret);
  return Progress::kFailed;
}

absl::Status TlsServerSession::Write(absl::string_view plaintext) {
  while (!plaintext.empty()) {
    const int n = SSL_write(
        ssl_.get(), plaintext.data(),
        static_cast<int>(std::min(plaintext.size(), size_t{1} << 30)));
    if (n <= 0) return absl::DataLossError(ErrorText(n));
    plaintext.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status TlsServerSession::Read(std::string* plaintext) {
  char buf[16384];
  while (true) {
    const int n = SSL_read(ssl_.get(), buf, sizeof(buf));
    if (n > 0) {
      plaintext->append(buf, static_cast<size_t>(n));
      continue;
    }
    const int code = SSL_get_error(ssl_.get(), n);
    if (code == SSL_ERROR_WANT_READ) return absl::OkStatus();
    if (code == SSL_ERROR_ZERO_RETURN) {
      peer_closed_ = true;
      return absl::OkStatus();
    }
    return absl::DataLossError(ErrorText(n));
  }
}

void TlsServerSession::Shutdown() {
  if (ok_ && SSL_is_init_finished(ssl_.get())) SSL_shutdown(ssl_.get());
  ERR_clear_error();
}

std::string TlsServerSession::ServerName() const {
  const char* name = SSL_get_servername(ssl_.get(), TLSEXT_NAMETYPE_host_name);
  return name != nullptr ? name : "";
}

std::string TlsServerSession::Version() const {
  return SSL_get_version(ssl_.get());
}

}  // namespace mxscan::farm
