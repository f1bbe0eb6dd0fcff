#include "scanner/cli/scan_command.h"

#include <atomic>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/flags/commandlineflag.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "scanner/build_info/build_info.h"
#include "scanner/checks/dkim/default_selectors.h"
#include "scanner/checks/spf/ip_address.h"
#include "scanner/cli/command_spec.h"
#include "scanner/cli/common_flags.h"
#include "scanner/core/output_directory.h"
#include "scanner/core/pipeline.h"
#include "scanner/core/uv_handle.h"
#include "scanner/dns/client.h"
#include "scanner/dns/rr_type.h"
#include "scanner/results/manifest_file.h"
#include "scanner/results/result_writer.h"
#include "scanner/results/resume.h"
#include "scanner/results/shard.h"
#include "scanner/results/valid_utf8.h"
#include "scanner/scan/blocklist.h"
#include "scanner/scan/client_dns_source.h"
#include "scanner/scan/dns_cache.h"
#include "scanner/scan/domain_input.h"
#include "scanner/scan/domain_scan.h"
#include "scanner/scan/lookup_now.h"
#include "scanner/scan/manifest.h"
#include "scanner/scan/probe_cache.h"
#include "scanner/scan/resolver_check.h"
#include "scanner/scan/scan_options.h"
#include "scanner/smtp/ehlo_name.h"
#include "scanner/smtp/session.h"
#include "scanner/tls/certificate_judge.h"
#include "scanner/tls/tls_client.h"
#include "scanner/tls/trust_store.h"
#include "scanner/tls/verdict_cache.h"

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

// Counts shared by the workers.
struct ScanCounts {
  std::atomic<uint64_t> by_status[6] = {};
  std::atomic<uint64_t> questions{0};
  std::atomic<uint64_t> cache_hits{0};
  std::atomic<uint64_t> coalesced{0};
  std::atomic<uint64_t> queries{0};
  std::atomic<uint64_t> query_timeouts{0};
  // Datagrams that answered no query in flight: mostly answers that came
  // after their attempt had timed out.
  std::atomic<uint64_t> unmatched_answers{0};
  std::atomic<uint64_t> records{0};
  std::atomic<uint64_t> probes{0};
  std::atomic<uint64_t> probe_requests{0};
  std::atomic<uint64_t> pq_selection_probes{0};
  std::atomic<uint64_t> census_probes{0};
  std::atomic<uint64_t> provider_waits{0};
};

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

// What every worker's SMTP probing shares (read-only).
struct SmtpSettings {
  std::shared_ptr<const tls::TrustStore> trust;
  scan::ProbeCacheOptions probes;
  bool probe_tls_versions = false;
};

// Items travel from the reader to the workers as
// "domain\tsector\torganization\terror".
std::string EncodeItem(const scan::DomainInput& input) {
  auto clean = [](absl::string_view s) {
    return absl::StrReplaceAll(s, {{"\t", " "}});
  };
  return absl::StrCat(clean(input.domain), "\t", clean(input.sector), "\t",
                      clean(input.organization), "\t",
                      clean(input.error.message()));
}

scan::DomainInput DecodeItem(const std::string& item) {
  std::vector<std::string> f = absl::StrSplit(item, absl::MaxSplits('\t', 3));
  scan::DomainInput input;
  input.domain = f[0];
  if (f.size() > 1) input.sector = f[1];
  if (f.size() > 2) input.organization = f[2];
  if (f.size() > 3 && !f[3].empty()) {
    input.error = absl::InvalidArgumentError(f[3]);
  }
  return input;
}

scan::DnsCacheOptions CacheOptions() {
  scan::DnsCacheOptions options;
  if (absl::GetFlag(FLAGS_no_dns_cache)) {
    // Nothing kept: only questions in flight at the same moment coalesce.
    options.max_ttl_s = 0;
    options.max_entries = 0;
  }
  return options;
}

