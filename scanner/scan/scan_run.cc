#include "scanner/scan/scan_run.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scanner/build_info/build_info.h"
#include "scanner/checks/spf/ip_address.h"
#include "scanner/core/output_directory.h"
#include "scanner/core/pipeline.h"
#include "scanner/dns/rr_type.h"
#include "scanner/results/manifest_file.h"
#include "scanner/results/resume.h"
#include "scanner/scan/lookup_now.h"
#include "scanner/scan/manifest.h"
#include "scanner/scan/resolver_check.h"

namespace mxscan::scan {
namespace {

// " (N post-quantum selection probes and M census handshakes among
// them)" for the summary; "" without either.
std::string ExtraProbesText(const ScanCounts& counts) {
  std::vector<std::string> extra;
  if (const uint64_t n = counts.pq_selection_probes.load(); n > 0) {
    extra.push_back(absl::StrCat(n, " post-quantum selection probes"));
  }
  if (const uint64_t n = counts.census_probes.load(); n > 0) {
    extra.push_back(absl::StrCat(n, " census handshakes"));
  }
  if (extra.empty()) return "";
  return absl::StrCat(" (", absl::StrJoin(extra, " and "), " among them)");
}

// WarnOnEhloDns prints a warning for each way the EHLO name's forward and
// reverse DNS do not match this machine's public addresses (none when it
// has none: behind NAT the source a receiver sees is unknown here).
void WarnOnEhloDns(const dns::ClientOptions& client_options,
                   const std::string& ehlo_name) {
  std::vector<std::string> public_addresses;
  for (std::string& a : LocalAddresses()) {
    if (smtp::IsPublicAddress(a)) public_addresses.push_back(std::move(a));
  }
  if (public_addresses.empty()) return;
  std::vector<Question> questions = {
      {absl::StrCat(ehlo_name, "."), dns::rr_type::kA},
      {absl::StrCat(ehlo_name, "."), dns::rr_type::kAaaa}};
  for (const std::string& a : public_addresses) {
    absl::StatusOr<checks::spf::IpAddress> ip =
        checks::spf::IpAddress::Parse(a);
    questions.push_back(
        {ip.ok() ? ip->ReverseName() + "." : "invalid.", dns::rr_type::kPtr});
  }
  const std::vector<dns::LookupResult> answers =
      LookupNow(client_options, questions);
  std::vector<std::string> name_addresses;
  for (size_t i = 0; i < 2; ++i) {
    for (const dns::Answer& answer : answers[i].answers) {
      if (const auto* address = answer.As<dns::AddressData>()) {
        name_addresses.push_back(address->ToString());
      }
    }
  }
  std::vector<std::vector<std::string>> ptr_names;
  for (size_t i = 2; i < answers.size(); ++i) {
    ptr_names.emplace_back();
    for (const dns::Answer& answer : answers[i].answers) {
      if (const auto* name = answer.As<dns::NameData>()) {
        ptr_names.back().push_back(name->name);
      }
    }
  }
  for (const std::string& warning : smtp::EhloDnsWarnings(
           ehlo_name, name_addresses, public_addresses, ptr_names)) {
    std::fprintf(stderr, "mxscan scan: warning: %s\n", warning.c_str());
  }
}

// CheckResolversOf asks each resolver, before the scan, whether it
// validates DNSSEC (the DNSSEC and DANE figures mean something only then)
// and warns about each that does not.
std::vector<ResolverValidation> CheckResolversOf(const ScanConfig& config) {
  const std::string& zone = config.trust_anchor_zone;
  std::vector<ResolverValidation> validations =
      CheckResolvers(config.client, zone);
  for (const ResolverValidation& v : validations) {
    if (v.validating) continue;
    std::fprintf(stderr,
                 "mxscan scan: warning: resolver %s is %s (the DNSKEY of %s, "
                 "asked with DO, came without the AD bit): every DNSSEC and "
                 "DANE figure of this scan will read \"not measured\"; use a "
                 "validating resolver (tools/resolver/)\n",
                 v.address.c_str(), v.validation.c_str(),
                 zone == "." ? "the root" : zone.c_str());
  }
  return validations;
}

// DomainsDone: with --resume, the domains that already have a record in
// the output directory (a torn last record repaired); otherwise none, and
// a directory that holds another scan's records is refused.
absl::StatusOr<results::DomainSet> DomainsDone(const ScanConfig& config) {
  if (!config.resume) {
    if (const uint64_t files = results::CountResultFiles(config.output);
        files > 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "output directory ", config.output, " already holds ", files,
          " result files: --resume continues that scan, or name another "
          "directory"));
    }
    return results::DomainSet();
  }
  absl::StatusOr<results::ResumePoint> point =
      results::LoadResumePoint(config.output);
  if (!point.ok()) {
    return absl::UnavailableError(
        absl::StrCat("cannot resume: ", point.status().message()));
  }
  std::fprintf(stderr,
               "mxscan scan: resuming: %llu domains already have a record "
               "in %llu files (%llu torn file(s) repaired)\n",
               static_cast<unsigned long long>(point->records),
               static_cast<unsigned long long>(point->files),
               static_cast<unsigned long long>(point->repaired));
  return std::move(point->done);
}

