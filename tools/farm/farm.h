#ifndef MXSCAN_TOOLS_FARM_FARM_H_
#define MXSCAN_TOOLS_FARM_FARM_H_

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scanner/core/uv_handle.h"
#include "tools/farm/behaviours.h"
#include "tools/farm/farm_connection.h"
#include "tools/farm/latency.h"
#include "tools/farm/policy_server.h"
#include "tools/farm/tls_contexts.h"

namespace mxscan::farm {

// Farm is the SMTP+HTTPS server farm of the simulated sector (see
// /work/shared/docs/DESIGN.md): one SMTP port on every loopback address the
// behaviours name, each address behaving as its entry says, and one HTTPS
// port serving MTA-STS policies by SNI. Every listening socket is bound to
// one loopback address (never to a wildcard): connections to 127.x.y.z
// reach the socket bound to 127.x.y.z, so the farm needs one descriptor per
// address (raise RLIMIT_NOFILE for big farms; main.cc does).
//
// At Start it makes its PKI (tls_contexts.h) and every SMTP server's
// certificate, so the first handshake costs no more than the others.
// Lives on the thread of its loop; destroy it (or Stop() it) before the
// loop.
class Farm {
 public:
  struct Options {
    FarmConfig config;
    int smtp_port = 0;   // 0: a free port (the same on every address)
    int https_port = 0;  // 0: a free port
    // Where policy bodies live (PolicyStore); empty: every policy is 404.
    std::string mta_sts_dir;
    // Where the HTTPS listener accepts, besides the addresses that
    // policy-host entries list.
    std::vector<std::string> https_addresses = {"127.0.0.1"};
    int64_t connection_timeout_ms = 60000;  // every connection's lifetime
    size_t max_connections = 10000;         // then new ones are closed
    int64_t now = 0;  // seconds since the epoch for certificates; 0: now
    TlsContexts::FixedKeys keys;  // none: fresh keys
    // Where each SMTP connection's opening and closing is logged, one line
    // each: "open|close MONOTONIC_MS ADDRESS" (what a provider sees of a
    // scan: sessions at once, connections per second); empty: not logged.
    std::string session_log;
    // Every SMTP greeting and reply held this long first (FarmConnection);
    // off by default. HTTPS (MTA-STS) is never delayed.
    LogNormalDelay reply_delay;
    // The draws are a function of this seed, the address and the
    // connection's ordinal at that address.
    uint64_t delay_seed = 0;
  };

  static absl::StatusOr<std::unique_ptr<Farm>> Start(uv_loop_t* loop,
                                                     Options options);
  ~Farm();
  Farm(const Farm&) = delete;
  Farm& operator=(const Farm&) = delete;

  int smtp_port() const { return smtp_port_; }  // 0: no SMTP address
  int https_port() const { return https_port_; }
  size_t listeners() const { return listeners_.size(); }
  size_t open_connections() const { return connections_.size(); }
  uint64_t accepted() const { return accepted_; }
  uint64_t refused() const { return refused_; }  // over max_connections
  // The root CA certificate (PEM) every valid chain leads to.
  std::string CaPem() const { return tls_->RootPem(); }
  TlsContexts& tls() { return *tls_; }

  // Stops listening and closes every connection at once.
  void Stop();

 private:
  struct Listener {
    core::UvHandle<uv_tcp_t> tcp;
    Farm* farm = nullptr;
    size_t site = 0;  // index into options_.config.smtp
    bool https = false;
  };

  Farm(uv_loop_t* loop, Options options);
  absl::Status MakeCredentials();
  // Binds one listener per address on `*port` (0: the kernel's choice for
  // the first address, then the same port for the others).
  absl::Status ListenAll(const std::vector<std::string>& addresses, bool https,
                         int* port);
  absl::Status Listen(const std::string& address, bool https, size_t site,
                      int* port);
  void OnConnection(Listener* listener);

  void LogSession(const char* event, const std::string& address);

  uv_loop_t* loop_;
  Options options_;
  std::FILE* session_log_ = nullptr;
  std::unique_ptr<TlsContexts> tls_;
  std::unique_ptr<PolicyStore> policies_;
  // Per SMTP site (same index): the chain it presents, or null.
  std::vector<std::shared_ptr<const Credential>> credentials_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  ConnectionSet connections_;
  std::vector<uint64_t> connections_per_site_;  // for the delay draws
  int smtp_port_ = 0;
  int https_port_ = 0;
  uint64_t accepted_ = 0;
  uint64_t refused_ = 0;
};

}  // namespace mxscan::farm

#endif  // MXSCAN_TOOLS_FARM_FARM_H_
