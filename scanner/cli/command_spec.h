#ifndef MXSCAN_SCANNER_CLI_COMMAND_SPEC_H_
#define MXSCAN_SCANNER_CLI_COMMAND_SPEC_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace mxscan::cli {

// What each mxscan command accepts, and the checks and help built from it.
// Pure: the facts about a flag that live with its definition (its help
// text, default and whether it takes a value) come through FlagFacts, so
// that this code never reads the process's flag registry itself.

// FlagUse is one flag a command takes. `meaning` and `default_text`, when
// set, say what the flag means in this command where that differs from
// the flag's own help (a shared --format has a default per command).
struct FlagUse {
  std::string name;  // as typed, with dashes: "timeout-ms"
  std::string meaning;
  std::optional<std::string> default_text;
};

struct CommandSpec {
  std::string name;      // "scan"
  std::string synopsis;  // the usage lines, without "mxscan "
  std::string summary;   // one sentence
  std::vector<FlagUse> flags;
};

// What the definition of a flag says: its help, its default as text and
// whether it is a switch (bool, no value). nullopt for no such flag.
struct FlagFacts {
  std::string help;
  std::string default_value;
  bool is_switch = false;
  std::string value_name = "VALUE";  // in help: "--concurrency N"
};
using FlagFactsLookup =
    std::function<std::optional<FlagFacts>(absl::string_view name)>;

// RegistryFlagName: the name the flag registry (absl) knows a flag by:
// "timeout-ms" -> "timeout_ms".
std::string RegistryFlagName(absl::string_view name);

// CommandSpecs is every command, in the order the usage lists them.
const std::vector<CommandSpec>& CommandSpecs();
// FindCommandSpec returns the command named `name`, or null.
const CommandSpec* FindCommandSpec(absl::string_view name);

// WantsHelp: `args` (the arguments after the command word) ask for help
// (--help or -h before any "--").
bool WantsHelp(absl::Span<const std::string> args);

// CheckFlags fails, naming the flag and the commands that do take it,
// when `args` hold a flag that `command` does not take. A flag's value is
// the next argument unless given with '=' or the flag is a switch;
// "--no<switch>" turns a switch off; nothing after "--" is a flag.
absl::Status CheckFlags(const CommandSpec& command,
                        absl::Span<const CommandSpec> all,
                        absl::Span<const std::string> args,
                        const FlagFactsLookup& facts);

// CommandHelp is `mxscan COMMAND --help`: the synopsis, the summary and
// each flag with its meaning and default (the FlagUse's, else the flag's
// own; a meaning that says "(default ...)" itself is shown as it is).
std::string CommandHelp(const CommandSpec& command,
                        const FlagFactsLookup& facts);

// GeneralUsage is `mxscan --help`: every command's synopsis.
std::string GeneralUsage(absl::Span<const CommandSpec> all);

}  // namespace mxscan::cli

#endif  // MXSCAN_SCANNER_CLI_COMMAND_SPEC_H_
