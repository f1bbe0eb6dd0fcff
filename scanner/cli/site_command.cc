#include "scanner/cli/site_command.h"

#include <chrono>
#include <cstdio>
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "scanner/cli/common_flags.h"
#include "scanner/cli/org_domain_flag.h"
#include "scanner/cli/scan_source.h"
#include "scanner/core/output_directory.h"
#include "scanner/report_card/site.h"
#include "scanner/stats/aggregate.h"
#include "scanner/stats/domain_summary.h"
#include "scanner/stats/provenance.h"

ABSL_DECLARE_FLAG(std::string, title);
ABSL_DECLARE_FLAG(std::string, from);
ABSL_DECLARE_FLAG(std::string, scan_id);
ABSL_FLAG(std::vector<std::string>, earlier, {},
          "result directories of earlier scans, one per scan, comma-separated "
          "(the trend on the index; the latest of them is \"the previous "
          "scan\" each organisation's page compares with)");

namespace mxscan::cli {
namespace {

int Fail(absl::string_view message, int code) {
  std::fprintf(stderr, "mxscan site: %s\n", std::string(message).c_str());
  return code;
}

// The scan the site shows and the scans before it, oldest first.
struct Scans {
  ScanSource scan;
  std::vector<ScanSource> earlier;
};

absl::StatusOr<Scans> ChosenScans(const std::vector<std::string>& dirs) {
  Scans scans;
  const std::string from = absl::GetFlag(FLAGS_from);
  if (from.empty()) {
    scans.scan.dirs = dirs;
    for (const std::string& dir : absl::GetFlag(FLAGS_earlier)) {
      scans.earlier.push_back(ScanSource{{dir}});
    }
    return scans;
  }
  absl::StatusOr<ScanSource> scan =
      DatabaseScan(from, absl::GetFlag(FLAGS_scan_id));
  if (!scan.ok()) return scan.status();
  scans.scan = *std::move(scan);
  absl::StatusOr<std::vector<ScanSource>> all = DatabaseScans(from);
  if (!all.ok()) return all.status();
  for (ScanSource& other : *all) {
    if (other.scan.scan_id == scans.scan.scan.scan_id) break;
    scans.earlier.push_back(std::move(other));
  }
  return scans;
}

}  // namespace

int RunSiteCommand(const std::vector<std::string>& dirs) {
  const bool from_database = !absl::GetFlag(FLAGS_from).empty();
  if (dirs.empty() == !from_database) {
    return Fail(
        "name the scan's result directories (mxscan site DIR... --output "
        "SITE/) or --from the database it was exported to, not both",
        2);
  }
  if (from_database && !absl::GetFlag(FLAGS_earlier).empty()) {
    return Fail(
        "--earlier is for result directories: with --from, the "
        "database's earlier scans are used",
        2);
  }
  const std::string output = absl::GetFlag(FLAGS_output);
  if (output.empty() || output == "-") {
    return Fail("--output names the folder the site is written to", 2);
  }
  const auto started = std::chrono::steady_clock::now();
  absl::StatusOr<Scans> scans = ChosenScans(dirs);
  if (!scans.ok()) return Fail(scans.status().message(), 1);
  absl::StatusOr<stats::OrgDomainOf> org_of = OrgDomainOfFromFlags();
  if (!org_of.ok()) return Fail(org_of.status().message(), 1);

  report_card::SiteOptions options;
  options.title = absl::GetFlag(FLAGS_title);
  absl::StatusOr<std::vector<ScanManifest>> manifests =
      ManifestsOf(scans->scan);
  if (!manifests.ok()) return Fail(manifests.status().message(), 1);
  options.provenance = stats::ProvenanceLines(*manifests);
  options.scan_label = scans->scan.Label();
  absl::StatusOr<std::string> when = StartedAt(scans->scan);
  if (!when.ok()) return Fail(when.status().message(), 1);
  options.scan_when = *when;

  // Which earlier scan ran last: "the previous scan".
  std::vector<std::string> earlier_when;
  size_t previous = scans->earlier.size();
  for (size_t i = 0; i < scans->earlier.size(); ++i) {
    absl::StatusOr<std::string> started_at = StartedAt(scans->earlier[i]);
    if (!started_at.ok()) return Fail(started_at.status().message(), 1);
    if (previous == scans->earlier.size() ||
        *started_at >= earlier_when[previous]) {
      previous = i;
    }
    earlier_when.push_back(*std::move(started_at));
  }
  if (previous < scans->earlier.size()) {
    options.previous_label = scans->earlier[previous].Label();
  }

  for (const char* folder : {"", "/orgs", "/domains", "/sectors"}) {
    absl::Status made = core::MakeOutputDirectory(absl::StrCat(output, folder));
    if (!made.ok()) return Fail(made.message(), 1);
  }
  std::string write_error;
  report_card::SiteBuilder site(
      options, [&](const std::string& path, const std::string& html) {
        if (!write_error.empty()) return;
        const std::string file = absl::StrCat(output, "/", path);
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(html.data(), static_cast<std::streamsize>(html.size()));
        if (!out) write_error = absl::StrCat("cannot write ", file);
      });
  // The earlier scans' figures; the previous one's records are read once,
  // for its figures and its control states.
  std::vector<stats::TrendScan> earlier;
  for (size_t i = 0; i < scans->earlier.size(); ++i) {
    const ScanSource& scan = scans->earlier[i];
    if (i != previous) {
      absl::StatusOr<stats::TrendScan> figures =
          TrendScanOf(scan, *org_of, WorkerCount());
      if (!figures.ok()) return Fail(figures.status().message(), 1);
      earlier.push_back(*std::move(figures));
      continue;
    }
    stats::TrendScan figures{scan.Label(), earlier_when[i], {}};
    absl::Status read = ForEachRecord(scan, [&](const DomainResult& r) {
      const stats::DomainSummary summary = stats::SummarizeDomain(r, *org_of);
      figures.aggregate.Add(summary);
      site.AddPrevious(r, summary, (*org_of)(r.domain()));
    });
    if (!read.ok()) return Fail(read.message(), 1);
    earlier.push_back(std::move(figures));
  }
  stats::Aggregate aggregate;
  absl::Status read = ForEachRecord(scans->scan, [&](const DomainResult& r) {
    const stats::DomainSummary summary = stats::SummarizeDomain(r, *org_of);
    aggregate.Add(summary);
    site.Add(r, summary, (*org_of)(r.domain()));
  });
  if (!read.ok()) return Fail(read.message(), 1);
  site.Finish(aggregate, std::move(earlier));
  if (!write_error.empty()) return Fail(write_error, 1);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  std::fprintf(stderr,
               "mxscan site: %llu domains, %llu files, %.1f MB in %s/ "
               "(%.1f s); open %s/index.html\n",
               static_cast<unsigned long long>(aggregate.overall().domains),
               static_cast<unsigned long long>(site.pages()),
               static_cast<double>(site.bytes()) / 1e6, output.c_str(), seconds,
               output.c_str());
  return 0;
}

}  // namespace mxscan::cli
