// `mxscan export` against real databases: SQLite in process always, and
// PostgreSQL when MXSCAN_TEST_POSTGRES_URL names a server
// (postgres_test.sh starts one and runs this binary again). Each test gets
// its own database (SQLite file) or schema (PostgreSQL).

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "scanner/export/exporter.h"
#include "scanner/export/open_database.h"
#include "scanner/export/record_reader.h"
#include "scanner/export/rows.h"
#include "scanner/export/scan_id.h"
#include "scanner/export/sqlite_database.h"
#include "scanner/export/summary_reader.h"
#include "tests/export/export_fixture.h"

namespace mxscan::db_export {
namespace {

using testing::LastTwoLabels;
using testing::RichDomain;

constexpr char kPostgresEnv[] = "MXSCAN_TEST_POSTGRES_URL";
// Hex SHA-256 values of the fixture's certificates.
const std::string kLeaf(64, 'a');
const std::string kIssuer(64, 'b');

std::vector<std::string> Backends() {
  std::vector<std::string> out = {"sqlite"};
  if (std::getenv(kPostgresEnv) != nullptr) out.push_back("postgresql");
  return out;
}

class ExportTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string test =
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::string name;
    for (char c : test) name.push_back(std::isalnum(c) ? std::tolower(c) : '_');
    if (GetParam() == "sqlite") {
      url_ = absl::StrCat("sqlite:", testing::NewTempDir(name), "/export.db");
    } else {
      // A schema of its own, first on the search path.
      const std::string base = std::getenv(kPostgresEnv);
      auto admin = OpenDatabase(base, Access::kReadWrite);
      ASSERT_TRUE(admin.ok()) << admin.status();
      const std::string schema = absl::StrCat("t_", name.substr(0, 40));
      ASSERT_TRUE((*admin)
                      ->Execute(absl::StrCat("DROP SCHEMA IF EXISTS ", schema,
                                             " CASCADE"))
                      .ok());
      ASSERT_TRUE(
          (*admin)->Execute(absl::StrCat("CREATE SCHEMA ", schema)).ok());
      url_ = absl::StrCat(base, base.find('?') == std::string::npos ? "?" : "&",
                          "options=-csearch_path%3D", schema);
    }
    auto db = OpenDatabase(url_, Access::kReadWrite);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);

    // The fixture: rich records (with a NUL in one banner) and their
    // certificates, and 300 synthetic domains.
    rich_ = testing::NewTempDir("rich");
    std::vector<DomainResult> rich;
    for (int i = 0; i < 6; ++i) {
      rich.push_back(RichDomain(absl::StrCat("a", i, ".example"),
                                i % 2 ? "health" : "police", i % 2, kLeaf,
                                kIssuer));
    }
    DomainResult nul = RichDomain("nul.example", "police", 0, kLeaf, kIssuer);
    nul.mutable_mx(0)->mutable_addresses(0)->mutable_smtp()->set_banner(
        std::string("220 a\0b", 7));
    rich.push_back(nul);
    std::vector<const google::protobuf::MessageLite*> records;
    for (const DomainResult& r : rich) records.push_back(&r);
    testing::WriteRecords(rich_, "part-rich", records);
    const Certificate leaf =
        testing::MakeCertificate(kLeaf, 1796000000, std::string("\x30\x82\0\x01", 4));
    const Certificate issuer =
        testing::MakeCertificate(kIssuer, 1900000000, "issuer-der");
    certs_ = testing::NewTempDir("certs");
    testing::WriteRecords(certs_, "certificates-w0", {&leaf, &issuer},
                          ".certs");
    testing::WriteRecords(certs_, "certificates-w1", {&leaf}, ".certs");
    gen_ = testing::NewTempDir("gen");
    testing::GenerateResults(gen_, 300, 1, 0);
  }

  ExportOptions Options(std::vector<std::string> paths,
                        const std::string& name) {
    ExportOptions o;
    o.paths = std::move(paths);
    o.scan_name = name;
    o.org_domain_of = LastTwoLabels;
    return o;
  }

  // The first column of the first row of `sql`, as text ("" when none).
  std::string One(const std::string& sql,
                  std::vector<std::string> params = {}) {
    auto rows = db_->Query(sql, params);
    EXPECT_TRUE(rows.ok()) << rows.status();
    if (!rows.ok()) return "";
    auto more = (*rows)->Next();
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) return "";
    return std::string((*rows)->Text(0));
  }
  int64_t Count(const std::string& sql, std::vector<std::string> params = {}) {
    return std::strtoll(One(sql, std::move(params)).c_str(), nullptr, 10);
  }

  // Rows of `scan` in every per-scan table.
  int64_t RowsOfScan(const std::string& scan) {
    int64_t total = 0;
    for (const Table& t : Tables()) {
      if (!t.per_scan) continue;
      total += Count(absl::StrCat("SELECT COUNT(*) FROM ", t.name,
                                  " WHERE scan_id = $1"),
                     {scan});
    }
    return total;
  }

  std::string url_;
  std::unique_ptr<Database> db_;
  std::string rich_, certs_, gen_;
};

