#ifndef MXSCAN_SCANNER_PROBE_SMTP_PROBE_H_
#define MXSCAN_SCANNER_PROBE_SMTP_PROBE_H_

#include <sys/socket.h>
#include <uv.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/functional/any_invocable.h"
#include "scanner/probe/probe_times.h"
#include "scanner/smtp/session.h"
#include "scanner/smtp/session_result.h"
#include "scanner/tls/server_hello.h"
#include "scanner/tls/tls_client.h"

namespace mxscan::probe {

struct SmtpProbeOptions {
  std::string ehlo_name = "localhost";
  bool starttls = true;
  // Deadlines per stage (RFC 5321 section 4.5.3.2 allows servers minutes;
  // a scanner cannot wait that long for every host) and for the whole
  // session, so that a server that trickles bytes cannot hold a probe.
  int connect_timeout_ms = 10000;
  int reply_timeout_ms = 30000;
  int handshake_timeout_ms = 20000;
  int total_timeout_ms = 90000;
  // Offered for resumption in the handshake when set (`mxscan bench
  // --resume-sessions`).
  std::shared_ptr<SSL_SESSION> resume_session;
  // Return the session to resume next time in SmtpProbeOutcome::tls_session
  // (give the probe a ClientContext with session_cache).
  bool keep_session = false;
  // Probes that read only the server's first answer (the post-quantum
  // selection probe, the TLS census): after STARTTLS this ClientHello
  // record (tls/client_hello.h) is sent instead of a handshake, and the
  // connection ends at the server's answer (SmtpProbeOutcome::selection).
  std::string own_client_hello;
  // ... and past a TLS 1.2 ServerHello, the ServerKeyExchange's group
  // (ServerHelloReader(true)).
  bool read_key_exchange = false;
};

// What one probe saw. The certificate chain in `tls` is not judged here.
struct SmtpProbeOutcome {
  smtp::SessionResult session;
  bool tls_done = false;
  tls::HandshakeInfo tls;
  int64_t duration_ms = 0;
  // When each step ended (for benchmarks).
  ProbeTimes times;
  // With SmtpProbeOptions::keep_session, after a handshake: the session to
  // offer next time.
  bssl::UniquePtr<SSL_SESSION> tls_session;
  // With SmtpProbeOptions::own_client_hello: the server's answer to the
  // ClientHello, or why there is none (in session.error too).
  std::optional<tls::ServerHelloSummary> selection;
};

// ProbeSmtp connects to `address` (port included), runs the SMTP session
// (banner, EHLO, STARTTLS, TLS handshake with SNI `server_name`, EHLO,
// QUIT) and calls `done` once, from the loop, with what it saw. Every
// failure is classified in outcome.session.error (stage, code, message).
// `context` must outlive the probe.
void ProbeSmtp(uv_loop_t* loop, const sockaddr* address,
               std::string server_name, const tls::ClientContext& context,
               const SmtpProbeOptions& options,
               absl::AnyInvocable<void(SmtpProbeOutcome)> done);

}  // namespace mxscan::probe

#endif  // MXSCAN_SCANNER_PROBE_SMTP_PROBE_H_
