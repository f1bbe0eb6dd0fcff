#include "scanner/export/rows.h"

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scanner/stats/metrics.h"

namespace mxscan::db_export {
namespace {

using V = Value;

V Text(absl::string_view s) { return V::Text(s); }
V Bool(bool b) { return V::Bool(b); }
V Int(int64_t i) { return V::Int(i); }
V Dns(DnsStatus s) { return V::Text(DnsStatus_Name(s)); }

// Builds the rows of one domain: every row starts with (scan_id, domain).
class DomainRows {
 public:
  DomainRows(absl::string_view scan_id, absl::string_view domain,
             RowSink& sink)
      : scan_id_(scan_id), domain_(domain), sink_(sink) {}

  // Start begins a row; push the remaining columns, then Send it.
  std::vector<V>& Start() {
    row_.clear();
    row_.push_back(Text(scan_id_));
    row_.push_back(Text(domain_));
    return row_;
  }
  void Send(TableId table) { sink_.Add(table, row_); }

  void Add(TableId table, std::initializer_list<V> rest) {
    std::vector<V>& row = Start();
    row.insert(row.end(), rest.begin(), rest.end());
    Send(table);
  }

  // One record_lists row per element of `values`.
  template <typename Strings>
  void List(absl::string_view source, absl::string_view list,
            const Strings& values) {
    int position = 0;
    for (const std::string& value : values) {
      Add(TableId::kRecordLists,
          {Text(source), Text(list), Int(position++), Text(value)});
    }
  }

  // One (position, value) row per element of a summary's list.
  void Positions(TableId table, const std::vector<std::string>& values) {
    int position = 0;
    for (const std::string& value : values) {
      Add(table, {Int(position++), Text(value)});
    }
  }

