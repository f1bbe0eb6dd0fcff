#include "scanner/export/exporter.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "proto/mxscan.pb.h"
#include "scanner/export/rows.h"
#include "scanner/export/scan_id.h"
#include "scanner/export/schema_setup.h"
#include "scanner/results/manifest_file.h"
#include "scanner/results/result_reader.h"

namespace mxscan::db_export {
namespace {

struct Files {
  std::vector<std::string> records;
  std::vector<std::string> certificates;
};

absl::StatusOr<Files> FindFiles(const std::vector<std::string>& paths) {
  if (paths.empty()) {
    return absl::InvalidArgumentError("name a result directory or file");
  }
  // A path may hold records, certificates or both; a file path lists
  // itself for any suffix and counts as what its name ends with.
  Files files;
  absl::Status no_records;
  for (const std::string& path : paths) {
    absl::StatusOr<std::vector<std::string>> records =
        results::ResultFiles(path, ".pb");
    absl::StatusOr<std::vector<std::string>> certs =
        results::ResultFiles(path, ".certs");
    if (!records.ok() && !absl::IsNotFound(records.status())) {
      return records.status();
    }
    if (!certs.ok() && !absl::IsNotFound(certs.status())) {
      return certs.status();
    }
    bool found = false;
    for (const std::string& f : records.ok() ? *records
                                             : std::vector<std::string>()) {
      if (absl::EndsWith(f, ".certs")) continue;
      files.records.push_back(f);
      found = true;
    }
    for (const std::string& f : certs.ok() ? *certs
                                           : std::vector<std::string>()) {
      if (!absl::EndsWith(f, ".certs")) continue;
      files.certificates.push_back(f);
      found = true;
    }
    if (!found) return records.ok() ? certs.status() : records.status();
  }
  if (files.records.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "no result files (*.pb) in ", absl::StrJoin(paths, ", ")));
  }
  return files;
}

// The earliest scan_started_at of the records: the time of a derived id.
absl::StatusOr<int64_t> EarliestStart(const std::vector<std::string>& files) {
  int64_t earliest = std::numeric_limits<int64_t>::max();
  uint64_t records = 0;
  absl::StatusOr<results::ReadStats> read =
      results::ReadResults(files, [&](const DomainResult& r) {
        ++records;
        if (r.scan_started_at() > 0) {
          earliest = std::min(earliest, r.scan_started_at());
        }
      });
  if (!read.ok()) return read.status();
  if (records == 0) {
    return absl::InvalidArgumentError(
        "the result files hold no domain record: nothing to export");
  }
  return earliest == std::numeric_limits<int64_t>::max() ? 0 : earliest;
}

// Inserts rows, keeps the first error (later rows are dropped) and adds a
// certificates row, known by its hash only, for each chain certificate not
// seen before.
class InsertSink : public RowSink {
 public:
  explicit InsertSink(Database& db) : db_(db) {
    const Table& chains = TableOf(TableId::kTlsChains);
    for (size_t i = 0; i < chains.columns.size(); ++i) {
      if (chains.columns[i].name == "sha256") chain_sha256_column_ = i;
    }
  }

  void Add(TableId table, absl::Span<const Value> values) override {
    if (!status_.ok()) return;
    status_ = db_.Insert(table, values);
    ++rows_;
    if (table == TableId::kTlsChains && status_.ok()) {
      AddHashOnlyCertificate(values[chain_sha256_column_].bytes);
    }
  }

  // Certificates: inserts it unless one with its hash was.
  void AddCertificate(const Certificate& certificate) {
    if (certificates_.insert(certificate.sha256()).second) {
      MapCertificateRow(certificate, *this);
    }
  }

  void Fail(absl::Status status) {
    if (status_.ok()) status_ = std::move(status);
  }
  const absl::Status& status() const { return status_; }
  uint64_t rows() const { return rows_; }
  uint64_t certificates() const { return certificates_.size(); }

 private:
  void AddHashOnlyCertificate(absl::string_view sha256) {
    if (!certificates_.insert(std::string(sha256)).second) return;
    std::vector<Value> row(TableOf(TableId::kCertificates).columns.size());
    row[0] = Value::Text(sha256);
    Add(TableId::kCertificates, row);
  }

  Database& db_;
  size_t chain_sha256_column_ = 0;
  absl::Status status_;
  uint64_t rows_ = 0;
  absl::flat_hash_set<std::string> certificates_;
};