TEST_P(ExportTest, EveryMappedRowIsStored) {
  auto report = ExportScan(*db_, Options({rich_, certs_, gen_}, "week-1"));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->outcome, ExportReport::Outcome::kExported);
  EXPECT_EQ(report->scan_id, "week-1");
  EXPECT_EQ(report->domains, 307u);

  testing::RowCounter expected;
  for (const DomainResult& r : testing::ReadAll({rich_, gen_})) {
    MapDomainRows(r, stats::SummarizeDomain(r, LastTwoLabels), "week-1",
                  expected);
  }
  for (const Table& t : Tables()) {
    if (!t.per_scan || t.id == TableId::kScans) continue;
    EXPECT_EQ(Count(absl::StrCat("SELECT COUNT(*) FROM ", t.name,
                                 " WHERE scan_id = 'week-1'")),
              static_cast<int64_t>(expected.count(t.id)))
        << t.name;
  }
  // Distinct certificates: the two of the .certs files, the chains' others.
  const int64_t certificates = Count("SELECT COUNT(*) FROM certificates");
  EXPECT_EQ(certificates,
            Count("SELECT COUNT(DISTINCT sha256) FROM tls_chains"));
  EXPECT_EQ(static_cast<uint64_t>(certificates), report->certificates);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM certificates WHERE der IS NOT NULL"),
            2);
  EXPECT_EQ(One("SELECT domain_count FROM scans WHERE scan_id = 'week-1'"),
            "307");
  EXPECT_EQ(One("SELECT started_at_ms FROM scans"), "1795000000000");

  // Text and bytes come back exactly (NUL: see PostgresDatabase).
  EXPECT_EQ(One("SELECT banner FROM smtp_probes WHERE domain = 'a1.example' "
                "AND ip = '192.0.2.10'"),
            testing::kTrickyBanner);
  const std::string nul = One(
      "SELECT banner FROM smtp_probes WHERE domain = 'nul.example' AND ip = "
      "'192.0.2.10'");
  EXPECT_EQ(nul, GetParam() == "sqlite" ? std::string("220 a\0b", 7)
                                        : std::string("220 a\xEF\xBF\xBD" "b"));
  const std::string der =
      One("SELECT der FROM certificates WHERE sha256 = $1", {kLeaf});
  EXPECT_EQ(der, GetParam() == "sqlite" ? std::string("\x30\x82\0\x01", 4)
                                        : std::string("\\x30820001"));
  EXPECT_EQ(One("SELECT dns_names FROM certificates WHERE sha256 = $1",
                {kLeaf}),
            "mx1.provider.example *.provider.example");
}