// DescribeRun fills the manifest's record of this run as it starts: what
// produced the records (version, command line, options, resolvers, input
// files, EHLO name, this machine's addresses).
void DescribeRun(const ScanConfig& config, const ScanOptions& options,
                 const std::vector<ResolverValidation>& validations,
                 const std::string& run_id, ScanManifest::Run* run) {
  run->set_run_id(run_id);
  run->set_mxscan_version(MxscanVersion());
  run->set_mxscan_commit(MxscanCommit());
  for (const std::string& arg : config.command_line) run->add_command_line(arg);
  for (const auto& [name, value] : config.option_values) {
    (*run->mutable_options())[name] = value;
  }
  for (const ResolverValidation& v : validations) {
    ScanManifest::Resolver* r = run->add_resolvers();
    r->set_address(v.address);
    r->set_validation(v.validation);
  }
  if (config.probe) {
    *run->mutable_ca_file() = DescribeInputFile(config.ca_file);
    run->set_ehlo_name(config.ehlo.name);
    run->set_ehlo_name_source(config.ehlo.source);
  }
  *run->mutable_psl() = DescribeInputFile(config.psl_file);
  run->set_dmarc_profile(config.dmarc_profile);
  for (const std::string& s : options.dkim_selectors) {
    run->add_dkim_selectors(s);
  }
  for (std::string& a : LocalAddresses()) run->add_local_addresses(a);
  run->set_started_at(Rfc3339Utc(options.scan_time_s));
  run->set_shard(absl::StrCat(config.shard.index, "/", config.shard.count));
  run->set_smtp(config.probe.has_value());
  run->set_resumed(config.resume);
}

// EndRun adds to the manifest's record of this run how it ended.
void EndRun(const ScanCounts& counts, const core::PipelineStats& stats,
            ScanManifest::Run* run) {
  run->set_ended_at(Rfc3339Utc(std::time(nullptr)));
  run->set_interrupted(stats.interrupted);
  for (int status = DomainResult::OK; status <= DomainResult::ERROR; ++status) {
    const uint64_t n = counts.by_status[status].load();
    if (n > 0) {
      (*run->mutable_domains_by_status())[DomainResult::Status_Name(
          static_cast<DomainResult::Status>(status))] = n;
    }
  }
  run->set_smtp_connections(counts.probes.load());
  run->set_pq_selection_probes(counts.pq_selection_probes.load());
  run->set_census_handshakes(counts.census_probes.load());
}

// PrintSummary writes the scan's summary line to stderr.
void PrintSummary(const ScanCounts& counts, const core::PipelineStats& stats,
                  const std::string& output, uint64_t skipped) {
  const uint64_t questions = counts.questions.load();
  std::fprintf(
      stderr,
      "mxscan scan: %llu domains in %.2f s (%.0f/s): %llu OK, %llu NXDOMAIN, "
      "%llu SERVFAIL, %llu TIMEOUT, %llu ERROR; %llu DNS questions "
      "(%.1f per domain), %llu answered from the cache, %llu coalesced, "
      "%llu queries sent (%llu timed out, %llu answered late, %llu answers "
      "matched none); "
      "%llu SMTP probes%s for %llu MX addresses%s; "
      "%llu records in %s; %llu input domains skipped (already in the output "
      "or repeated)\n",
      static_cast<unsigned long long>(stats.items), stats.seconds,
      stats.seconds > 0 ? stats.items / stats.seconds : 0.0,
      static_cast<unsigned long long>(
          counts.by_status[DomainResult::OK].load()),
      static_cast<unsigned long long>(
          counts.by_status[DomainResult::NXDOMAIN].load()),
      static_cast<unsigned long long>(
          counts.by_status[DomainResult::SERVFAIL].load()),
      static_cast<unsigned long long>(
          counts.by_status[DomainResult::TIMEOUT].load()),
      static_cast<unsigned long long>(
          counts.by_status[DomainResult::ERROR].load()),
      static_cast<unsigned long long>(questions),
      stats.items ? static_cast<double>(questions) / stats.items : 0.0,
      static_cast<unsigned long long>(counts.cache_hits.load()),
      static_cast<unsigned long long>(counts.coalesced.load()),
      static_cast<unsigned long long>(counts.queries.load()),
      static_cast<unsigned long long>(counts.query_timeouts.load()),
      static_cast<unsigned long long>(counts.late_answers.load()),
      static_cast<unsigned long long>(counts.unmatched_answers.load()),
      static_cast<unsigned long long>(counts.probes.load()),
      ExtraProbesText(counts).c_str(),
      static_cast<unsigned long long>(counts.probe_requests.load()),
      counts.provider_waits.load() == 0
          ? ""
          : absl::StrCat(" (", counts.provider_waits.load(),
                         " connections waited for their provider's budget)")
                .c_str(),
      static_cast<unsigned long long>(counts.records.load()), output.c_str(),
      static_cast<unsigned long long>(skipped));
}

}  // namespace

