#ifndef MXSCAN_SCANNER_CHECKS_MTA_STS_POLICY_H_
#define MXSCAN_SCANNER_CHECKS_MTA_STS_POLICY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace mxscan::checks::mta_sts {

// The largest policy body the parser reads. RFC 8461 leaves the bound to
// senders; 64 KiB is far above any real policy and is what the scanner's
// fetcher stops at, so the parser refuses more on its own as well.
inline constexpr size_t kMaxPolicyBytes = 64 * 1024;

// RFC 8461 section 3.2: max_age is at most 31557600 seconds (about a year).
inline constexpr uint64_t kMaxPolicyMaxAge = 31557600;

// MtaStsPolicy is a parsed policy file (.well-known/mta-sts.txt).
struct MtaStsPolicy {
  std::string version;          // "STSv1" when present and right, else empty
  std::string mode;             // "enforce", "testing" or "none"; empty if bad
  std::vector<std::string> mx;  // well-formed patterns, as written, in order
  bool has_max_age = false;     // a well-formed max_age line was seen
  uint64_t max_age = 0;         // seconds, 0..kMaxPolicyMaxAge
  // Extension keys in file order, each with a well-formed key and value.
  std::vector<std::pair<std::string, std::string>> extensions;
  // Anything that makes a sender reject the policy.
  std::vector<std::string> errors;
  // Deviations from the grammar that cost nothing to tolerate.
  std::vector<std::string> warnings;

  bool valid() const { return errors.empty(); }
};

// ParseMtaStsPolicy parses a policy body (RFC 8461 section 3.2): lines ended
// by LF or CRLF (the last one may be unterminated), each "key:" then optional
// whitespace then the value, trailing whitespace ignored. version STSv1,
// mode and max_age exactly once each; mx one or more times unless mode is
// "none"; keys are case-sensitive; unknown keys are extensions (the RFC
// grammar allows them) and need a well-formed name and a non-empty value.
// Bodies over kMaxPolicyBytes or not UTF-8 are refused with one error and
// nothing else parsed. Never fails: problems are reported in the result.
MtaStsPolicy ParseMtaStsPolicy(absl::string_view body);

}  // namespace mxscan::checks::mta_sts

#endif  // MXSCAN_SCANNER_CHECKS_MTA_STS_POLICY_H_
