#include "scanner/checks/org_domain/public_suffix_list.h"

#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "scanner/checks/org_domain/punycode.h"

namespace mxscan::checks::org_domain {
namespace {

// Normalize lowercases `domain` and drops one trailing dot; "" when it is
// not a name of non-empty labels.
std::string Normalize(absl::string_view domain) {
  absl::ConsumeSuffix(&domain, ".");
  if (domain.empty()) return "";
  std::string out = absl::AsciiStrToLower(domain);
  if (out.front() == '.' || out.back() == '.' ||
      out.find("..") != std::string::npos) {
    return "";
  }
  return out;
}

}  // namespace

absl::StatusOr<PublicSuffixList> PublicSuffixList::Load(absl::string_view path,
                                                        Options options) {
  std::ifstream in{std::string(path), std::ios::binary};
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot open ", path));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return absl::DataLossError(absl::StrCat("cannot read ", path));
  }
  return FromString(buffer.str(), options);
}

absl::StatusOr<PublicSuffixList> PublicSuffixList::FromString(
    absl::string_view text, Options options) {
  // First pass: the rules as (name, bit); the arena is sized afterwards so
  // that the index can point into it.
  std::vector<std::pair<std::string, uint8_t>> rules;
  bool in_private = false;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (absl::StartsWith(line, "//")) {
      if (absl::StrContains(line, "===BEGIN PRIVATE DOMAINS===")) {
        in_private = true;
      } else if (absl::StrContains(line, "===END PRIVATE DOMAINS===")) {
        in_private = false;
      }
      continue;
    }
    // A rule is the first whitespace-delimited word of its line.
    line = line.substr(0, line.find_first_of(" \t"));
    if (line.empty() || (in_private && !options.include_private)) continue;

    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat(
          "public suffix list line ", line_number, ": ", why, ": ", line));
    };
    uint8_t bit = kPlain;
    if (absl::ConsumePrefix(&line, "!")) {
      bit = kException;
    } else if (absl::ConsumePrefix(&line, "*.")) {
      bit = kWildcard;
    }
    if (line.empty() || absl::StrContains(line, "*") ||
        absl::StrContains(line, "!")) {
      return bad("unsupported rule");
    }
    absl::StatusOr<std::string> name = DomainToALabels(line);
    if (!name.ok()) return bad(name.status().message());
    if (Normalize(*name) != *name) return bad("empty label");
    if (bit == kException && !absl::StrContains(*name, '.')) {
      return bad("exception rule of one label");
    }
    rules.emplace_back(*std::move(name), bit);
  }
  if (rules.empty()) {
    return absl::InvalidArgumentError("public suffix list has no rules");
  }

  PublicSuffixList list;
  size_t arena_size = 0;
  for (const auto& rule : rules) arena_size += rule.first.size();
  list.arena_ = std::make_unique<char[]>(arena_size);
  list.index_.reserve(rules.size());
  size_t used = 0;
  for (const auto& [name, bit] : rules) {
    auto it = list.index_.find(name);
    if (it == list.index_.end()) {
      std::memcpy(list.arena_.get() + used, name.data(), name.size());
      it = list.index_
               .emplace(
                   absl::string_view(list.arena_.get() + used, name.size()), 0)
               .first;
      used += name.size();
    }
    if ((it->second & bit) == 0) ++list.rule_count_;
    it->second |= bit;
  }
  return list;
}

uint8_t PublicSuffixList::Bits(absl::string_view suffix) const {
  auto it = index_.find(suffix);
  return it == index_.end() ? 0 : it->second;
}

std::string PublicSuffixList::PublicSuffix(absl::string_view domain) const {
  const std::string name = Normalize(domain);
  if (name.empty()) return "";
  // starts[i] is where the suffix of (labels - i) labels begins.
  std::vector<size_t> starts = {0};
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '.') starts.push_back(i + 1);
  }
  const size_t labels = starts.size();
  size_t best = 1;  // the implicit "*" rule
  for (size_t i = 0; i < labels; ++i) {
    const uint8_t bits = Bits(absl::string_view(name).substr(starts[i]));
    if (bits & kException) {
      // The exception names a registrable domain: its parent is the suffix.
      return name.substr(starts[i + 1]);
    }
    if (bits & kPlain) best = std::max(best, labels - i);
    if ((bits & kWildcard) && i > 0) best = std::max(best, labels - i + 1);
  }
  return name.substr(starts[labels - best]);
}

std::string PublicSuffixList::OrganizationalDomain(
    absl::string_view domain) const {
  const std::string name = Normalize(domain);
  const std::string suffix = PublicSuffix(name);
  if (suffix.empty() || suffix.size() == name.size()) return suffix;
  // One more label to the left of the suffix.
  const size_t suffix_start = name.size() - suffix.size();  // after a '.'
  const size_t dot = name.rfind('.', suffix_start - 2);
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

}  // namespace mxscan::checks::org_domain