// ScanJob scans the domains routed to one worker: its own DNS client and
// cache (every domain of a worker shares them), its own result files.
// Lives on its worker's thread.
class ScanJob : public PipelineJob {
 public:
  ScanJob(std::unique_ptr<dns::Client> client,
          std::unique_ptr<results::ResultWriter> writer,
          const scan::ScanOptions& options, uv_loop_t* loop, ScanCounts& counts,
          const SmtpSettings* smtp)
      : client_(std::move(client)),
        client_source_(*client_),
        cache_(std::make_unique<scan::DnsCache>(loop, client_source_,
                                                CacheOptions())),
        writer_(std::move(writer)),
        options_(options),
        counts_(counts) {
    services_.loop = loop;
    if (smtp != nullptr) {
      // Each worker has its own TLS context, verdict cache and probe
      // cache: no locks between loops.
      tls_ = *tls::ClientContext::Create(tls::ClientContextOptions());
      verdicts_ = std::make_unique<tls::VerdictCache>(smtp->trust);
      scan::ProbeCacheOptions probes = smtp->probes;
      if (smtp->probe_tls_versions) {
        for (uint16_t version : {TLS1_VERSION, TLS1_1_VERSION, TLS1_2_VERSION}) {
          tls::ClientContextOptions capped;
          capped.max_version = version;
          capped_.push_back(*tls::ClientContext::Create(capped));
          probes.capped_contexts.push_back(capped_.back().get());
        }
      }
      probes_ = std::make_unique<scan::ProbeCache>(loop, std::move(probes),
                                                   *tls_, *verdicts_);
      services_.tls = tls_.get();
      services_.verdicts = verdicts_.get();
      services_.probes = probes_.get();
      probes_->set_chain_sink(
          [this](const std::vector<std::string>& chain,
                 const tls::CertificateVerdict& verdict) {
            StoreCertificates(chain, verdict);
          });
    }
  }

  // Buffered records reach the kernel at least once a second, so that a
  // killed scan loses at most the last second's records (--resume scans
  // them again).
  void StartFlushTimer(uv_loop_t* loop) {
    if (uv_timer_init(loop, flush_timer_.get()) != 0) return;
    flush_timer_.MarkInitialized();
    flush_timer_.get()->data = this;
    uv_timer_start(
        flush_timer_.get(),
        [](uv_timer_t* timer) {
          static_cast<ScanJob*>(timer->data)->FlushWriters();
        },
        kFlushIntervalMs, kFlushIntervalMs);
    uv_unref(flush_timer_.as_handle());  // never keeps the loop alive
  }

  // Certificates go to their own files, each distinct one once per worker:
  // a big provider's chain would otherwise be repeated in thousands of
  // domain records (which carry the SHA-256 only).
  void set_certificate_writer(std::unique_ptr<results::ResultWriter> writer) {
    certificate_writer_ = std::move(writer);
  }

  void Process(std::string item,
               absl::AnyInvocable<void(bool)> done) override {
    scan::StartDomainScan(
        *cache_, options_, &services_, DecodeItem(item),
        [this, done = std::move(done)](DomainResult result) mutable {
          counts_.by_status[std::min<int>(result.status(), 5)].fetch_add(1);
          results::MakeStringsValidUtf8(&result);
          FlushCertificates();
          absl::Status s = writer_->Write(result);
          if (!s.ok() && status_.ok()) status_ = s;
          done(result.status() != DomainResult::OK);
        });
  }

  absl::Status FatalError() const override { return status_; }