absl::Status DeleteScan(Database& db, const std::string& scan_id) {
  const std::vector<Table>& tables = Tables();
  for (auto t = tables.rbegin(); t != tables.rend(); ++t) {
    if (!t->per_scan) continue;
    absl::Status status = db.Execute(
        absl::StrCat("DELETE FROM ", t->name, " WHERE scan_id = $1"),
        {scan_id});
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> ScanExists(Database& db, const std::string& scan_id) {
  absl::StatusOr<std::unique_ptr<Cursor>> rows =
      db.Query("SELECT 1 FROM scans WHERE scan_id = $1", {scan_id});
  if (!rows.ok()) return rows.status();
  return (*rows)->Next();
}

// The manifests of the scan's result directories, as the proto3 JSON of a
// ScanManifestList.
absl::StatusOr<std::string> ManifestsJson(
    const std::vector<std::string>& paths) {
  ScanManifestList list;
  for (const std::string& path : paths) {
    absl::StatusOr<std::vector<ScanManifest>> found =
        results::ManifestsIn(path);
    if (!found.ok()) return found.status();
    for (ScanManifest& m : *found) *list.add_manifests() = std::move(m);
  }
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(list, &json).ok()) {
    return absl::InternalError("cannot render the scan manifests");
  }
  return json;
}

// The body of the export transaction.
absl::Status ExportRows(Database& db, const ExportOptions& options,
                        const Files& files, ExportReport& report) {
  // Two exports of one scan at once take turns, so that the second finds
  // the scan there (SQLite's BEGIN IMMEDIATE does the same for the file).
  if (db.dialect() == Dialect::kPostgres) {
    absl::Status locked = db.Execute(
        "SELECT pg_advisory_xact_lock(hashtext($1))", {report.scan_id});
    if (!locked.ok()) return locked;
  }
  absl::StatusOr<bool> exists = ScanExists(db, report.scan_id);
  if (!exists.ok()) return exists.status();
  if (*exists && !options.replace) {
    report.outcome = ExportReport::Outcome::kSkipped;
    return absl::OkStatus();
  }
  if (*exists) {
    report.outcome = ExportReport::Outcome::kReplaced;
    absl::Status status = DeleteScan(db, report.scan_id);
    if (!status.ok()) return status;
  }
  // The scans row first, completed last.
  absl::StatusOr<std::string> manifests = ManifestsJson(options.paths);
  if (!manifests.ok()) return manifests.status();
  absl::Status status = db.Execute(
      "INSERT INTO scans (scan_id, source, schema_version, manifests) VALUES "
      "($1, $2, $3, $4)",
      {report.scan_id, absl::StrJoin(options.paths, " "),
       absl::StrCat(kSchemaVersion), *manifests});
  if (!status.ok()) return status;

  InsertSink sink(db);
  Certificate certificate;
  absl::StatusOr<results::ReadStats> certs = results::ReadRecords(
      files.certificates, &certificate, [&](const google::protobuf::Message&) {
        sink.AddCertificate(certificate);
      });
  if (!certs.ok()) return certs.status();
  if (!sink.status().ok()) return sink.status();

  absl::flat_hash_set<std::string> domains;
  int64_t started = std::numeric_limits<int64_t>::max(), finished = 0;
  absl::StatusOr<results::ReadStats> read =
      results::ReadResults(files.records, [&](const DomainResult& r) {
        if (!sink.status().ok()) return;
        if (!domains.insert(r.domain()).second) {
          ++report.duplicates;
          return;
        }
        if (r.scan_started_at() > 0) {
          started = std::min(started, r.scan_started_at());
          finished = std::max(finished,
                              r.scan_started_at() + r.scan_duration_ms());
        }
        MapDomainRows(r, stats::SummarizeDomain(r, options.org_domain_of),
                      report.scan_id, sink);
        ++report.domains;
        if (options.fail_after_domains > 0 &&
            report.domains >= options.fail_after_domains) {
          sink.Fail(absl::UnavailableError(absl::StrCat(
              db.url(), ": injected failure after ", report.domains,
              " domains")));
        }
      });
  if (!read.ok()) return read.status();
  if (!sink.status().ok()) return sink.status();
  if (report.domains == 0) {
    return absl::InvalidArgumentError(
        "the result files hold no domain record: nothing to export");
  }
  report.torn = read->torn + certs->torn;
  report.certificates = sink.certificates();
  report.rows = sink.rows() + 1;
  if (started == std::numeric_limits<int64_t>::max()) started = 0;
  return db.Execute(
      "UPDATE scans SET started_at_ms = $2, finished_at_ms = $3, "
      "exported_at_ms = $4, domain_count = $5, duplicate_records = $6, "
      "torn_records = $7, certificate_count = $8 WHERE scan_id = $1",
      {report.scan_id, absl::StrCat(started), absl::StrCat(finished),
       absl::StrCat(absl::ToUnixMillis(absl::Now())),
       absl::StrCat(report.domains), absl::StrCat(report.duplicates),
       absl::StrCat(report.torn), absl::StrCat(report.certificates)});
}

}  // namespace

absl::StatusOr<ExportReport> ExportScan(Database& db,
                                        const ExportOptions& options) {
  if (!options.scan_name.empty()) {
    absl::Status valid = ValidateScanId(options.scan_name);
    if (!valid.ok()) return valid;
  }
  absl::StatusOr<Files> files = FindFiles(options.paths);
  if (!files.ok()) return files.status();
  ExportReport report;
  report.scan_id = options.scan_name;
  if (report.scan_id.empty()) {
    absl::StatusOr<int64_t> earliest = EarliestStart(files->records);
    if (!earliest.ok()) return earliest.status();
    report.scan_id = DerivedScanId(options.paths.front(), *earliest);
  }
  absl::Status status = EnsureSchema(db);
  if (!status.ok()) return status;
  status = db.BeginWrite();
  if (!status.ok()) return status;
  status = ExportRows(db, options, *files, report);
  if (status.ok() && report.outcome == ExportReport::Outcome::kSkipped) {
    status = db.Rollback();
    if (!status.ok()) return status;
    return report;
  }
  if (status.ok()) status = db.Commit();
  if (!status.ok()) {
    (void)db.Rollback();
    return absl::Status(
        status.code(),
        absl::StrCat(status.message(), " (nothing of scan \"",
                     report.scan_id, "\" was kept)"));
  }
  return report;
}

}  // namespace mxscan::db_export