TEST_P(ExportTest, SummariesRoundTripExactly) {
  ASSERT_TRUE(ExportScan(*db_, Options({rich_, certs_, gen_}, "week-1")).ok());
  std::map<std::string, stats::DomainSummary> read;
  absl::Status status = ReadSummaries(
      url_, "week-1", [&](const stats::DomainSummary& s) {
        EXPECT_TRUE(read.emplace(s.domain, s).second) << s.domain;
      });
  ASSERT_TRUE(status.ok()) << status;
  const std::vector<DomainResult> records = testing::ReadAll({rich_, gen_});
  ASSERT_EQ(read.size(), records.size());
  int with_lists = 0;
  for (const DomainResult& r : records) {
    const stats::DomainSummary want = stats::SummarizeDomain(r, LastTwoLabels);
    const stats::DomainSummary& got = read[r.domain()];
    EXPECT_EQ(got.domain, want.domain);
    EXPECT_EQ(got.sector, want.sector) << r.domain();
    EXPECT_EQ(got.metrics, want.metrics) << r.domain();
    EXPECT_EQ(got.tls_category, want.tls_category) << r.domain();
    EXPECT_EQ(got.cert_problems, want.cert_problems) << r.domain();
    EXPECT_EQ(got.verify_errors, want.verify_errors) << r.domain();
    EXPECT_EQ(got.providers, want.providers) << r.domain();
    EXPECT_EQ(got.self_hosted, want.self_hosted) << r.domain();
    with_lists += !want.providers.empty() && !want.cert_problems.empty();
  }
  EXPECT_GT(with_lists, 10);  // the lists were exercised
}

// The whole records come back byte for byte (report cards are built from
// them), one domain at a time or all of them in domain order.
TEST_P(ExportTest, RecordsRoundTripExactly) {
  ASSERT_TRUE(ExportScan(*db_, Options({rich_, certs_, gen_}, "week-1")).ok());
  std::map<std::string, std::string> read;
  std::string last;
  absl::Status status = ReadRecords(url_, "week-1", [&](const DomainResult& r) {
    EXPECT_LT(last, r.domain());
    last = r.domain();
    read[r.domain()] = r.SerializeAsString();
  });
  ASSERT_TRUE(status.ok()) << status;
  const std::vector<DomainResult> records = testing::ReadAll({rich_, gen_});
  ASSERT_EQ(read.size(), records.size());
  for (const DomainResult& r : records) {
    EXPECT_EQ(read[r.domain()], r.SerializeAsString()) << r.domain();
  }
  int visits = 0;
  status = ReadRecords(
      url_, "week-1",
      [&](const DomainResult& r) {
        ++visits;
        EXPECT_EQ(r.domain(), "nul.example");
      },
      "nul.example");
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(visits, 1);
  status = ReadRecords(url_, "week-9", [](const DomainResult&) {});
  EXPECT_TRUE(absl::IsNotFound(status)) << status;
  // A scan exported before records were kept says how to get them.
  ASSERT_TRUE(
      db_->Execute("DELETE FROM domain_records WHERE scan_id = 'week-1'").ok());
  status = ReadRecords(url_, "week-1", [](const DomainResult&) {});
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "--replace")) << status;
}

TEST_P(ExportTest, SameScanIsSkippedAndReplaceReplacesIt) {
  auto first = ExportScan(*db_, Options({rich_, certs_}, ""));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->scan_id,
            DerivedScanId(rich_, 1795000000000));  // variant 0 starts first
  const int64_t rows = RowsOfScan(first->scan_id);
  const int64_t certificates = Count("SELECT COUNT(*) FROM certificates");

  auto again = ExportScan(*db_, Options({rich_, certs_}, ""));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->outcome, ExportReport::Outcome::kSkipped);
  EXPECT_EQ(again->scan_id, first->scan_id);
  EXPECT_EQ(RowsOfScan(first->scan_id), rows);

  ExportOptions replace = Options({rich_, certs_}, "");
  replace.replace = true;
  auto replaced = ExportScan(*db_, replace);
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_EQ(replaced->outcome, ExportReport::Outcome::kReplaced);
  EXPECT_EQ(RowsOfScan(first->scan_id), rows);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM certificates"), certificates);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM scans"), 1);

  // Replaced by other files under the same name: only the new rows remain.
  replace.paths = {gen_};
  replace.scan_name = first->scan_id;
  ASSERT_TRUE(ExportScan(*db_, replace).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domains"), 300);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domains WHERE domain = 'a0.example'"),
            0);
}

