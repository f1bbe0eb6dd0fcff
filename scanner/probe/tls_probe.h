#ifndef MXSCAN_SCANNER_PROBE_TLS_PROBE_H_
#define MXSCAN_SCANNER_PROBE_TLS_PROBE_H_

#include <sys/socket.h>
#include <uv.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/functional/any_invocable.h"
#include "scanner/probe/probe_times.h"
#include "scanner/smtp/session_result.h"
#include "scanner/tls/tls_client.h"

namespace mxscan::probe {

struct TlsProbeOptions {
  int connect_timeout_ms = 10000;
  int handshake_timeout_ms = 20000;
  // Offered for resumption when set.
  std::shared_ptr<SSL_SESSION> resume_session;
  // Return the session to resume next time in TlsProbeOutcome::tls_session
  // (give the probe a ClientContext with session_cache). A TLS 1.3
  // server sends its tickets after the handshake: the probe then reads on
  // for at most ticket_wait_ms until one arrives.
  bool keep_session = false;
  int ticket_wait_ms = 500;
};

// What one plain TLS probe saw.
struct TlsProbeOutcome {
  bool connected = false;
  // The failure, in the SMTP probe's terms so that both are counted alike:
  // stage kConnect (kind kConnectFailed with the errno as code, or
  // kTimeout) or kHandshake (kHandshakeFailed, kTimeout, kPeerClosed).
  std::optional<smtp::SessionError> error;
  bool tls_done = false;
  tls::HandshakeInfo tls;
  ProbeTimes times;  // no SMTP steps
  // With TlsProbeOptions::keep_session, after a handshake.
  bssl::UniquePtr<SSL_SESSION> tls_session;
};

// ProbeTls connects to `address` (port included), runs a TLS handshake
// with SNI `server_name`, sends close_notify and closes: a TLS server's
// handshake without any application protocol (`mxscan bench --starttls
// none`). Calls `done` once, from the loop. `context` must outlive the
// probe. Lives on the loop's thread.
void ProbeTls(uv_loop_t* loop, const sockaddr* address,
              std::string server_name, const tls::ClientContext& context,
              const TlsProbeOptions& options,
              absl::AnyInvocable<void(TlsProbeOutcome)> done);

}  // namespace mxscan::probe

#endif  // MXSCAN_SCANNER_PROBE_TLS_PROBE_H_
