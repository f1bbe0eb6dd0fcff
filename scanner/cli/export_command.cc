#include "scanner/cli/export_command.h"

#include <cstdio>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "scanner/checks/org_domain/public_suffix_list.h"
#include "scanner/cli/common_flags.h"
#include "scanner/export/exporter.h"
#include "scanner/export/open_database.h"

ABSL_FLAG(std::string, to, "",
          "the database, sqlite:PATH or "
          "postgresql://[user@]host[:port]/dbname");
ABSL_FLAG(std::string, scan_name, "",
          "the scan's id (default: <first DIR's name>@<earliest "
          "scan start, UTC>)");
ABSL_FLAG(bool, replace, false,
          "replace a scan of the same id (default: skip it)");

namespace mxscan::cli {
namespace {

int Fail(const absl::Status& status, int code) {
  std::fprintf(stderr, "mxscan export: %s\n",
               std::string(status.message()).c_str());
  return code;
}

}  // namespace

int RunExportCommand(const std::vector<std::string>& paths) {
  const std::string url = absl::GetFlag(FLAGS_to);
  if (paths.empty() || url.empty()) {
    std::fprintf(stderr,
                 "mxscan export: usage: mxscan export DIR... --to "
                 "sqlite:PATH|postgresql://... [--scan-name NAME] "
                 "[--replace]\n");
    return 2;
  }
  absl::StatusOr<checks::org_domain::PublicSuffixList> psl =
      checks::org_domain::PublicSuffixList::Load(
          absl::GetFlag(FLAGS_psl_file));
  if (!psl.ok()) return Fail(psl.status(), 2);

  absl::StatusOr<std::unique_ptr<db_export::Database>> db =
      db_export::OpenDatabase(url, db_export::Access::kReadWrite);
  if (!db.ok()) {
    return Fail(db.status(),
                absl::IsInvalidArgument(db.status()) ? 2 : 1);
  }
  db_export::ExportOptions options;
  options.paths = paths;
  options.scan_name = absl::GetFlag(FLAGS_scan_name);
  options.replace = absl::GetFlag(FLAGS_replace);
  options.org_domain_of = [&psl](absl::string_view host) {
    return psl->OrganizationalDomain(host);
  };
  const absl::Time start = absl::Now();
  absl::StatusOr<db_export::ExportReport> report =
      db_export::ExportScan(**db, options);
  if (!report.ok()) return Fail(report.status(), 1);
  std::printf("%s\n", report->scan_id.c_str());
  std::fflush(stdout);
  if (report->outcome == db_export::ExportReport::Outcome::kSkipped) {
    std::fprintf(stderr,
                 "mxscan export: scan \"%s\" is in %s already: skipped "
                 "(--replace exports it again)\n",
                 report->scan_id.c_str(), (*db)->url().c_str());
    return 0;
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::fprintf(
      stderr,
      "mxscan export: scan \"%s\" %s %s: %llu domains, %llu certificates, "
      "%llu rows in %.1f s (%.0f rows/s)\n",
      report->scan_id.c_str(),
      report->outcome == db_export::ExportReport::Outcome::kReplaced
          ? "replaced in"
          : "exported to",
      (*db)->url().c_str(), static_cast<unsigned long long>(report->domains),
      static_cast<unsigned long long>(report->certificates),
      static_cast<unsigned long long>(report->rows), seconds,
      seconds > 0 ? report->rows / seconds : 0.0);
  if (report->duplicates > 0) {
    std::fprintf(stderr,
                 "mxscan export: %llu record(s) of a domain seen before in "
                 "this scan skipped (the first is kept)\n",
                 static_cast<unsigned long long>(report->duplicates));
  }
  if (report->torn > 0) {
    std::fprintf(stderr,
                 "mxscan export: %llu torn record(s) at the end of a file "
                 "dropped (interrupted write)\n",
                 static_cast<unsigned long long>(report->torn));
  }
  return 0;
}

}  // namespace mxscan::cli
