// mxscan: measures the email security of a whole sector. See README.md.

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "scanner/cli/bench_command.h"
#include "scanner/cli/command_spec.h"
#include "scanner/cli/dns_command.h"
#include "scanner/cli/dump_command.h"
#include "scanner/cli/explain_command.h"
#include "scanner/cli/export_command.h"
#include "scanner/cli/scan_command.h"
#include "scanner/cli/site_command.h"
#include "scanner/cli/stats_command.h"

namespace {

// What the flag registry knows of a flag, for the command table.
std::optional<mxscan::cli::FlagFacts> RegisteredFlag(absl::string_view name) {
  const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
  if (flag == nullptr) return std::nullopt;
  mxscan::cli::FlagFacts facts{flag->Help(), flag->DefaultValue(),
                               flag->IsOfType<bool>()};
  if (flag->IsOfType<int>() || flag->IsOfType<int64_t>() ||
      flag->IsOfType<double>()) {
    facts.value_name = "N";
  } else if (flag->IsOfType<std::vector<std::string>>()) {
    facts.value_name = "A,B";
  }
  return facts;
}

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
  const std::string usage =
      mxscan::cli::GeneralUsage(mxscan::cli::CommandSpecs());
  absl::SetProgramUsageMessage(usage);
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 ||
      std::strcmp(argv[1], "-h") == 0 || std::strcmp(argv[1], "help") == 0) {
    std::fputs(usage.c_str(), argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  const mxscan::cli::CommandSpec* spec = mxscan::cli::FindCommandSpec(command);
  if (spec == nullptr) {
    std::fprintf(stderr, "mxscan: unknown command \"%s\"\n\n%s",
                 command.c_str(), usage.c_str());
    return 2;
  }
  const std::vector<std::string> raw_args(argv + 2, argv + argc);
  if (mxscan::cli::WantsHelp(raw_args)) {
    std::fputs(mxscan::cli::CommandHelp(*spec, RegisteredFlag).c_str(), stdout);
    return 0;
  }
  // Each command takes only its own flags: another command's flag is an
  // error that names it, never silently ignored.
  const absl::Status flags_ok = mxscan::cli::CheckFlags(
      *spec, mxscan::cli::CommandSpecs(), raw_args, RegisteredFlag);
  if (!flags_ok.ok()) {
    std::fprintf(stderr, "mxscan %s: %s\n", command.c_str(),
                 std::string(flags_ok.message()).c_str());
    return 2;
  }
  // argv without the command word, flags normalised.
  std::vector<std::string> storage;
  storage.push_back(std::string(argv[0]) + " " + command);
  for (int i = 2; i < argc; ++i) {
    storage.push_back(NormalizeFlag(argv[i]));
    // "--input -" (standard input): absl would warn that a value starting
    // with '-' looks like a flag; "--input=-" is the same, unquestioned.
    const std::string& arg = storage.back();
    const absl::CommandLineFlag* flag =
        absl::StartsWith(arg, "--") && arg.find('=') == std::string::npos
            ? absl::FindCommandLineFlag(absl::string_view(arg).substr(2))
            : nullptr;
    if (flag != nullptr && !flag->IsOfType<bool>() && i + 1 < argc &&
        std::strcmp(argv[i + 1], "-") == 0) {
      storage.back() += "=-";
      ++i;
    }
  }
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
  if (command == "trend") return mxscan::cli::RunTrendCommand(rest);
  if (command == "export") return mxscan::cli::RunExportCommand(rest);
  if (command == "explain") return mxscan::cli::RunExplainCommand(rest);
  if (command == "site") return mxscan::cli::RunSiteCommand(rest);
  std::fprintf(stderr, "mxscan: command \"%s\" has no runner\n",
               command.c_str());
  return 2;
}
