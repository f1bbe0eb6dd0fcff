#include "scanner/export/schema.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scanner/stats/metrics.h"

namespace mxscan::db_export {
namespace {

Column B(const char* name) { return {name, ColumnType::kBool}; }
Column I(const char* name) { return {name, ColumnType::kInt}; }
Column L(const char* name) { return {name, ColumnType::kBigInt}; }
Column T(const char* name) { return {name, ColumnType::kText}; }
Column X(const char* name) { return {name, ColumnType::kBlob}; }

// A per-scan table of one domain's rows: (scan_id, domain, ...).
Table DomainTable(TableId id, const char* name, std::vector<Column> more) {
  Table t;
  t.id = id;
  t.name = name;
  t.columns = {T("scan_id"), T("domain")};
  for (Column& c : more) t.columns.push_back(std::move(c));
  return t;
}

std::vector<Table> MakeTables() {
  std::vector<Table> tables;

  Table info;
  info.id = TableId::kSchemaInfo;
  info.name = "schema_info";
  info.columns = {T("name"), T("value")};
  info.primary_key = {"name"};
  info.per_scan = false;
  tables.push_back(info);

  Table scans;
  scans.id = TableId::kScans;
  scans.name = "scans";
  scans.columns = {
      T("scan_id"),           T("source"),         L("started_at_ms"),
      L("finished_at_ms"),    L("exported_at_ms"), L("domain_count"),
      L("duplicate_records"), L("torn_records"),   L("certificate_count"),
      L("schema_version"),    T("manifests")};
  scans.primary_key = {"scan_id"};
  scans.indexes = {{{"started_at_ms"}}};
  tables.push_back(scans);

  Table domains = DomainTable(
      TableId::kDomains, "domains",
      {T("sector"), T("status"), T("mx_status"), B("dkim_no_keys"),
       L("scan_started_at_ms"), L("scan_duration_ms"), T("tls_category"),
       B("self_hosted"), T("strict_sender"), T("dnssec_status")});
  for (const stats::MetricInfo& m : stats::Metrics()) {
    domains.columns.push_back({std::string(m.key), ColumnType::kBool});
  }
  domains.primary_key = {"scan_id", "domain"};
  domains.indexes = {{{"domain"}}, {{"scan_id", "sector"}}};
  tables.push_back(domains);

  Table providers = DomainTable(TableId::kProviders, "providers",
                                {I("position"), T("provider")});
  providers.primary_key = {"scan_id", "domain", "position"};
  providers.indexes = {{{"scan_id", "provider"}}};
  tables.push_back(providers);

  Table problems = DomainTable(TableId::kCertProblems, "cert_problems",
                               {I("position"), T("problem")});
  problems.primary_key = {"scan_id", "domain", "position"};
  tables.push_back(problems);

  Table verify = DomainTable(TableId::kVerifyErrors, "verify_errors",
                             {I("position"), T("verify_error")});
  verify.primary_key = {"scan_id", "domain", "position"};
  tables.push_back(verify);

  Table errors = DomainTable(
      TableId::kDomainErrors, "domain_errors",
      {I("position"), T("stage"), L("code"), T("kind"), T("message")});
  errors.primary_key = {"scan_id", "domain", "position"};
  tables.push_back(errors);

  Table lists = DomainTable(
      TableId::kRecordLists, "record_lists",
      {T("source"), T("list"), I("position"), T("value")});
  lists.primary_key = {"scan_id", "domain", "source", "list", "position"};
  lists.indexes = {{{"scan_id", "source", "list"}}};
  tables.push_back(lists);

  Table spf = DomainTable(
      TableId::kSpf, "spf_records",
      {B("present"), B("valid"), T("record"), T("all_mechanism"),
       L("dns_lookups"), L("void_lookups"), T("dns_status")});
  spf.primary_key = {"scan_id", "domain"};
  tables.push_back(spf);

  Table dmarc = DomainTable(
      TableId::kDmarc, "dmarc_records",
      {B("present"), B("valid"), T("record"), T("policy"),
       T("subdomain_policy"), T("np"), L("pct"), T("adkim"), T("aspf"),
       T("psd"), T("t"), T("org_domain"), B("inherited"), T("record_domain"),
       T("profile"), T("dns_status")});
  dmarc.primary_key = {"scan_id", "domain"};
  tables.push_back(dmarc);

  Table sts = DomainTable(
      TableId::kMtaSts, "mta_sts_records",
      {B("txt_present"), T("policy_id"), T("record"), B("policy_fetched"),
       T("mode"), L("max_age"), T("dns_status")});
  sts.primary_key = {"scan_id", "domain"};
  tables.push_back(sts);

  Table rpt = DomainTable(TableId::kTlsRpt, "tls_rpt_records",
                          {B("present"), B("valid"), T("record"),
                           T("dns_status")});
  rpt.primary_key = {"scan_id", "domain"};
  tables.push_back(rpt);

  Table bimi = DomainTable(
      TableId::kBimi, "bimi_records",
      {B("present"), B("valid"), T("record"), T("location"), T("authority"),
       T("dns_status")});
  bimi.primary_key = {"scan_id", "domain"};
  tables.push_back(bimi);

  Table dkim = DomainTable(
      TableId::kDkimKeys, "dkim_keys",
      {T("selector"), T("record"), T("key_type"), L("key_bits"), B("revoked"),
       B("valid"), B("testing"), T("dns_status")});
  dkim.primary_key = {"scan_id", "domain", "selector"};
  tables.push_back(dkim);

  Table mx = DomainTable(
      TableId::kMxHosts, "mx_hosts",
      {T("host"), L("preference"), B("is_cname"), T("address_status"),
       B("tlsa_present"), T("tlsa_dns_status"), B("tlsa_authenticated"),
       L("tlsa_usable_records")});
  mx.indexes = {{{"scan_id", "domain"}}, {{"scan_id", "host"}}};
  tables.push_back(mx);

  Table tlsa = DomainTable(
      TableId::kTlsaRecords, "tlsa_records",
      {T("host"), I("position"), L("usage"), L("selector"),
       L("matching_type"), T("data")});
  tlsa.indexes = {{{"scan_id", "domain"}}};
  tables.push_back(tlsa);

  Table addresses = DomainTable(TableId::kMxAddresses, "mx_addresses",
                                {T("host"), T("ip"), B("probed")});
  addresses.indexes = {{{"scan_id", "domain"}}, {{"scan_id", "ip"}}};
  tables.push_back(addresses);

  Table probes = DomainTable(
      TableId::kSmtpProbes, "smtp_probes",
      {T("host"), T("ip"), B("connected"), L("banner_code"), T("banner"),
       L("ehlo_code"), B("helo_used"), T("ehlo_extensions"),
       B("starttls_offered"), L("starttls_code"), B("tls_attempted"),
       B("deferred"), L("duration_ms"), L("early_data_bytes"), L("quit_code"),
       T("error_stage"), L("error_code"), T("error_kind"), T("error_message"),
       B("dane_valid"), B("dane_authenticated"), L("dane_matched_record"),
       T("dane_detail"), L("dane_usable_records")});
  probes.indexes = {{{"scan_id", "domain"}}};
  tables.push_back(probes);

  Table tls = DomainTable(
      TableId::kTlsSessions, "tls_sessions",
      {T("host"), T("ip"), T("version"), T("cipher"), T("key_group"),
       B("cert_trusted"), B("hostname_match"), B("cert_expired"),
       L("cert_not_before"), L("cert_not_after"), T("leaf_sha256"),
       T("leaf_key_type"), L("leaf_key_bits"), T("leaf_key_curve"),
       T("leaf_dns_names"), T("verify_error"), B("resumed"),
       T("oldest_version"), T("versions_accepted"),
       T("ehlo_extensions_tls")});
  tls.indexes = {{{"scan_id", "domain"}}};
  tables.push_back(tls);

  Table chains = DomainTable(TableId::kTlsChains, "tls_chains",
                             {T("host"), T("ip"), I("position"),
                              T("sha256")});
  chains.indexes = {{{"scan_id", "domain"}}, {{"sha256"}}};
  tables.push_back(chains);

  Table certs;
  certs.id = TableId::kCertificates;
  certs.name = "certificates";
  certs.columns = {T("sha256"),     T("subject"),   T("issuer"),
                   L("not_before"), L("not_after"), T("dns_names"),
                   T("key_type"),   L("key_bits"),  X("der")};
  certs.primary_key = {"sha256"};
  certs.indexes = {{{"not_after"}}};
  certs.per_scan = false;
  certs.ignore_duplicates = true;
  certs.complete_when_null = "der";
  tables.push_back(certs);

  // Added after the tables above: kept last, in TableId order.
  Table software = DomainTable(TableId::kSoftware, "software",
                               {I("position"), T("software")});
  software.primary_key = {"scan_id", "domain", "position"};
  tables.push_back(software);

  Table dependencies =
      DomainTable(TableId::kDependencies, "dependencies",
                  {I("position"), T("kind"), T("organisation")});
  dependencies.primary_key = {"scan_id", "domain", "position"};
  dependencies.indexes = {{{"scan_id", "organisation"}}};
  tables.push_back(dependencies);

  Table leaf_keys =
      DomainTable(TableId::kLeafKeys, "leaf_keys",
                  {I("position"), T("spki_sha256"), T("organisation")});
  leaf_keys.primary_key = {"scan_id", "domain", "position"};
  leaf_keys.indexes = {{{"scan_id", "spki_sha256"}}};
  tables.push_back(leaf_keys);

  // The whole record, so that report cards (mxscan site, explain) can be
  // built from the database as from the result files.
  Table records =
      DomainTable(TableId::kDomainRecords, "domain_records", {X("record")});
  records.primary_key = {"scan_id", "domain"};
  tables.push_back(records);
  return tables;
}

}  // namespace

const std::vector<Table>& Tables() {
  static const std::vector<Table>* const kTables =
      new std::vector<Table>(MakeTables());
  return *kTables;
}

const Table& TableOf(TableId id) { return Tables()[static_cast<int>(id)]; }

absl::string_view SqlType(ColumnType type, Dialect dialect) {
  const bool pg = dialect == Dialect::kPostgres;
  switch (type) {
    case ColumnType::kBool:
      return pg ? "SMALLINT" : "INTEGER";
    case ColumnType::kInt:
      return "INTEGER";
    case ColumnType::kBigInt:
      return pg ? "BIGINT" : "INTEGER";
    case ColumnType::kText:
      return "TEXT";
    case ColumnType::kBlob:
      return pg ? "BYTEA" : "BLOB";
  }
  return "TEXT";
}

std::string ColumnList(const Table& table) {
  return absl::StrJoin(table.columns, ", ",
                       [](std::string* out, const Column& c) {
                         out->append(c.name);
                       });
}

std::string OnConflictClause(const Table& table) {
  if (!table.ignore_duplicates) return "";
  const std::string key = absl::StrJoin(table.primary_key, ", ");
  if (table.complete_when_null.empty()) {
    return absl::StrCat("ON CONFLICT (", key, ") DO NOTHING");
  }
  std::vector<std::string> sets;
  for (const Column& c : table.columns) {
    sets.push_back(absl::StrCat(c.name, " = excluded.", c.name));
  }
  return absl::StrCat("ON CONFLICT (", key, ") DO UPDATE SET ",
                      absl::StrJoin(sets, ", "), " WHERE ", table.name, ".",
                      table.complete_when_null, " IS NULL AND excluded.",
                      table.complete_when_null, " IS NOT NULL");
}

std::string CreateTableStatement(const Table& table, Dialect dialect) {
  std::vector<std::string> parts;
  for (const Column& c : table.columns) {
    parts.push_back(absl::StrCat(c.name, " ", SqlType(c.type, dialect)));
  }
  if (!table.primary_key.empty()) {
    parts.push_back(
        absl::StrCat("PRIMARY KEY (", absl::StrJoin(table.primary_key, ", "),
                     ")"));
  }
  // SQLite: a table with a primary key stores its rows in the key's B-tree
  // (no second copy of the key in a rowid table's index).
  const bool without_rowid =
      dialect == Dialect::kSqlite && !table.primary_key.empty();
  return absl::StrCat("CREATE TABLE IF NOT EXISTS ", table.name, " (\n  ",
                      absl::StrJoin(parts, ",\n  "), "\n)",
                      without_rowid ? " WITHOUT ROWID" : "");
}

std::vector<std::string> SchemaStatements(Dialect dialect) {
  std::vector<std::string> out;
  for (const Table& table : Tables()) {
    out.push_back(CreateTableStatement(table, dialect));
    for (const Index& index : table.indexes) {
      out.push_back(absl::StrCat(
          "CREATE INDEX IF NOT EXISTS ", table.name, "_",
          absl::StrJoin(index.columns, "_"), " ON ", table.name, " (",
          absl::StrJoin(index.columns, ", "), ")"));
    }
  }
  return out;
}

}  // namespace mxscan::db_export
