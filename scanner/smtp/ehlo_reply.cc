#include "scanner/smtp/ehlo_reply.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace mxscan::smtp {
namespace {

// Words puts the words of a line in `words` (reused from line to line, so
// that a reply costs no allocation per line); SP and HT both separate,
// runs of them count as one.
void Words(absl::string_view line, std::vector<absl::string_view>* words) {
  words->clear();
  size_t start = 0;
  while (start < line.size()) {
    const size_t end = std::min(line.find_first_of(" \t", start), line.size());
    if (end > start) words->push_back(line.substr(start, end - start));
    start = end + 1;
  }
}

bool IsKeyword(absl::string_view word) {
  if (word.empty() || !absl::ascii_isalnum(word[0])) return false;
  for (char c : word) {
    if (!absl::ascii_isalnum(c) && c != '-') return false;
  }
  return true;
}

bool IsParam(absl::string_view word) {
  for (char c : word) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126) return false;
  }
  return true;
}

}  // namespace

std::string EhloExtension::ToString() const {
  if (params.empty()) return keyword;
  return keyword + " " + absl::StrJoin(params, " ");
}

const EhloExtension* EhloReply::Find(absl::string_view keyword) const {
  for (const EhloExtension& e : extensions) {
    if (absl::EqualsIgnoreCase(e.keyword, keyword)) return &e;
  }
  return nullptr;
}

std::optional<uint64_t> EhloReply::MaxSize() const {
  const EhloExtension* size = Find("SIZE");
  if (size == nullptr) return std::nullopt;
  if (size->params.empty()) return 0;
  uint64_t value = 0;
  const std::string& p = size->params[0];
  // SimpleAtoi accepts a sign and spaces; RFC 1870 wants 1*DIGIT.
  if (!absl::ascii_isdigit(p[0]) || !absl::SimpleAtoi(p, &value)) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string> EhloReply::ExtensionStrings() const {
  std::vector<std::string> out;
  out.reserve(extensions.size());
  for (const EhloExtension& e : extensions) out.push_back(e.ToString());
  return out;
}

EhloReply ParseEhloReply(const Reply& reply) {
  EhloReply out;
  if (reply.lines.empty()) return out;
  const absl::string_view first =
      absl::StripLeadingAsciiWhitespace(absl::string_view(reply.lines[0]));
  const size_t space = first.find_first_of(" \t");
  out.domain = std::string(first.substr(0, space));
  if (space != absl::string_view::npos) {
    out.greeting =
        std::string(absl::StripLeadingAsciiWhitespace(first.substr(space)));
  }
  out.extensions.reserve(reply.lines.size() - 1);
  std::vector<absl::string_view> words;
  for (size_t i = 1; i < reply.lines.size(); ++i) {
    Words(reply.lines[i], &words);
    if (words.empty()) {
      out.malformed_lines.push_back(reply.lines[i]);
      continue;
    }
    EhloExtension e;
    e.keyword = absl::AsciiStrToUpper(words[0]);
    bool well_formed = IsKeyword(words[0]);
    for (size_t w = 1; w < words.size(); ++w) {
      e.params.emplace_back(words[w]);
      well_formed = well_formed && IsParam(words[w]);
    }
    if (!well_formed) out.malformed_lines.push_back(reply.lines[i]);
    out.extensions.push_back(std::move(e));
  }
  return out;
}

}  // namespace mxscan::smtp
