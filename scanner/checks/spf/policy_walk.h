#ifndef MXSCAN_SCANNER_CHECKS_SPF_POLICY_WALK_H_
#define MXSCAN_SCANNER_CHECKS_SPF_POLICY_WALK_H_

#include <set>

#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/checks/spf/answer_cache.h"
#include "scanner/checks/spf/limits.h"

namespace mxscan::checks::spf {

// WalkOutcome is one pass of the policy walk.
struct WalkOutcome {
  // The report, complete when `missing` is empty.
  mxscan::SpfResult result;
  // Questions the walk needed and `cache` did not hold; their branches
  // were not judged. Ask them and walk again.
  std::set<Question> missing;
};

// WalkLimits bound the walk and name the RFC 7208 section 4.6.4 limits.
struct WalkLimits {
  CheckHostLimits rfc;
  // Stop descending after this many DNS-querying terms: a tree that
  // includes the same records many times over could otherwise grow
  // exponentially. Far above anything a receiver evaluates.
  int max_terms = 200;
};

// WalkPolicy judges the SPF policy of `domain` from the answers in `cache`,
// synchronously, as an evaluation for a sender that no mechanism matches
// would see it: it follows include and redirect (redirect only without
// "all"), visits every mechanism up to the first "all", counts DNS-querying
// terms and void lookups the way RFC 7208 section 4.6.4 does, and reports
// errors (each naming its include/redirect chain) and warnings. Terms whose
// domain-spec depends on the sender or the client address (macros other
// than %{d} and %{o}) are counted but not followed: a warning. `a` asks A
// and AAAA and is void when both are; `mx` asks MX (not the hosts' own
// addresses); `ptr` is never followed. Pure; never fails: every problem is
// data in the result.
WalkOutcome WalkPolicy(absl::string_view domain, const AnswerCache& cache,
                       const WalkLimits& limits = WalkLimits());

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_POLICY_WALK_H_
