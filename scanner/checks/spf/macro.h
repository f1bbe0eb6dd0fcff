#ifndef MXSCAN_SCANNER_CHECKS_SPF_MACRO_H_
#define MXSCAN_SCANNER_CHECKS_SPF_MACRO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scanner/checks/spf/ip_address.h"

namespace mxscan::checks::spf {

// Where a macro-string appears decides what it may hold (RFC 7208
// section 7.1): domain-specs take the letters s l o d i p h v; explanation
// text (the TXT record an exp= points to) also takes c r t and spaces.
enum class MacroSyntax { kDomainSpec, kExplanation };

// MacroPart is one piece of a parsed macro-string: literal text (with %%,
// %_ and %- already turned into "%", " " and "%20") or one %{...} macro.
struct MacroPart {
  enum class Kind { kLiteral, kMacro };
  Kind kind = Kind::kLiteral;
  std::string literal;      // kLiteral
  char letter = 0;          // kMacro: lowercase macro letter
  bool url_escape = false;  // kMacro: the letter was uppercase
  int keep_parts = 0;       // kMacro: DIGIT transformer, 0 = all parts
  bool reverse = false;     // kMacro: "r" transformer
  std::string delimiters;   // kMacro: as written; empty means "."
};

// MacroString is a parsed macro-string.
struct MacroString {
  std::vector<MacroPart> parts;
  // The text ends with a macro-expand (%{..}, %%, %_ or %-): one of the two
  // ways a domain-spec may end (RFC 7208 section 7.1, domain-end).
  bool ends_with_macro_expand = false;

  // UsesLetter tells whether a %{x} macro of `letter` (lowercase) appears.
  bool UsesLetter(char letter) const;
};

// ParseMacroString checks `text` against the macro-string grammar of RFC
// 7208 section 7.1 (explain-string for kExplanation) and splits it into
// parts. Fails with InvalidArgument, naming the problem and its position:
// a '%' not followed by '{', '%', '_' or '-'; an unknown or misplaced
// macro letter; a zero DIGIT transformer; an unterminated macro; a
// character outside visible ASCII (space allowed in explanations).
absl::StatusOr<MacroString> ParseMacroString(absl::string_view text,
                                             MacroSyntax syntax);

// MacroValues are what the macro letters stand for (RFC 7208 section 7.3).
struct MacroValues {
  std::string sender;                      // s
  std::string local_part;                  // l
  std::string sender_domain;               // o
  std::string domain;                      // d: the current <domain>
  IpAddress ip;                            // i, c, v
  std::string helo;                        // h
  std::string validated_name = "unknown";  // p
  std::string receiver = "unknown";        // r
  int64_t timestamp = 0;                   // t: seconds since the epoch
};

// ExpandMacroString expands a parsed macro-string: each macro's value is
// split on its delimiters, reversed if asked, cut to its right-most parts,
// rejoined with dots, and URL-escaped for uppercase letters. Cannot fail.
std::string ExpandMacroString(const MacroString& macro,
                              const MacroValues& values);

// ExpandMacroText parses and expands in one step; fails like
// ParseMacroString.
absl::StatusOr<std::string> ExpandMacroText(absl::string_view text,
                                            MacroSyntax syntax,
                                            const MacroValues& values);

}  // namespace mxscan::checks::spf

#endif  // MXSCAN_SCANNER_CHECKS_SPF_MACRO_H_
