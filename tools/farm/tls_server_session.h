#ifndef MXSCAN_TOOLS_FARM_TLS_SERVER_SESSION_H_
#define MXSCAN_TOOLS_FARM_TLS_SERVER_SESSION_H_

#include <openssl/base.h>
#include <openssl/ssl.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tools/farm/tls_contexts.h"

namespace mxscan::farm {

// TlsServerSession is the server side of one TLS session over memory
// buffers (the mirror of scanner/tls/tls_client.h's TlsConnection): the
// connection moves ciphertext between it and the socket and drives it
// with Handshake(). Lives on one thread; `ctx` must outlive it.
class TlsServerSession {
 public:
  // `credential` (may be null when the context's certificate callback
  // chooses) is applied at once. `session_context` limits resumption to
  // sessions made under the same context (the farm uses the address).
  TlsServerSession(SSL_CTX* ctx, const Credential* credential,
                   absl::string_view session_context);
  ~TlsServerSession();
  TlsServerSession(const TlsServerSession&) = delete;
  TlsServerSession& operator=(const TlsServerSession&) = delete;

  // False when BoringSSL could not set the session up.
  bool ok() const { return ok_; }

  void FeedCiphertext(absl::string_view bytes);
  std::string TakeCiphertext();

  enum class Progress { kNeedMore, kDone, kFailed };
  // Handshake advances the handshake; on kFailed error() says why and an
  // alert may wait in TakeCiphertext().
  Progress Handshake();
  const std::string& error() const { return error_; }

  // After the handshake: Write encrypts; Read appends what the fed
  // ciphertext decrypts to, failing on bad records; a close_notify is
  // reported through peer_closed().
  absl::Status Write(absl::string_view plaintext);
  absl::Status Read(std::string* plaintext);
  bool peer_closed() const { return peer_closed_; }
  // Queues a close_notify alert.
  void Shutdown();

  // The SNI the client sent ("" if none), and the version negotiated
  // ("TLSv1.2").
  std::string ServerName() const;
  std::string Version() const;

 private:
  std::string ErrorText(int ret);

  bssl::UniquePtr<SSL> ssl_;
  BIO* network_in_ = nullptr;   // owned by ssl_
  BIO* network_out_ = nullptr;  // owned by ssl_
  bool ok_ = false;
  bool peer_closed_ = false;
  std::string error_;
};

}  // namespace mxscan::farm

#endif  // MXSCAN_TOOLS_FARM_TLS_SERVER_SESSION_H_
