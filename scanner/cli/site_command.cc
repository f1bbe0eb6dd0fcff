#include "scanner/cli/site_command.h"

#include <chrono>
#include <cstdio>
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "scanner/cli/common_flags.h"
#include "scanner/cli/org_domain_flag.h"
#include "scanner/core/output_directory.h"
#include "scanner/report_card/site.h"
#include "scanner/scan/manifest.h"
#include "scanner/scan/result_reader.h"
#include "scanner/stats/aggregate.h"
#include "scanner/stats/domain_summary.h"
#include "scanner/stats/provenance.h"

ABSL_DECLARE_FLAG(std::string, title);

namespace mxscan::cli {
namespace {

int Fail(absl::string_view message, int code) {
  std::fprintf(stderr, "mxscan site: %s\n", std::string(message).c_str());
  return code;
}

}  // namespace

int RunSiteCommand(const std::vector<std::string>& dirs) {
  if (dirs.empty()) {
    return Fail(
        "name the scan's result directories: mxscan site DIR... "
        "--output SITE/",
        2);
  }
  const std::string output = absl::GetFlag(FLAGS_output);
  if (output.empty() || output == "-") {
    return Fail("--output names the folder the site is written to", 2);
  }
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::string> files;
  report_card::SiteOptions options;
  options.title = absl::GetFlag(FLAGS_title);
  std::vector<ScanManifest> manifests;
  for (const std::string& dir : dirs) {
    absl::StatusOr<std::vector<std::string>> found = scan::ResultFiles(dir);
    if (!found.ok()) return Fail(found.status().message(), 1);
    files.insert(files.end(), found->begin(), found->end());
    absl::StatusOr<std::vector<ScanManifest>> m = scan::ManifestsIn(dir);
    if (!m.ok()) return Fail(m.status().message(), 1);
    manifests.insert(manifests.end(), m->begin(), m->end());
  }
  options.provenance = stats::ProvenanceLines(manifests);
  absl::StatusOr<stats::OrgDomainOf> org_of = OrgDomainOfFromFlags();
  if (!org_of.ok()) return Fail(org_of.status().message(), 1);
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
  stats::Aggregate aggregate;
  absl::StatusOr<scan::ReadStats> read =
      scan::ReadResults(files, [&](const DomainResult& r) {
        const stats::DomainSummary summary = stats::SummarizeDomain(r, *org_of);
        aggregate.Add(summary);
        site.Add(r, summary, (*org_of)(r.domain()));
      });
  if (!read.ok()) return Fail(read.status().message(), 1);
  site.Finish(aggregate);
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
