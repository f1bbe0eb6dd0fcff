#include "scanner/checks/dmarc/tree_walk.h"

#include <algorithm>

#include "absl/strings/match.h"

namespace mxscan::checks::dmarc {
namespace {

// The walk skips to this many labels for longer names (step 4).
constexpr size_t kSkipToLabels = 7;

// LastLabels returns the suffix of `domain` made of its last `n` labels.
absl::string_view LastLabels(absl::string_view domain, size_t n) {
  size_t start = domain.size();
  for (size_t seen = 0; seen < n; ++seen) {
    const size_t dot = domain.rfind('.', start == 0 ? 0 : start - 1);
    if (start == 0 || dot == absl::string_view::npos) return domain;
    start = dot;
  }
  return domain.substr(start + 1);
}

}  // namespace

size_t LabelCount(absl::string_view domain) {
  if (domain.empty()) return 0;
  return static_cast<size_t>(std::count(domain.begin(), domain.end(), '.')) + 1;
}

bool IsSameOrSubdomain(absl::string_view name, absl::string_view ancestor) {
  if (name.size() == ancestor.size()) return name == ancestor;
  return name.size() > ancestor.size() && absl::EndsWith(name, ancestor) &&
         name[name.size() - ancestor.size() - 1] == '.';
}

std::vector<std::string> TreeWalkTargets(absl::string_view domain) {
  std::vector<std::string> targets;
  size_t labels = LabelCount(domain);
  if (labels == 0) return targets;
  targets.emplace_back(domain);
  labels = labels > kSkipToLabels + 1 ? kSkipToLabels : labels - 1;
  for (; labels >= 1; --labels) {
    targets.emplace_back(LastLabels(domain, labels));
  }
  return targets;
}

bool TreeWalkStopsAt(const TreeWalkRecord& record) {
  return record.psd == DmarcPsd::kYes || record.psd == DmarcPsd::kNo;
}

std::string SelectOrganizationalDomain(absl::string_view start,
                                       absl::Span<const TreeWalkRecord> found) {
  for (const TreeWalkRecord& record : found) {
    if (record.psd == DmarcPsd::kNo) return record.domain;
    if (record.psd == DmarcPsd::kYes && record.domain != start) {
      return std::string(LastLabels(start, LabelCount(record.domain) + 1));
    }
  }
  if (found.empty()) return std::string(start);
  const auto fewest =
      std::min_element(found.begin(), found.end(),
                       [](const TreeWalkRecord& a, const TreeWalkRecord& b) {
                         return LabelCount(a.domain) < LabelCount(b.domain);
                       });
  return fewest->domain;
}

}  // namespace mxscan::checks::dmarc
