#ifndef MXSCAN_SCANNER_CHECKS_SPF_VALIDATED_NAMES_H_
#define MXSCAN_SCANNER_CHECKS_SPF_VALIDATED_NAMES_H_

#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "scanner/checks/dns_source.h"
#include "scanner/checks/spf/dns_answers.h"
#include "scanner/checks/spf/ip_address.h"

namespace mxscan::checks::spf {

// ValidatedNames is the outcome of the name validation of RFC 7208 section
// 5.5, used by the ptr mechanism and the %{p} macro.
struct ValidatedNames {
  // How the PTR question was answered. A failure is not an error for SPF:
  // ptr then just does not match and %{p} is "unknown".
  AnswerKind ptr_answer = AnswerKind::kVoid;
  // Validated names in PTR answer order: lowercase, no trailing dot.
  std::vector<std::string> names;
};

// ResolveValidatedNames asks the PTR records of `ip`, keeps the first
// `max_names` names, asks each one's addresses of `ip`'s family (all at
// once) and keeps the names that have `ip` among them; a name whose lookup
// fails is skipped. Calls `done` exactly once, from a `source` callback.
// `source` must outlive the lookups; the state keeps itself alive.
void ResolveValidatedNames(DnsSource& source, const IpAddress& ip,
                           int max_names,
                           absl::AnyInvocable<void(ValidatedNames)> done);

// ChooseValidatedName picks the %{p} value for `domain` (RFC 7208 section
// 7.3): `domain` itself if validated, else a validated subdomain of it,
// else the first validated name, else "unknown".
std::string ChooseValidatedName(const std::vector<std::string>& names,
                                absl::string_view domain);

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_VALIDATED_NAMES_H_
