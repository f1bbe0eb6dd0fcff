#ifndef MXSCAN_SCANNER_CHECKS_DMARC_TREE_WALK_H_
#define MXSCAN_SCANNER_CHECKS_DMARC_TREE_WALK_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "scanner/checks/dmarc/record.h"

namespace mxscan::checks::dmarc {

// The DNS Tree Walk of RFC 9989 section 4.10, as pure functions; the
// queries themselves are made by DiscoverDmarc (discovery.h).

// Most queries one walk makes (RFC 9989 section 4.10).
inline constexpr size_t kMaxTreeWalkQueries = 8;

// TreeWalkTargets returns the names whose "_dmarc." records a walk from
// `domain` asks for, in order: the domain itself; then, for a name of more
// than 8 labels, its last 7 labels (the labels in between are skipped),
// else its parent; then one label fewer each time, down to the top-level
// label. At most kMaxTreeWalkQueries names. `domain` is lowercase without a
// trailing dot; an empty domain gives no targets.
std::vector<std::string> TreeWalkTargets(absl::string_view domain);

// A DMARC Policy Record a walk found: the only record starting with
// v=DMARC1 at "_dmarc." + `domain`.
struct TreeWalkRecord {
  std::string domain;
  DmarcPsd psd = DmarcPsd::kUnknown;  // an invalid psd value counts as u
};

// TreeWalkStopsAt: a record with psd=y or psd=n ends the walk (steps 2, 6).
bool TreeWalkStopsAt(const TreeWalkRecord& record);

// SelectOrganizationalDomain applies RFC 9989 section 4.10.2 to the
// records a walk from `start` found, longest name first: the first record
// with psd=n is the Organizational Domain; a record with psd=y (other than
// at `start`) makes the name one label below it (towards `start`) the
// Organizational Domain; otherwise the record with the fewest labels; and
// with no records at all, `start` itself.
std::string SelectOrganizationalDomain(absl::string_view start,
                                       absl::Span<const TreeWalkRecord> found);

// LabelCount("a.b.c") == 3; 0 for "".
size_t LabelCount(absl::string_view domain);

// IsSameOrSubdomain: `name` is `ancestor` or below it (whole labels).
bool IsSameOrSubdomain(absl::string_view name, absl::string_view ancestor);

}  // namespace mxscan::checks::dmarc

#endif  // MXSCAN_SCANNER_CHECKS_DMARC_TREE_WALK_H_
