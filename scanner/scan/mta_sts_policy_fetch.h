#ifndef MXSCAN_SCANNER_SCAN_MTA_STS_POLICY_FETCH_H_
#define MXSCAN_SCANNER_SCAN_MTA_STS_POLICY_FETCH_H_

#include <string>

#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/dns/lookup.h"
#include "scanner/https/https_fetch.h"
#include "scanner/scan/scan_context.h"

namespace mxscan::scan {

// MtaStsPolicyFetch fetches and judges a domain's MTA-STS policy (RFC 8461
// section 3.3) once two things are known: the _mta-sts TXT record says
// there is one, and every MX host has its addresses (the policy's mx
// patterns are checked against them). The policy host is reached over
// IPv4 when it has an IPv4 address, else over IPv6; its certificate must
// be valid for its name. It fills `result`'s mta_sts (the record outlives
// it). Nothing happens without probing services (--no-smtp). Lives on the
// scan's thread.
class MtaStsPolicyFetch {
 public:
  MtaStsPolicyFetch(ScanContext& context, std::string domain,
                    DomainResult* result);
  MtaStsPolicyFetch(const MtaStsPolicyFetch&) = delete;
  MtaStsPolicyFetch& operator=(const MtaStsPolicyFetch&) = delete;

  // The _mta-sts TXT answer has been read into result->mta_sts().
  void OnTxtRecord();
  // Every MX host of result->mx() has its addresses.
  void OnMxHostsResolved();

 private:
  void MaybeStart();
  void NoteHostCname(const dns::LookupResult& r);
  void Fetch(const std::string& ip, absl::string_view dns_status);
  void OnPolicy(https::FetchResult fetched);

  ScanContext& context_;
  const std::string host_;  // mta-sts.<domain>
  DomainResult* const result_;
  bool txt_read_ = false;
  bool mx_hosts_resolved_ = false;
  bool started_ = false;
};

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_MTA_STS_POLICY_FETCH_H_
