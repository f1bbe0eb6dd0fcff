// mxscan: measures the email security of a whole sector. See README.md.

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "scanner/cli/bench_command.h"
#include "scanner/cli/dns_command.h"
#include "scanner/cli/dump_command.h"
#include "scanner/cli/export_command.h"
#include "scanner/cli/scan_command.h"
#include "scanner/cli/stats_command.h"

namespace {

constexpr char kUsage[] =
    "mxscan: email-security scanner for whole sectors\n"
    "\n"
    "  mxscan scan --input FILE|- --output DIR [--resolver HOST:PORT]...\n"
    "              [--concurrency N] [--rate QPS] [--timeout-ms N]\n"
    "              [--retries N] [--dkim-selectors a,b] [--shard I/N]\n"
    "              [--dmarc-profile rfc9989|rfc7489] [--no-smtp]\n"
    "              [--no-progress] [--workers N]\n"
    "  mxscan dns  --type T [--resolver HOST:PORT]... [--concurrency N]\n"
    "              [--input FILE|-] [--output FILE|-] [--format jsonl|proto]\n"
    "              [--rate QPS] [--timeout-ms N] [--retries N] [--workers N]\n"
    "              [--no-progress]\n"
    "  mxscan dump FILE|DIR... [--format jsonl|csv]\n"
    "  mxscan stats DIR... | --from sqlite:PATH|postgresql://... [--scan-id ID]\n"
    "              [--by sector|none] [--format md|csv|json|html]\n"
    "              [--output FILE] [--top-providers N] [--title T]\n"
    "  mxscan diff OLD_DIR NEW_DIR [--format md|json] [--list-limit N]\n"
    "  mxscan export DIR... --to sqlite:PATH|postgresql://HOST/DB\n"
    "              [--scan-name NAME] [--replace] [--psl-file FILE]\n"
    "  mxscan bench --target HOST:PORT [--starttls smtp|none] [--sni NAME]\n"
    "              [--concurrency N] [--duration S | --count N] [--warmup S]\n"
    "              [--rate N] [--tls-version 1.2|1.3] [--groups x25519,P-256]\n"
    "              [--ciphers LIST] [--resume-sessions] [--format text|json]\n"
    "              [--ca-file PEM] [--ehlo-name NAME] [--no-progress]\n"
    "\n"
    "Run `mxscan COMMAND --help` for the flags.\n";

// The contract spells flags with dashes (--timeout-ms); absl names them
// with underscores. Rewrites "--a-b[=v]" to "--a_b[=v]".
std::string NormalizeFlag(const char* arg) {
  std::string s(arg);
  if (!absl::StartsWith(s, "--") || s == "--") return s;
  const size_t end = std::min(s.find('='), s.size());
  for (size_t i = 2; i < end; ++i) {
    if (s[i] == '-') s[i] = '_';
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  // A peer that resets a connection while we write to it must give EPIPE,
  // not kill the scan; a file-size limit or a full quota must give an
  // error the writer reports (EFBIG), not kill it either.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
  absl::SetProgramUsageMessage(kUsage);
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  // argv without the command word, flags normalised.
  std::vector<std::string> storage;
  storage.push_back(std::string(argv[0]) + " " + command);
  for (int i = 2; i < argc; ++i) storage.push_back(NormalizeFlag(argv[i]));
  std::vector<char*> args;
  for (std::string& s : storage) args.push_back(s.data());
  args.push_back(nullptr);
  int sub_argc = static_cast<int>(storage.size());
  std::vector<char*> positional = absl::ParseCommandLine(sub_argc, args.data());

  if (command == "dns") {
    if (positional.size() > 1) {
      std::fprintf(stderr, "mxscan dns: unexpected argument \"%s\"\n",
                   positional[1]);
      return 2;
    }
    return mxscan::cli::RunDnsCommand(sub_argc, args.data());
  }
  if (command == "scan") {
    if (positional.size() > 1) {
      std::fprintf(stderr, "mxscan scan: unexpected argument \"%s\"\n",
                   positional[1]);
      return 2;
    }
    return mxscan::cli::RunScanCommand(sub_argc, args.data());
  }
  if (command == "dump") {
    return mxscan::cli::RunDumpCommand(
        std::vector<std::string>(positional.begin() + 1, positional.end()));
  }
  if (command == "bench") {
    if (positional.size() > 1) {
      std::fprintf(stderr,
                   "mxscan bench: unexpected argument \"%s\": one --target "
                   "HOST:PORT only, never a list\n",
                   positional[1]);
      return 2;
    }
    return mxscan::cli::RunBenchCommand(sub_argc, args.data());
  }
  const std::vector<std::string> rest(positional.begin() + 1, positional.end());
  if (command == "stats") return mxscan::cli::RunStatsCommand(rest);
  if (command == "diff") return mxscan::cli::RunDiffCommand(rest);
  if (command == "export") return mxscan::cli::RunExportCommand(rest);
  std::fprintf(stderr, "mxscan: unknown command \"%s\"\n\n%s",
               command.c_str(), kUsage);
  return 2;
}
