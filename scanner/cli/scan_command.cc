#include "scanner/cli/scan_command.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "scanner/checks/dkim/default_selectors.h"
#include "scanner/checks/org_domain/public_suffix_list.h"
#include "scanner/cli/command_spec.h"
#include "scanner/cli/common_flags.h"
#include "scanner/results/shard.h"
#include "scanner/scan/blocklist.h"
#include "scanner/scan/domain_input.h"
#include "scanner/scan/scan_run.h"
#include "scanner/smtp/ehlo_name.h"
#include "scanner/tls/trust_store.h"

ABSL_FLAG(std::string, dkim_selectors, "",
          "DKIM selectors to look up, comma-separated (default: a list of "
          "common provider selectors)");
ABSL_FLAG(std::string, dmarc_profile, "rfc9989",
          "DMARC rules: rfc9989 (DNS tree walk) or rfc7489 (Public Suffix "
          "List)");
ABSL_FLAG(std::string, shard, "0/1", "scan shard I of N (stable hash)");
ABSL_FLAG(bool, no_smtp, false,
          "DNS checks only: no SMTP probes, no MTA-STS policy fetch");
ABSL_FLAG(int, smtp_port, 25, "SMTP port of the MX hosts");
ABSL_FLAG(bool, no_ipv6, false,
          "this machine has no IPv6: mail servers at IPv6 addresses are not "
          "probed (they read 'not probed', not unreachable)");
ABSL_FLAG(int, https_port, 443, "HTTPS port of the MTA-STS policy hosts");
ABSL_FLAG(int, per_host_concurrency, 2, "SMTP sessions at once per address");
ABSL_FLAG(int, per_provider_concurrency, 0,
          "SMTP sessions at once per provider (the organisational domain of "
          "the MX host) and per /24 or /48 of its addresses, over all "
          "workers (each takes its share, at least one); 0 = no limit");
ABSL_FLAG(double, per_provider_rate, 0,
          "new SMTP connections per second per provider and per /24 or /48, "
          "over all workers, the extra handshakes of --probe-tls-versions, "
          "--probe-pq and --tls-census included; 0 = no limit");
ABSL_FLAG(int, smtp_timeout_ms, 30000,
          "time allowed for each SMTP reply and for the TLS handshake");
ABSL_FLAG(bool, probe_tls_versions, false,
          "extra handshakes capped at TLS 1.2, 1.1 and 1.0 (each below the "
          "version negotiated) to list every version each server accepts and "
          "the oldest: at most three per address");
ABSL_FLAG(bool, probe_pq, false,
          "the post-quantum selection probe: one more connection to each "
          "address that negotiated TLS 1.3, whose ClientHello offers "
          "X25519MLKEM768 with a key share (and X25519Kyber768Draft00); the "
          "group the server selects is recorded and the handshake abandoned");
ABSL_FLAG(bool, tls_census, false,
          "the TLS census of each address that completed a handshake: the "
          "versions (as --probe-tls-versions), the TLS 1.3 and 1.2 suites, "
          "the TLS 1.3 groups, the TLS 1.2 curves and DHE prime size it "
          "accepts, who orders the suites, and its class after the NCSC-NL "
          "TLS guidelines; one connection per setting accepted (plus one or "
          "two per step), at most 72 (plus 3) per address, one at a time");
ABSL_FLAG(std::string, trust_anchor_zone, ".",
          "the signed zone whose DNSKEY a validating resolver answers with "
          "the AD bit, asked before the scan (the root; a simulated sector's "
          "own root in tests)");
ABSL_FLAG(bool, resume, false,
          "continue the scan whose results are in --output: domains with a "
          "record there are skipped, a torn last record is repaired");
ABSL_FLAG(bool, no_dns_cache, false,
          "ask every DNS question anew (for measuring what the cache saves)");
ABSL_FLAG(std::string, blocklist, "",
          "opt-out file, one per line: addresses/CIDRs never contacted "
          "(resolvers, mail servers, policy hosts) and domains never "
          "scanned (with their subdomains)");

