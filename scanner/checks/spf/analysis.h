#ifndef MXSCAN_SCANNER_CHECKS_SPF_ANALYSIS_H_
#define MXSCAN_SCANNER_CHECKS_SPF_ANALYSIS_H_

#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/checks/dns_source.h"
#include "scanner/checks/spf/policy_walk.h"

namespace mxscan::checks::spf {

struct AnalysisOptions {
  WalkLimits walk;
  // Distinct DNS questions one analysis may ask; past it the report is
  // made from what was answered, with a warning.
  int max_questions = 256;
};

// AnalyzeSpf produces the scanner's SPF report for `domain` (what
// mxscan::SpfResult holds; see WalkPolicy for the judgement): the TXT
// lookup's status in dns_status (a TIMEOUT or SERVFAIL is never "no
// record": present stays false, valid is false and an error says
// temperror), the v=spf1 record, its effective "all", the DNS-mechanism
// and void lookup counts of RFC 7208 section 4.6.4, errors and warnings
// naming their include/redirect chain, and every record fetched.
//
// It asks in rounds: each round walks the policy over the answers so far
// and asks, all at once, the questions the walk still needs; each distinct
// question is asked once. `source` must outlive the lookups; the analysis
// keeps itself alive until `done` has run, exactly once, from a `source`
// callback (or before AnalyzeSpf returns when no question is needed: a
// malformed domain).
void AnalyzeSpf(DnsSource& source, absl::string_view domain,
                absl::AnyInvocable<void(mxscan::SpfResult)> done,
                const AnalysisOptions& options = AnalysisOptions());

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_ANALYSIS_H_
