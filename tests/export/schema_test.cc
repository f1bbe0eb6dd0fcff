// The schema as data (scanner/export/schema.h), its documentation
// (SCHEMA.md), database URLs and scan ids.

#include "scanner/export/schema.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "scanner/export/database_url.h"
#include "scanner/export/scan_id.h"
#include "scanner/stats/metrics.h"
#include "tests/export/export_fixture.h"

namespace mxscan::db_export {
namespace {

TEST(SchemaTest, TablesAreInIdOrderWithDistinctIdentifiers) {
  ASSERT_EQ(Tables().size(), static_cast<size_t>(kTableCount));
  std::set<std::string> table_names;
  for (int i = 0; i < kTableCount; ++i) {
    const Table& t = Tables()[i];
    EXPECT_EQ(static_cast<int>(t.id), i) << t.name;
    EXPECT_TRUE(table_names.insert(t.name).second) << t.name;
    std::set<std::string> columns;
    for (const Column& c : t.columns) {
      EXPECT_TRUE(columns.insert(c.name).second) << t.name << "." << c.name;
      for (char ch : c.name) {
        EXPECT_TRUE((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                    ch == '_')
            << t.name << "." << c.name;
      }
    }
    for (const std::string& key : t.primary_key) {
      EXPECT_TRUE(columns.count(key)) << t.name << " key " << key;
    }
    for (const Index& index : t.indexes) {
      for (const std::string& c : index.columns) {
        EXPECT_TRUE(columns.count(c)) << t.name << " index " << c;
      }
    }
    if (t.per_scan) {
      EXPECT_EQ(t.columns[0].name, "scan_id") << t.name;
    }
  }
}

TEST(SchemaTest, DomainsHaveOneColumnPerMetric) {
  const Table& domains = TableOf(TableId::kDomains);
  std::set<std::string> columns;
  for (const Column& c : domains.columns) columns.insert(c.name);
  for (const stats::MetricInfo& m : stats::Metrics()) {
    EXPECT_TRUE(columns.count(std::string(m.key))) << m.key;
  }
  EXPECT_TRUE(columns.count("tls_category"));
  EXPECT_TRUE(columns.count("self_hosted"));
}

TEST(SchemaTest, DialectsDifferWhereTheyMust) {
  const std::string sqlite =
      CreateTableStatement(TableOf(TableId::kCertificates), Dialect::kSqlite);
  const std::string pg = CreateTableStatement(TableOf(TableId::kCertificates),
                                              Dialect::kPostgres);
  EXPECT_TRUE(absl::StrContains(sqlite, "der BLOB"));
  EXPECT_TRUE(absl::StrContains(sqlite, "WITHOUT ROWID"));
  EXPECT_TRUE(absl::StrContains(pg, "der BYTEA"));
  EXPECT_TRUE(absl::StrContains(pg, "not_after BIGINT"));
  EXPECT_FALSE(absl::StrContains(pg, "WITHOUT ROWID"));
  EXPECT_FALSE(absl::StrContains(
      CreateTableStatement(TableOf(TableId::kMxHosts), Dialect::kSqlite),
      "WITHOUT ROWID"));  // no primary key: a rowid table
  for (Dialect d : {Dialect::kSqlite, Dialect::kPostgres}) {
    int creates = 0;
    for (const std::string& s : SchemaStatements(d)) {
      EXPECT_TRUE(absl::StrContains(s, "IF NOT EXISTS")) << s;
      creates += absl::StartsWith(s, "CREATE TABLE");
    }
    EXPECT_EQ(creates, kTableCount);
  }
}

TEST(SchemaTest, CertificatesCompleteHashOnlyRows) {
  EXPECT_EQ(OnConflictClause(TableOf(TableId::kDomains)), "");
  const std::string clause = OnConflictClause(TableOf(TableId::kCertificates));
  EXPECT_TRUE(absl::StartsWith(clause, "ON CONFLICT (sha256) DO UPDATE SET "))
      << clause;
  EXPECT_TRUE(absl::StrContains(clause, "der = excluded.der"));
  EXPECT_TRUE(absl::EndsWith(
      clause,
      "WHERE certificates.der IS NULL AND excluded.der IS NOT NULL"));
}

TEST(SchemaTest, SchemaMdDocumentsEveryTableAndColumn) {
  const std::string doc = testing::ReadRunfile("scanner/export/SCHEMA.md");
  ASSERT_FALSE(doc.empty()) << "SCHEMA.md not found";
  for (const Table& t : Tables()) {
    const std::string heading = absl::StrCat("\n### ", t.name, "\n");
    const size_t start = doc.find(heading);
    ASSERT_NE(start, std::string::npos) << "no section for " << t.name;
    const size_t end = doc.find("\n### ", start + heading.size());
    const std::string section = doc.substr(start, end - start);
    for (const Column& c : t.columns) {
      // The doc says once that per-domain tables start (scan_id, domain).
      const bool per_domain = t.per_scan && t.id != TableId::kScans &&
                              t.id != TableId::kDomains;
      if (per_domain && (c.name == "scan_id" || c.name == "domain")) continue;
      EXPECT_TRUE(absl::StrContains(section, absl::StrCat("`", c.name, "`")))
          << t.name << "." << c.name << " is not documented";
    }
  }
}

TEST(DatabaseUrlTest, SqliteAndPostgres) {
  absl::StatusOr<DatabaseUrl> a = ParseDatabaseUrl("sqlite:out/scan.db");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->dialect, Dialect::kSqlite);
  EXPECT_EQ(a->target, "out/scan.db");
  absl::StatusOr<DatabaseUrl> b = ParseDatabaseUrl("sqlite:///abs/scan.db");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->target, "/abs/scan.db");
  absl::StatusOr<DatabaseUrl> c =
      ParseDatabaseUrl("postgresql://team:s3cret@db.example:5433/mxscan");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->dialect, Dialect::kPostgres);
  EXPECT_EQ(c->target, "postgresql://team:s3cret@db.example:5433/mxscan");
  EXPECT_EQ(c->redacted, "postgresql://team:***@db.example:5433/mxscan");
  absl::StatusOr<DatabaseUrl> d =
      ParseDatabaseUrl("postgres://db/mxscan?user=x&password=s3cret");
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(absl::StrContains(d->redacted, "s3cret")) << d->redacted;
  EXPECT_FALSE(ParseDatabaseUrl("sqlite:").ok());
  EXPECT_FALSE(ParseDatabaseUrl("mysql://db/x").ok());
  EXPECT_FALSE(ParseDatabaseUrl("scan.db").ok());
}

TEST(ScanIdTest, DerivedFromTheDirectoryAndTheEarliestStart) {
  EXPECT_EQ(DerivedScanId("/data/weekly-48/", 1795000000123),
            "weekly-48@2026-11-18T11:06:40Z");
  EXPECT_EQ(DerivedScanId("results", 0), "results@1970-01-01T00:00:00Z");
  EXPECT_TRUE(ValidateScanId("2026 week 48").ok());
  EXPECT_FALSE(ValidateScanId("").ok());
  EXPECT_FALSE(ValidateScanId(std::string(201, 'a')).ok());
  EXPECT_FALSE(ValidateScanId("tab\there").ok());
}

}  // namespace
}  // namespace mxscan::db_export
