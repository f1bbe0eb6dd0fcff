// Fuzz target: what a scan reads from files it is given, which may come
// from anywhere (a registry's export, a spreadsheet): the lines of the
// domain list (scanner/scan/domain_input: CSV, IDN to A-labels) and the
// operator's --blocklist (scanner/scan/blocklist: networks and domains);
// then the record a line starts (domain, sector, organization, the input
// error) through MakeStringsValidUtf8 and a proto3 round trip, as the scan
// writes it.
// Checks beyond "no crash":
//  - a domain that normalises is a lowercase A-label DNS name of at most
//    253 characters, and normalising it again changes nothing;
//  - a line that does not still gets a domain (at most 255 bytes) and an
//    error;
//  - the record always serialises and parses back (valid UTF-8);
//  - a blocklist contains each of its own addresses, its domains and
//    their subdomains.

#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "proto/mxscan.pb.h"
#include "scanner/results/valid_utf8.h"
#include "scanner/scan/blocklist.h"
#include "scanner/scan/domain_input.h"

namespace {

using namespace mxscan::scan;  // NOLINT: a fuzz target's brevity
using mxscan::results::MakeStringsValidUtf8;

void Require(bool condition) {
  if (!condition) std::abort();
}

void CheckNormalized(const std::string& domain) {
  Require(!domain.empty() && domain.size() <= 253);
  Require(domain.front() != '.' && domain.back() != '.');
  for (char c : domain) {
    Require(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-' ||
            c == '.' || c == '_');
  }
  for (absl::string_view label : absl::StrSplit(domain, '.')) {
    Require(!label.empty() && label.size() <= 63);
  }
  const absl::StatusOr<std::string> again = NormalizeDomain(domain);
  Require(again.ok() && *again == domain);
}

void CheckLine(absl::string_view line) {
  const std::optional<DomainInput> input = ParseDomainLine(line);
  if (!input.has_value()) return;
  if (input->error.ok()) {
    CheckNormalized(input->domain);
  } else {
    Require(input->domain.size() <= 255);
    Require(!input->error.message().empty());
  }
  // The record as DomainScan starts it.
  mxscan::DomainResult result;
  result.set_domain(input->domain);
  result.set_sector(input->sector);
  result.set_organization(input->organization);
  if (!input->error.ok()) {
    result.set_status(mxscan::DomainResult::ERROR);
    mxscan::Error* error = result.add_errors();
    error->set_stage(mxscan::INPUT);
    error->set_message(std::string(input->error.message()));
  }
  MakeStringsValidUtf8(&result);
  std::string wire;
  Require(result.SerializeToString(&wire));
  mxscan::DomainResult back;
  Require(back.ParseFromString(wire));
  Require(back.domain().empty() == input->domain.empty());
}

void CheckBlocklist(absl::string_view text) {
  const absl::StatusOr<Blocklist> list = Blocklist::Parse(text);
  if (!list.ok()) return;
  size_t lines = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = line.substr(0, line.find('#'));
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    ++lines;
    const std::string head(line.substr(0, line.find('/')));
    uint8_t bytes[16];
    if (head.find('\0') == std::string::npos &&
        (inet_pton(AF_INET, head.c_str(), bytes) == 1 ||
         inet_pton(AF_INET6, head.c_str(), bytes) == 1)) {
      Require(list->Contains(head));
      continue;
    }
    // Else a domain that opted out, with its subdomains.
    const absl::StatusOr<std::string> domain = NormalizeDomain(line);
    Require(domain.ok());
    Require(list->ContainsDomain(*domain));
    Require(list->ContainsDomain("mx1." + *domain));
  }
  Require(list->size() <= lines);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::ConsumeSuffix(&line, "\r");
    CheckLine(line);
  }
  const std::vector<std::string> fields = SplitCsvLine(text);
  Require(!fields.empty());
  CheckBlocklist(text);
  return 0;
}