absl::StatusOr<ScanSummary> RunScan(const ScanConfig& config) {
  ScanOptions options = config.options;
  // Strict receivers check the EHLO name against the sending address
  // (forward and reverse DNS): warn before a scan they would distrust.
  if (config.probe) WarnOnEhloDns(config.client, config.ehlo.name);
  const std::vector<ResolverValidation> validations = CheckResolversOf(config);
  options.resolver_validates =
      !validations.empty() &&
      std::all_of(validations.begin(), validations.end(),
                  [](const ResolverValidation& v) { return v.validating; });
  absl::Status dir = core::MakeOutputDirectory(config.output);
  if (!dir.ok()) return dir;
  // Domains already scanned (--resume) and domains seen in the input:
  // each input domain gets exactly one record in the output directory.
  absl::StatusOr<results::DomainSet> seen = DomainsDone(config);
  if (!seen.ok()) return seen.status();

  ScanWorkerConfig workers;
  workers.client = &config.client;
  workers.cache = config.cache;
  workers.options = &options;
  workers.probe = config.probe ? &*config.probe : nullptr;
  workers.output = config.output;
  workers.run_id = results::UniqueRunId();

  // Provenance: written before the first record and again at the end, so
  // that even a killed run says what produced its records.
  const std::string manifest_path =
      results::ManifestPath(config.output, config.shard);
  absl::StatusOr<ScanManifest> manifest =
      config.resume ? results::ReadManifest(manifest_path) : ScanManifest();
  if (!manifest.ok()) return manifest.status();
  ScanManifest::Run* run = manifest->add_runs();
  DescribeRun(config, options, validations, workers.run_id, run);
  absl::Status written = results::WriteManifest(manifest_path, *manifest);
  if (!written.ok()) return written;

  core::PipelineOptions pipeline;
  pipeline.command = "mxscan scan";
  pipeline.input_path = config.input;
  pipeline.workers = config.workers;
  pipeline.max_in_flight_per_worker = std::max<size_t>(
      1, static_cast<size_t>(config.concurrency) / config.workers);
  pipeline.show_progress = config.show_progress;
  ScanCounts counts;
  uint64_t skipped = 0;
  const Blocklist* blocklist = options.blocklist;
  absl::StatusOr<core::PipelineStats> stats = core::RunPipeline<DomainInput>(
      pipeline,
      [&](std::string line,
          bool too_long) -> std::optional<core::RoutedItem<DomainInput>> {
        std::optional<DomainInput> input = ParseDomainLine(line);
        if (!input) return std::nullopt;
        if (too_long) {
          input->error = absl::InvalidArgumentError("input line too long");
        }
        if (!config.shard.Contains(input->domain)) return std::nullopt;
        if (blocklist != nullptr && input->error.ok() &&
            blocklist->ContainsDomain(input->domain)) {
          // Opted out: a record says so, and nothing is sent.
          input->error =
              absl::FailedPreconditionError("on the blocklist: not scanned");
        }
        if (!seen->Insert(input->domain)) {
          ++skipped;
          return std::nullopt;
        }
        std::string key = input->domain;
        return core::RoutedItem<DomainInput>{std::move(key), *std::move(input)};
      },
      [&](core::Worker& w)
          -> absl::StatusOr<std::unique_ptr<core::PipelineJob<DomainInput>>> {
        absl::StatusOr<std::unique_ptr<ScanWorker>> worker =
            ScanWorker::Create(w, workers, counts);
        if (!worker.ok()) return worker.status();
        return std::unique_ptr<core::PipelineJob<DomainInput>>(
            *std::move(worker));
      });
  if (!stats.ok()) return stats.status();
  EndRun(counts, *stats, run);
  written = results::WriteManifest(manifest_path, *manifest);
  if (!written.ok()) return written;
  PrintSummary(counts, *stats, config.output, skipped);
  ScanSummary summary;
  summary.interrupted = stats->interrupted;
  return summary;
}

}  // namespace mxscan::scan
