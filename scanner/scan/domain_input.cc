#include "scanner/scan/domain_input.h"

#include <errno.h>
#include <fcntl.h>
#include <idn2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
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
  if (name.find('\0') != absl::string_view::npos) {
    // idn2 would stop at it and convert only what comes before.
    return absl::InvalidArgumentError("NUL byte in domain name");
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
    // A trailing full stop that UTS #46 maps to '.' (U+3002 ...).
    if (!ascii.empty() && ascii.back() == '.') ascii.pop_back();
    if (ascii.empty()) return absl::InvalidArgumentError("empty domain name");
  }
  for (char c : ascii) {
    if (!(absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_')) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid character '", absl::CHexEscape(std::string(1, c)),
          "' in domain name"));
    }
  }
  if (ascii.front() == '.' || ascii.back() == '.') {
    return absl::InvalidArgumentError("empty label in domain name");
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

absl::Status CheckTextInput(const std::string& path) {
  if (path == "-") return absl::OkStatus();
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(
        absl::StrCat("cannot read input ", path, ": ", strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("input ", path, " is a directory"));
  }
  if (!S_ISREG(st.st_mode)) return absl::OkStatus();  // a pipe, a FIFO
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot open input ", path, ": ", strerror(errno)));
  }
  char head[64 << 10];
  const ssize_t n = read(fd, head, sizeof(head));
  close(fd);
  if (n < 0) {
    return absl::DataLossError(
        absl::StrCat("cannot read input ", path, ": ", strerror(errno)));
  }
  const void* nul = memchr(head, '\0', static_cast<size_t>(n));
  if (nul != nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "input ", path, " is not text (a NUL byte at offset ",
        static_cast<const char*>(nul) - head,
        "): expected one domain per line or CSV domain,sector"));
  }
  return absl::OkStatus();
}

}  // namespace mxscan::scan
