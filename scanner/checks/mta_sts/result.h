#ifndef MXSCAN_SCANNER_CHECKS_MTA_STS_RESULT_H_
#define MXSCAN_SCANNER_CHECKS_MTA_STS_RESULT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "proto/mxscan.pb.h"

namespace mxscan::checks::mta_sts {

// FillMtaStsRecord records one _mta-sts TXT record in `result`: txt_present,
// record, id (only when well-formed), and the parser's errors and warnings,
// each prefixed "record: ". Leaves the policy fields alone. `result` is
// borrowed, not owned.
void FillMtaStsRecord(absl::string_view record, MtaStsResult* result);

// FillMtaStsRecordFromTxt applies the selection rule of RFC 8461 section 3.1
// to all TXT records found at _mta-sts (each with its strings concatenated):
// records that are not MTA-STS records (IsMtaStsCandidate) are dropped; none
// left means txt_present stays false; more than one is an error (senders
// then assume no MTA-STS) and the first is the one recorded and parsed.
void FillMtaStsRecordFromTxt(absl::Span<const std::string> txt_records,
                             MtaStsResult* result);

// FillMtaStsPolicy records a fetched policy body: policy_fetched, and the
// parser's errors and warnings prefixed "policy: ". Only a valid policy sets
// mode, mx, max_age and mx_not_covered (the MX hosts of the domain,
// `mx_hosts`, that no mx pattern covers): a sender ignores an invalid policy
// (RFC 8461 section 5), so its mode must not count as deployed.
void FillMtaStsPolicy(absl::string_view body,
                      absl::Span<const std::string> mx_hosts,
                      MtaStsResult* result);

}  // namespace mxscan::checks::mta_sts

#endif  // MXSCAN_SCANNER_CHECKS_MTA_STS_RESULT_H_
