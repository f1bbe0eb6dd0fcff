#include "scanner/stats/domain_row.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scanner/base/csv_field.h"

namespace mxscan::stats {
namespace {

const char* Bool(bool b) { return b ? "true" : "false"; }

// The columns of the record itself, before the metrics.
constexpr char kRecordColumns[] =
    "domain,sector,organization,status,mx_hosts,mail_servers,weakest_tls,"
    "strict_sender,"
    "cert_problems,providers,spf_all,spf_dns_lookups,dmarc_policy,"
    "dmarc_inherited,mta_sts_mode,dkim_selectors,findings";

}  // namespace

const std::string& DomainCsvHeader() {
  static const std::string* const kHeader = [] {
    auto* header = new std::string(kRecordColumns);
    for (const MetricInfo& m : Metrics()) absl::StrAppend(header, ",", m.key);
    header->push_back('\n');
    return header;
  }();
  return *kHeader;
}

std::string DomainCsvRow(const DomainResult& r, const DomainSummary& s) {
  std::vector<std::string> hosts;
  int servers = 0;
  for (const MxHost& mx : r.mx()) {
    hosts.push_back(absl::StrCat(mx.preference(), " ", mx.host()));
    servers += mx.addresses_size();
  }
  std::vector<std::string> selectors;
  for (const DkimKey& k : r.dkim()) selectors.push_back(k.selector());
  std::string row = absl::StrCat(
      base::CsvField(r.domain()), ",", base::CsvField(r.sector()), ",",
      base::CsvField(r.organization()), ",",
      DomainResult::Status_Name(r.status()), ",",
      base::CsvField(absl::StrJoin(hosts, ";")), ",", servers, ",",
      base::CsvField(s.tls_category), ",", base::CsvField(s.strict_sender), ",",
      base::CsvField(absl::StrJoin(s.cert_problems, ";")), ",",
      base::CsvField(absl::StrJoin(s.providers, ";")), ",",
      base::CsvField(r.spf().all()), ",", r.spf().dns_lookups(), ",",
      base::CsvField(r.dmarc().policy()), ",", Bool(r.dmarc().inherited()), ",",
      base::CsvField(r.mta_sts().mode()), ",",
      base::CsvField(absl::StrJoin(selectors, ";")), ",",
      base::CsvField(absl::StrJoin(r.findings(), "; ")));
  for (size_t i = 0; i < kMetricCount; ++i) {
    absl::StrAppend(&row, ",", Bool(s.metrics.test(i)));
  }
  row.push_back('\n');
  return row;
}

}  // namespace mxscan::stats
