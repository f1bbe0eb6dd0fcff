#include "scanner/checks/dkim/tag_list.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace mxscan::checks::dkim {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

absl::string_view Trim(absl::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// tag-name = ALPHA *ALNUMPUNC, ALNUMPUNC = ALPHA / DIGIT / "_"
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

// tag-value: words of VALCHAR (%x21-3A / %x3C-7E) separated by whitespace.
bool IsTagValue(absl::string_view value) {
  for (const char c : value) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (IsSpace(c)) continue;
    if (u < 0x21 || u > 0x7e || u == ';') return false;
  }
  return true;
}

}  // namespace

const Tag* TagList::FindTag(absl::string_view name) const {
  for (const Tag& tag : tags) {
    if (tag.name == name) return &tag;
  }
  return nullptr;
}

TagList ParseTagList(absl::string_view text) {
  TagList out;
  absl::flat_hash_set<std::string> names;
  const std::vector<absl::string_view> specs = absl::StrSplit(text, ';');
  for (size_t i = 0; i < specs.size(); ++i) {
    const absl::string_view spec = Trim(specs[i]);
    if (spec.empty()) {
      // Only the text after a final ";" may be empty.
      if (i + 1 < specs.size() || specs.size() == 1) {
        if (specs.size() == 1) {
          out.errors.push_back("empty record");
        } else {
          out.warnings.push_back("empty tag-spec (\";;\" or a leading \";\")");
        }
      }
      continue;
    }
    const size_t eq = spec.find('=');
    if (eq == absl::string_view::npos) {
      out.errors.push_back(
          absl::StrCat("tag-spec ", QuoteForMessage(spec), " has no \"=\""));
      continue;
    }
    const absl::string_view name = Trim(spec.substr(0, eq));
    const absl::string_view value = Trim(spec.substr(eq + 1));
    if (!IsTagName(name)) {
      out.errors.push_back(
          absl::StrCat("invalid tag name ", QuoteForMessage(name),
                       " (a letter, then letters, digits or \"_\")"));
      continue;
    }
    if (!IsTagValue(value)) {
      out.errors.push_back(absl::StrCat(
          "tag ", name, "= has a character outside printable ASCII: ",
          QuoteForMessage(value)));
      continue;
    }
    if (!names.insert(std::string(name)).second) {
      out.errors.push_back(
          absl::StrCat("tag ", name, "= appears more than once"));
      continue;
    }
    out.tags.push_back({std::string(name), std::string(value)});
  }
  return out;
}

}  // namespace mxscan::checks::dkim
