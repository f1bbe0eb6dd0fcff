// Row mapping (scanner/export/rows.h): every row has its table's columns,
// the values are the record's, absent parts give no rows.

#include "scanner/export/rows.h"

#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "scanner/export/schema.h"
#include "scanner/stats/metrics.h"
#include "tests/export/export_fixture.h"

namespace mxscan::db_export {
namespace {

using testing::LastTwoLabels;
using testing::RichDomain;

// Rows as column name -> text ("NULL" for NULL, "x'..'" for bytes).
using Row = std::map<std::string, std::string>;

class CollectingSink : public RowSink {
 public:
  void Add(TableId table, absl::Span<const Value> values) override {
    const Table& t = TableOf(table);
    EXPECT_EQ(values.size(), t.columns.size()) << t.name;
    Row row;
    for (size_t i = 0; i < values.size() && i < t.columns.size(); ++i) {
      const Value& v = values[i];
      std::string text;
      switch (v.kind) {
        case Value::Kind::kNull: text = "NULL"; break;
        case Value::Kind::kInt: text = std::to_string(v.integer); break;
        case Value::Kind::kText: text = std::string(v.bytes); break;
        case Value::Kind::kBlob: text = "x'" + std::string(v.bytes) + "'"; break;
      }
      row[t.columns[i].name] = text;
    }
    rows[t.name].push_back(row);
  }
  std::map<std::string, std::vector<Row>> rows;
};

CollectingSink Map(const DomainResult& r) {
  CollectingSink sink;
  MapDomainRows(r, stats::SummarizeDomain(r, LastTwoLabels), "scan-1", sink);
  return sink;
}

TEST(RowsTest, AMinimalRecordGivesItsDomainsRowAndItsRecord) {
  DomainResult r;
  r.set_domain("bare.example");
  r.set_status(DomainResult::NXDOMAIN);
  CollectingSink sink = Map(r);
  ASSERT_EQ(sink.rows.size(), 2u);
  ASSERT_EQ(sink.rows["domain_records"].size(), 1u);
  EXPECT_EQ(sink.rows["domain_records"][0]["record"],
            "x'" + r.SerializeAsString() + "'");
  ASSERT_EQ(sink.rows["domains"].size(), 1u);
  Row& d = sink.rows["domains"][0];
  EXPECT_EQ(d["scan_id"], "scan-1");
  EXPECT_EQ(d["domain"], "bare.example");
  EXPECT_EQ(d["status"], "NXDOMAIN");
  EXPECT_EQ(d["mx_status"], "DNS_STATUS_UNSPECIFIED");
  EXPECT_EQ(d["tls_category"], "no mail server");
  for (const stats::MetricInfo& m : stats::Metrics()) {
    EXPECT_EQ(d[std::string(m.key)], "0") << m.key;
  }
}

TEST(RowsTest, DomainsRowCarriesTheSummary) {
  const DomainResult r = RichDomain("a.example", "health", 0, "aa", "bb");
  const stats::DomainSummary s = stats::SummarizeDomain(r, LastTwoLabels);
  CollectingSink sink = Map(r);
  ASSERT_EQ(sink.rows["domains"].size(), 1u);
  Row& d = sink.rows["domains"][0];
  EXPECT_EQ(d["sector"], "health");
  EXPECT_EQ(d["status"], "OK");
  EXPECT_EQ(d["scan_started_at_ms"], "1795000000000");
  EXPECT_EQ(d["scan_duration_ms"], "1234");
  EXPECT_EQ(d["tls_category"], s.tls_category);
  EXPECT_EQ(d["self_hosted"], "1");
  int set = 0;
  for (const stats::MetricInfo& m : stats::Metrics()) {
    EXPECT_EQ(d[std::string(m.key)], s.Has(m.metric) ? "1" : "0") << m.key;
    set += s.Has(m.metric);
  }
  EXPECT_GT(set, 5);  // a strong posture: many metrics hold
  ASSERT_EQ(sink.rows["providers"].size(), 1u);
  EXPECT_EQ(sink.rows["providers"][0]["provider"], "provider.example");
  EXPECT_EQ(sink.rows["providers"][0]["position"], "0");
}

TEST(RowsTest, SummaryListsKeepTheirOrder) {
  const DomainResult r = RichDomain("w.example", "", 1, "aa", "bb");
  const stats::DomainSummary s = stats::SummarizeDomain(r, LastTwoLabels);
  ASSERT_FALSE(s.cert_problems.empty());
  CollectingSink sink = Map(r);
  ASSERT_EQ(sink.rows["cert_problems"].size(), s.cert_problems.size());
  for (size_t i = 0; i < s.cert_problems.size(); ++i) {
    EXPECT_EQ(sink.rows["cert_problems"][i]["problem"], s.cert_problems[i]);
    EXPECT_EQ(sink.rows["cert_problems"][i]["position"], std::to_string(i));
  }
  ASSERT_EQ(sink.rows["verify_errors"].size(), s.verify_errors.size());
  EXPECT_EQ(sink.rows["verify_errors"][0]["verify_error"],
            "certificate has expired");
}

TEST(RowsTest, RecordsAndTheirLists) {
  CollectingSink sink = Map(RichDomain("a.example", "x", 0, "aa", "bb"));
  ASSERT_EQ(sink.rows["spf_records"].size(), 1u);
  Row& spf = sink.rows["spf_records"][0];
  EXPECT_EQ(spf["all_mechanism"], "-all");
  EXPECT_EQ(spf["dns_lookups"], "3");
  EXPECT_EQ(spf["void_lookups"], "1");
  EXPECT_EQ(spf["dns_status"], "NOERROR");
  Row& dmarc = sink.rows["dmarc_records"][0];
  EXPECT_EQ(dmarc["policy"], "reject");
  EXPECT_EQ(dmarc["subdomain_policy"], "quarantine");
  EXPECT_EQ(dmarc["pct"], "100");
  EXPECT_EQ(dmarc["np"], "reject");
  EXPECT_EQ(dmarc["org_domain"], "a.example");
  EXPECT_EQ(dmarc["profile"], "rfc9989");
  EXPECT_EQ(sink.rows["mta_sts_records"][0]["mode"], "enforce");
  EXPECT_EQ(sink.rows["mta_sts_records"][0]["policy_id"], "20260101");
  EXPECT_EQ(sink.rows["mta_sts_records"][0]["max_age"], "604800");
  EXPECT_EQ(sink.rows["tls_rpt_records"].size(), 1u);
  EXPECT_EQ(sink.rows["bimi_records"][0]["location"],
            "https://a.example/logo.svg");
  ASSERT_EQ(sink.rows["dkim_keys"].size(), 2u);
  EXPECT_EQ(sink.rows["dkim_keys"][1]["selector"], "google");

  std::map<std::string, std::vector<std::string>> lists;
  for (Row& row : sink.rows["record_lists"]) {
    lists[row["source"] + "/" + row["list"]].push_back(row["value"]);
    EXPECT_EQ(row["position"],
              std::to_string(lists[row["source"] + "/" + row["list"]].size() - 1));
  }
  EXPECT_EQ(lists["domain/findings"].size(), 2u);
  EXPECT_EQ(lists["spf/errors"], std::vector<std::string>{"too many void lookups"});
  EXPECT_EQ(lists["spf/chain"].size(), 1u);
  EXPECT_EQ(lists["dmarc/rua"],
            (std::vector<std::string>{"mailto:rua@a.example",
                                      "mailto:reports@dmarc.example"}));
  EXPECT_EQ(lists["dmarc/fo"], (std::vector<std::string>{"1", "d"}));
  EXPECT_EQ(lists["dmarc/unauthorized_destinations"].size(), 1u);
  EXPECT_EQ(lists["mta_sts/mx"].size(), 2u);
  EXPECT_EQ(lists["mta_sts/mx_not_covered"].size(), 1u);
  EXPECT_EQ(lists["tls_rpt/rua"].size(), 1u);
  EXPECT_EQ(lists["bimi/errors"].size(), 1u);
  EXPECT_EQ(lists["dkim:selector1/errors"].size(), 1u);
  EXPECT_EQ(lists["dkim:google/errors"].size(), 1u);
  ASSERT_EQ(sink.rows["domain_errors"].size(), 1u);
  EXPECT_EQ(sink.rows["domain_errors"][0]["stage"], "DNS");
  EXPECT_EQ(sink.rows["domain_errors"][0]["kind"], "temporary");
}

TEST(RowsTest, AbsentRecordsGiveNoRows) {
  DomainResult r = RichDomain("a.example", "x", 0, "aa", "bb");
  r.clear_spf();
  r.clear_dmarc();
  r.clear_mta_sts();
  r.clear_tls_rpt();
  r.clear_bimi();
  r.clear_dkim();
  CollectingSink sink = Map(r);
  for (const char* table : {"spf_records", "dmarc_records", "mta_sts_records",
                            "tls_rpt_records", "bimi_records", "dkim_keys"}) {
    EXPECT_EQ(sink.rows.count(table), 0u) << table;
  }
  for (Row& row : sink.rows["record_lists"]) {
    EXPECT_EQ(row["source"], "domain");
  }
}

TEST(RowsTest, MailServersProbesSessionsAndChains) {
  CollectingSink sink = Map(RichDomain("a.example", "x", 1, "aa", "bb"));
  ASSERT_EQ(sink.rows["mx_hosts"].size(), 2u);
  Row& provider = sink.rows["mx_hosts"][0];
  EXPECT_EQ(provider["host"], "mx1.provider.example");
  EXPECT_EQ(provider["preference"], "10");
  EXPECT_EQ(provider["tlsa_present"], "1");
  EXPECT_EQ(provider["tlsa_authenticated"], "1");
  Row& own = sink.rows["mx_hosts"][1];
  EXPECT_EQ(own["is_cname"], "1");
  EXPECT_EQ(own["tlsa_present"], "0");
  EXPECT_EQ(own["tlsa_authenticated"], "NULL");
  ASSERT_EQ(sink.rows["tlsa_records"].size(), 1u);
  EXPECT_EQ(sink.rows["tlsa_records"][0]["data"], "ab12cd34");

  ASSERT_EQ(sink.rows["mx_addresses"].size(), 4u);
  EXPECT_EQ(sink.rows["mx_addresses"][3]["probed"], "0");
  ASSERT_EQ(sink.rows["smtp_probes"].size(), 3u);
  Row& ok = sink.rows["smtp_probes"][0];
  EXPECT_EQ(ok["banner"], testing::kTrickyBanner);
  EXPECT_EQ(ok["ehlo_extensions"], "PIPELINING\nSIZE 10240000\nSTARTTLS");
  EXPECT_EQ(ok["error_stage"], "NULL");
  EXPECT_EQ(ok["dane_valid"], "1");
  EXPECT_EQ(ok["dane_matched_record"], "0");
  Row& failed = sink.rows["smtp_probes"][1];
  EXPECT_EQ(failed["ip"], "2001:db8::10");
  EXPECT_EQ(failed["error_stage"], "HANDSHAKE");
  EXPECT_EQ(failed["error_code"], "40");
  EXPECT_EQ(failed["dane_matched_record"], "-1");
  EXPECT_EQ(sink.rows["smtp_probes"][2]["dane_valid"], "NULL");

  ASSERT_EQ(sink.rows["tls_sessions"].size(), 2u);
  Row& tls = sink.rows["tls_sessions"][1];
  EXPECT_EQ(tls["host"], "mail.a.example");
  EXPECT_EQ(tls["version"], "TLSv1");
  EXPECT_EQ(tls["key_group"], "X25519");
  EXPECT_EQ(tls["leaf_sha256"], "aa00");
  EXPECT_EQ(tls["cert_expired"], "1");
  EXPECT_EQ(tls["cert_not_after"], "1790000000");
  EXPECT_EQ(tls["leaf_dns_names"], "mail.a.example *.mail.a.example");
  EXPECT_EQ(tls["versions_accepted"], "TLSv1.2 TLSv1.3");
  EXPECT_EQ(tls["ehlo_extensions_tls"], "PIPELINING\nAUTH PLAIN LOGIN");
  ASSERT_EQ(sink.rows["tls_chains"].size(), 4u);
  EXPECT_EQ(sink.rows["tls_chains"][2]["sha256"], "aa00");
  EXPECT_EQ(sink.rows["tls_chains"][3]["position"], "1");
  EXPECT_EQ(sink.rows["tls_chains"][3]["sha256"], "bb");
}

TEST(RowsTest, SessionWithoutChainHasNullLeaf) {
  DomainResult r = RichDomain("a.example", "x", 0, "aa", "bb");
  r.mutable_mx(0)->mutable_addresses(0)->mutable_smtp()->mutable_tls()
      ->clear_cert_chain_sha256();
  CollectingSink sink = Map(r);
  EXPECT_EQ(sink.rows["tls_sessions"][0]["leaf_sha256"], "NULL");
}

TEST(RowsTest, CertificateRow) {
  CollectingSink sink;
  MapCertificateRow(
      testing::MakeCertificate("cafe", 1800000000, std::string("\0\x01\xff", 3)),
      sink);
  ASSERT_EQ(sink.rows["certificates"].size(), 1u);
  Row& c = sink.rows["certificates"][0];
  EXPECT_EQ(c["sha256"], "cafe");
  EXPECT_EQ(c["not_after"], "1800000000");
  EXPECT_EQ(c["dns_names"], "mx1.provider.example *.provider.example");
  EXPECT_EQ(c["key_bits"], "256");
  EXPECT_EQ(c["der"], std::string("x'\0\x01\xff'", 6));
}

}  // namespace
}  // namespace mxscan::db_export
