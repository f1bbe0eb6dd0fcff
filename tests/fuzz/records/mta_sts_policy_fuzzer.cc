// Fuzz target: the MTA-STS policy parser, MX pattern matching and
// MtaStsResult filling. Besides "no crash", it checks what a valid parse
// promises.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "scanner/checks/mta_sts/mx_pattern.h"
#include "scanner/checks/mta_sts/policy.h"
#include "scanner/checks/mta_sts/result.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace mxscan::checks::mta_sts;

  const MtaStsPolicy policy = ParseMtaStsPolicy(input);
  if (policy.valid()) {
    Require(policy.version == "STSv1");
    Require(policy.mode == "enforce" || policy.mode == "testing" ||
            policy.mode == "none");
    Require(policy.has_max_age && policy.max_age <= kMaxPolicyMaxAge);
    Require(policy.mode == "none" || !policy.mx.empty());
  }
  for (const std::string& pattern : policy.mx) {
    Require(IsValidMxPattern(pattern));
    // A pattern covers itself (with the "*" as a label) and its own host
    // name with a trailing dot; a wildcard never covers its bare suffix.
    const std::string host =
        pattern[0] == '*' ? "x" + pattern.substr(1) : pattern;
    Require(MxMatchesPattern(host, pattern));
    Require(MxMatchesPattern(host + ".", pattern));
    if (pattern[0] == '*')
      Require(!MxMatchesPattern(pattern.substr(2), pattern));
  }

  // The input's lines as MX host names: arbitrary bytes must be safe.
  std::vector<std::string> hosts;
  size_t start = 0;
  while (start <= input.size() && hosts.size() < 64) {
    size_t end = input.find('\n', start);
    if (end == absl::string_view::npos) end = input.size();
    hosts.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }
  mxscan::MtaStsResult result;
  FillMtaStsPolicy(input, hosts, &result);
  Require(result.policy_fetched());
  Require(result.mx_not_covered_size() <= static_cast<int>(hosts.size()));
  // Result files must read back: proto3 strings have to be UTF-8.
  std::string wire;
  Require(result.SerializeToString(&wire));
  mxscan::MtaStsResult read_back;
  Require(read_back.ParseFromString(wire));
  return 0;
}
