#ifndef MXSCAN_TESTS_EXPORT_EXPORT_FIXTURE_H_
#define MXSCAN_TESTS_EXPORT_EXPORT_FIXTURE_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/export/schema.h"
#include "scanner/export/value.h"
#include "scanner/stats/domain_summary.h"
#include "tests/stats/stats_test_records.h"

namespace mxscan::db_export::testing {

// A banner that tests the text escapes of both databases: tab, newline,
// carriage return, backslash, quotes and non-ASCII.
inline constexpr char kTrickyBanner[] =
    "mx.example ESMTP\tready \\ \"quoted\" 'single'\r\nsecond line \xc3\xa9";

// RichDomain is a record with every part the schema has: SPF with errors,
// warnings and an include chain; DMARC with every list; MTA-STS, TLS-RPT,
// BIMI, two DKIM keys; two MX hosts (one with TLSA) of a provider and of
// the domain itself, with probes that completed TLS (chains of two
// certificates named by `leaf_sha256` and `issuer_sha256`), one that
// failed, one not probed; domain errors and findings. `variant` varies the
// posture (0: strong, 1: weak).
DomainResult RichDomain(const std::string& domain, const std::string& sector,
                        int variant, const std::string& leaf_sha256,
                        const std::string& issuer_sha256);

// A certificate with facts, its DER `der` (any bytes) and this hash.
Certificate MakeCertificate(const std::string& sha256, int64_t not_after,
                            const std::string& der);

// Writes records as `mxscan scan` does (length-delimited, ResultWriter)
// into DIR/<prefix>-1<suffix>; creates DIR.
void WriteRecords(const std::string& dir, const std::string& prefix,
                  const std::vector<const google::protobuf::MessageLite*>&
                      records,
                  const std::string& suffix = ".pb");

// Runs tools/sim/gen_results (a data dependency) into DIR.
void GenerateResults(const std::string& dir, int records, int seed,
                     int changed_percent);

// The contents of a data file of the test, by its path in the workspace
// ("scanner/export/SCHEMA.md"); "" when missing.
std::string ReadRunfile(absl::string_view path);

// A new empty directory under the test's temporary directory.
std::string NewTempDir(absl::string_view name);

// The organisational domain of the tests: the last two labels.
using ::mxscan::stats::testing::LastTwoLabels;

// Every record of the *.pb files of `dirs`, in file order.
std::vector<DomainResult> ReadAll(const std::vector<std::string>& dirs);

// Counts the rows that MapDomainRows gives, per table.
class RowCounter : public RowSink {
 public:
  void Add(TableId table, absl::Span<const Value> values) override {
    ++counts_[static_cast<int>(table)];
  }
  uint64_t count(TableId table) const {
    return counts_[static_cast<int>(table)];
  }

 private:
  std::array<uint64_t, kTableCount> counts_{};
};

}  // namespace mxscan::db_export::testing

#endif  // MXSCAN_TESTS_EXPORT_EXPORT_FIXTURE_H_
