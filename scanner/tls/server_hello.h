#ifndef MXSCAN_SCANNER_TLS_SERVER_HELLO_H_
#define MXSCAN_SCANNER_TLS_SERVER_HELLO_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace mxscan::tls {

// Reads a server's first answer to a ClientHello written by mxscan
// (client_hello.h): a ServerHello, a HelloRetryRequest or an alert. Pure
// and resumable: feed the bytes as they come. Untrusted input: records
// and the ServerHello are bounded (at most kMaxServerBytes are read), and
// anything malformed ends the read with an error, never more reading.
// Not thread-safe; one per connection.

struct ServerHelloSummary {
  enum class Kind { kServerHello, kHelloRetryRequest, kAlert };
  Kind kind = Kind::kServerHello;
  // The version selected: supported_versions when the server sent it,
  // else the ServerHello's legacy_version.
  uint16_t version = 0;
  uint16_t cipher_suite = 0;
  // ServerHello: the group of its key_share (TLS 1.3; 0 for TLS 1.2, which
  // names it later); HelloRetryRequest: the group it asks a share for.
  uint16_t group = 0;
  uint8_t alert = 0;  // kAlert: the description
  // With ServerHelloReader's key exchange reading, for TLS 1.2 and before:
  // the named curve of an ECDHE ServerKeyExchange (in `group`), or the
  // bits of a DHE one's prime; 0 when there is none (RSA key exchange).
  uint32_t dhe_bits = 0;
};

class ServerHelloReader {
 public:
  ServerHelloReader() = default;
  // With `key_exchange`, a TLS 1.2 (or older) ServerHello is not the end:
  // the reader goes on past the Certificate to the ServerKeyExchange (or
  // the ServerHelloDone of RSA key exchange) and reports its group.
  explicit ServerHelloReader(bool key_exchange) : key_exchange_(key_exchange) {}

  // Bytes read at most before the answer must be complete.
  static constexpr size_t kMaxServerBytes = 64 * 1024;

  enum class State { kNeedMore, kDone, kError };

  // Feed takes the next bytes from the server. After kDone or kError
  // further bytes are ignored.
  State Feed(absl::string_view bytes);

  State state() const { return state_; }
  const ServerHelloSummary& summary() const { return summary_; }  // kDone
  const std::string& error() const { return error_; }             // kError

 private:
  State Fail(std::string why);
  // Parses the first handshake message once `handshake_` holds it whole.
  State ParseHandshake();
  State ParseServerHello(absl::string_view body);
  // After a TLS 1.2 ServerHello: the messages up to the key exchange.
  State ParseKeyExchange();

  State state_ = State::kNeedMore;
  std::string records_;    // bytes not yet taken as whole records
  std::string handshake_;  // handshake bytes of the records so far
  size_t read_ = 0;
  bool key_exchange_ = false;
  bool hello_read_ = false;  // reading the messages after it
  ServerHelloSummary summary_;
  std::string error_;
};

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_SERVER_HELLO_H_
