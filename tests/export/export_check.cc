// export_check: what the export's shell tests ask of a database.
//
//   export_check query URL SQL
//       prints the rows of SQL, columns tab-separated, NULL as \N
//   export_check summaries URL SCAN_ID DIR... [--psl-file FILE]
//       reads the scan's per-domain summaries back (ReadSummaries) and
//       compares each, field by field, with stats::SummarizeDomain of the
//       records in DIR...; exit 1 at the first difference
//
// Exit status 2 for a database error.

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scanner/checks/org_domain/public_suffix_list.h"
#include "scanner/export/open_database.h"
#include "scanner/export/summary_reader.h"
#include "scanner/results/result_reader.h"
#include "scanner/stats/domain_summary.h"

namespace mxscan::db_export {
namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "export_check: %s\n",
               std::string(status.message()).c_str());
  return 2;
}

int Query(const std::string& url, const std::string& sql) {
  auto db = OpenDatabase(url, Access::kReadOnly);
  if (!db.ok()) return Fail(db.status());
  auto rows = (*db)->Query(sql, {});
  if (!rows.ok()) return Fail(rows.status());
  while (true) {
    auto more = (*rows)->Next();
    if (!more.ok()) return Fail(more.status());
    if (!*more) break;
    std::vector<std::string> columns;
    for (int i = 0; i < (*rows)->column_count(); ++i) {
      columns.push_back((*rows)->IsNull(i) ? "\\N"
                                           : std::string((*rows)->Text(i)));
    }
    std::printf("%s\n", absl::StrJoin(columns, "\t").c_str());
  }
  return 0;
}

std::string Describe(const stats::DomainSummary& s) {
  return absl::StrCat(
      s.domain, " sector=", s.sector, " metrics=", s.metrics.to_string(),
      " tls=", s.tls_category,
      " problems=", absl::StrJoin(s.cert_problems, ","),
      " verify=", absl::StrJoin(s.verify_errors, ","),
      " providers=", absl::StrJoin(s.providers, ","),
      " self_hosted=", s.self_hosted, " strict_sender=", s.strict_sender,
      " dnssec=", s.dnssec_status, " not_validated=", s.DnssecNotValidated(),
      " software=", absl::StrJoin(s.software, ","),
      " spf_includes=", absl::StrJoin(s.dependencies[0], ","),
      " dmarc_reports=", absl::StrJoin(s.dependencies[1], ","),
      " tls_rpt_reports=", absl::StrJoin(s.dependencies[2], ","));
}

int Summaries(const std::string& url, const std::string& scan_id,
              const std::vector<std::string>& dirs, const std::string& psl) {
  auto list = checks::org_domain::PublicSuffixList::Load(psl);
  if (!list.ok()) return Fail(list.status());
  std::map<std::string, std::string> want;
  for (const std::string& dir : dirs) {
    auto files = results::ResultFiles(dir, ".pb");
    if (!files.ok()) return Fail(files.status());
    auto read = results::ReadResults(*files, [&](const DomainResult& r) {
      want.emplace(r.domain(),
                   Describe(stats::SummarizeDomain(
                       r, [&](absl::string_view h) {
                         return list->OrganizationalDomain(h);
                       })));
    });
    if (!read.ok()) return Fail(read.status());
  }
  size_t matched = 0, differ = 0;
  absl::Status status =
      ReadSummaries(url, scan_id, [&](const stats::DomainSummary& s) {
        const std::string got = Describe(s);
        auto it = want.find(s.domain);
        if (it == want.end() || it->second != got) {
          if (differ++ < 5) {
            std::fprintf(stderr, "differs:\n  files:    %s\n  database: %s\n",
                         it == want.end() ? "(absent)" : it->second.c_str(),
                         got.c_str());
          }
          return;
        }
        ++matched;
      });
  if (!status.ok()) return Fail(status);
  if (differ > 0 || matched != want.size()) {
    std::fprintf(stderr, "%zu of %zu summaries match, %zu differ\n", matched,
                 want.size(), differ);
    return 1;
  }
  std::printf("%zu summaries match\n", matched);
  return 0;
}

}  // namespace
}  // namespace mxscan::db_export

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string psl = mxscan::checks::org_domain::kDebianPublicSuffixListPath;
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--psl-file") {
      psl = args[i + 1];
      args.erase(args.begin() + i, args.begin() + i + 2);
      break;
    }
  }
  if (args.size() == 3 && args[0] == "query") {
    return mxscan::db_export::Query(args[1], args[2]);
  }
  if (args.size() >= 4 && args[0] == "summaries") {
    return mxscan::db_export::Summaries(
        args[1], args[2], std::vector<std::string>(args.begin() + 3, args.end()),
        psl);
  }
  std::fprintf(stderr,
               "usage: export_check query URL SQL | summaries URL SCAN_ID "
               "DIR... [--psl-file FILE]\n");
  return 2;
}
