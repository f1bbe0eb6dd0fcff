#ifndef MXSCAN_TOOLS_FARM_CONVERSATION_H_
#define MXSCAN_TOOLS_FARM_CONVERSATION_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace mxscan::farm {

// Step is what a conversation asks its connection to do: send `send` (in
// the clear, or inside TLS once TLS is up), then `then`.
struct Step {
  enum class Then {
    kRead,            // wait for the client's next bytes
    kWait,            // call OnTimer() after wait_ms
    kStream,          // call OnDrained() once everything sent is written
    kStartTls,        // the next bytes are a ClientHello: serve TLS
    kGarbageTls,      // answer the ClientHello with garbage, then close
    kResetHandshake,  // send part of the server's first flight, then RST
    kClose,           // close once everything sent is written
  };

  std::string send;
  Then then = Then::kRead;
  int64_t wait_ms = 0;
};

// Conversation is one connection's protocol state, without I/O: the
// connection (farm_connection.h) feeds it events and carries out the Steps
// it returns. Implementations: SmtpSession (SMTP, STARTTLS), PolicyExchange
// (HTTPS). Lives on the thread of its connection's loop.
class Conversation {
 public:
  virtual ~Conversation() = default;
  // The connection was accepted.
  virtual Step Start() = 0;
  // Bytes from the client (plaintext: decrypted when TLS is up).
  virtual Step OnBytes(absl::string_view bytes) = 0;
  // The wait of a kWait step is over.
  virtual Step OnTimer() = 0;
  // Everything of a kStream step has been written.
  virtual Step OnDrained() = 0;
  // A TLS handshake finished; `server_name` is the client's SNI ("" if
  // none).
  virtual Step OnTlsEstablished(absl::string_view server_name) = 0;
};

}  // namespace mxscan::farm

#endif  // MXSCAN_TOOLS_FARM_CONVERSATION_H_
