#include "scanner/cli/bench_command.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "scanner/bench/bench_driver.h"
#include "scanner/bench/bench_report.h"
#include "scanner/bench/bench_run.h"
#include "scanner/bench/bench_target.h"
#include "scanner/cli/common_flags.h"
#include "scanner/core/progress.h"
#include "scanner/core/stop_signal.h"
#include "scanner/smtp/session.h"
#include "scanner/tls/certificate_judge.h"
#include "scanner/tls/tls_client.h"
#include "scanner/tls/trust_store.h"

ABSL_FLAG(std::string, target, "",
          "the one server to measure, HOST:PORT (no lists, no networks)");
ABSL_FLAG(std::string, starttls, "smtp",
          "smtp (EHLO, STARTTLS, handshake) or none (a TLS server)");
ABSL_FLAG(std::string, sni, "",
          "server name sent in the handshake (default: the target's "
          "host name; none for an IP address)");
ABSL_FLAG(double, duration, 0,
          "seconds of measurement after the warm-up (default 10)");
ABSL_FLAG(int64_t, count, 0, "exactly this many attempts after the warm-up");
ABSL_FLAG(double, warmup, 2, "seconds of warm-up, not counted");
ABSL_FLAG(int64_t, warmup_attempts, 0,
          "the warm-up also ends after this many attempts (default: with "
          "--count N, the larger of --concurrency and N/10; with --duration, "
          "no bound)");
ABSL_FLAG(std::string, tls_version, "",
          "offer only this TLS version, 1.2 or 1.3 (default: 1.0-1.3)");
ABSL_FLAG(std::string, groups, "",
          "key-exchange groups offered, e.g. x25519,P-256");
ABSL_FLAG(std::string, ciphers, "", "TLS 1.0-1.2 cipher list");
ABSL_FLAG(bool, resume_sessions, false,
          "offer the newest session the server gave (resumption)");

namespace mxscan::cli {
namespace {

constexpr int kDefaultConcurrency = 50;
constexpr double kDefaultDurationS = 10;
constexpr int kDefaultStageTimeoutMs = 10000;

int Fail(absl::string_view message, int code) {
  std::fprintf(stderr, "mxscan bench: %.*s\n", static_cast<int>(message.size()),
               message.data());
  return code;
}

// Given tells whether `--name` (or `--name=...`) is among the raw
// arguments: some shared flags have defaults meant for other commands.
bool Given(int argc, char** argv, absl::string_view name) {
  const std::string flag = absl::StrCat("--", name);
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == flag || absl::StartsWith(arg, absl::StrCat(flag, "="))) {
      return true;
    }
  }
  return false;
}

// Resolve looks the target's host up once (getaddrinfo) and returns its
// first address with the port.
absl::StatusOr<sockaddr_storage> Resolve(const bench::BenchTarget& target) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (target.host_is_ip) hints.ai_flags = AI_NUMERICHOST;
  addrinfo* result = nullptr;
  const int rc = getaddrinfo(target.host.c_str(), nullptr, &hints, &result);
  if (rc != 0 || result == nullptr) {
    return absl::NotFoundError(absl::StrCat("cannot resolve \"", target.host,
                                            "\": ", gai_strerror(rc)));
  }
  sockaddr_storage address{};
  std::memcpy(&address, result->ai_addr, result->ai_addrlen);
  freeaddrinfo(result);
  if (address.ss_family == AF_INET6) {
    reinterpret_cast<sockaddr_in6*>(&address)->sin6_port = htons(target.port);
  } else {
    reinterpret_cast<sockaddr_in*>(&address)->sin_port = htons(target.port);
  }
  return address;
}

std::string AddressText(const sockaddr_storage& address) {
  char ip[INET6_ADDRSTRLEN] = {};
  uint16_t port = 0;
  if (address.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
    port = ntohs(a->sin6_port);
  } else {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
    port = ntohs(a->sin_port);
  }
  return bench::FormatHostPort(ip, port);
}

// EnsureDescriptors raises the soft descriptor limit to the hard one if
// `concurrency` sockets (and the loop's own) would not fit.
absl::Status EnsureDescriptors(int concurrency) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return absl::OkStatus();
  const rlim_t need = static_cast<rlim_t>(concurrency) + 64;
  if (limit.rlim_cur >= need) return absl::OkStatus();
  if (limit.rlim_max >= need) {
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) == 0) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--concurrency ", concurrency, " needs ", need,
      " file descriptors; the limit is ", limit.rlim_max));
}

