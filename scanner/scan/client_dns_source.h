#ifndef MXSCAN_SCANNER_SCAN_CLIENT_DNS_SOURCE_H_
#define MXSCAN_SCANNER_SCAN_CLIENT_DNS_SOURCE_H_

#include "scanner/checks/dns_source.h"
#include "scanner/dns/client.h"

namespace mxscan::scan {

// ClientDnsSource presents the asynchronous DNS client as the DnsSource
// the checks and the cache ask (the client already never calls back from
// inside Resolve()). Lives on the client's thread; the client must
// outlive it.
class ClientDnsSource : public checks::DnsSource {
 public:
  explicit ClientDnsSource(dns::Client& client) : client_(client) {}

  void Lookup(absl::string_view name, uint16_t type, Callback done) override {
    client_.Resolve(name, type,
                    [done = std::move(done)](dns::LookupResult result) mutable {
                      done(result);
                    });
  }
  void LookupOwned(absl::string_view name, uint16_t type,
                   OwnedCallback done) override {
    client_.Resolve(name, type, std::move(done));
  }

 private:
  dns::Client& client_;
};

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_CLIENT_DNS_SOURCE_H_
