#include "scanner/checks/mta_sts/txt_fields.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "scanner/checks/quote.h"

namespace mxscan::checks::mta_sts {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

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

// The tag-list of both RFCs: WSP only, ext-name names, values judged by the
// callers.
constexpr TagListSyntax kTxtSyntax = {/*cr_lf_are_space=*/false,
                                      /*is_name=*/IsTxtExtName,
                                      /*is_value=*/nullptr};

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

  // The version ends at the first ";"; whitespace may come before it.
  const size_t delimiter = rest.find_first_not_of(" \t");
  if (delimiter == absl::string_view::npos) {
    if (!rest.empty()) {
      out.warnings.push_back("whitespace at the end of the record");
    }
    return out;
  }
  if (rest[delimiter] != ';') {
    out.errors.push_back(absl::StrCat("expected \";\" before ",
                                      QuoteForMessage(rest.substr(delimiter))));
    return out;
  }
  if (delimiter > 0) {
    // Senders that see several TXT records keep only those beginning with
    // the literal "v=...;" (RFC 8461 section 3.1, RFC 8460 section 3).
    out.warnings.push_back(
        absl::StrCat("whitespace between ", QuoteForMessage(version),
                     " and \";\": with several TXT records, senders may "
                     "discard this one"));
  }

  LexedTagList lexed = LexTagList(rest.substr(delimiter + 1), kTxtSyntax);
  for (TagSpec& field : lexed.specs) {
    if (field.kind == TagSpec::Kind::kEmpty) {
      out.errors.push_back("empty field (\";;\")");
      continue;
    }
    if (field.kind == TagSpec::Kind::kNoEquals) {
      out.errors.push_back(
          absl::StrCat("field ", QuoteForMessage(field.text), " has no \"=\""));
      continue;
    }
    if (field.space_before_equals) {
      out.errors.push_back(absl::StrCat("whitespace before \"=\" in field ",
                                        QuoteForMessage(field.text)));
    }
    if (field.space_after_equals) {
      out.errors.push_back(absl::StrCat("whitespace after \"=\" in field ",
                                        QuoteForMessage(field.text)));
    }
    if (field.kind != TagSpec::Kind::kTag) {
      out.errors.push_back(
          absl::StrCat("invalid field name ", QuoteForMessage(field.name),
                       " (1 to 32 letters, digits, \"_\", \"-\", \".\", "
                       "starting with a letter or digit)"));
      continue;
    }
    out.fields.push_back(std::move(field));
  }
  if (lexed.trailing_space) {
    out.warnings.push_back("whitespace at the end of the record");
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
    const TagSpec& field, absl::string_view known_name,
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
  if (field.repeated) {
    warnings->push_back(
        absl::StrCat("extension ", field.name, "= appears more than once"));
  }
  extensions->emplace_back(field.name, field.value);
}

}  // namespace mxscan::checks::mta_sts
