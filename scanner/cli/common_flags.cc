#include "scanner/cli/common_flags.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

ABSL_FLAG(std::string, input, "-", "input file, one name per line; - for stdin");
ABSL_FLAG(std::string, output, "-", "output file; - for stdout");
ABSL_FLAG(std::string, format, "jsonl", "output format: jsonl or proto");
ABSL_FLAG(std::vector<std::string>, resolver, {},
          "DNS server HOST:PORT; repeatable (default: /etc/resolv.conf)");
ABSL_FLAG(int, concurrency, 0,
          "work in flight over all workers: lookups for `dns`, domains for "
          "`scan`; 0 = 1,000 per worker");
ABSL_FLAG(double, rate, 0, "queries per second, over all workers; 0 = no limit");
ABSL_FLAG(int, timeout_ms, 2000,
          "DNS time for the first attempt; each retry doubles it (at most "
          "4x); longer, up to 4x, while the resolver's answers are slow");
ABSL_FLAG(int, retries, 3,
          "attempts after the first, rotating resolvers (3: at a few percent "
          "of lost datagrams, 2 left some questions unanswered)");
ABSL_FLAG(int, workers, 0, "event-loop threads; 0 = one per core");
ABSL_FLAG(bool, no_progress, false, "no progress line on stderr");
ABSL_FLAG(std::string, ca_file, "/etc/ssl/certs/ca-certificates.crt",
          "trusted roots (PEM) certificates are judged against");
ABSL_FLAG(std::string, ehlo_name, "",
          "name given in EHLO (default: this machine's fully qualified name: "
          "its host name, /etc/mailname or /etc/hosts; a warning when it has "
          "none)");
ABSL_FLAG(std::string, psl_file,
          "/usr/share/publicsuffix/public_suffix_list.dat",
          "Public Suffix List (organisational domains: DMARC under rfc7489, "
          "mail providers in stats)");

namespace mxscan::cli {

std::vector<std::string> RepeatedFlagValues(int argc, char** argv,
                                            const std::string& name) {
  std::vector<std::string> values;
  const std::string flag = "--" + name;
  const std::string flag_eq = flag + "=";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    std::string value;
    if (absl::StartsWith(arg, flag_eq)) {
      value = arg.substr(flag_eq.size());
    } else if (arg == flag && i + 1 < argc) {
      value = argv[++i];
    } else {
      continue;
    }
    for (absl::string_view v : absl::StrSplit(value, ',', absl::SkipEmpty())) {
      values.emplace_back(v);
    }
  }
  return values;
}

smtp::EhloNameChoice EhloNameFromFlags(const char* command) {
  const std::string given = absl::GetFlag(FLAGS_ehlo_name);
  if (!given.empty()) return {given, "--ehlo-name", ""};
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  auto read = [](const char* path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  smtp::EhloNameChoice choice =
      smtp::ChooseEhloName(host, read("/etc/mailname"), read("/etc/hosts"));
  if (!choice.warning.empty()) {
    std::fprintf(stderr, "%s: warning: %s\n", command, choice.warning.c_str());
  }
  return choice;
}

int WorkerCount() {
  int workers = absl::GetFlag(FLAGS_workers);
  if (workers <= 0) {
    workers = static_cast<int>(std::thread::hardware_concurrency());
  }
  return workers > 0 ? workers : 1;
}

absl::StatusOr<int> ConcurrencyFromFlags(int workers) {
  // 1,000 per worker: behind real-internet latency a domain takes seconds,
  // and 1,000 in flight per core kept one busy without starving its DNS
  // (bench/README.md, "At real-internet latency").
  const int64_t concurrency = absl::GetFlag(FLAGS_concurrency) == 0
                                  ? int64_t{1000} * workers
                                  : absl::GetFlag(FLAGS_concurrency);
  if (concurrency <= 0 || concurrency > 1000000) {
    return absl::InvalidArgumentError(
        "--concurrency must be in 1..1000000 (0: 1,000 per worker)");
  }
  return static_cast<int>(concurrency);
}

absl::StatusOr<dns::ClientOptions> DnsClientOptionsFromFlags(
    const std::vector<std::string>& resolvers, int workers) {
  dns::ClientOptions options;
  if (resolvers.empty()) {
    absl::StatusOr<std::vector<dns::ResolverAddress>> system =
        dns::SystemResolvers();
    if (!system.ok()) return system.status();
    options.resolvers = *std::move(system);
  } else {
    for (const std::string& r : resolvers) {
      absl::StatusOr<dns::ResolverAddress> address =
          dns::ParseResolverAddress(r);
      if (!address.ok()) return address.status();
      options.resolvers.push_back(*std::move(address));
    }
  }
  options.timeout_ms = absl::GetFlag(FLAGS_timeout_ms);
  options.retries = absl::GetFlag(FLAGS_retries);
  if (options.timeout_ms <= 0 || options.timeout_ms > 600000) {
    return absl::InvalidArgumentError("--timeout-ms must be in 1..600000");
  }
  if (options.retries < 0 || options.retries > 20) {
    return absl::InvalidArgumentError("--retries must be in 0..20");
  }
  const double rate = absl::GetFlag(FLAGS_rate);
  if (rate < 0) return absl::InvalidArgumentError("--rate must be >= 0");
  options.rate_qps = rate / workers;
  return options;
}

}  // namespace mxscan::cli