  absl::Status Finish() override {
    flush_timer_.Reset();
    FlushCertificates();
    absl::Status closed = writer_->Close();
    if (status_.ok()) status_ = closed;
    if (certificate_writer_) {
      closed = certificate_writer_->Close();
      if (status_.ok()) status_ = closed;
    }
    const scan::DnsCacheStats& stats = cache_->stats();
    counts_.questions.fetch_add(stats.lookups);
    counts_.cache_hits.fetch_add(stats.hits);
    counts_.coalesced.fetch_add(stats.coalesced);
    counts_.queries.fetch_add(client_->stats().sent);
    counts_.query_timeouts.fetch_add(client_->stats().timeouts);
    counts_.unmatched_answers.fetch_add(client_->stats().unexpected);
    counts_.records.fetch_add(writer_->records());
    if (probes_) {
      counts_.probes.fetch_add(probes_->stats().probes);
      counts_.probe_requests.fetch_add(probes_->stats().requests);
      counts_.pq_selection_probes.fetch_add(
          probes_->stats().pq_selection_probes);
      counts_.census_probes.fetch_add(probes_->stats().census_probes);
      counts_.provider_waits.fetch_add(probes_->stats().provider_waits);
    }
    probes_.reset();
    verdicts_.reset();
    capped_.clear();
    tls_.reset();
    cache_.reset();
    client_.reset();
    return status_;
  }

 private:
  static constexpr uint64_t kFlushIntervalMs = 1000;

  // A record must never reach the disk before the certificates it names:
  // after a kill -9 its domain counts as done and would not be scanned
  // again to store them.
  void FlushCertificates() {
    if (!certificates_pending_) return;
    absl::Status flushed = certificate_writer_->Flush();
    if (!flushed.ok() && status_.ok()) status_ = flushed;
    certificates_pending_ = false;
  }

  void FlushWriters() {
    FlushCertificates();
    absl::Status flushed = writer_->Flush();
    if (!flushed.ok() && status_.ok()) status_ = flushed;
  }

  UvHandle<uv_timer_t> flush_timer_;
  std::unique_ptr<dns::Client> client_;
  scan::ClientDnsSource client_source_;
  std::unique_ptr<scan::DnsCache> cache_;
  std::unique_ptr<results::ResultWriter> writer_;
  const scan::ScanOptions& options_;
  ScanCounts& counts_;
  void StoreCertificates(const std::vector<std::string>& chain,
                         const tls::CertificateVerdict& verdict) {
    if (!certificate_writer_) return;
    google::protobuf::RepeatedPtrField<Certificate> certificates;
    tls::FillCertificates(verdict, chain, &certificates);
    for (Certificate& certificate : certificates) {
      if (!stored_certificates_.insert(certificate.sha256()).second) continue;
      results::MakeStringsValidUtf8(&certificate);
      absl::Status s = certificate_writer_->Write(certificate);
      if (!s.ok() && status_.ok()) status_ = s;
      certificates_pending_ = true;
    }
  }

  std::unique_ptr<results::ResultWriter> certificate_writer_;
  absl::flat_hash_set<std::string> stored_certificates_;
  bool certificates_pending_ = false;  // written but not handed to the kernel
  std::unique_ptr<tls::ClientContext> tls_;
  std::vector<std::unique_ptr<tls::ClientContext>> capped_;
  std::unique_ptr<tls::VerdictCache> verdicts_;
  std::unique_ptr<scan::ProbeCache> probes_;
  scan::ScanServices services_;
  absl::Status status_;
};

int Fail(absl::string_view message, int code) {
  std::fprintf(stderr, "mxscan scan: %s\n", std::string(message).c_str());
  return code;
}

// WarnOnEhloDns prints a warning for each way the EHLO name's forward and
// reverse DNS do not match this machine's public addresses (none when it
// has none: behind NAT the source a receiver sees is unknown here).
void WarnOnEhloDns(const dns::ClientOptions& client_options,
                   const std::string& ehlo_name) {
  std::vector<std::string> public_addresses;
  for (std::string& a : scan::LocalAddresses()) {
    if (smtp::IsPublicAddress(a)) public_addresses.push_back(std::move(a));
  }
  if (public_addresses.empty()) return;
  std::vector<scan::Question> questions = {
      {absl::StrCat(ehlo_name, "."), dns::rr_type::kA},
      {absl::StrCat(ehlo_name, "."), dns::rr_type::kAaaa}};
  for (const std::string& a : public_addresses) {
    absl::StatusOr<checks::spf::IpAddress> ip =
        checks::spf::IpAddress::Parse(a);
    questions.push_back(
        {ip.ok() ? ip->ReverseName() + "." : "invalid.", dns::rr_type::kPtr});
  }
  const std::vector<dns::LookupResult> answers =
      scan::LookupNow(client_options, questions);
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

}  // namespace