 private:
  absl::string_view scan_id_;
  absl::string_view domain_;
  RowSink& sink_;
  std::vector<V> row_;
};

void MapSummary(const DomainResult& r, const stats::DomainSummary& s,
                DomainRows& rows) {
  std::vector<V>& row = rows.Start();
  for (V v :
       {Text(r.sector()), Text(DomainResult::Status_Name(r.status())),
        Dns(r.mx_status()), Bool(r.dkim_no_keys()), Int(r.scan_started_at()),
        Int(r.scan_duration_ms()), Text(s.tls_category), Bool(s.self_hosted),
        Text(s.strict_sender), Text(s.dnssec_status)}) {
    row.push_back(v);
  }
  for (const stats::MetricInfo& info : stats::Metrics()) {
    row.push_back(Bool(s.Has(info.metric)));
  }
  rows.Send(TableId::kDomains);
  rows.Positions(TableId::kProviders, s.providers);
  rows.Positions(TableId::kCertProblems, s.cert_problems);
  rows.Positions(TableId::kVerifyErrors, s.verify_errors);
  rows.Positions(TableId::kSoftware, s.software);
  int key = 0;
  for (const std::string& entry : s.leaf_keys) {
    const size_t space = entry.find(' ');
    rows.Add(TableId::kLeafKeys,
             {Int(key++), Text(absl::string_view(entry).substr(0, space)),
              Text(absl::string_view(entry).substr(space + 1))});
  }
  int dependency = 0;
  for (size_t kind = 0; kind < s.dependencies.size(); ++kind) {
    for (const std::string& organisation : s.dependencies[kind]) {
      rows.Add(TableId::kDependencies,
               {Int(dependency++), Text(stats::Dependencies()[kind].key),
                Text(organisation)});
    }
  }
  int position = 0;
  for (const Error& e : r.errors()) {
    rows.Add(TableId::kDomainErrors,
             {Int(position++), Text(Stage_Name(e.stage())), Int(e.code()),
              Text(e.kind()), Text(e.message())});
  }
  rows.List("domain", "findings", r.findings());
}

void MapRecords(const DomainResult& r, DomainRows& rows) {
  if (r.has_spf()) {
    const SpfResult& spf = r.spf();
    rows.Add(TableId::kSpf,
             {Bool(spf.present()), Bool(spf.valid()), Text(spf.record()),
              Text(spf.all()), Int(spf.dns_lookups()),
              Int(spf.void_lookups()), Dns(spf.dns_status())});
    rows.List("spf", "errors", spf.errors());
    rows.List("spf", "warnings", spf.warnings());
    rows.List("spf", "chain", spf.chain());
  }
  if (r.has_dmarc()) {
    const DmarcResult& d = r.dmarc();
    rows.Add(TableId::kDmarc,
             {Bool(d.present()), Bool(d.valid()), Text(d.record()),
              Text(d.policy()), Text(d.subdomain_policy()), Text(d.np()),
              Int(d.pct()), Text(d.adkim()), Text(d.aspf()), Text(d.psd()),
              Text(d.t()), Text(d.org_domain()), Bool(d.inherited()),
              Text(d.record_domain()), Text(d.profile()),
              Dns(d.dns_status())});
    rows.List("dmarc", "errors", d.errors());
    rows.List("dmarc", "warnings", d.warnings());
    rows.List("dmarc", "rua", d.rua());
    rows.List("dmarc", "ruf", d.ruf());
    rows.List("dmarc", "fo", d.fo());
    rows.List("dmarc", "unauthorized_destinations",
              d.unauthorized_destinations());
  }
  if (r.has_mta_sts()) {
    const MtaStsResult& m = r.mta_sts();
    rows.Add(TableId::kMtaSts,
             {Bool(m.txt_present()), Text(m.id()), Text(m.record()),
              Bool(m.policy_fetched()), Text(m.mode()),
              Int(static_cast<int64_t>(m.max_age())), Dns(m.dns_status())});
    rows.List("mta_sts", "errors", m.errors());
    rows.List("mta_sts", "warnings", m.warnings());
    rows.List("mta_sts", "mx", m.mx());
    rows.List("mta_sts", "mx_not_covered", m.mx_not_covered());
  }
  if (r.has_tls_rpt()) {
    const TlsRptResult& t = r.tls_rpt();
    rows.Add(TableId::kTlsRpt, {Bool(t.present()), Bool(t.valid()),
                                Text(t.record()), Dns(t.dns_status())});
    rows.List("tls_rpt", "errors", t.errors());
    rows.List("tls_rpt", "warnings", t.warnings());
    rows.List("tls_rpt", "rua", t.rua());
  }
  if (r.has_bimi()) {
    const BimiResult& b = r.bimi();
    rows.Add(TableId::kBimi,
             {Bool(b.present()), Bool(b.valid()), Text(b.record()),
              Text(b.location()), Text(b.authority()), Dns(b.dns_status())});
    rows.List("bimi", "errors", b.errors());
  }
  for (const DkimKey& k : r.dkim()) {
    rows.Add(TableId::kDkimKeys,
             {Text(k.selector()), Text(k.record()), Text(k.key_type()),
              Int(k.key_bits()), Bool(k.revoked()), Bool(k.valid()),
              Bool(k.testing()), Dns(k.dns_status())});
    rows.List(absl::StrCat("dkim:", k.selector()), "errors", k.errors());
  }
}

void MapTls(const MxHost& host, const MxAddress& address, DomainRows& rows) {
  const TlsInfo& tls = address.smtp().tls();
  const std::string dns_names = absl::StrJoin(tls.leaf_dns_names(), " ");
  const std::string versions = absl::StrJoin(tls.versions_accepted(), " ");
  const std::string extensions = absl::StrJoin(tls.ehlo_extensions_tls(), "\n");
  const V leaf = tls.cert_chain_sha256_size() > 0
                     ? Text(tls.cert_chain_sha256(0))
                     : V::Null();
  rows.Add(TableId::kTlsSessions,
           {Text(host.host()), Text(address.ip()), Text(tls.version()),
            Text(tls.cipher()), Text(tls.group()), Bool(tls.cert_trusted()),
            Bool(tls.hostname_match()), Bool(tls.cert_expired()),
            Int(tls.cert_not_before()), Int(tls.cert_not_after()), leaf,
            Text(tls.leaf_key_type()), Int(tls.leaf_key_bits()),
            Text(tls.leaf_key_curve()), Text(dns_names),
            Text(tls.verify_error()), Bool(tls.resumed()),
            Text(tls.oldest_version()), Text(versions), Text(extensions)});
  int position = 0;
  for (const std::string& sha256 : tls.cert_chain_sha256()) {
    rows.Add(TableId::kTlsChains, {Text(host.host()), Text(address.ip()),
                                   Int(position++), Text(sha256)});
  }
}

void MapProbe(const MxHost& host, const MxAddress& address,
              DomainRows& rows) {
  const SmtpProbe& p = address.smtp();
  const std::string extensions = absl::StrJoin(p.ehlo_extensions(), "\n");
  const bool error = p.has_error();
  const bool dane = p.has_tlsa();
  rows.Add(
      TableId::kSmtpProbes,
      {Text(host.host()), Text(address.ip()), Bool(p.connected()),
       Int(p.banner_code()), Text(p.banner()), Int(p.ehlo_code()),
       Bool(p.helo_used()), Text(extensions), Bool(p.starttls_offered()),
       Int(p.starttls_code()), Bool(p.tls_attempted()), Bool(p.deferred()),
       Int(p.duration_ms()), Int(static_cast<int64_t>(p.early_data_bytes())),
       Int(p.quit_code()),
       error ? Text(Stage_Name(p.error().stage())) : V::Null(),
       error ? Int(p.error().code()) : V::Null(),
       error ? Text(p.error().kind()) : V::Null(),
       error ? Text(p.error().message()) : V::Null(),
       dane ? Bool(p.tlsa().dane_valid()) : V::Null(),
       dane ? Bool(p.tlsa().authenticated()) : V::Null(),
       dane ? Int(p.tlsa().matched_record()) : V::Null(),
       dane ? Text(p.tlsa().dane_detail()) : V::Null(),
       dane ? Int(p.tlsa().usable_records()) : V::Null()});
  if (p.has_tls()) MapTls(host, address, rows);
}

void MapMailServers(const DomainResult& r, DomainRows& rows) {
  for (const MxHost& host : r.mx()) {
    const bool tlsa = host.has_tlsa();
    rows.Add(TableId::kMxHosts,
             {Text(host.host()), Int(host.preference()), Bool(host.is_cname()),
              Dns(host.address_status()), Bool(tlsa),
              tlsa ? Dns(host.tlsa().dns_status()) : V::Null(),
              tlsa ? Bool(host.tlsa().authenticated()) : V::Null(),
              tlsa ? Int(host.tlsa().usable_records()) : V::Null()});
    int position = 0;
    for (const TlsaRecord& t : host.tlsa().records()) {
      rows.Add(TableId::kTlsaRecords,
               {Text(host.host()), Int(position++), Int(t.usage()),
                Int(t.selector()), Int(t.matching_type()), Text(t.data())});
    }
    for (const MxAddress& address : host.addresses()) {
      rows.Add(TableId::kMxAddresses, {Text(host.host()), Text(address.ip()),
                                       Bool(address.has_smtp())});
      if (address.has_smtp()) MapProbe(host, address, rows);
    }
  }
}

}  // namespace

void MapDomainRows(const DomainResult& result,
                   const stats::DomainSummary& summary,
                   absl::string_view scan_id, RowSink& sink) {
  DomainRows rows(scan_id, result.domain(), sink);
  MapSummary(result, summary, rows);
  MapRecords(result, rows);
  MapMailServers(result, rows);
  const std::string record = result.SerializeAsString();
  rows.Add(TableId::kDomainRecords, {V::Blob(record)});
}

void MapCertificateRow(const Certificate& c, RowSink& sink) {
  const std::string dns_names = absl::StrJoin(c.dns_names(), " ");
  const V row[] = {Text(c.sha256()),    Text(c.subject()),
                   Text(c.issuer()),    Int(c.not_before()),
                   Int(c.not_after()),  Text(dns_names),
                   Text(c.key_type()),  Int(c.key_bits()),
                   V::Blob(c.der())};
  sink.Add(TableId::kCertificates, row);
}

}  // namespace mxscan::db_export
