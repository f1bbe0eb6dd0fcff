#include "scanner/stats/provenance.h"

#include <algorithm>
#include <functional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mxscan::stats {
namespace {

std::string Short(const std::string& hash) { return hash.substr(0, 12); }

std::string FileText(const ScanManifest::InputFile& file) {
  if (file.path().empty()) return "none";
  if (file.sha256().empty()) return absl::StrCat(file.path(), " (unreadable)");
  return absl::StrCat(file.path(), " (sha256 ", Short(file.sha256()),
                      file.date().empty() ? "" : ", ", file.date(), ")");
}

// The distinct values of `field` over every run of `manifests`.
std::set<std::string> Values(
    const std::vector<ScanManifest>& manifests,
    const std::function<std::string(const ScanManifest::Run&)>& field) {
  std::set<std::string> values;
  for (const ScanManifest& m : manifests) {
    for (const ScanManifest::Run& run : m.runs()) values.insert(field(run));
  }
  return values;
}

std::string Resolvers(const ScanManifest::Run& run) {
  std::vector<std::string> parts;
  for (const ScanManifest::Resolver& r : run.resolvers()) {
    parts.push_back(absl::StrCat(r.address(), " (", r.validation(), ")"));
  }
  return absl::StrJoin(parts, ", ");
}

std::string Validation(const ScanManifest::Run& run) {
  std::set<std::string> kinds;
  for (const ScanManifest::Resolver& r : run.resolvers()) {
    kinds.insert(r.validation());
  }
  return absl::StrJoin(kinds, "+");
}

}  // namespace

std::vector<std::string> ProvenanceLines(
    const std::vector<ScanManifest>& manifests) {
  std::vector<std::string> lines;
  for (const ScanManifest& m : manifests) {
    for (const ScanManifest::Run& run : m.runs()) {
      std::vector<std::string> statuses;
      for (const auto& [status, n] : run.domains_by_status()) {
        statuses.push_back(absl::StrCat(status, " ", n));
      }
      // A proto map has no order: the same manifest read back from a
      // database must print the same line.
      std::sort(statuses.begin(), statuses.end());
      lines.push_back(absl::StrCat(
          "run ", run.run_id(), run.resumed() ? " (resumed)" : "", ": mxscan ",
          run.mxscan_version(), " (commit ", Short(run.mxscan_commit()), "), ",
          run.started_at(), " to ",
          run.ended_at().empty() ? "(not finished)" : run.ended_at(),
          run.interrupted() ? " (stopped)" : "", ", shard ", run.shard(),
          "; resolvers ", Resolvers(run), "; PSL ", FileText(run.psl()),
          "; CA ", run.smtp() ? FileText(run.ca_file()) : "(no SMTP)",
          "; DMARC profile ", run.dmarc_profile(), "; EHLO ",
          run.ehlo_name().empty() ? "(none)" : run.ehlo_name(), "; records: ",
          statuses.empty() ? "none" : absl::StrJoin(statuses, ", ")));
    }
  }
  return lines;
}

std::vector<std::string> ComparabilityWarnings(
    const std::vector<ScanManifest>& before,
    const std::vector<ScanManifest>& after) {
  std::vector<std::string> warnings;
  if (before.empty() || after.empty()) {
    warnings.push_back(absl::StrCat(
        before.empty() ? "the old scan" : "the new scan",
        " has no manifest: whether both were made alike cannot be told"));
    return warnings;
  }
  struct Aspect {
    const char* what;
    std::function<std::string(const ScanManifest::Run&)> field;
  };
  const Aspect aspects[] = {
      {"Public Suffix List",
       [](const ScanManifest::Run& r) { return r.psl().sha256(); }},
      {"CA bundle",
       [](const ScanManifest::Run& r) {
         return r.smtp() ? r.ca_file().sha256() : std::string();
       }},
      {"DMARC profile",
       [](const ScanManifest::Run& r) { return r.dmarc_profile(); }},
      {"resolver validation", Validation},
  };
  for (const Aspect& aspect : aspects) {
    const std::set<std::string> old_values = Values(before, aspect.field);
    const std::set<std::string> new_values = Values(after, aspect.field);
    if (old_values == new_values) continue;
    warnings.push_back(
        absl::StrCat("the scans differ in their ", aspect.what,
                     " (old: ", absl::StrJoin(old_values, ", "),
                     "; new: ", absl::StrJoin(new_values, ", "),
                     "): changes may come from it, not from the domains"));
  }
  return warnings;
}

}  // namespace mxscan::stats
