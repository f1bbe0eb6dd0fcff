#include "scanner/checks/spf/macro.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace mxscan::checks::spf {
namespace {

constexpr absl::string_view kDomainLetters = "slodiphv";
constexpr absl::string_view kExplanationOnlyLetters = "crt";
constexpr absl::string_view kDelimiters = ".-+,/_=";
// RFC 7208 asks for at least 128 parts; more digits than parts means "all",
// so saturating here changes nothing.
constexpr int kMaxKeepParts = 1000;

absl::Status MacroError(absl::string_view text, size_t pos,
                        absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid macro-string \"", absl::CHexEscape(text),
                   "\" at offset ", pos, ": ", why));
}

bool IsUnreserved(char c) {
  return absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string UrlEscape(absl::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    if (IsUnreserved(c)) {
      out += c;
    } else {
      const unsigned char u = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

std::string LetterValue(char letter, const MacroValues& values) {
  switch (letter) {
    case 's':
      return values.sender;
    case 'l':
      return values.local_part;
    case 'o':
      return values.sender_domain;
    case 'd':
      return values.domain;
    case 'i':
      return values.ip.DottedForm();
    case 'p':
      return values.validated_name;
    case 'h':
      return values.helo;
    case 'v':
      return values.ip.is_ip6() ? "ip6" : "in-addr";
    case 'c':
      return values.ip.ToString();
    case 'r':
      return values.receiver;
    case 't':
      return absl::StrCat(values.timestamp);
  }
  return "";
}

std::string Transform(const MacroPart& part, absl::string_view value) {
  const absl::string_view delimiters =
      part.delimiters.empty() ? absl::string_view(".") : part.delimiters;
  std::vector<absl::string_view> pieces =
      absl::StrSplit(value, absl::ByAnyChar(delimiters));
  if (part.reverse) std::reverse(pieces.begin(), pieces.end());
  if (part.keep_parts > 0 &&
      static_cast<size_t>(part.keep_parts) < pieces.size()) {
    pieces.erase(pieces.begin(), pieces.end() - part.keep_parts);
  }
  return absl::StrJoin(pieces, ".");
}

}  // namespace

bool MacroString::UsesLetter(char letter) const {
  for (const MacroPart& part : parts) {
    if (part.kind == MacroPart::Kind::kMacro && part.letter == letter) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<MacroString> ParseMacroString(absl::string_view text,
                                             MacroSyntax syntax) {
  MacroString result;
  std::string literal;
  auto flush = [&]() {
    if (literal.empty()) return;
    MacroPart part;
    part.literal = std::move(literal);
    literal.clear();
    result.parts.push_back(std::move(part));
  };
  size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c != '%') {
      const unsigned char u = static_cast<unsigned char>(c);
      const bool allowed = (u >= 0x21 && u <= 0x7e) ||
                           (c == ' ' && syntax == MacroSyntax::kExplanation);
      if (!allowed) {
        return MacroError(text, pos,
                          u > 0x7e ? "not 7-bit ASCII" : "invalid character");
      }
      literal += c;
      result.ends_with_macro_expand = false;
      ++pos;
      continue;
    }
    if (pos + 1 >= text.size()) {
      return MacroError(text, pos, "'%' at the end");
    }
    const char next = text[pos + 1];
    if (next == '%' || next == '_' || next == '-') {
      literal += next == '%' ? "%" : next == '_' ? " " : "%20";
      result.ends_with_macro_expand = true;
      pos += 2;
      continue;
    }
    if (next != '{') {
      return MacroError(text, pos,
                        "'%' must be followed by '{', '%', '_' or '-'");
    }
    const size_t start = pos;
    pos += 2;
    if (pos >= text.size())
      return MacroError(text, start, "unterminated macro");
    MacroPart part;
    part.kind = MacroPart::Kind::kMacro;
    const char letter = text[pos];
    part.letter = absl::ascii_tolower(letter);
    part.url_escape = absl::ascii_isupper(letter);
    if (kDomainLetters.find(part.letter) == absl::string_view::npos) {
      if (kExplanationOnlyLetters.find(part.letter) ==
          absl::string_view::npos) {
        return MacroError(
            text, pos,
            absl::StrCat("unknown macro letter '",
                         absl::CHexEscape(text.substr(pos, 1)), "'"));
      }
      if (syntax != MacroSyntax::kExplanation) {
        return MacroError(text, pos,
                          absl::StrCat("macro letter '", text.substr(pos, 1),
                                       "' is only allowed in explanations"));
      }
    }
    ++pos;
    bool has_digits = false;
    int keep = 0;
    while (pos < text.size() && absl::ascii_isdigit(text[pos])) {
      has_digits = true;
      keep = std::min(kMaxKeepParts, keep * 10 + (text[pos] - '0'));
      ++pos;
    }
    if (has_digits && keep == 0) {
      return MacroError(text, start, "the digit transformer must not be 0");
    }
    part.keep_parts = keep;
    if (pos < text.size() && (text[pos] == 'r' || text[pos] == 'R')) {
      part.reverse = true;
      ++pos;
    }
    while (pos < text.size() &&
           kDelimiters.find(text[pos]) != absl::string_view::npos) {
      part.delimiters += text[pos];
      ++pos;
    }
    if (pos >= text.size())
      return MacroError(text, start, "unterminated macro");
    if (text[pos] != '}') {
      return MacroError(text, pos, "invalid character in macro");
    }
    ++pos;
    flush();
    result.parts.push_back(std::move(part));
    result.ends_with_macro_expand = true;
  }
  flush();
  return result;
}

std::string ExpandMacroString(const MacroString& macro,
                              const MacroValues& values) {
  std::string out;
  for (const MacroPart& part : macro.parts) {
    if (part.kind == MacroPart::Kind::kLiteral) {
      out += part.literal;
      continue;
    }
    std::string value = Transform(part, LetterValue(part.letter, values));
    out += part.url_escape ? UrlEscape(value) : value;
  }
  return out;
}

absl::StatusOr<std::string> ExpandMacroText(absl::string_view text,
                                            MacroSyntax syntax,
                                            const MacroValues& values) {
  absl::StatusOr<MacroString> macro = ParseMacroString(text, syntax);
  if (!macro.ok()) return macro.status();
  return ExpandMacroString(*macro, values);
}

}  // namespace mxscan::checks::spf
