#ifndef MXSCAN_SCANNER_STATS_PROVENANCE_H_
#define MXSCAN_SCANNER_STATS_PROVENANCE_H_

#include <string>
#include <vector>

#include "proto/mxscan.pb.h"

namespace mxscan::stats {

// What the reports say about where their figures come from: the scan
// manifests of the result directories (ScanManifest). Pure.

// ProvenanceLines: one line per run of every manifest, in words (version,
// commit, when, shard, resolvers and whether they validate, the Public
// Suffix List and CA bundle by hash and date, DMARC profile, EHLO name,
// records by status).
std::vector<std::string> ProvenanceLines(
    const std::vector<ScanManifest>& manifests);

// ComparabilityWarnings: why figures of the `before` scan and the `after`
// scan may differ for reasons other than the domains: another Public
// Suffix List, CA bundle or DMARC profile, resolvers that validate on one
// side only, or a side without a manifest. Empty when nothing differs.
std::vector<std::string> ComparabilityWarnings(
    const std::vector<ScanManifest>& before,
    const std::vector<ScanManifest>& after);

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_PROVENANCE_H_
