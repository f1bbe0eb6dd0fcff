#include "scanner/cli/dump_command.h"

#include <google/protobuf/util/json_util.h>

#include <cstdio>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/flags/flag.h"
#include "scanner/cli/common_flags.h"
#include "scanner/cli/org_domain_flag.h"
#include "scanner/results/result_reader.h"
#include "scanner/stats/domain_row.h"

ABSL_FLAG(bool, certificates, false,
          "dump the certificate files (*.certs) instead of domain records");

namespace mxscan::cli {

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
        results::ResultFiles(path, certificates ? ".certs" : ".pb");
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
  stats::OrgDomainOf org_of;
  if (format == "csv") {
    absl::StatusOr<stats::OrgDomainOf> loaded = OrgDomainOfFromFlags();
    if (!loaded.ok()) {
      std::fprintf(stderr, "mxscan dump: %s\n",
                   std::string(loaded.status().message()).c_str());
      return 1;
    }
    org_of = *std::move(loaded);
  }
  std::string out;
  if (format == "csv") out = stats::DomainCsvHeader();
  DomainResult domain_record;
  Certificate certificate_record;
  absl::flat_hash_set<std::string> printed_certificates;
  google::protobuf::Message* record =
      certificates ? static_cast<google::protobuf::Message*>(&certificate_record)
                   : &domain_record;
  absl::StatusOr<results::ReadStats> stats = results::ReadRecords(
      files, record, [&](const google::protobuf::Message& m) {
        // Each worker stores a certificate once; print it once overall.
        if (certificates &&
            !printed_certificates.insert(certificate_record.sha256()).second) {
          return;
        }
        if (format == "csv") {
          const auto& r = static_cast<const DomainResult&>(m);
          out += stats::DomainCsvRow(r, stats::SummarizeDomain(r, org_of));
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
