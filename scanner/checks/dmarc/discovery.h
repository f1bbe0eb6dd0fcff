#ifndef MXSCAN_SCANNER_CHECKS_DMARC_DISCOVERY_H_
#define MXSCAN_SCANNER_CHECKS_DMARC_DISCOVERY_H_

#include <optional>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/checks/dmarc/record.h"
#include "scanner/checks/dns_source.h"
#include "scanner/checks/org_domain/public_suffix_list.h"

namespace mxscan::checks::dmarc {

struct DmarcDiscoveryOptions {
  DmarcProfile profile = DmarcProfile::kRfc9989;
  // The list RFC 7489 takes Organizational Domains from. Required under
  // kRfc7489, unused under kRfc9989 (the DNS Tree Walk replaces it). Not
  // owned; must outlive every discovery that uses it.
  const org_domain::PublicSuffixList* psl = nullptr;
  // Look up <policy domain>._report._dmarc.<host> for rua/ruf destinations
  // in another Organizational Domain.
  bool check_report_authorization = true;
  // Whether the domain exists (e.g. its MX lookup was not NXDOMAIN). When
  // false, an inherited policy is the record's np (RFC 9989) instead of its
  // sp; unknown counts as existing.
  std::optional<bool> domain_exists;
};

using DmarcDiscoveryCallback = absl::AnyInvocable<void(mxscan::DmarcResult)>;

// DiscoverDmarc finds the DMARC policy that applies to `domain` (A-labels,
// any case, optional trailing dot) and reports it through `done`, which is
// called exactly once, always later (from a DnsSource callback, never from
// inside DiscoverDmarc), and only after every lookup it made has answered.
//
// kRfc9989: the DNS Tree Walk (RFC 9989 section 4.10, at most 8 queries)
// from the domain finds the domain's own record, its Organizational Domain
// (psd=y/n, else the shortest name with a record) and the record that
// applies: the domain's, else the Organizational Domain's, else a PSD's
// (psd=y). kRfc7489: the Organizational Domain comes from the Public Suffix
// List, and _dmarc.<organizational domain> is asked only when the domain has
// no record (RFC 7489 section 6.6.3).
//
// In the result: `present` = a policy record applies, or the domain
// publishes DMARC records of its own (even several, which receivers
// discard); `policy` = what applies to the domain itself: p of its own
// record, or sp (np for a domain known not to exist) of an inherited one,
// after the fallback rules ("" = no DMARC processing); p/sp/np fields are
// the tags as written; `valid` = present and no error. A TIMEOUT, SERVFAIL
// or other failure is never taken for "no record": `dns_status` keeps it,
// `valid` is false and an error says what is unknown. External report
// destinations without an authorisation record are listed in
// `unauthorized_destinations`. Every distinct question is asked once.
//
// Fails at once (and never calls `done`) on a name that is not a domain
// name, or under kRfc7489 without a Public Suffix List. `dns` must outlive
// the discovery; the caller need not keep anything else alive.
absl::Status DiscoverDmarc(DnsSource& dns, absl::string_view domain,
                           const DmarcDiscoveryOptions& options,
                           DmarcDiscoveryCallback done);

}  // namespace mxscan::checks::dmarc

#endif  // MXSCAN_SCANNER_CHECKS_DMARC_DISCOVERY_H_
