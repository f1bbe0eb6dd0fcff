#ifndef MXSCAN_SCANNER_TLS_CENSUS_H_
#define MXSCAN_SCANNER_TLS_CENSUS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "scanner/tls/cipher_suites.h"
#include "scanner/tls/server_hello.h"

namespace mxscan::tls {

// The TLS census of one mail server: what it accepts, not only what it
// picked for our usual ClientHello, found with mxscan's own ClientHellos
// (client_hello.h) that stop at the server's first answer
// (server_hello.h). A pure, resumable walk in the manner of
// checks/spf/policy_walk.h: it says which ClientHello to send next and
// takes the server's answer; the caller does the I/O (one connection per
// ClientHello, STARTTLS first). Not thread-safe; one per server.
//
// The walk, each step offering what is left until the server refuses:
//   1. TLS 1.3 suites (a TLS 1.3 server only): the server picks one of
//      those offered; it is taken out and the rest offered again;
//   2. TLS 1.3 groups (likewise): offered without key shares, so that the
//      server names the group it wants in a HelloRetryRequest;
//   3. TLS 1.2 suites (and older ones a TLS 1.2 server still takes);
//   4. once, the TLS 1.2 suites found in the reverse order: the server
//      that picks its first choice again enforces its own order;
//   5. TLS 1.2 curves (a server with ECDHE suites): its ECDHE suites with
//      the curves left, the curve read from the ServerKeyExchange; when
//      the server refuses, once more with the curves found offered last
//      (in TLS 1.2 the list also names the curves an ECDSA certificate
//      may be on, RFC 8422 section 5.1); a curve found again ends the
//      step (at most two ClientHellos per curve);
//   6. once, a server with DHE suites: its DHE suites with the RFC 7919
//      groups offered, and the size of the prime it sends.
// Each step costs one ClientHello per suite or group accepted (two per
// TLS 1.2 curve at most), plus one or two to end it; the whole census at
// most kMaxHandshakes.

struct CensusResult {
  // In the order the server picked them (its preference when it has one).
  std::vector<uint16_t> tls13_suites;
  std::vector<uint16_t> tls13_groups;
  std::vector<uint16_t> tls12_suites;
  std::vector<uint16_t> tls12_curves;
  // Bits of the prime a DHE key exchange uses (0: no DHE suite).
  uint32_t dhe_bits = 0;
  // Whether the server enforces its own TLS 1.2 suite order; unknown with
  // fewer than two suites.
  std::optional<bool> server_preference;
  int handshakes = 0;
  // Why the census stopped early ("" when it ran through).
  std::string error;
};

class TlsCensus {
 public:
  static constexpr int kMaxHandshakes = 72;

  // `tls13`: the server negotiated TLS 1.3 with our usual ClientHello.
  TlsCensus(std::string server_name, bool tls13);

  struct Hello {
    std::string record;  // the ClientHello record
    // Read past a TLS 1.2 ServerHello to the key exchange
    // (ServerHelloReader(true)).
    bool key_exchange = false;
  };
  // The next ClientHello to send; nullopt when the census is done.
  std::optional<Hello> NextHello();
  // The server's answer to it, or nullopt and why there was none (the
  // connection failed, the bytes were not a ServerHello). No answer ends
  // the census: a server that stops answering is not asked again.
  void OnAnswer(const std::optional<ServerHelloSummary>& answer,
                absl::string_view error);

  const CensusResult& result() const { return result_; }

 private:
  enum class Step {
    kTls13Suites,
    kTls13Groups,
    kTls12Suites,
    kPreference,
    kTls12Curves,
    kTls12Dhe,
    kDone
  };
  // The accepted TLS 1.2 suites whose name holds `kind` ("_ECDHE_").
  std::vector<uint16_t> AcceptedWith(absl::string_view kind) const;
  void Advance();

  std::string server_name_;
  Step step_;
  std::vector<uint16_t> remaining_;  // what the current step still offers
  bool awaiting_ = false;
  // The TLS 1.2 curves step offers the curves found too, last.
  bool curves_found_last_ = false;
  CensusResult result_;
};

// The class of the server after the census and the versions it accepts:
// the worst of its versions, suites and groups, and each setting that is
// not good, as "TLSv1: phase-out", "TLS_RSA_WITH_AES_128_CBC_SHA:
// phase-out".
struct CensusClass {
  TlsClass worst = TlsClass::kGood;
  std::vector<std::string> findings;
};
CensusClass ClassifyCensus(const CensusResult& census,
                           const std::vector<std::string>& versions_accepted);

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_CENSUS_H_
