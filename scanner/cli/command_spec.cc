#include "scanner/cli/command_spec.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace mxscan::cli {
namespace {

constexpr size_t kHelpWidth = 78;
constexpr size_t kHelpIndent = 6;

// The name as commands list it: dashes, not absl's underscores.
std::string Dashed(absl::string_view name) {
  return absl::StrReplaceAll(name, {{"_", "-"}});
}

const FlagUse* FindUse(const CommandSpec& command, absl::string_view name) {
  for (const FlagUse& use : command.flags) {
    if (use.name == name) return &use;
  }
  return nullptr;
}

// The commands that take flag `name`, as "scan, dns".
std::string TakenBy(absl::Span<const CommandSpec> all, absl::string_view name) {
  std::vector<std::string> names;
  for (const CommandSpec& c : all) {
    if (FindUse(c, name) != nullptr) names.push_back(c.name);
  }
  return absl::StrJoin(names, ", ");
}

// Appends `text` wrapped to kHelpWidth, each line indented.
void AppendWrapped(absl::string_view text, std::string* out) {
  std::string line(kHelpIndent, ' ');
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (line.size() > kHelpIndent &&
        line.size() + 1 + word.size() > kHelpWidth) {
      absl::StrAppend(out, line, "\n");
      line.assign(kHelpIndent, ' ');
    }
    if (line.size() > kHelpIndent) line.push_back(' ');
    absl::StrAppend(&line, word);
  }
  if (line.size() > kHelpIndent) absl::StrAppend(out, line, "\n");
}

}  // namespace

std::string RegistryFlagName(absl::string_view name) {
  return absl::StrReplaceAll(name, {{"-", "_"}});
}

const CommandSpec* FindCommandSpec(absl::string_view name) {
  for (const CommandSpec& c : CommandSpecs()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

bool WantsHelp(absl::Span<const std::string> args) {
  for (const std::string& arg : args) {
    if (arg == "--") return false;
    if (arg == "--help" || arg == "-h" || arg == "-help") return true;
  }
  return false;
}

absl::Status CheckFlags(const CommandSpec& command,
                        absl::Span<const CommandSpec> all,
                        absl::Span<const std::string> args,
                        const FlagFactsLookup& facts) {
  for (size_t i = 0; i < args.size(); ++i) {
    const absl::string_view arg = args[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;  // "-" is stdin
    absl::string_view body = absl::StripPrefix(arg, "-");
    body = absl::StripPrefix(body, "-");
    const size_t eq = body.find('=');
    const bool has_value = eq != absl::string_view::npos;
    const std::string name = Dashed(body.substr(0, eq));
    if (name == "help" || name == "h") continue;
    std::string taken = name;
    std::optional<FlagFacts> flag = facts(RegistryFlagName(name));
    // --noresume: absl's way of turning a switch off.
    if (!flag.has_value() && absl::StartsWith(name, "no")) {
      std::optional<FlagFacts> negated =
          facts(RegistryFlagName(name.substr(2)));
      if (negated.has_value() && negated->is_switch) {
        taken = name.substr(2);
        flag = negated;
      }
    }
    if (!flag.has_value() || FindUse(command, taken) == nullptr) {
      const std::string others = TakenBy(all, taken);
      if (others.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown flag --", name, " (mxscan ", command.name,
                         " --help lists the flags of ", command.name, ")"));
      }
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, " is not a flag of ", command.name,
                       " (it is one of: ", others, "; mxscan ", command.name,
                       " --help lists the flags of ", command.name, ")"));
    }
    if (!has_value && !flag->is_switch) ++i;  // "--name value"
  }
  return absl::OkStatus();
}

std::string CommandHelp(const CommandSpec& command,
                        const FlagFactsLookup& facts) {
  std::string out = absl::StrCat("usage: mxscan ", command.synopsis, "\n\n");
  AppendWrapped(command.summary, &out);
  out.append("\nflags:\n");
  for (const FlagUse& use : command.flags) {
    const std::optional<FlagFacts> flag = facts(RegistryFlagName(use.name));
    const std::string meaning = !use.meaning.empty()
                                    ? use.meaning
                                    : (flag.has_value() ? flag->help : "");
    std::string default_text;
    if (use.default_text.has_value()) {
      default_text = *use.default_text;
    } else if (flag.has_value()) {
      default_text = flag->default_value.empty() ? "none" : flag->default_value;
    }
    absl::StrAppend(&out, "  --", use.name);
    if (flag.has_value() && !flag->is_switch) {
      absl::StrAppend(&out, " ", flag->value_name);
    }
    out.push_back('\n');
    // A meaning that tells its default itself ("(default: the host
    // name)") says it better than the flag's stored value.
    AppendWrapped(absl::StrContains(meaning, "(default")
                      ? meaning
                      : absl::StrCat(meaning, " (default: ", default_text, ")"),
                  &out);
  }
  out.append("  --help\n");
  AppendWrapped("this text", &out);
  return out;
}

std::string GeneralUsage(absl::Span<const CommandSpec> all) {
  std::string out =
      "mxscan: email-security scanner for whole sectors\n\ncommands:\n";
  for (const CommandSpec& c : all) {
    absl::StrAppend(&out, "  mxscan ", c.synopsis, "\n");
  }
  out.append(
      "\nmxscan COMMAND --help lists the command's flags, each with "
      "its meaning and default.\n");
  return out;
}

}  // namespace mxscan::cli