TEST_P(ExportTest, ScansLiveSideBySide) {
  ASSERT_TRUE(ExportScan(*db_, Options({rich_, gen_}, "week-1")).ok());
  const std::string gen2 = testing::NewTempDir("gen2");
  testing::GenerateResults(gen2, 300, 1, 30);
  ASSERT_TRUE(ExportScan(*db_, Options({gen2}, "week-2")).ok());
  auto scans = ListScans(url_);
  ASSERT_TRUE(scans.ok()) << scans.status();
  ASSERT_EQ(scans->size(), 2u);
  EXPECT_EQ((*scans)[0].scan_id, "week-1");
  EXPECT_EQ((*scans)[0].domains, 307u);
  EXPECT_EQ((*scans)[1].scan_id, "week-2");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domains WHERE domain = "
                  "'domain7.example'"),
            2);
}

TEST_P(ExportTest, AFailureMidwayLeavesNoTraceAndARetryWorks) {
  ASSERT_TRUE(ExportScan(*db_, Options({rich_, certs_}, "before")).ok());
  const int64_t before_rows = RowsOfScan("before");
  const int64_t certificates = Count("SELECT COUNT(*) FROM certificates");
  ExportOptions failing = Options({gen_}, "broken");
  failing.fail_after_domains = 150;
  auto failed = ExportScan(*db_, failing);
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(absl::StrContains(failed.status().message(),
                                "injected failure after 150 domains"))
      << failed.status();
  EXPECT_TRUE(absl::StrContains(failed.status().message(),
                                "nothing of scan \"broken\" was kept"))
      << failed.status();
  EXPECT_EQ(RowsOfScan("broken"), 0);
  EXPECT_EQ(RowsOfScan("before"), before_rows);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM certificates"), certificates);

  auto retry = ExportScan(*db_, Options({gen_}, "broken"));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->outcome, ExportReport::Outcome::kExported);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domains WHERE scan_id = 'broken'"),
            300);
}

TEST_P(ExportTest, ACorruptFileIsNamedAndNothingIsKept) {
  const std::string dir = testing::NewTempDir("corrupt");
  std::vector<DomainResult> good;
  for (int i = 0; i < 50; ++i) {
    good.push_back(RichDomain(absl::StrCat("g", i, ".example"), "x", 0, kLeaf,
                              kIssuer));
  }
  std::vector<const google::protobuf::MessageLite*> records;
  for (const DomainResult& r : good) records.push_back(&r);
  testing::WriteRecords(dir, "part-a", records);
  // A whole record that is not a DomainResult, after the good file.
  std::ofstream(dir + "/part-b-1.pb") << std::string("\x05\xff\xff\xff\xff\xff", 6);
  for (const std::string& name : {std::string("named"), std::string("")}) {
    auto report = ExportScan(*db_, Options({dir}, name));
    ASSERT_FALSE(report.ok()) << name;
    EXPECT_TRUE(absl::StrContains(report.status().message(), "part-b-1.pb"))
        << report.status();
    EXPECT_EQ(Count("SELECT COUNT(*) FROM domains"), 0);
  }
  EXPECT_EQ(RowsOfScan("named"), 0);
}

TEST_P(ExportTest, DuplicateRecordsOfADomainAreExportedOnce) {
  const std::string dir = testing::NewTempDir("dups");
  DomainResult first = RichDomain("dup.example", "first", 0, kLeaf, kIssuer);
  DomainResult second = RichDomain("dup.example", "second", 1, kLeaf, kIssuer);
  testing::WriteRecords(dir, "part-a", {&first, &second});
  auto report = ExportScan(*db_, Options({dir}, "dups"));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->domains, 1u);
  EXPECT_EQ(report->duplicates, 1u);
  EXPECT_EQ(One("SELECT sector FROM domains"), "first");
  EXPECT_EQ(One("SELECT duplicate_records FROM scans"), "1");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM mx_hosts"), 2);
}

