#include "scanner/cli/dump_command.h"

#include <cstdio>
#include <string>

#include <google/protobuf/util/json_util.h>

#include "absl/container/flat_hash_set.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scanner/cli/common_flags.h"
#include "scanner/scan/result_reader.h"

ABSL_FLAG(bool, certificates, false,
          "dump the certificate files (*.certs) instead of domain records");

namespace mxscan::cli {
namespace {

std::string CsvField(absl::string_view s) {
  if (s.find_first_of(",\"\n\r") == absl::string_view::npos) {
    return std::string(s);
  }
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

const char* Bool(bool b) { return b ? "true" : "false"; }

constexpr char kCsvHeader[] =
    "domain,sector,status,mx_hosts,null_mx,implicit_mx,dnssec,spf_present,"
    "spf_valid,spf_all,spf_dns_lookups,dmarc_present,dmarc_valid,"
    "dmarc_policy,dmarc_inherited,mta_sts_txt,mta_sts_mode,tls_rpt_present,"
    "bimi_present,dkim_selectors,dkim_no_keys,findings\n";

std::string CsvRow(const DomainResult& r) {
  std::vector<std::string> hosts;
  for (const MxHost& mx : r.mx()) {
    hosts.push_back(absl::StrCat(mx.preference(), " ", mx.host()));
  }
  std::vector<std::string> selectors;
  for (const DkimKey& k : r.dkim()) selectors.push_back(k.selector());
  return absl::StrCat(
      CsvField(r.domain()), ",", CsvField(r.sector()), ",",
      DomainResult::Status_Name(r.status()), ",",
      CsvField(absl::StrJoin(hosts, ";")), ",", Bool(r.null_mx()), ",",
      Bool(r.implicit_mx()), ",", Bool(r.dnssec()), ",",
      Bool(r.spf().present()), ",", Bool(r.spf().valid()), ",",
      r.spf().all(), ",", r.spf().dns_lookups(), ",",
      Bool(r.dmarc().present()), ",", Bool(r.dmarc().valid()), ",",
      CsvField(r.dmarc().policy()), ",", Bool(r.dmarc().inherited()), ",",
      Bool(r.mta_sts().txt_present()), ",", CsvField(r.mta_sts().mode()), ",",
      Bool(r.tls_rpt().present()), ",", Bool(r.bimi().present()), ",",
      CsvField(absl::StrJoin(selectors, ";")), ",", Bool(r.dkim_no_keys()),
      ",", CsvField(absl::StrJoin(r.findings(), "; ")), "\n");
}

}  // namespace

int RunDumpCommand(const std::vector<std::string>& paths) {
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format != "jsonl" && format != "csv") {
    std::fprintf(stderr, "mxscan dump: --format must be jsonl or csv\n");
    return 2;
  }
  if (paths.empty()) {
    std::fprintf(stderr, "mxscan dump: name a result file or directory\n");
    return 2;
  }
  const bool certificates = absl::GetFlag(FLAGS_certificates);
  if (certificates && format != "jsonl") {
    std::fprintf(stderr, "mxscan dump: certificates dump as jsonl only\n");
    return 2;
  }
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    absl::StatusOr<std::vector<std::string>> found =
        scan::ResultFiles(path, certificates ? ".certs" : ".pb");
    if (!found.ok()) {
      std::fprintf(stderr, "mxscan dump: %s\n",
                   std::string(found.status().message()).c_str());
      return 1;
    }
    files.insert(files.end(), found->begin(), found->end());
  }
  google::protobuf::util::JsonPrintOptions json;
  json.always_print_primitive_fields = true;
  json.preserve_proto_field_names = false;
  std::string out;
  if (format == "csv") out = kCsvHeader;
  DomainResult domain_record;
  Certificate certificate_record;
  absl::flat_hash_set<std::string> printed_certificates;
  google::protobuf::Message* record =
      certificates ? static_cast<google::protobuf::Message*>(&certificate_record)
                   : &domain_record;
  absl::StatusOr<scan::ReadStats> stats =
      scan::ReadRecords(files, record, [&](const google::protobuf::Message& m) {
        // Each worker stores a certificate once; print it once overall.
        if (certificates &&
            !printed_certificates.insert(certificate_record.sha256()).second) {
          return;
        }
        if (format == "csv") {
          out += CsvRow(static_cast<const DomainResult&>(m));
        } else {
          std::string line;
          (void)google::protobuf::util::MessageToJsonString(m, &line, json);
          out += line;
          out.push_back('\n');
        }
        if (out.size() > (1 << 20)) {
          std::fwrite(out.data(), 1, out.size(), stdout);
          out.clear();
        }
      });
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (!stats.ok()) {
    std::fprintf(stderr, "mxscan dump: %s\n",
                 std::string(stats.status().message()).c_str());
    return 1;
  }
  if (stats->torn > 0) {
    std::fprintf(stderr,
                 "mxscan dump: %llu torn record(s) at the end of a file "
                 "dropped (interrupted write)\n",
                 static_cast<unsigned long long>(stats->torn));
  }
  return 0;
}

}  // namespace mxscan::cli
