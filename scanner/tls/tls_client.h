#ifndef MXSCAN_SCANNER_TLS_TLS_CLIENT_H_
#define MXSCAN_SCANNER_TLS_TLS_CLIENT_H_

#include <openssl/base.h>
#include <openssl/pool.h>
#include <openssl/ssl.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mxscan::tls {

struct ClientContextOptions {
  // Oldest and newest protocol version offered (TLS1_VERSION ...
  // TLS1_3_VERSION): a scanner must reach servers that only speak TLS 1.0.
  uint16_t min_version = TLS1_VERSION;
  uint16_t max_version = TLS1_3_VERSION;
  // Colon-separated groups ("X25519:P-256"); empty = BoringSSL's default.
  std::string groups;
  // OpenSSL-style cipher list for TLS 1.0–1.2; empty = BoringSSL's default.
  std::string ciphers;
  // Keep client sessions so that a connection can offer resumption: each
  // connection then holds the newest session the server gave it
  // (TlsConnection::Session()), TLS 1.3 tickets included.
  bool session_cache = false;
};

// ClientContext owns the SSL_CTX shared by the TLS connections of one
// worker loop. Connections use TLS_with_buffers_method(): certificates stay
// raw CRYPTO_BUFFERs (no X509 parse during the handshake) interned in a
// per-context pool, so that the chain a big provider serves to thousands
// of domains is stored once. The handshake accepts any certificate: the
// chain is judged afterwards (certificate_judge.h), once per distinct
// (chain, name). Lives on one thread.
class ClientContext {
 public:
  static absl::StatusOr<std::unique_ptr<ClientContext>> Create(
      const ClientContextOptions& options);

  SSL_CTX* get() const { return ctx_.get(); }

 private:
  ClientContext() = default;
  bssl::UniquePtr<CRYPTO_BUFFER_POOL> pool_;
  bssl::UniquePtr<SSL_CTX> ctx_;
};

// What a finished handshake negotiated.
struct HandshakeInfo {
  std::string version;  // "TLSv1.3"
  std::string cipher;   // IANA name, "TLS_AES_128_GCM_SHA256"
  std::string group;    // "X25519"; empty for TLS 1.2 RSA key exchange
  bool resumed = false;
  std::vector<std::string> chain_der;  // leaf first, as presented
  // What the server sent because every ClientHello asks for it: a stapled
  // OCSP response, and SCTs in the TLS extension (RFC 6962; a list that
  // does not parse counts none).
  bool ocsp_stapled = false;
  int tls_scts = 0;
};

// TlsConnection is one client TLS session over memory buffers: the caller
// moves ciphertext between it and the socket (FeedCiphertext /
// TakeCiphertext) and drives it with Handshake(), so it never touches a
// socket and works with any event loop. Lives on one thread; `context`
// must outlive it.
class TlsConnection {
 public:
  // `server_name` is sent as SNI (omitted when empty or an IP literal).
  TlsConnection(const ClientContext& context, const std::string& server_name,
                SSL_SESSION* resume = nullptr);
  ~TlsConnection();

  // FeedCiphertext hands over bytes read from the network.
  void FeedCiphertext(absl::string_view bytes);
  // TakeCiphertext returns (and forgets) the bytes to write to the network.
  std::string TakeCiphertext();

  enum class Progress { kNeedMore, kDone, kFailed };
  // Handshake advances the handshake with the bytes fed so far. kFailed
  // leaves the reason in error() (the alert, or the library's reason);
  // the bytes to send (an alert) are still available.
  Progress Handshake();
  const std::string& error() const { return error_; }

  // After the handshake: Write encrypts `plaintext` for TakeCiphertext();
  // Read appends whatever plaintext the fed ciphertext decrypts to.
  // Read fails when the peer's data is not valid TLS; a clean close
  // (close_notify) is reported through peer_closed().
  absl::Status Write(absl::string_view plaintext);
  absl::Status Read(std::string* plaintext);
  bool peer_closed() const { return peer_closed_; }

  // Valid after kDone.
  HandshakeInfo Info() const;
  // The session to offer for resumption next time (owned by the caller):
  // with ClientContextOptions::session_cache, the newest one the server
  // gave (in TLS 1.3 a ticket, which arrives after the handshake, so read
  // on before asking), else the established session.
  bssl::UniquePtr<SSL_SESSION> Session() const;
  // True once the server has given a resumable session (session_cache
  // contexts only).
  bool has_new_session() const { return new_session_ != nullptr; }

  // CloseNotify queues a close_notify alert for TakeCiphertext(), to end
  // the session cleanly (after the handshake).
  void CloseNotify();

 private:
  friend class ClientContext;  // installs OnNewSession

  std::string ErrorText(int ret);
  // Called by BoringSSL with each new resumable session (SSL app data is
  // the connection).
  static int OnNewSession(SSL* ssl, SSL_SESSION* session);

  bssl::UniquePtr<SSL> ssl_;
  BIO* network_in_ = nullptr;   // owned by ssl_
  BIO* network_out_ = nullptr;  // owned by ssl_
  std::string error_;
  bool peer_closed_ = false;
  bssl::UniquePtr<SSL_SESSION> new_session_;
};

// VersionName maps "1.0".."1.3" (and "TLSv1.2" forms) to a TLS1_x_VERSION.
absl::StatusOr<uint16_t> ParseTlsVersion(absl::string_view text);

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_TLS_CLIENT_H_