// JudgeChains judges each distinct chain once, after the measurement.
std::vector<bench::CertificateSummary> JudgeChains(
    const std::vector<bench::SeenChain>& chains, const std::string& ca_file,
    const std::string& server_name) {
  std::vector<bench::CertificateSummary> out;
  if (chains.empty()) return out;
  absl::StatusOr<std::shared_ptr<const tls::TrustStore>> trust =
      tls::TrustStore::LoadFile(ca_file);
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  for (const bench::SeenChain& chain : chains) {
    bench::CertificateSummary summary;
    summary.handshakes = chain.handshakes;
    if (!trust.ok()) {
      summary.verify_error =
          absl::StrCat("--ca-file: ", trust.status().message());
    } else {
      const tls::CertificateVerdict verdict = tls::JudgeCertificateChain(
          **trust, chain.chain_der, server_name, now);
      summary.trusted = verdict.trusted;
      summary.hostname_match = !server_name.empty() && verdict.hostname_match;
      summary.verify_error = verdict.verify_error;
      if (verdict.leaf() != nullptr) summary.leaf_sha256 = verdict.leaf()->sha256;
    }
    out.push_back(std::move(summary));
  }
  return out;
}

// The progress line: phase, attempts, rate over the last redraw.
std::string RenderProgress(const bench::BenchProgress& p, uint64_t* last_done,
                           uint64_t* last_ns) {
  static constexpr const char* kPhase[] = {"warm-up", "measuring", "draining",
                                           "done"};
  const uint64_t ok = p.succeeded.load();
  const uint64_t failed = p.failed.load();
  const uint64_t now = uv_hrtime();
  const double seconds = *last_ns == 0 ? 0 : (now - *last_ns) / 1e9;
  const double rate = seconds > 0 ? (ok + failed - *last_done) / seconds : 0;
  *last_done = ok + failed;
  *last_ns = now;
  return absl::StrFormat(
      "mxscan bench: %s, %d measured (%d ok, %d failed), %.0f/s, %d in flight",
      kPhase[std::min(3, std::max(0, p.phase.load()))], ok + failed, ok,
      failed, rate, p.in_flight.load());
}

}  // namespace

