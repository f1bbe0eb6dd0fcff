// The command table: which flags a command takes, the errors for the ones
// it does not, and `mxscan COMMAND --help`.

#include "scanner/cli/command_spec.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/flags/reflection.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Flag facts of a small made-up registry.
std::optional<FlagFacts> Facts(absl::string_view name) {
  if (name == "resume" || name == "no_smtp") {
    return FlagFacts{"a switch", "false", true};
  }
  if (name == "title" || name == "input" || name == "type") {
    return FlagFacts{"text", "", false};
  }
  if (name == "concurrency") return FlagFacts{"how many", "1000", false, "N"};
  return std::nullopt;
}

const std::vector<CommandSpec>& Specs() {
  static const std::vector<CommandSpec>* const kSpecs =
      new std::vector<CommandSpec>{
          {"scan",
           "scan --input FILE",
           "Scans.",
           {{"input", "", {}},
            {"concurrency", "domains in flight", {}},
            {"resume", "", {}},
            {"no-smtp", "", {}}}},
          {"dns",
           "dns --type T",
           "Resolves.",
           {{"type", "", {}}, {"concurrency", "", "5000"}}},
          {"stats", "stats DIR...", "Counts.", {{"title", "", {}}}},
      };
  return *kSpecs;
}

absl::Status Check(const std::string& command, std::vector<std::string> args) {
  for (const CommandSpec& c : Specs()) {
    if (c.name == command) return CheckFlags(c, Specs(), args, Facts);
  }
  return absl::NotFoundError(command);
}

TEST(CheckFlagsTest, OwnFlagsInEveryForm) {
  EXPECT_TRUE(Check("scan", {"--input", "a.csv", "--concurrency=5", "--resume",
                             "--no-smtp", "--input=-", "-"})
                  .ok());
  EXPECT_TRUE(Check("scan", {"-input", "x", "--noresume"}).ok());
  EXPECT_TRUE(Check("stats", {"dir1", "dir2", "--title", "T"}).ok());
}

TEST(CheckFlagsTest, AnotherCommandsFlagIsNamed) {
  const absl::Status s = Check("stats", {"dir", "--no-smtp"});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              HasSubstr("--no-smtp is not a flag of stats (it is one of: "
                        "scan;"));
  EXPECT_THAT(Check("scan", {"--type=MX"}).message(),
              HasSubstr("--type is not a flag of scan (it is one of: dns"));
  // Dashes or absl's underscores: the same flag.
  EXPECT_THAT(Check("dns", {"--no_smtp"}).message(),
              HasSubstr("--no-smtp is not a flag of dns"));
  EXPECT_THAT(Check("dns", {"--noresume"}).message(),
              HasSubstr("is not a flag of dns"));
}

TEST(CheckFlagsTest, UnknownFlag) {
  EXPECT_THAT(Check("scan", {"--frobnicate"}).message(),
              HasSubstr("unknown flag --frobnicate"));
  // "--no" of a flag that is not a switch is no flag at all.
  EXPECT_THAT(Check("stats", {"--notitle"}).message(),
              HasSubstr("unknown flag --notitle"));
}

TEST(CheckFlagsTest, ValuesAndTheEndOfFlags) {
  // A value that looks like a flag is the value of the flag before it.
  EXPECT_TRUE(Check("stats", {"--title", "--no-smtp"}).ok());
  // A switch takes no value: what follows is checked on its own.
  EXPECT_FALSE(Check("scan", {"--resume", "--type"}).ok());
  // Nothing after "--" is a flag.
  EXPECT_TRUE(Check("stats", {"--", "--no-smtp"}).ok());
  EXPECT_TRUE(WantsHelp({"x", "--help"}));
  EXPECT_TRUE(WantsHelp({"-h"}));
  EXPECT_FALSE(WantsHelp({"--", "--help"}));
  EXPECT_FALSE(WantsHelp({"--title", "x"}));
}

TEST(CommandHelpTest, FlagsWithTheirMeaningAndDefault) {
  const std::string scan = CommandHelp(Specs()[0], Facts);
  EXPECT_THAT(scan, HasSubstr("usage: mxscan scan --input FILE"));
  EXPECT_THAT(scan, HasSubstr("--concurrency N\n      domains in flight "
                              "(default: 1000)"));
  EXPECT_THAT(scan, HasSubstr("--resume\n      a switch (default: false)"));
  EXPECT_THAT(scan, HasSubstr("--input VALUE\n      text (default: none)"));
  EXPECT_THAT(scan, Not(HasSubstr("--type")));
  // A command's own default for a shared flag.
  EXPECT_THAT(CommandHelp(Specs()[1], Facts),
              HasSubstr("how many (default: 5000)"));
}

TEST(CommandHelpTest, LongTextIsWrapped) {
  CommandSpec spec{"x",
                   "x",
                   std::string(30, 'a') + " " + std::string(30, 'b') + " " +
                       std::string(30, 'c'),
                   {}};
  for (absl::string_view line :
       absl::StrSplit(CommandHelp(spec, Facts), '\n')) {
    EXPECT_LE(line.size(), 78u) << line;
  }
}

// Every flag the real table names is defined (the commands' libraries are
// linked into this test), and every command is found by name.
TEST(CommandTableTest, EveryFlagIsDefined) {
  for (const CommandSpec& command : CommandSpecs()) {
    EXPECT_EQ(FindCommandSpec(command.name), &command);
    for (const FlagUse& use : command.flags) {
      EXPECT_NE(absl::FindCommandLineFlag(RegistryFlagName(use.name)), nullptr)
          << command.name << " --" << use.name;
    }
  }
  EXPECT_EQ(FindCommandSpec("frobnicate"), nullptr);
}

}  // namespace
}  // namespace mxscan::cli
