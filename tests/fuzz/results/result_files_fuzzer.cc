// Fuzz target: result files as the offline commands read them (`mxscan
// dump`, `stats`, `export`): a result directory may be torn by a crash,
// damaged on shared storage or written by another version. The input is
// written to a file and read by scanner/scan/result_reader (length
// prefixes, torn last records); every DomainResult found goes through
// stats::SummarizeDomain and an Aggregate (stats), the dump's CSV row,
// and the export's row mapping; and the same bytes are read as a
// certificates file and mapped to rows. Checks beyond "no crash":
//  - reading never half-reads: the records visited plus a torn end
//    account for the file, and a torn file names where its whole records
//    end;
//  - each CSV row has the header's number of fields;
//  - each export row has its table's number of columns, and a value of
//    the column's kind (or NULL).

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "proto/mxscan.pb.h"
#include "scanner/export/rows.h"
#include "scanner/export/schema.h"
#include "scanner/export/value.h"
#include "scanner/results/result_reader.h"
#include "scanner/scan/domain_input.h"
#include "scanner/stats/aggregate.h"
#include "scanner/stats/domain_row.h"
#include "scanner/stats/domain_summary.h"

namespace {

using mxscan::db_export::ColumnType;
using mxscan::db_export::TableId;
using mxscan::db_export::Value;

void Require(bool condition) {
  if (!condition) std::abort();
}

// The file the input is written to, one per process.
const std::string& InputPath() {
  static const std::string* path = [] {
    const char* dir = std::getenv("TEST_TMPDIR");
    if (dir == nullptr) dir = std::getenv("TMPDIR");
    return new std::string(std::string(dir != nullptr ? dir : "/tmp") +
                           "/result_files_fuzzer." +
                           std::to_string(getpid()) + ".pb");
  }();
  return *path;
}

void WriteInput(absl::string_view bytes) {
  FILE* f = std::fopen(InputPath().c_str(), "wb");
  Require(f != nullptr);
  Require(std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
  Require(std::fclose(f) == 0);
}

class CheckingSink : public mxscan::db_export::RowSink {
 public:
  void Add(TableId table, absl::Span<const Value> values) override {
    const auto& columns = mxscan::db_export::TableOf(table).columns;
    Require(values.size() == columns.size());
    for (size_t i = 0; i < values.size(); ++i) {
      if (values[i].kind == Value::Kind::kNull) continue;
      switch (columns[i].type) {
        case ColumnType::kBool:
          Require(values[i].kind == Value::Kind::kInt &&
                  (values[i].integer == 0 || values[i].integer == 1));
          break;
        case ColumnType::kInt:
        case ColumnType::kBigInt:
          Require(values[i].kind == Value::Kind::kInt);
          break;
        case ColumnType::kText:
          Require(values[i].kind == Value::Kind::kText);
          break;
        case ColumnType::kBlob:
          Require(values[i].kind == Value::Kind::kBlob);
          break;
      }
    }
    ++rows;
  }
  size_t rows = 0;
};

std::string OrgDomainOf(absl::string_view host) {
  // The last two labels: enough to group hosts, cheap and total.
  const size_t last = host.rfind('.');
  if (last == absl::string_view::npos || last == 0) return std::string(host);
  const size_t before = host.rfind('.', last - 1);
  return std::string(
      before == absl::string_view::npos ? host : host.substr(before + 1));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  WriteInput(bytes);
  const std::vector<std::string> files = {InputPath()};
  const size_t header_fields =
      mxscan::scan::SplitCsvLine(mxscan::stats::DomainCsvHeader()).size();

  mxscan::stats::Aggregate aggregate;
  CheckingSink sink;
  uint64_t visited = 0;
  const absl::StatusOr<mxscan::results::ReadStats> read =
      mxscan::results::ReadResults(
          files, [&](const mxscan::DomainResult& result) {
            ++visited;
            const mxscan::stats::DomainSummary summary =
                mxscan::stats::SummarizeDomain(result, OrgDomainOf);
            aggregate.Add(summary);
            const std::string row =
                mxscan::stats::DomainCsvRow(result, summary);
            Require(mxscan::scan::SplitCsvLine(row).size() == header_fields);
            mxscan::db_export::MapDomainRows(result, summary, "fuzz@0", sink);
          });
  if (read.ok()) {
    Require(read->records == visited);
    Require(read->torn <= 1 && read->torn_files.size() == read->torn);
    if (read->torn == 1) {
      Require(read->torn_files[0].whole_bytes >= 0 &&
              static_cast<size_t>(read->torn_files[0].whole_bytes) < size);
    }
    if (size == 0) Require(read->records == 0 && read->torn == 0);
  }

  mxscan::Certificate certificate;
  const absl::StatusOr<mxscan::results::ReadStats> certs =
      mxscan::results::ReadRecords(
          files, &certificate, [&](const google::protobuf::Message& m) {
            mxscan::db_export::MapCertificateRow(
                static_cast<const mxscan::Certificate&>(m), sink);
          });
  if (certs.ok()) Require(certs->torn <= 1);
  unlink(InputPath().c_str());
  return 0;
}
