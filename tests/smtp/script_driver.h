#ifndef MXSCAN_TESTS_SMTP_SCRIPT_DRIVER_H_
#define MXSCAN_TESTS_SMTP_SCRIPT_DRIVER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "scanner/smtp/session.h"
#include "scanner/smtp/session_result.h"

namespace mxscan::smtp::testing {

// A scripted server for Session, in the manner of unbound's replay tests:
// the script lists what the peer does each time the session waits, and the
// driver plays the I/O adapter (connect, write, read, TLS, close) around
// the real Session.

// ServerEvent is one thing that happens while the session waits.
struct ServerEvent {
  enum class Kind {
    kSend,           // the server sends `data` (one flight)
    kClose,          // the server closes the connection
    kTimeout,        // the stage's deadline passes
    kHandshakeOk,    // the TLS handshake succeeds
    kHandshakeFail,  // the TLS handshake fails with `data`, `code`
    kConnectFail,    // connecting fails with errno `code`, `data`
  };
  Kind kind = Kind::kSend;
  std::string data;
  int code = 0;
};

ServerEvent Send(std::string bytes);
ServerEvent PeerClose();
ServerEvent Timeout();
ServerEvent HandshakeOk();
ServerEvent HandshakeFail(std::string error, int code = 0);
ServerEvent ConnectFail(int error_number, std::string message);

using Script = std::vector<ServerEvent>;

// Cutting says how each flight (a kSend's bytes) reaches OnBytes.
struct Cutting {
  enum class Mode {
    kWhole,     // one OnBytes per flight
    kSplitOne,  // flight number `flight` cut before byte `position`
    kTrickle,   // one byte per OnBytes, as BoringSSL's async_bio does
  };
  Mode mode = Mode::kWhole;
  size_t flight = 0;
  size_t position = 0;
  // false: every piece of a flight is fed before the driver acts on
  // NextAction() (the network split the flight, the server did not wait).
  // true: the driver acts after every piece, as an adapter does after
  // every read; it then hands pieces left over at kStartTls to "TLS",
  // which fails the handshake.
  bool act_between_pieces = false;
};

// Transcript is what a run produced.
struct Transcript {
  // Each TakeOutgoing(), prefixed with "tls:" after a good handshake.
  std::vector<std::string> writes;
  SessionResult result;
  // Describe(result).
  std::string described;
  // Script events the session ended before reaching.
  size_t unused_events = 0;
  // The driver's complaints (script and session disagree); empty if none.
  std::string driver_error;
};

// RunScript runs one session against `script`. When the script has run
// out and the session waits for bytes, the server stays silent: the driver
// reports a timeout.
Transcript RunScript(const SessionOptions& options, const Script& script,
                     const Cutting& cutting = Cutting());

// RunEverySplit runs `script` whole, then with each flight cut at every
// position (flights over 4 KiB at a sample of positions), then trickled a
// byte at a time; when `adapter_equivalent`, also trickled with the driver
// acting between pieces. Each run must give the whole run's transcript;
// every difference is a test failure naming the cutting. Returns the whole
// run's transcript.
Transcript RunEverySplit(const SessionOptions& options, const Script& script,
                         bool adapter_equivalent = true);

// Describe renders every field of a result, one per line, for comparing
// runs and for readable failures.
std::string Describe(const SessionResult& result);

}  // namespace mxscan::smtp::testing

#endif  // MXSCAN_TESTS_SMTP_SCRIPT_DRIVER_H_
