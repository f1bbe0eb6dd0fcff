#include "scanner/export/summary_reader.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "scanner/export/open_database.h"
#include "scanner/export/schema_setup.h"
#include "scanner/stats/metrics.h"

namespace mxscan::db_export {
namespace {

// One of the summary's lists (providers, cert_problems, verify_errors):
// rows (domain, value) ordered by domain and position, read alongside the
// domains.
class ListReader {
 public:
  ListReader(std::unique_ptr<Cursor> rows, const char* table)
      : rows_(std::move(rows)), table_(table) {}

  absl::Status Start() { return Advance(); }

  // Moves the values of `domain` into `out`.
  absl::Status Take(absl::string_view domain, std::vector<std::string>* out) {
    while (has_row_ && rows_->Text(0) == domain) {
      out->emplace_back(rows_->Text(1));
      absl::Status status = Advance();
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

  // Rows left over belong to no domain of the scan (or came in another
  // order): the database is not what the export wrote.
  absl::Status Finish() const {
    if (!has_row_) return absl::OkStatus();
    return absl::DataLossError(absl::StrCat(
        table_, " has rows of \"", rows_->Text(0),
        "\" that match no domain of the scan"));
  }

 private:
  absl::Status Advance() {
    absl::StatusOr<bool> more = rows_->Next();
    if (!more.ok()) return more.status();
    has_row_ = *more;
    return absl::OkStatus();
  }

  std::unique_ptr<Cursor> rows_;
  const char* table_;
  bool has_row_ = false;
};

absl::StatusOr<ListReader> OpenList(Database& db, const std::string& scan_id,
                                    const char* table, const char* column) {
  absl::StatusOr<std::unique_ptr<Cursor>> rows = db.Query(
      absl::StrCat("SELECT domain, ", column, " FROM ", table,
                   " WHERE scan_id = $1 ORDER BY domain, position"),
      {scan_id});
  if (!rows.ok()) return rows.status();
  ListReader reader(std::move(*rows), table);
  absl::Status status = reader.Start();
  if (!status.ok()) return status;
  return reader;
}

absl::Status ReadInTransaction(
    Database& db, const std::string& scan_id,
    const std::function<void(const stats::DomainSummary&)>& visit) {
  absl::Status status = CheckScanIn(db, scan_id);
  if (!status.ok()) return status;

  const auto& metrics = stats::Metrics();
  std::vector<std::string> metric_columns;
  for (const stats::MetricInfo& m : metrics) {
    metric_columns.emplace_back(m.key);
  }
  absl::StatusOr<std::unique_ptr<Cursor>> domains =
      db.Query(absl::StrCat("SELECT domain, sector, tls_category, self_hosted, "
                            "strict_sender, dnssec_status, ",
                            absl::StrJoin(metric_columns, ", "),
                            " FROM domains WHERE scan_id = $1 ORDER BY domain"),
               {scan_id});
  if (!domains.ok()) return domains.status();
  absl::StatusOr<ListReader> providers =
      OpenList(db, scan_id, "providers", "provider");
  if (!providers.ok()) return providers.status();
  absl::StatusOr<ListReader> problems =
      OpenList(db, scan_id, "cert_problems", "problem");
  if (!problems.ok()) return problems.status();
  absl::StatusOr<ListReader> verify =
      OpenList(db, scan_id, "verify_errors", "verify_error");
  if (!verify.ok()) return verify.status();
  absl::StatusOr<ListReader> software =
      OpenList(db, scan_id, "software", "software");
  if (!software.ok()) return software.status();
  // "kind organisation": kinds are identifiers, without spaces.
  absl::StatusOr<ListReader> dependencies =
      OpenList(db, scan_id, "dependencies", "kind || ' ' || organisation");
  if (!dependencies.ok()) return dependencies.status();
  absl::StatusOr<ListReader> leaf_keys =
      OpenList(db, scan_id, "leaf_keys", "spki_sha256 || ' ' || organisation");
  if (!leaf_keys.ok()) return leaf_keys.status();

  Cursor& row = **domains;
  constexpr int kFirstMetric = 6;
  while (true) {
    absl::StatusOr<bool> more = row.Next();
    if (!more.ok()) return more.status();
    if (!*more) break;
    stats::DomainSummary s;
    s.domain = std::string(row.Text(0));
    s.sector = std::string(row.Text(1));
    s.tls_category = std::string(row.Text(2));
    s.self_hosted = row.Int(3) != 0;
    s.strict_sender = std::string(row.Text(4));
    if (row.IsNull(5)) {
      return absl::FailedPreconditionError(absl::StrCat(
          db.url(), ": scan \"", scan_id,
          "\" was exported before DNSSEC statuses, software, dependencies "
          "and leaf keys were: export it again with --replace"));
    }
    s.dnssec_status = std::string(row.Text(5));
    for (size_t i = 0; i < metrics.size(); ++i) {
      const int column = kFirstMetric + static_cast<int>(i);
      if (row.IsNull(column)) {
        return absl::FailedPreconditionError(absl::StrCat(
            db.url(), ": scan \"", scan_id, "\" was exported before metric ",
            metrics[i].key, " existed: export it again with --replace"));
      }
      if (row.Int(column) != 0) s.Set(metrics[i].metric);
    }
    for (auto [list, out] : {std::make_pair(&*providers, &s.providers),
                             std::make_pair(&*problems, &s.cert_problems),
                             std::make_pair(&*verify, &s.verify_errors),
                             std::make_pair(&*software, &s.software),
                             std::make_pair(&*leaf_keys, &s.leaf_keys)}) {
      status = list->Take(s.domain, out);
      if (!status.ok()) return status;
    }
    std::vector<std::string> kinds_and_organisations;
    status = dependencies->Take(s.domain, &kinds_and_organisations);
    if (!status.ok()) return status;
    for (const std::string& entry : kinds_and_organisations) {
      const auto [kind, organisation] = std::pair<std::string, std::string>(
          absl::StrSplit(entry, absl::MaxSplits(' ', 1)));
      for (size_t k = 0; k < s.dependencies.size(); ++k) {
        if (kind == stats::Dependencies()[k].key) {
          s.dependencies[k].push_back(organisation);
        }
      }
    }
    visit(s);
  }
  for (const ListReader* list : {&*providers, &*problems, &*verify, &*software,
                                 &*dependencies, &*leaf_keys}) {
    status = list->Finish();
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadSummaries(
    Database& db, const std::string& scan_id,
    const std::function<void(const stats::DomainSummary&)>& visit) {
  absl::Status status = db.BeginRead();
  if (!status.ok()) return status;
  status = ReadInTransaction(db, scan_id, visit);
  absl::Status end = db.Rollback();  // read only: nothing to keep
  return status.ok() ? end : status;
}

absl::Status ReadSummaries(
    const std::string& database_url, const std::string& scan_id,
    const std::function<void(const stats::DomainSummary&)>& visit) {
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenDatabase(database_url, Access::kReadOnly);
  if (!db.ok()) return db.status();
  return ReadSummaries(**db, scan_id, visit);
}

namespace {

absl::Status NoSuchScan(Database& db, const std::string& scan_id) {
  absl::StatusOr<std::vector<ScanInfo>> scans = ListScans(db);
  std::string known = "none";
  if (scans.ok() && !scans->empty()) {
    known =
        absl::StrJoin(*scans, ", ", [](std::string* out, const ScanInfo& s) {
          absl::StrAppend(out, "\"", s.scan_id, "\"");
        });
  }
  return absl::NotFoundError(absl::StrCat(db.url(), ": no scan \"", scan_id,
                                          "\" (scans there: ", known, ")"));
}

}  // namespace

absl::Status CheckScanIn(Database& db, const std::string& scan_id) {
  absl::Status status = CheckSchemaVersion(db);
  if (!status.ok()) return status;
  absl::StatusOr<std::unique_ptr<Cursor>> exists =
      db.Query("SELECT 1 FROM scans WHERE scan_id = $1", {scan_id});
  if (!exists.ok()) return exists.status();
  absl::StatusOr<bool> found = (*exists)->Next();
  if (!found.ok()) return found.status();
  if (!*found) return NoSuchScan(db, scan_id);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ScanInfo>> ListScans(Database& db) {
  absl::StatusOr<std::unique_ptr<Cursor>> rows = db.Query(
      "SELECT scan_id, started_at_ms, domain_count, manifests FROM scans "
      "ORDER BY started_at_ms, scan_id");
  if (!rows.ok()) return rows.status();
  std::vector<ScanInfo> scans;
  while (true) {
    absl::StatusOr<bool> more = (*rows)->Next();
    if (!more.ok()) return more.status();
    if (!*more) break;
    scans.push_back({std::string((*rows)->Text(0)), (*rows)->Int(1),
                     static_cast<uint64_t>((*rows)->Int(2)),
                     (*rows)->IsNull(3) ? "" : std::string((*rows)->Text(3))});
  }
  return scans;
}

absl::StatusOr<std::vector<ScanInfo>> ListScans(
    const std::string& database_url) {
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenDatabase(database_url, Access::kReadOnly);
  if (!db.ok()) return db.status();
  absl::Status version = CheckSchemaVersion(**db);
  if (!version.ok()) return version;
  return ListScans(**db);
}

}  // namespace mxscan::db_export
