#include "scanner/checks/dkim/key_record.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "scanner/checks/quote.h"
#include "scanner/checks/tag_list.h"

namespace mxscan::checks::dkim {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Splits a colon-separated tag value ("sha1 : sha256") into trimmed items,
// dropping empty ones.
std::vector<std::string> SplitColonList(absl::string_view value) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(value, ':')) {
    while (!item.empty() && IsSpace(item.front())) item.remove_prefix(1);
    while (!item.empty() && IsSpace(item.back())) item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

bool Contains(const std::vector<std::string>& items, absl::string_view x) {
  return std::find(items.begin(), items.end(), x) != items.end();
}

void ParseKeyType(const TagSpec& tag, DkimKeyRecord* out) {
  out->key_type = tag.value;
  if (tag.value == "rsa" || tag.value == "ed25519") return;
  const std::string lower = absl::AsciiStrToLower(tag.value);
  if (lower == "rsa" || lower == "ed25519") {
    out->warnings.push_back(
        absl::StrCat("k=", tag.value, " should be lower case"));
    out->key_type = lower;
    return;
  }
  out->errors.push_back(
      absl::StrCat("unknown key type k=", QuoteForMessage(tag.value)));
}

void ParseHashes(const TagSpec& tag, DkimKeyRecord* out) {
  out->hash_algorithms = SplitColonList(tag.value);
  if (Contains(out->hash_algorithms, "sha256")) {
    if (Contains(out->hash_algorithms, "sha1")) {
      out->warnings.push_back("h= still lists sha1 (RFC 8301 forbids it)");
    }
    return;
  }
  if (Contains(out->hash_algorithms, "sha1")) {
    out->errors.push_back(
        "h= allows only sha1, which RFC 8301 forbids: no signature can "
        "verify");
  } else {
    out->errors.push_back(absl::StrCat("h=", QuoteForMessage(tag.value),
                                       " lists no known hash algorithm"));
  }
}

void ParseServices(const TagSpec& tag, DkimKeyRecord* out) {
  out->service_types = SplitColonList(tag.value);
  if (!Contains(out->service_types, "email") &&
      !Contains(out->service_types, "*")) {
    out->warnings.push_back(
        absl::StrCat("s=", QuoteForMessage(tag.value),
                     " does not include email or *: the key is not for email"));
  }
}

void ParseFlags(const TagSpec& tag, DkimKeyRecord* out) {
  out->flags = SplitColonList(tag.value);
  out->testing = Contains(out->flags, "y");
  out->strict = Contains(out->flags, "s");
}

void ParseKey(const TagSpec& tag, DkimKeyRecord* out) {
  out->has_key = true;
  std::string compact;
  compact.reserve(tag.value.size());
  for (const char c : tag.value) {
    if (!IsSpace(c)) compact.push_back(c);
  }
  if (compact.empty()) {
    out->revoked = true;
    return;
  }
  // base64string: the base64 alphabet, then at most two "=" at the end.
  const size_t data_end = compact.find_last_not_of('=');
  const bool alphabet_ok =
      data_end != std::string::npos && compact.size() - data_end - 1 <= 2 &&
      std::all_of(compact.begin(), compact.begin() + data_end + 1, [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '+' ||
               c == '/';
      });
  std::string decoded;
  if (!alphabet_ok || !absl::Base64Unescape(compact, &decoded) ||
      decoded.empty()) {
    out->errors.push_back("p= is not valid base64");
    return;
  }
  out->public_key = std::move(decoded);
}

}  // namespace

DkimKeyRecord ParseDkimKeyRecord(absl::string_view record) {
  DkimKeyRecord out;
  TagList list = ParseTagList(record);
  out.errors = std::move(list.errors);
  out.warnings = std::move(list.warnings);

  if (const TagSpec* v = list.FindTag("v"); v != nullptr) {
    if (&list.tags.front() != v) {
      out.errors.push_back("v= must be the first tag");
    }
    if (v->value != "DKIM1") {
      // RFC 6376: records with another version MUST be discarded.
      out.errors.push_back(
          absl::StrCat("v=", QuoteForMessage(v->value), ", expected DKIM1"));
    }
  }
  if (const TagSpec* k = list.FindTag("k")) ParseKeyType(*k, &out);
  if (const TagSpec* h = list.FindTag("h")) ParseHashes(*h, &out);
  if (const TagSpec* s = list.FindTag("s")) ParseServices(*s, &out);
  if (const TagSpec* t = list.FindTag("t")) ParseFlags(*t, &out);
  if (const TagSpec* p = list.FindTag("p")) {
    ParseKey(*p, &out);
  } else {
    out.errors.push_back("missing p= tag");
  }
  return out;
}

}  // namespace mxscan::checks::dkim
