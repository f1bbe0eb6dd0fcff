// Fuzz target: the DMARC record parser under both profiles, the report URI
// parser, DmarcResult filling, and the tree-walk helpers (the input read as
// a domain name). Invariants that must hold for any input abort on failure.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/checks/dmarc/record.h"
#include "scanner/checks/dmarc/report_uri.h"
#include "scanner/checks/dmarc/result_fields.h"
#include "scanner/checks/dmarc/tree_walk.h"

namespace {

using namespace mxscan::checks::dmarc;  // NOLINT: a fuzz target's brevity

void Require(bool condition) {
  if (!condition) std::abort();
}

void CheckUri(const ReportUri& uri) {
  Require(!uri.uri.empty() && !uri.scheme.empty());
  Require(uri.scheme == absl::AsciiStrToLower(uri.scheme));
  if (uri.scheme == "mailto") {
    Require(!uri.host.empty() && absl::StrContains(uri.address, '@'));
    Require(absl::EndsWith(uri.address, uri.host));
  }
}

void CheckParse(absl::string_view input, DmarcProfile profile) {
  const DmarcParse p = ParseDmarcRecord(input, profile);
  Require(p.is_dmarc == StartsWithDmarcVersion(input));
  Require(p.valid() == (p.is_dmarc && p.errors.empty()));
  if (!p.is_dmarc) {
    Require(p.errors.size() == 1 && p.warnings.empty() && !p.policy);
    return;
  }
  // The three policies are all set or all unset; without a valid p the only
  // policy a record can lead to is none.
  Require(p.policy.has_value() == p.subdomain_policy.has_value());
  Require(p.policy.has_value() == p.nonexistent_policy.has_value());
  if (p.policy && !p.record.p) Require(*p.policy == DmarcPolicy::kNone);
  if (!p.policy) Require(!p.valid());
  for (const ReportUri& uri : p.record.rua) CheckUri(uri);
  for (const ReportUri& uri : p.record.ruf) CheckUri(uri);
  // fo is deduplicated in the order 0, 1, d, s.
  static const std::string kOrder = "01ds";
  for (size_t i = 1; i < p.record.fo.size(); ++i) {
    Require(kOrder.find(p.record.fo[i - 1]) < kOrder.find(p.record.fo[i]));
  }
  if (profile == DmarcProfile::kRfc9989) {
    Require(!p.record.pct && !p.record.ri && p.record.rf.empty());
  } else if (p.record.pct) {
    Require(*p.record.pct <= 100);
  }
  mxscan::DmarcResult result;
  FillRecordFields(p, profile, &result);
  Require(result.rua_size() == static_cast<int>(p.record.rua.size()));
  std::string wire;
  Require(result.SerializeToString(&wire));
}

void CheckTreeWalk(absl::string_view input) {
  const std::vector<std::string> targets = TreeWalkTargets(input);
  Require(targets.size() <= kMaxTreeWalkQueries);
  Require(targets.empty() == input.empty());
  std::vector<TreeWalkRecord> found;
  size_t byte = 0;
  for (const std::string& target : targets) {
    Require(absl::EndsWith(input, target));
    // Let the input's own bytes decide which levels hold which records.
    const uint8_t pick =
        input.empty() ? 0 : static_cast<uint8_t>(input[byte++ % input.size()]);
    if (pick % 3 == 0) continue;
    const DmarcPsd psd = pick % 7 == 0    ? DmarcPsd::kYes
                         : pick % 11 == 0 ? DmarcPsd::kNo
                                          : DmarcPsd::kUnknown;
    found.push_back({target, psd});
    if (TreeWalkStopsAt(found.back())) break;
  }
  Require(absl::EndsWith(input, SelectOrganizationalDomain(input, found)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  CheckParse(input, DmarcProfile::kRfc9989);
  CheckParse(input, DmarcProfile::kRfc7489);
  std::vector<std::string> notes;
  const auto uri = ParseReportUri(input, &notes);
  if (uri.ok()) CheckUri(*uri);
  CheckTreeWalk(input);
  return 0;
}
