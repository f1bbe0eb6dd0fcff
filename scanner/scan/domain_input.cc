#include "scanner/scan/domain_input.h"

#include <idn2.h>

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "scanner/dns/name.h"

namespace mxscan::scan {

absl::StatusOr<std::string> NormalizeDomain(absl::string_view raw) {
  absl::string_view name = absl::StripAsciiWhitespace(raw);
  absl::ConsumeSuffix(&name, ".");
  if (name.empty()) return absl::InvalidArgumentError("empty domain name");
  if (name.size() > 1024) {
    return absl::InvalidArgumentError("domain name longer than 1024 bytes");
  }
  std::string ascii;
  const bool is_ascii = std::all_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80;
  });
  if (is_ascii) {
    ascii = absl::AsciiStrToLower(name);
  } else {
    char* converted = nullptr;
    const std::string input(name);
    const int rc = idn2_to_ascii_8z(input.c_str(), &converted,
                                    IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    if (rc != IDN2_OK) {
      return absl::InvalidArgumentError(
          absl::StrCat("not a valid internationalised domain name: ",
                       idn2_strerror(rc)));
    }
    ascii = absl::AsciiStrToLower(converted);
    idn2_free(converted);
  }
  for (char c : ascii) {
    if (!(absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_')) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid character '", absl::CHexEscape(std::string(1, c)),
          "' in domain name"));
    }
  }
  if (ascii.size() > 253) {
    return absl::InvalidArgumentError("domain name longer than 253 characters");
  }
  absl::StatusOr<std::string> canonical = dns::NormalizeName(ascii);
  if (!canonical.ok()) return canonical.status();
  return ascii;
}

std::vector<std::string> SplitCsvLine(absl::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back().push_back(c);
    }
  }
  return fields;
}

std::optional<DomainInput> ParseDomainLine(absl::string_view line) {
  absl::string_view trimmed = absl::StripAsciiWhitespace(line);
  if (trimmed.empty() || trimmed[0] == '#') return std::nullopt;
  std::vector<std::string> fields = SplitCsvLine(trimmed);
  absl::string_view first = absl::StripAsciiWhitespace(fields[0]);
  if (absl::EqualsIgnoreCase(first, "domain") ||
      absl::EqualsIgnoreCase(first, "domain name")) {
    return std::nullopt;  // a header
  }
  DomainInput input;
  if (fields.size() > 1) {
    input.sector = std::string(absl::StripAsciiWhitespace(fields[1]));
  }
  if (fields.size() > 2) {
    input.organization = std::string(absl::StripAsciiWhitespace(fields[2]));
  }
  absl::StatusOr<std::string> domain = NormalizeDomain(first);
  if (domain.ok()) {
    input.domain = *std::move(domain);
  } else {
    input.domain = std::string(first.substr(0, 255));
    input.error = domain.status();
  }
  return input;
}

}  // namespace mxscan::scan
