#ifndef MXSCAN_SCANNER_CHECKS_SPF_CHECK_HOST_H_
#define MXSCAN_SCANNER_CHECKS_SPF_CHECK_HOST_H_

#include "absl/functional/any_invocable.h"
#include "scanner/checks/dns_source.h"
#include "scanner/checks/spf/policy_walk.h"

namespace mxscan::checks::spf {

// CheckHost evaluates check_host() (EvaluateCheckHost, the evaluator the
// posture walk shares) over `source`, asking its questions in rounds
// (answer_rounds.h), and calls `done` exactly once with the result.
//
// `source` must outlive every lookup CheckHost starts; the evaluation
// keeps itself alive until then, the caller keeps nothing. `done` runs
// from a DnsSource callback, except when no DNS is needed at all (a
// malformed <domain> gives kNone at once): then it runs before CheckHost
// returns. The questions of one mechanism are outstanding together (an mx
// mechanism's hosts, the names a ptr validates). Past `max_questions`
// distinct questions (far more than the limits of RFC 7208 section 4.6.4
// let a policy ask) the result is a temperror.
void CheckHost(DnsSource& source, CheckHostRequest request,
               absl::AnyInvocable<void(CheckHostResult)> done,
               int max_questions = 512);

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_CHECK_HOST_H_
