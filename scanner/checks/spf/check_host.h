#ifndef MXSCAN_SCANNER_CHECKS_SPF_CHECK_HOST_H_
#define MXSCAN_SCANNER_CHECKS_SPF_CHECK_HOST_H_

#include <cstdint>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "scanner/checks/dns_source.h"
#include "scanner/checks/spf/ip_address.h"
#include "scanner/checks/spf/limits.h"

namespace mxscan::checks::spf {

// The results of check_host() (RFC 7208 section 2.6).
enum class Result {
  kNone,
  kNeutral,
  kPass,
  kFail,
  kSoftFail,
  kTempError,
  kPermError,
};

// ResultName: "none", "neutral", "pass", "fail", "softfail", "temperror",
// "permerror".
const char* ResultName(Result result);

// CheckHostRequest holds the arguments of check_host() and the values the
// macros need. A value type.
struct CheckHostRequest {
  IpAddress ip;        // <ip>; an IPv4-mapped IPv6 address counts as IPv4
  std::string domain;  // <domain>, raw octets, trailing dot optional
  std::string sender;  // <sender>: "local-part@domain" (see ForMailFrom)
  std::string helo;    // HELO/EHLO name, for %{h}
  std::string receiver = "unknown";  // this host's name, for %{r}
  int64_t timestamp =
      0;  // %{t}, seconds since the epoch; pure code reads no clock
  CheckHostLimits limits;

  // ForMailFrom builds the request for the MAIL FROM identity (RFC 7208
  // section 2.4): <sender> is `mail_from`, or "postmaster@<helo>" when it
  // is empty; <domain> is what follows its last '@'. A missing local-part
  // becomes "postmaster" (section 4.3).
  static CheckHostRequest ForMailFrom(const IpAddress& ip,
                                      absl::string_view mail_from,
                                      absl::string_view helo);
  // ForHelo builds the request for the HELO identity (section 2.3).
  static CheckHostRequest ForHelo(const IpAddress& ip, absl::string_view helo);
};

// CheckHostResult is what check_host() concludes.
struct CheckHostResult {
  Result result = Result::kNone;
  // For kFail: the explanation from the exp= of the record that failed,
  // macros expanded. Empty when there is none (then the receiver uses its
  // own default explanation, RFC 7208 section 6.2).
  std::string explanation;
  // The directive that decided the result, with the include/redirect chain
  // that led to it ("redirect=_spf.example.org > -all"); empty for a
  // default result.
  std::string mechanism;
  // For kTempError / kPermError (and kNone): why, naming the chain
  // ("include:a.example > include:b.example: no SPF record at b.example").
  std::string error;
  int dns_lookups = 0;   // DNS-querying terms evaluated
  int void_lookups = 0;  // of which answered NXDOMAIN or NODATA
};

// CheckHost evaluates check_host() of RFC 7208 sections 4-6 over `source`
// and calls `done` exactly once with the result.
//
// All DNS goes through `source`, which must outlive every lookup CheckHost
// starts (until the source has delivered all its answers). The evaluation
// keeps itself alive until then; the caller keeps nothing. `done` runs from
// a DnsSource callback, except when no DNS is needed at all (a malformed
// <domain> gives kNone at once): then it runs before CheckHost returns.
// Several lookups may be outstanding at once (MX hosts, PTR names).
void CheckHost(DnsSource& source, CheckHostRequest request,
               absl::AnyInvocable<void(CheckHostResult)> done);

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_CHECK_HOST_H_
