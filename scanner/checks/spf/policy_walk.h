#ifndef MXSCAN_SCANNER_CHECKS_SPF_POLICY_WALK_H_
#define MXSCAN_SCANNER_CHECKS_SPF_POLICY_WALK_H_

#include <cstdint>
#include <set>
#include <string>

#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/checks/spf/answer_cache.h"
#include "scanner/checks/spf/ip_address.h"
#include "scanner/checks/spf/limits.h"

namespace mxscan::checks::spf {

// The SPF evaluator: one pure walk of a domain's record tree over the DNS
// answers in an AnswerCache, returning the questions it still needs (a
// driver asks them and walks again: check_host.h, analysis.h). It answers
// two questions with the same code for record lookup and selection,
// mechanism parsing, macro expansion, include/redirect and the counting
// of DNS-querying terms and void lookups (RFC 7208 section 4.6.4):
//  - EvaluateCheckHost: check_host() for one client, what a receiver
//    concludes (the RFC 7208 test suite runs against it);
//  - WalkPolicy: the domain's posture as the scan reports it, seen by a
//    client that no mechanism but "all" matches.

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

// CheckHostPass is one pass of check_host() over the answers so far.
struct CheckHostPass {
  // The result, final when `missing` is empty.
  CheckHostResult result;
  // Questions the evaluation stopped at (it evaluates in record order and
  // waits at the first unanswered mechanism; an mx mechanism needs all
  // its hosts at once). Ask them and evaluate again.
  std::set<Question> missing;
};

// EvaluateCheckHost is check_host() of RFC 7208 sections 4-6: directives
// in order up to the first match, include and redirect recursively, the
// exp= explanation of a fail, the processing limits as permerrors. A
// malformed <domain> gives kNone without any question. Pure.
CheckHostPass EvaluateCheckHost(const CheckHostRequest& request,
                                const AnswerCache& cache);

// WalkOutcome is one pass of the posture walk.
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

// WalkPolicy judges the SPF policy of `domain` as check_host() would see
// it for a sender that no mechanism but "all" matches, and reports what a
// receiver would stop at as data instead of stopping: it follows include
// and redirect (redirect only without "all"), visits every mechanism up
// to the first "all", counts DNS-querying terms and void lookups, and
// reports errors (each naming its include/redirect chain, prefixed with
// the temperror/permerror a receiver would return) and warnings. Terms
// whose domain-spec depends on the sender or the client address (macros
// other than %{d} and %{o}) are counted but not followed: a warning. `a`
// asks A and AAAA and is void when both are; `mx` asks MX (not the hosts'
// own addresses); `ptr` is never followed; include and redirect loops are
// errors. Never fails: every problem is data in the result.
WalkOutcome WalkPolicy(absl::string_view domain, const AnswerCache& cache,
                       const WalkLimits& limits = WalkLimits());

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_POLICY_WALK_H_