namespace mxscan::cli {
namespace {

int Fail(absl::string_view message, int code) {
  std::fprintf(stderr, "mxscan scan: %s\n", std::string(message).c_str());
  return code;
}

}  // namespace

int RunScanCommand(int argc, char** argv) {
  scan::ScanConfig config;
  scan::ScanOptions& options = config.options;
  const std::string selectors = absl::GetFlag(FLAGS_dkim_selectors);
  if (selectors.empty()) {
    for (absl::string_view s : checks::dkim::kDefaultDkimSelectors) {
      options.dkim_selectors.emplace_back(s);
    }
  } else {
    options.dkim_selectors =
        absl::StrSplit(selectors, ',', absl::SkipWhitespace());
  }
  const std::string profile = absl::GetFlag(FLAGS_dmarc_profile);
  if (profile == "rfc9989") {
    options.dmarc_rules = scan::DmarcRules::kRfc9989;
  } else if (profile == "rfc7489") {
    options.dmarc_rules = scan::DmarcRules::kRfc7489;
  } else {
    return Fail("--dmarc-profile must be rfc9989 or rfc7489", 2);
  }
  // The list is loaded whatever the profile: it is small, and a bad path
  // should fail before hours of scanning, not after.
  absl::StatusOr<checks::org_domain::PublicSuffixList> psl =
      checks::org_domain::PublicSuffixList::Load(absl::GetFlag(FLAGS_psl_file));
  if (!psl.ok()) return Fail(psl.status().message(), 2);
  options.psl = &*psl;
  absl::StatusOr<results::Shard> shard =
      results::ParseShard(absl::GetFlag(FLAGS_shard));
  if (!shard.ok()) return Fail(shard.status().message(), 2);
  config.shard = *shard;
  const int workers = WorkerCount();
  const absl::StatusOr<int> concurrency_flag = ConcurrencyFromFlags(workers);
  if (!concurrency_flag.ok()) {
    return Fail(concurrency_flag.status().message(), 2);
  }
  const int concurrency = *concurrency_flag;
  absl::StatusOr<dns::ClientOptions> client_options = DnsClientOptionsFromFlags(
      RepeatedFlagValues(argc, argv, "resolver"), workers);
  if (!client_options.ok()) return Fail(client_options.status().message(), 2);
  options.scan_time_s = static_cast<int64_t>(std::time(nullptr));
  options.https_port = absl::GetFlag(FLAGS_https_port);
  options.probe_ipv6 = !absl::GetFlag(FLAGS_no_ipv6);
  std::optional<scan::Blocklist> blocklist;
  if (!absl::GetFlag(FLAGS_blocklist).empty()) {
    absl::StatusOr<scan::Blocklist> loaded =
        scan::Blocklist::Load(absl::GetFlag(FLAGS_blocklist));
    if (!loaded.ok()) return Fail(loaded.status().message(), 2);
    blocklist = *std::move(loaded);
    for (const dns::ResolverAddress& resolver : client_options->resolvers) {
      const std::string ip = resolver.text.substr(0, resolver.text.rfind(':'));
      if (blocklist->Contains(
              absl::StripPrefix(absl::StripSuffix(ip, "]"), "["))) {
        return Fail(
            absl::StrCat("resolver ", resolver.text, " is on the blocklist"),
            2);
      }
    }
    options.blocklist = &*blocklist;
  }
  if (!absl::GetFlag(FLAGS_no_smtp)) {
    scan::ProbeSettings& probe = config.probe.emplace();
    absl::StatusOr<std::shared_ptr<const tls::TrustStore>> trust =
        tls::TrustStore::LoadFile(absl::GetFlag(FLAGS_ca_file));
    if (!trust.ok()) return Fail(trust.status().message(), 2);
    probe.trust = *std::move(trust);
    scan::ProbeCacheOptions& probes = probe.probes;
    probes.smtp_port = absl::GetFlag(FLAGS_smtp_port);
    if (probes.smtp_port <= 0 || probes.smtp_port > 65535 ||
        options.https_port <= 0 || options.https_port > 65535) {
      return Fail("--smtp-port and --https-port must be in 1..65535", 2);
    }
    probes.per_host_concurrency = absl::GetFlag(FLAGS_per_host_concurrency);
    if (probes.per_host_concurrency <= 0) {
      return Fail("--per-host-concurrency must be positive", 2);
    }
    probes.connection_rate = absl::GetFlag(FLAGS_rate) / workers;
    const int per_provider = absl::GetFlag(FLAGS_per_provider_concurrency);
    const double provider_rate = absl::GetFlag(FLAGS_per_provider_rate);
    if (per_provider < 0 || provider_rate < 0) {
      return Fail(
          "--per-provider-concurrency and --per-provider-rate must not be "
          "negative",
          2);
    }
    if (per_provider > 0) {
      probes.per_provider_sessions = std::max(1, per_provider / workers);
    }
    probes.per_provider_rate = provider_rate / workers;
    probes.org_domain_of = [psl = &*psl](absl::string_view host) {
      return psl->OrganizationalDomain(host);
    };
    probes.scan_time_s = options.scan_time_s;
    probes.blocklist = blocklist ? &*blocklist : nullptr;
    probes.pq_selection = absl::GetFlag(FLAGS_probe_pq);
    probes.tls_census = absl::GetFlag(FLAGS_tls_census);
    // The census classes the versions too.
    probe.probe_tls_versions =
        absl::GetFlag(FLAGS_probe_tls_versions) || probes.tls_census;
    config.ehlo = EhloNameFromFlags("mxscan scan");
    probes.probe.ehlo_name = config.ehlo.name;
    absl::Status ehlo_ok = smtp::ValidateEhloName(probes.probe.ehlo_name);
    if (!ehlo_ok.ok()) return Fail(ehlo_ok.message(), 2);
    const int reply_timeout = absl::GetFlag(FLAGS_smtp_timeout_ms);
    if (reply_timeout <= 0)
      return Fail("--smtp-timeout-ms must be positive", 2);
    probes.probe.reply_timeout_ms = reply_timeout;
    probes.probe.handshake_timeout_ms = reply_timeout;
    probes.probe.connect_timeout_ms = std::min(reply_timeout, 10000);
    probes.probe.total_timeout_ms = 3 * reply_timeout;
    options.https_timeout_ms = reply_timeout;
  }
  absl::Status input_ok = scan::CheckTextInput(absl::GetFlag(FLAGS_input));
  if (!input_ok.ok()) return Fail(input_ok.message(), 2);
  config.client = *std::move(client_options);
  if (absl::GetFlag(FLAGS_no_dns_cache)) {
    // Nothing kept: only questions in flight at the same moment coalesce.
    config.cache.max_ttl_s = 0;
    config.cache.max_entries = 0;
  }
  config.workers = workers;
  config.concurrency = concurrency;
  config.input = absl::GetFlag(FLAGS_input);
  config.output = absl::GetFlag(FLAGS_output);
  config.resume = absl::GetFlag(FLAGS_resume);
  config.show_progress = !absl::GetFlag(FLAGS_no_progress);
  config.trust_anchor_zone = absl::GetFlag(FLAGS_trust_anchor_zone);
  config.command_line.assign(argv, argv + argc);
  for (const FlagUse& use : FindCommandSpec("scan")->flags) {
    if (const absl::CommandLineFlag* flag =
            absl::FindCommandLineFlag(RegistryFlagName(use.name))) {
      config.option_values[use.name] = flag->CurrentValue();
    }
  }
  config.ca_file = absl::GetFlag(FLAGS_ca_file);
  config.psl_file = absl::GetFlag(FLAGS_psl_file);
  config.dmarc_profile = profile;
  absl::StatusOr<scan::ScanSummary> summary = scan::RunScan(config);
  if (!summary.ok()) {
    return Fail(summary.status().message(),
                absl::IsFailedPrecondition(summary.status()) ? 2 : 1);
  }
  return summary->interrupted ? 130 : 0;
}

}  // namespace mxscan::cli