TEST_P(ExportTest, AHashOnlyCertificateIsCompletedByALaterExport) {
  ASSERT_TRUE(ExportScan(*db_, Options({rich_}, "no-certs")).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM certificates WHERE sha256 = $1 AND "
                  "der IS NULL AND subject IS NULL",
                  {kLeaf}),
            1);
  ASSERT_TRUE(ExportScan(*db_, Options({rich_, certs_}, "with-certs")).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM certificates WHERE sha256 = $1",
                  {kLeaf}),
            1);
  EXPECT_EQ(One("SELECT not_after FROM certificates WHERE sha256 = $1",
                {kLeaf}),
            "1796000000");
  // A hash-only row never overwrites a complete one.
  ASSERT_TRUE(ExportScan(*db_, Options({rich_}, "no-certs-again")).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM certificates WHERE der IS NOT NULL"),
            2);
}

TEST_P(ExportTest, AMissingScanIsNotFoundWithTheScansThere) {
  ASSERT_TRUE(ExportScan(*db_, Options({rich_}, "week-1")).ok());
  absl::Status status =
      ReadSummaries(url_, "week-9", [](const stats::DomainSummary&) {});
  EXPECT_TRUE(absl::IsNotFound(status)) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "\"week-1\"")) << status;
}

TEST_P(ExportTest, AnotherSchemaVersionIsRefused) {
  ASSERT_TRUE(ExportScan(*db_, Options({rich_}, "week-1")).ok());
  ASSERT_TRUE(
      db_->Execute("UPDATE schema_info SET value = '999' WHERE name = 'version'")
          .ok());
  auto report = ExportScan(*db_, Options({rich_}, "week-2"));
  EXPECT_TRUE(absl::IsFailedPrecondition(report.status())) << report.status();
  absl::Status read =
      ReadSummaries(url_, "week-1", [](const stats::DomainSummary&) {});
  EXPECT_TRUE(absl::IsFailedPrecondition(read)) << read;
}

TEST_P(ExportTest, AMetricNewerThanTheDatabaseBecomesAColumn) {
  ASSERT_TRUE(ExportScan(*db_, Options({rich_}, "old")).ok());
  // A database made before the dnssec metric existed.
  ASSERT_TRUE(db_->Execute("ALTER TABLE domains DROP COLUMN dnssec").ok());
  ASSERT_TRUE(ExportScan(*db_, Options({rich_}, "new")).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domains WHERE dnssec = 1 AND "
                  "scan_id = 'new'"),
            4);
  absl::Status old =
      ReadSummaries(url_, "old", [](const stats::DomainSummary&) {});
  EXPECT_TRUE(absl::IsFailedPrecondition(old)) << old;
  EXPECT_TRUE(absl::StrContains(old.message(), "dnssec")) << old;
  EXPECT_TRUE(
      ReadSummaries(url_, "new", [](const stats::DomainSummary&) {}).ok());
}