int RunScanCommand(int argc, char** argv) {
  scan::ScanOptions options;
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
  const int workers = WorkerCount();
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  if (concurrency <= 0 || concurrency > 1000000) {
    return Fail("--concurrency must be in 1..1000000", 2);
  }
  absl::StatusOr<dns::ClientOptions> client_options = DnsClientOptionsFromFlags(
      RepeatedFlagValues(argc, argv, "resolver"), workers);
  if (!client_options.ok()) return Fail(client_options.status().message(), 2);
  options.scan_time_s = static_cast<int64_t>(std::time(nullptr));
  options.https_port = absl::GetFlag(FLAGS_https_port);
  options.probe_ipv6 = !absl::GetFlag(FLAGS_no_ipv6);
  std::unique_ptr<SmtpSettings> smtp;
  smtp::EhloNameChoice ehlo;
  std::optional<scan::Blocklist> blocklist;
  if (!absl::GetFlag(FLAGS_blocklist).empty()) {
    absl::StatusOr<scan::Blocklist> loaded =
        scan::Blocklist::Load(absl::GetFlag(FLAGS_blocklist));
    if (!loaded.ok()) return Fail(loaded.status().message(), 2);
    blocklist = *std::move(loaded);
    for (const dns::ResolverAddress& resolver : client_options->resolvers) {
      const std::string ip = resolver.text.substr(
          0, resolver.text.rfind(':'));
      if (blocklist->Contains(absl::StripPrefix(absl::StripSuffix(ip, "]"), "["))) {
        return Fail(absl::StrCat("resolver ", resolver.text,
                                 " is on the blocklist"),
                    2);
      }
    }
    options.blocklist = &*blocklist;
  }
  if (!absl::GetFlag(FLAGS_no_smtp)) {
    smtp = std::make_unique<SmtpSettings>();
    absl::StatusOr<std::shared_ptr<const tls::TrustStore>> trust =
        tls::TrustStore::LoadFile(absl::GetFlag(FLAGS_ca_file));
    if (!trust.ok()) return Fail(trust.status().message(), 2);
    smtp->trust = *std::move(trust);
    scan::ProbeCacheOptions& probes = smtp->probes;
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
    smtp->probe_tls_versions =
        absl::GetFlag(FLAGS_probe_tls_versions) || probes.tls_census;
    ehlo = EhloNameFromFlags("mxscan scan");
    probes.probe.ehlo_name = ehlo.name;
    absl::Status ehlo_ok = smtp::ValidateEhloName(probes.probe.ehlo_name);
    if (!ehlo_ok.ok()) return Fail(ehlo_ok.message(), 2);
    const int reply_timeout = absl::GetFlag(FLAGS_smtp_timeout_ms);
    if (reply_timeout <= 0) return Fail("--smtp-timeout-ms must be positive", 2);
    probes.probe.reply_timeout_ms = reply_timeout;
    probes.probe.handshake_timeout_ms = reply_timeout;
    probes.probe.connect_timeout_ms = std::min(reply_timeout, 10000);
    probes.probe.total_timeout_ms = 3 * reply_timeout;
    options.https_timeout_ms = reply_timeout;
  }
  absl::Status input_ok = scan::CheckTextInput(absl::GetFlag(FLAGS_input));
  if (!input_ok.ok()) return Fail(input_ok.message(), 2);
  // Strict receivers check the EHLO name against the sending address
  // (forward and reverse DNS): warn before a scan they would distrust.
  if (smtp) WarnOnEhloDns(*client_options, ehlo.name);
  // DNSSEC and DANE figures mean something only through a validating
  // resolver: ask each before the scan.
  const std::string anchor_zone = absl::GetFlag(FLAGS_trust_anchor_zone);
  const std::vector<scan::ResolverValidation> validations =
      scan::CheckResolvers(*client_options, anchor_zone);
  options.resolver_validates = !validations.empty();
  for (const scan::ResolverValidation& v : validations) {
    if (v.validating) continue;
    options.resolver_validates = false;
    std::fprintf(stderr,
                 "mxscan scan: warning: resolver %s is %s (the DNSKEY of %s, "
                 "asked with DO, came without the AD bit): every DNSSEC and "
                 "DANE figure of this scan will read \"not measured\"; use a "
                 "validating resolver (tools/resolver/)\n",
                 v.address.c_str(), v.validation.c_str(),
                 anchor_zone == "." ? "the root" : anchor_zone.c_str());
  }
  const std::string output = absl::GetFlag(FLAGS_output);
  absl::Status dir = core::MakeOutputDirectory(output);
  if (!dir.ok()) return Fail(dir.message(), 1);
  // Domains already scanned (--resume) and domains seen in the input:
  // each input domain gets exactly one record in the output directory.
  results::DomainSet seen;
  if (absl::GetFlag(FLAGS_resume)) {
    absl::StatusOr<results::ResumePoint> point =
        results::LoadResumePoint(output);
    if (!point.ok()) {
      return Fail(absl::StrCat("cannot resume: ", point.status().message()), 1);
    }
    std::fprintf(stderr,
                 "mxscan scan: resuming: %llu domains already have a record "
                 "in %llu files (%llu torn file(s) repaired)\n",
                 static_cast<unsigned long long>(point->records),
                 static_cast<unsigned long long>(point->files),
                 static_cast<unsigned long long>(point->repaired));
    seen = std::move(point->done);
  } else if (const uint64_t files = results::CountResultFiles(output);
             files > 0) {
    return Fail(absl::StrCat("output directory ", output, " already holds ",
                             files,
                             " result files: --resume continues that scan, "
                             "or name another directory"),
                2);
  }
  uint64_t skipped = 0;
  const std::string run_id = results::UniqueRunId();

  // Provenance: written before the first record and again at the end, so
  // that even a killed run says what produced its records.
  const std::string manifest_path = results::ManifestPath(output, *shard);
  absl::StatusOr<ScanManifest> manifest =
      absl::GetFlag(FLAGS_resume) ? results::ReadManifest(manifest_path)
                                  : ScanManifest();
  if (!manifest.ok()) return Fail(manifest.status().message(), 1);
  ScanManifest::Run* run = manifest->add_runs();
  run->set_run_id(run_id);
  run->set_mxscan_version(MxscanVersion());
  run->set_mxscan_commit(MxscanCommit());
  for (int i = 0; i < argc; ++i) run->add_command_line(argv[i]);
  for (const FlagUse& use : FindCommandSpec("scan")->flags) {
    if (const absl::CommandLineFlag* flag =
            absl::FindCommandLineFlag(RegistryFlagName(use.name))) {
      (*run->mutable_options())[use.name] = flag->CurrentValue();
    }
  }
  for (const scan::ResolverValidation& v : validations) {
    ScanManifest::Resolver* r = run->add_resolvers();
    r->set_address(v.address);
    r->set_validation(v.validation);
  }
  if (smtp) {
    *run->mutable_ca_file() =
        scan::DescribeInputFile(absl::GetFlag(FLAGS_ca_file));
    run->set_ehlo_name(ehlo.name);
    run->set_ehlo_name_source(ehlo.source);
  }
  *run->mutable_psl() = scan::DescribeInputFile(absl::GetFlag(FLAGS_psl_file));
  run->set_dmarc_profile(profile);
  for (const std::string& s : options.dkim_selectors)
    run->add_dkim_selectors(s);
  for (std::string& a : scan::LocalAddresses()) run->add_local_addresses(a);
  run->set_started_at(scan::Rfc3339Utc(options.scan_time_s));
  run->set_shard(absl::StrCat(shard->index, "/", shard->count));
  run->set_smtp(smtp != nullptr);
  run->set_resumed(absl::GetFlag(FLAGS_resume));
  absl::Status manifest_written =
      results::WriteManifest(manifest_path, *manifest);
  if (!manifest_written.ok()) return Fail(manifest_written.message(), 1);

  PipelineOptions pipeline;
  pipeline.command = "mxscan scan";
  pipeline.input_path = absl::GetFlag(FLAGS_input);
  pipeline.workers = workers;
  pipeline.max_in_flight_per_worker =
      std::max<size_t>(1, static_cast<size_t>(concurrency) / workers);
  pipeline.show_progress = !absl::GetFlag(FLAGS_no_progress);
  ScanCounts counts;
  absl::StatusOr<PipelineStats> stats = RunPipeline(
      pipeline,
      [&](std::string line, bool too_long) -> std::optional<RoutedItem> {
        std::optional<scan::DomainInput> input = scan::ParseDomainLine(line);
        if (!input) return std::nullopt;
        if (too_long) {
          input->error = absl::InvalidArgumentError("input line too long");
        }
        if (!shard->Contains(input->domain)) return std::nullopt;
        if (blocklist && input->error.ok() &&
            blocklist->ContainsDomain(input->domain)) {
          // Opted out: a record says so, and nothing is sent.
          input->error = absl::FailedPreconditionError(
              "on the blocklist: not scanned");
        }
        if (!seen.Insert(input->domain)) {
          ++skipped;
          return std::nullopt;
        }
        std::string key = input->domain;
        return RoutedItem{std::move(key), EncodeItem(*input)};
      },
      [&](Worker& w) -> absl::StatusOr<std::unique_ptr<PipelineJob>> {
        absl::StatusOr<std::unique_ptr<dns::Client>> client =
            dns::Client::Create(w.loop(), *client_options);
        if (!client.ok()) return client.status();
        absl::StatusOr<std::unique_ptr<results::ResultWriter>> writer =
            results::ResultWriter::Open(
                output, absl::StrCat("part-", run_id, "-w", w.index()));
        if (!writer.ok()) return writer.status();
        auto job = std::make_unique<ScanJob>(*std::move(client),
                                             *std::move(writer), options,
                                             w.loop(), counts, smtp.get());
        job->StartFlushTimer(w.loop());
        if (smtp) {
          absl::StatusOr<std::unique_ptr<results::ResultWriter>> certificates =
              results::ResultWriter::Open(
                  output,
                  absl::StrCat("certificates-", run_id, "-w", w.index()),
                  64ull << 20, ".certs");
          if (!certificates.ok()) return certificates.status();
          job->set_certificate_writer(*std::move(certificates));
        }
        return job;
      });
  if (!stats.ok()) return Fail(stats.status().message(), 1);
  run->set_ended_at(scan::Rfc3339Utc(std::time(nullptr)));
  run->set_interrupted(stats->interrupted);
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
  manifest_written = results::WriteManifest(manifest_path, *manifest);
  if (!manifest_written.ok()) return Fail(manifest_written.message(), 1);
  const uint64_t questions = counts.questions.load();
  std::fprintf(
      stderr,
      "mxscan scan: %llu domains in %.2f s (%.0f/s): %llu OK, %llu NXDOMAIN, "
      "%llu SERVFAIL, %llu TIMEOUT, %llu ERROR; %llu DNS questions "
      "(%.1f per domain), %llu answered from the cache, %llu coalesced, "
      "%llu queries sent (%llu timed out, %llu answers matched none); "
      "%llu SMTP probes%s for %llu MX addresses%s; "
      "%llu records in %s; %llu input domains skipped (already in the output "
      "or repeated)\n",
      static_cast<unsigned long long>(stats->items), stats->seconds,
      stats->seconds > 0 ? stats->items / stats->seconds : 0.0,
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
      stats->items ? static_cast<double>(questions) / stats->items : 0.0,
      static_cast<unsigned long long>(counts.cache_hits.load()),
      static_cast<unsigned long long>(counts.coalesced.load()),
      static_cast<unsigned long long>(counts.queries.load()),
      static_cast<unsigned long long>(counts.query_timeouts.load()),
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
  return stats->interrupted ? 130 : 0;
}

}  // namespace mxscan::cli
