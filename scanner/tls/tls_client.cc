#include "scanner/tls/tls_client.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>

#include "absl/strings/str_cat.h"
#include "scanner/tls/sct_list.h"

namespace mxscan::tls {
namespace {

// The handshake accepts every certificate; judging comes later.
enum ssl_verify_result_t AcceptAnyCertificate(SSL*, uint8_t*) {
  return ssl_verify_ok;
}

bool IsIpLiteral(const std::string& name) {
  in6_addr v6;
  in_addr v4;
  return inet_pton(AF_INET, name.c_str(), &v4) == 1 ||
         inet_pton(AF_INET6, name.c_str(), &v6) == 1;
}

std::string LibraryError() {
  const uint32_t code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof(buf));
  return buf;
}

}  // namespace

absl::StatusOr<uint16_t> ParseTlsVersion(absl::string_view text) {
  if (text == "1.0" || text == "TLSv1" || text == "TLSv1.0") return TLS1_VERSION;
  if (text == "1.1" || text == "TLSv1.1") return TLS1_1_VERSION;
  if (text == "1.2" || text == "TLSv1.2") return TLS1_2_VERSION;
  if (text == "1.3" || text == "TLSv1.3") return TLS1_3_VERSION;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown TLS version \"", text, "\" (1.0, 1.1, 1.2, 1.3)"));
}

absl::StatusOr<std::unique_ptr<ClientContext>> ClientContext::Create(
    const ClientContextOptions& options) {
  std::unique_ptr<ClientContext> context(new ClientContext());
  context->pool_.reset(CRYPTO_BUFFER_POOL_new());
  context->ctx_.reset(SSL_CTX_new(TLS_with_buffers_method()));
  SSL_CTX* ctx = context->ctx_.get();
  if (ctx == nullptr || context->pool_ == nullptr) {
    return absl::InternalError("cannot create the TLS context");
  }
  SSL_CTX_set0_buffer_pool(ctx, context->pool_.get());
  if (!SSL_CTX_set_min_proto_version(ctx, options.min_version) ||
      !SSL_CTX_set_max_proto_version(ctx, options.max_version)) {
    return absl::InvalidArgumentError("unsupported TLS version range");
  }
  if (!options.groups.empty() &&
      !SSL_CTX_set1_curves_list(ctx, options.groups.c_str())) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown TLS group in \"", options.groups, "\""));
  }
  if (!options.ciphers.empty() &&
      !SSL_CTX_set_strict_cipher_list(ctx, options.ciphers.c_str())) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad cipher list \"", options.ciphers, "\""));
  }
  SSL_CTX_set_custom_verify(ctx, SSL_VERIFY_PEER, AcceptAnyCertificate);
  // Certificate facts for the census: ask for what browsers ask for.
  SSL_CTX_enable_ocsp_stapling(ctx);
  SSL_CTX_enable_signed_cert_timestamps(ctx);
  SSL_CTX_set_session_cache_mode(
      ctx, options.session_cache ? SSL_SESS_CACHE_CLIENT : SSL_SESS_CACHE_OFF);
  if (options.session_cache) {
    SSL_CTX_sess_set_new_cb(ctx, &TlsConnection::OnNewSession);
  }
  return context;
}

TlsConnection::TlsConnection(const ClientContext& context,
                             const std::string& server_name,
                             SSL_SESSION* resume)
    : ssl_(SSL_new(context.get())) {
  SSL* ssl = ssl_.get();
  network_in_ = BIO_new(BIO_s_mem());
  network_out_ = BIO_new(BIO_s_mem());
  // An empty input buffer means "wait for more", not end of stream.
  BIO_set_mem_eof_return(network_in_, -1);
  SSL_set_bio(ssl, network_in_, network_out_);
  SSL_set_connect_state(ssl);
  SSL_set_app_data(ssl, this);
  if (!server_name.empty() && !IsIpLiteral(server_name)) {
    SSL_set_tlsext_host_name(ssl, server_name.c_str());
  }
  if (resume != nullptr) SSL_set_session(ssl, resume);
  // The handshake's configuration is not needed once it is done.
  SSL_set_shed_handshake_config(ssl, 1);
}

