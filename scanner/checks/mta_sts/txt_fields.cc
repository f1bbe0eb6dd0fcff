#include "scanner/checks/mta_sts/txt_fields.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace mxscan::checks::mta_sts {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

absl::string_view StripTrailingWsp(absl::string_view s) {
  while (!s.empty() && IsWsp(s.back())) s.remove_suffix(1);
  return s;
}

absl::string_view StripLeadingWsp(absl::string_view s) {
  while (!s.empty() && IsWsp(s.front())) s.remove_prefix(1);
  return s;
}

// Reports the first byte that is neither printable ASCII nor a tab: RFC 8461
// requires US-ASCII, and control bytes in a record are always a mistake.
void CheckBytes(absl::string_view record, std::vector<std::string>* errors) {
  for (size_t i = 0; i < record.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(record[i]);
    if (c == '\t' || (c >= 0x20 && c < 0x7f)) continue;
    errors->push_back(absl::StrCat("byte 0x", absl::Hex(c, absl::kZeroPad2),
                                   " at offset ", i,
                                   " is not printable US-ASCII"));
    return;
  }
}

// Parses one "name=value" field (trailing whitespace already removed).
void ParseField(absl::string_view text, TxtFields* out) {
  const size_t eq = text.find('=');
  if (eq == absl::string_view::npos) {
    out->errors.push_back(
        absl::StrCat("field ", QuoteForMessage(text), " has no \"=\""));
    return;
  }
  absl::string_view name = text.substr(0, eq);
  absl::string_view value = text.substr(eq + 1);
  if (!name.empty() && IsWsp(name.back())) {
    out->errors.push_back(absl::StrCat("whitespace before \"=\" in field ",
                                       QuoteForMessage(text)));
    name = StripTrailingWsp(name);
  }
  if (!value.empty() && IsWsp(value.front())) {
    out->errors.push_back(absl::StrCat("whitespace after \"=\" in field ",
                                       QuoteForMessage(text)));
    value = StripLeadingWsp(value);
  }
  if (!IsTxtExtName(name)) {
    out->errors.push_back(
        absl::StrCat("invalid field name ", QuoteForMessage(name),
                     " (1 to 32 letters, digits, \"_\", \"-\", \".\", "
                     "starting with a letter or digit)"));
    return;
  }
  out->fields.push_back({std::string(name), std::string(value)});
}

}  // namespace

TxtFields SplitTxtFields(absl::string_view record, absl::string_view version) {
  TxtFields out;
  CheckBytes(record, &out.errors);

  absl::string_view rest = record;
  const bool version_matches =
      absl::ConsumePrefix(&rest, version) &&
      (rest.empty() || rest.front() == ';' || IsWsp(rest.front()));
  if (!version_matches) {
    if (absl::StartsWith(record, "v=")) {
      absl::string_view found = record;
      const size_t end = found.find_first_of("; \t");
      if (end != absl::string_view::npos) found = found.substr(0, end);
      out.errors.push_back(absl::StrCat("version field is ",
                                        QuoteForMessage(found), ", expected ",
                                        QuoteForMessage(version)));
    } else {
      out.errors.push_back(absl::StrCat("record does not begin with ",
                                        QuoteForMessage(version)));
    }
    return out;
  }
  out.version_ok = true;

  bool first_delimiter = true;
  size_t i = 0;
  while (true) {
    const size_t space_start = i;
    while (i < rest.size() && IsWsp(rest[i])) ++i;
    if (i == rest.size()) {
      if (i > space_start)
        out.warnings.push_back("whitespace at the end of the record");
      break;
    }
    if (rest[i] != ';') {
      // Only reachable right after the version: fields end at ";" or at the
      // end of the record.
      out.errors.push_back(absl::StrCat("expected \";\" before ",
                                        QuoteForMessage(rest.substr(i))));
      break;
    }
    if (first_delimiter && i > space_start) {
      // Senders that see several TXT records keep only those beginning with
      // the literal "v=...;" (RFC 8461 section 3.1, RFC 8460 section 3).
      out.warnings.push_back(
          absl::StrCat("whitespace between ", QuoteForMessage(version),
                       " and \";\": with several TXT records, senders may "
                       "discard this one"));
    }
    first_delimiter = false;
    ++i;  // the ";"
    const size_t after_delimiter = i;
    while (i < rest.size() && IsWsp(rest[i])) ++i;
    if (i == rest.size()) {
      if (i > after_delimiter)
        out.warnings.push_back("whitespace at the end of the record");
      break;  // a final ";" is allowed
    }
    if (rest[i] == ';') {
      out.errors.push_back("empty field (\";;\")");
      continue;
    }
    size_t end = rest.find(';', i);
    if (end == absl::string_view::npos) end = rest.size();
    const absl::string_view field = StripTrailingWsp(rest.substr(i, end - i));
    ParseField(field, &out);
    i += field.size();  // trailing whitespace is part of the delimiter
  }
  return out;
}

bool IsTxtExtName(absl::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  if (!absl::ascii_isalnum(static_cast<unsigned char>(name[0]))) return false;
  for (const char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

bool IsTxtExtValue(absl::string_view value) {
  if (value.empty()) return false;
  for (const char c : value) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7e || u == ';' || u == '=') return false;
  }
  return true;
}

void CheckExtensionField(
    const TxtField& field, absl::string_view known_name,
    absl::flat_hash_set<std::string>* seen,
    std::vector<std::pair<std::string, std::string>>* extensions,
    std::vector<std::string>* errors, std::vector<std::string>* warnings) {
  if (field.name == "v") {
    errors->push_back("v= appears again after the first field");
    return;
  }
  if (!IsTxtExtValue(field.value)) {
    errors->push_back(absl::StrCat(
        "extension ", field.name, "= has ",
        field.value.empty()
            ? "an empty value"
            : absl::StrCat("an invalid value ", QuoteForMessage(field.value),
                           " (printable ASCII without space, \";\" and "
                           "\"=\")")));
    return;
  }
  if (absl::EqualsIgnoreCase(field.name, known_name) ||
      absl::EqualsIgnoreCase(field.name, "v")) {
    warnings->push_back(
        absl::StrCat("field ", field.name,
                     "= is an extension: field names are case-sensitive"));
  }
  if (!seen->insert(field.name).second) {
    warnings->push_back(
        absl::StrCat("extension ", field.name, "= appears more than once"));
  }
  extensions->emplace_back(field.name, field.value);
}

}  // namespace mxscan::checks::mta_sts