// The ready queries of SCHEMA.md, each run against two scans: each must
// run and return rows.
TEST_P(ExportTest, EveryReadyQueryOfSchemaMdRuns) {
  ASSERT_TRUE(ExportScan(*db_, Options({rich_, certs_, gen_}, "week-1")).ok());
  // A week later: the a*.example flip posture, a third of the others move.
  const std::string later = testing::NewTempDir("later");
  std::vector<DomainResult> flipped;
  for (int i = 0; i < 6; ++i) {
    flipped.push_back(RichDomain(absl::StrCat("a", i, ".example"),
                                 i % 2 ? "health" : "police", 1 - i % 2, kLeaf,
                                 kIssuer));
  }
  std::vector<const google::protobuf::MessageLite*> records;
  for (const DomainResult& r : flipped) records.push_back(&r);
  testing::WriteRecords(later, "part-rich", records);
  testing::GenerateResults(later, 300, 1, 30);
  ASSERT_TRUE(ExportScan(*db_, Options({later, certs_}, "week-2")).ok());

  const std::string text = testing::ReadRunfile("scanner/export/SCHEMA.md");
  const size_t ready = text.find("## Ready queries");
  ASSERT_NE(ready, std::string::npos);
  const std::string section = text.substr(ready);
  const std::regex block("```sql\n([^`]*)```");
  int queries = 0;
  for (auto it = std::sregex_iterator(section.begin(), section.end(), block);
       it != std::sregex_iterator(); ++it) {
    std::string sql = (*it)[1];
    while (!sql.empty() && (sql.back() == '\n' || sql.back() == ';')) {
      sql.pop_back();
    }
    ++queries;
    auto rows = db_->Query(sql);
    ASSERT_TRUE(rows.ok()) << rows.status() << "\n" << sql;
    auto first = (*rows)->Next();
    ASSERT_TRUE(first.ok()) << first.status() << "\n" << sql;
    EXPECT_TRUE(*first) << "no rows from\n" << sql;
  }
  EXPECT_GE(queries, 6);
  // a0, a2, a4 went from reject to none.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domains o JOIN domains n ON "
                  "n.domain = o.domain WHERE o.scan_id = 'week-1' AND "
                  "n.scan_id = 'week-2' AND o.dmarc_reject = 1 AND "
                  "n.dmarc_reject = 0 AND o.domain LIKE 'a%'"),
            3);
}

INSTANTIATE_TEST_SUITE_P(Databases, ExportTest,
                         ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           return p.param;
                         });

// A full disk (SQLite's max_page_count stands for one): a clear error and
// nothing of the scan; the database works on afterwards.
TEST(SqliteExportTest, AFullDiskRollsTheScanBack) {
  const std::string path = testing::NewTempDir("full") + "/export.db";
  const std::string gen = testing::NewTempDir("gen");
  testing::GenerateResults(gen, 1000, 2, 0);
  auto db = SqliteDatabase::Open(path, "sqlite:" + path,
                                 SqliteDatabase::Mode::kReadWrite);
  ASSERT_TRUE(db.ok()) << db.status();
  ExportOptions options;
  options.org_domain_of = LastTwoLabels;
  options.paths = {gen};
  options.scan_name = "small";
  testing::GenerateResults(gen + "-small", 20, 3, 0);
  options.paths = {gen + "-small"};
  ASSERT_TRUE(ExportScan(**db, options).ok());
  Database& first = **db;  // the interface's default arguments
  auto pages = first.Query("PRAGMA page_count");
  ASSERT_TRUE(pages.ok());
  ASSERT_TRUE(*(*pages)->Next());
  const int64_t page_count = (*pages)->Int(0);
  pages->reset();
  ASSERT_TRUE(
      first.Execute(absl::StrCat("PRAGMA max_page_count = ", page_count + 20))
          .ok());
  options.paths = {gen};
  options.scan_name = "big";
  auto full = ExportScan(**db, options);
  ASSERT_FALSE(full.ok());
  EXPECT_TRUE(absl::IsResourceExhausted(full.status())) << full.status();
  EXPECT_TRUE(absl::StrContains(full.status().message(), "full"))
      << full.status();
  EXPECT_TRUE(absl::StrContains(full.status().message(),
                                "nothing of scan \"big\" was kept"))
      << full.status();
  db->reset();

  // A new connection (no page limit): "small" whole, "big" absent, and
  // exporting "big" now works.
  auto again = SqliteDatabase::Open(path, "sqlite:" + path,
                                    SqliteDatabase::Mode::kReadWrite);
  ASSERT_TRUE(again.ok());
  auto scans = ListScans(**again);
  ASSERT_TRUE(scans.ok());
  ASSERT_EQ(scans->size(), 1u);
  EXPECT_EQ((*scans)[0].scan_id, "small");
  Database& second = **again;
  auto count = second.Query("SELECT COUNT(*) FROM domains");
  ASSERT_TRUE(count.ok() && *(*count)->Next());
  EXPECT_EQ((*count)->Int(0), 20);
  count->reset();
  auto retry = ExportScan(**again, options);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->domains, 1000u);
}

}  // namespace
}  // namespace mxscan::db_export