TlsConnection::~TlsConnection() = default;

void TlsConnection::FeedCiphertext(absl::string_view bytes) {
  if (!bytes.empty()) BIO_write(network_in_, bytes.data(), bytes.size());
}

std::string TlsConnection::TakeCiphertext() {
  const uint8_t* data = nullptr;
  size_t length = 0;
  std::string out;
  if (BIO_mem_contents(network_out_, &data, &length) && length > 0) {
    out.assign(reinterpret_cast<const char*>(data), length);
    BIO_reset(network_out_);
  }
  return out;
}

std::string TlsConnection::ErrorText(int ret) {
  const int code = SSL_get_error(ssl_.get(), ret);
  std::string library = LibraryError();
  switch (code) {
    case SSL_ERROR_SSL:
      return library.empty() ? "TLS protocol error" : library;
    case SSL_ERROR_ZERO_RETURN:
      return "connection closed by the peer";
    case SSL_ERROR_SYSCALL:
      return "connection closed during the TLS handshake";
    default:
      return absl::StrCat("TLS error ", code, library.empty() ? "" : ": ",
                          library);
  }
}

TlsConnection::Progress TlsConnection::Handshake() {
  const int ret = SSL_do_handshake(ssl_.get());
  if (ret == 1) return Progress::kDone;
  const int code = SSL_get_error(ssl_.get(), ret);
  if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
    return Progress::kNeedMore;
  }
  error_ = ErrorText(ret);
  return Progress::kFailed;
}

absl::Status TlsConnection::Write(absl::string_view plaintext) {
  while (!plaintext.empty()) {
    const int n = SSL_write(ssl_.get(), plaintext.data(),
                            static_cast<int>(plaintext.size()));
    if (n <= 0) return absl::DataLossError(ErrorText(n));
    plaintext.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status TlsConnection::Read(std::string* plaintext) {
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

HandshakeInfo TlsConnection::Info() const {
  HandshakeInfo info;
  const SSL* ssl = ssl_.get();
  info.version = SSL_get_version(ssl);
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl)) {
    info.cipher = SSL_CIPHER_standard_name(cipher);
  }
  if (const uint16_t group = SSL_get_curve_id(ssl); group != 0) {
    if (const char* name = SSL_get_curve_name(group)) info.group = name;
  }
  info.resumed = SSL_session_reused(ssl);
  const uint8_t* data = nullptr;
  size_t length = 0;
  SSL_get0_ocsp_response(ssl, &data, &length);
  info.ocsp_stapled = length > 0;
  SSL_get0_signed_cert_timestamp_list(ssl, &data, &length);
  if (length > 0) {
    info.tls_scts =
        CountSctList(
            absl::string_view(reinterpret_cast<const char*>(data), length))
            .value_or(0);
  }
  if (const STACK_OF(CRYPTO_BUFFER)* chain = SSL_get0_peer_certificates(ssl)) {
    for (size_t i = 0; i < sk_CRYPTO_BUFFER_num(chain); ++i) {
      const CRYPTO_BUFFER* cert = sk_CRYPTO_BUFFER_value(chain, i);
      info.chain_der.emplace_back(
          reinterpret_cast<const char*>(CRYPTO_BUFFER_data(cert)),
          CRYPTO_BUFFER_len(cert));
    }
  }
  return info;
}

int TlsConnection::OnNewSession(SSL* ssl, SSL_SESSION* session) {
  auto* self = static_cast<TlsConnection*>(SSL_get_app_data(ssl));
  if (self == nullptr) return 0;
  self->new_session_.reset(session);  // takes the reference
  return 1;
}

bssl::UniquePtr<SSL_SESSION> TlsConnection::Session() const {
  if (new_session_ != nullptr) {
    SSL_SESSION_up_ref(new_session_.get());
    return bssl::UniquePtr<SSL_SESSION>(new_session_.get());
  }
  SSL_SESSION* session = SSL_get1_session(ssl_.get());
  return bssl::UniquePtr<SSL_SESSION>(session);
}

void TlsConnection::CloseNotify() {
  SSL_shutdown(ssl_.get());
  ERR_clear_error();
}

}  // namespace mxscan::tls
