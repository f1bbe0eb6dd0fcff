#ifndef MXSCAN_SCANNER_SCAN_MX_HOST_SCAN_H_
#define MXSCAN_SCANNER_SCAN_MX_HOST_SCAN_H_

#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "proto/mxscan.pb.h"
#include "scanner/dns/lookup.h"
#include "scanner/scan/scan_context.h"

namespace mxscan::scan {

// MxHostScan is the part of a domain's scan that concerns one MX host: its
// addresses (A and AAAA, RFC 5321 section 5.1), then the SMTP probe of
// each address (STARTTLS, certificate), and its TLSA records; once the
// TLSA answer and every probe are in, the DANE check (RFC 7672) of each
// address that completed a handshake. It fills `host` (owned by the
// record, which outlives it) and calls `resolved` once, when the host's
// addresses are known. An MX host that is an IP address is a finding and
// is never resolved. Lives on the scan's thread.
class MxHostScan {
 public:
  MxHostScan(ScanContext& context, MxHost* host, bool implicit_mx,
             absl::AnyInvocable<void()> resolved);
  MxHostScan(const MxHostScan&) = delete;
  MxHostScan& operator=(const MxHostScan&) = delete;

  void Start();

 private:
  void OnAddresses(const dns::LookupResult& r);
  void OnBothAddressAnswers();
  void Probe();
  void OnTlsa(const dns::LookupResult& r);
  void MaybeCheckDane();

  ScanContext& context_;
  MxHost* const host_;
  const bool implicit_mx_;
  absl::AnyInvocable<void()> resolved_;

  // Addresses: the two answers, A and AAAA.
  int address_answers_ = 0;
  dns::LookupStatus a_status_ = dns::LookupStatus::kNoError;
  dns::LookupStatus aaaa_status_ = dns::LookupStatus::kNoError;
  // Probes: started once the addresses are known; the chain each
  // address presented, for DANE.
  bool probes_started_ = false;
  int probes_outstanding_ = 0;
  std::vector<std::vector<std::string>> chains_;
  // DANE: once the TLSA answer and every probe are in.
  bool tlsa_answered_ = false;
  bool dane_checked_ = false;
};

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_MX_HOST_SCAN_H_
