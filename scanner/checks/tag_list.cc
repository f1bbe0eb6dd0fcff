#include "scanner/checks/tag_list.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "scanner/checks/quote.h"

namespace mxscan::checks {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

bool IsFws(char c) { return IsWsp(c) || c == '\r' || c == '\n'; }

absl::string_view Trim(absl::string_view s, bool (*is_space)(char)) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Fills `spec` from a non-empty tag-spec, whitespace around it removed.
void LexSpec(absl::string_view text, const TagListSyntax& syntax,
             bool (*is_space)(char), TagSpec* spec) {
  spec->text = std::string(text);
  const size_t eq = text.find('=');
  if (eq == absl::string_view::npos) {
    spec->kind = TagSpec::Kind::kNoEquals;
    return;
  }
  const absl::string_view before = text.substr(0, eq);
  const absl::string_view after = text.substr(eq + 1);
  spec->space_before_equals = !before.empty() && is_space(before.back());
  spec->space_after_equals = !after.empty() && is_space(after.front());
  spec->name = std::string(Trim(before, is_space));
  spec->value = std::string(Trim(after, is_space));
  if (syntax.is_name != nullptr && !syntax.is_name(spec->name)) {
    spec->kind = TagSpec::Kind::kBadName;
  } else if (syntax.is_value != nullptr && !syntax.is_value(spec->value)) {
    spec->kind = TagSpec::Kind::kBadValue;
  }
}

}  // namespace

bool IsTagName(absl::string_view name) {
  if (name.empty() ||
      !absl::ascii_isalpha(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  for (const char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

bool IsTagValue(absl::string_view value) {
  for (const char c : value) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (IsFws(c)) continue;
    if (u < 0x21 || u > 0x7e || u == ';') return false;
  }
  return true;
}

LexedTagList LexTagList(absl::string_view text, const TagListSyntax& syntax) {
  bool (*const is_space)(char) = syntax.cr_lf_are_space ? IsFws : IsWsp;
  LexedTagList out;
  out.trailing_space = !text.empty() && is_space(text.back());
  const std::vector<absl::string_view> pieces = absl::StrSplit(text, ';');
  absl::flat_hash_set<std::string> names;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const absl::string_view piece = Trim(pieces[i], is_space);
    if (piece.empty() && i + 1 == pieces.size()) {
      // After a final ";", or the whole text.
      out.blank = pieces.size() == 1;
      break;
    }
    TagSpec& spec = out.specs.emplace_back();
    if (piece.empty()) {
      spec.kind = TagSpec::Kind::kEmpty;
      continue;
    }
    LexSpec(piece, syntax, is_space, &spec);
    if (spec.kind == TagSpec::Kind::kTag) {
      spec.repeated = !names
                           .insert(syntax.names_ignore_case
                                       ? absl::AsciiStrToLower(spec.name)
                                       : spec.name)
                           .second;
    }
  }
  return out;
}

const TagSpec* TagList::FindTag(absl::string_view name) const {
  for (const TagSpec& tag : tags) {
    if (tag.name == name) return &tag;
  }
  return nullptr;
}

TagList ParseTagList(absl::string_view text) {
  TagList out;
  LexedTagList lexed = LexTagList(text);
  if (lexed.blank) out.errors.push_back("empty record");
  for (TagSpec& spec : lexed.specs) {
    switch (spec.kind) {
      case TagSpec::Kind::kEmpty:
        out.warnings.push_back("empty tag-spec (\";;\" or a leading \";\")");
        break;
      case TagSpec::Kind::kNoEquals:
        out.errors.push_back(absl::StrCat(
            "tag-spec ", QuoteForMessage(spec.text), " has no \"=\""));
        break;
      case TagSpec::Kind::kBadName:
        out.errors.push_back(
            absl::StrCat("invalid tag name ", QuoteForMessage(spec.name),
                         " (a letter, then letters, digits or \"_\")"));
        break;
      case TagSpec::Kind::kBadValue:
        out.errors.push_back(absl::StrCat(
            "tag ", spec.name, "= has a character outside printable ASCII: ",
            QuoteForMessage(spec.value)));
        break;
      case TagSpec::Kind::kTag:
        if (spec.repeated) {
          out.errors.push_back(
              absl::StrCat("tag ", spec.name, "= appears more than once"));
        } else {
          out.tags.push_back(std::move(spec));
        }
        break;
    }
  }
  return out;
}

}  // namespace mxscan::checks