int RunBenchCommand(int argc, char** argv) {
  // The target first: a refused one is the error to report.
  const std::string target_text = absl::GetFlag(FLAGS_target);
  if (RepeatedFlagValues(argc, argv, "target").size() > 1) {
    return Fail("--target was given a list of targets; mxscan bench measures "
                "one explicitly named server (HOST:PORT)",
                2);
  }
  struct stat file_info {};
  if (!target_text.empty() && stat(target_text.c_str(), &file_info) == 0) {
    return Fail(absl::StrCat("--target \"", target_text,
                             "\" names a file; mxscan bench measures one "
                             "explicitly named server (HOST:PORT)"),
                2);
  }
  absl::StatusOr<bench::BenchTarget> target =
      bench::ParseBenchTarget(target_text);
  if (!target.ok()) return Fail(target.status().message(), 2);

  bench::BenchSettings settings;
  bench::BenchDriverOptions options;
  settings.target = target_text;
  const std::string starttls = absl::GetFlag(FLAGS_starttls);
  if (starttls != "smtp" && starttls != "none") {
    return Fail("--starttls must be smtp or none", 2);
  }
  settings.starttls = options.starttls = starttls == "smtp";
  const std::string format =
      Given(argc, argv, "format") ? absl::GetFlag(FLAGS_format) : "text";
  if (format != "text" && format != "json") {
    return Fail("--format must be text or json", 2);
  }
  settings.concurrency = options.concurrency =
      Given(argc, argv, "concurrency") ? absl::GetFlag(FLAGS_concurrency)
                               : kDefaultConcurrency;
  if (options.concurrency <= 0 || options.concurrency > 100000) {
    return Fail("--concurrency must be in 1..100000", 2);
  }
  // One event loop per core unless --workers says otherwise, never more
  // loops than attempts in flight.
  settings.cores = static_cast<int>(std::thread::hardware_concurrency());
  settings.loops = std::min(WorkerCount(), options.concurrency);
  settings.rate = options.rate = absl::GetFlag(FLAGS_rate);
  settings.warmup_s = options.warmup_s = absl::GetFlag(FLAGS_warmup);
  const int64_t count = absl::GetFlag(FLAGS_count);
  double duration = absl::GetFlag(FLAGS_duration);
  if (options.rate < 0 || !std::isfinite(options.rate)) {
    return Fail("--rate must be >= 0", 2);
  }
  if (options.warmup_s < 0 || options.warmup_s > 3600) {
    return Fail("--warmup must be in 0..3600 seconds", 2);
  }
  if (Given(argc, argv, "count") && Given(argc, argv, "duration")) {
    return Fail("give --duration or --count, not both", 2);
  }
  if (Given(argc, argv, "count")) {
    if (count <= 0) return Fail("--count must be positive", 2);
    settings.count = options.count = static_cast<uint64_t>(count);
    duration = 0;
  } else {
    if (!Given(argc, argv, "duration")) duration = kDefaultDurationS;
    if (!(duration > 0 && duration <= 86400)) {
      return Fail("--duration must be in (0, 86400] seconds", 2);
    }
  }
  settings.duration_s = options.duration_s = duration;
  const int64_t warmup_attempts = absl::GetFlag(FLAGS_warmup_attempts);
  if (warmup_attempts < 0) return Fail("--warmup-attempts must be >= 0", 2);
  settings.warmup_max_attempts = options.warmup_max_attempts =
      warmup_attempts > 0 ? static_cast<uint64_t>(warmup_attempts)
      : options.count > 0
          ? std::max<uint64_t>(options.concurrency, (options.count + 9) / 10)
          : 0;
  options.stage_timeout_ms = Given(argc, argv, "timeout_ms")
                                 ? absl::GetFlag(FLAGS_timeout_ms)
                                 : kDefaultStageTimeoutMs;
  if (options.stage_timeout_ms <= 0) {
    return Fail("--timeout-ms must be positive", 2);
  }

  tls::ClientContextOptions tls_options;
  settings.tls_version = absl::GetFlag(FLAGS_tls_version);
  if (!settings.tls_version.empty()) {
    if (settings.tls_version != "1.2" && settings.tls_version != "1.3") {
      return Fail("--tls-version must be 1.2 or 1.3", 2);
    }
    absl::StatusOr<uint16_t> version = tls::ParseTlsVersion(settings.tls_version);
    if (!version.ok()) return Fail(version.status().message(), 2);
    tls_options.min_version = tls_options.max_version = *version;
  }
  settings.groups = absl::GetFlag(FLAGS_groups);
  tls_options.groups = settings.groups;
  for (char& c : tls_options.groups) {
    if (c == ',') c = ':';
  }
  settings.ciphers = tls_options.ciphers = absl::GetFlag(FLAGS_ciphers);
  settings.resume_sessions = options.resume_sessions =
      tls_options.session_cache = absl::GetFlag(FLAGS_resume_sessions);
  // Each loop makes its own context from these options: a bad --groups or
  // --ciphers is found here, before any thread starts.
  absl::Status tls_ok = tls::ClientContext::Create(tls_options).status();
  if (!tls_ok.ok()) return Fail(tls_ok.message(), 2);

  options.ehlo_name = EhloNameFromFlags("mxscan bench").name;
  absl::Status ehlo = smtp::ValidateEhloName(options.ehlo_name);
  if (!ehlo.ok()) return Fail(ehlo.message(), 2);
  settings.sni = options.server_name =
      Given(argc, argv, "sni") ? absl::GetFlag(FLAGS_sni)
                       : (target->host_is_ip ? "" : target->host);
  absl::Status descriptors = EnsureDescriptors(options.concurrency);
  if (!descriptors.ok()) return Fail(descriptors.message(), 2);

  absl::StatusOr<sockaddr_storage> address = Resolve(*target);
  if (!address.ok()) return Fail(address.status().message(), 1);
  options.address = *address;
  settings.address = AddressText(*address);

  // Signals before any thread: the first stops the run (what was measured
  // is reported), the second exits at once.
  std::atomic<bool> stop_requested{false};
  core::StopSignal signals([&stop_requested](int n) {
    if (n >= 2) std::_Exit(130);
    stop_requested.store(true);
  });
  bench::BenchProgress progress;
  absl::StatusOr<bench::BenchRunResult> run;
  {
    uint64_t last_done = 0;
    uint64_t last_ns = 0;
    core::ProgressLine line(
        isatty(STDERR_FILENO) && !absl::GetFlag(FLAGS_no_progress),
        [&] { return RenderProgress(progress, &last_done, &last_ns); });
    run = bench::RunBench(options, tls_options, settings.loops, &progress,
                          stop_requested);
  }
  if (!run.ok()) return Fail(run.status().message(), 1);
  settings.loops = run->loops;
  bench::BenchMeasurement& measurement = run->measurement;
  measurement.certificates = JudgeChains(
      run->chains, absl::GetFlag(FLAGS_ca_file), options.server_name);
  const std::string report =
      format == "json"
          ? bench::RenderBenchJson(settings, run->stats, measurement)
          : bench::RenderBenchText(settings, run->stats, measurement);
  std::fwrite(report.data(), 1, report.size(), stdout);
  std::fflush(stdout);
  if (measurement.interrupted) return 130;
  return run->stats.succeeded() > 0 ? 0 : 1;
}

}  // namespace mxscan::cli
