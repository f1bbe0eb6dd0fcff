#include "tests/testing/rdata_builders.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "scanner/dns/rdata_text.h"

namespace mxscan::testing {
namespace {

std::string Canonical(absl::string_view name) {
  std::string out = absl::AsciiStrToLower(name);
  if (!absl::EndsWith(out, ".")) out.push_back('.');
  return out;
}

[[noreturn]] void Abort(absl::string_view why) {
  std::cerr << "rdata_builders: " << why << "\n";
  std::abort();
}

}  // namespace

dns::Rdata Txt(absl::string_view text) {
  return dns::TxtData{{std::string(text)}};
}

dns::Rdata TxtOf(std::vector<std::string> strings) {
  return dns::TxtData{std::move(strings)};
}

dns::Rdata Mx(uint16_t preference, absl::string_view exchange) {
  return dns::MxData{preference, Canonical(exchange)};
}

dns::Rdata Ip(absl::string_view address) {
  absl::StatusOr<dns::AddressData> data = dns::AddressFromText(address);
  if (!data.ok()) Abort(data.status().message());
  return *data;
}

dns::Rdata Name(absl::string_view name) {
  return dns::NameData{Canonical(name)};
}

dns::Rdata Tlsa(uint8_t usage, uint8_t selector, uint8_t matching_type,
                absl::string_view hex) {
  if (hex.size() % 2 != 0 ||
      !std::all_of(hex.begin(), hex.end(), absl::ascii_isxdigit)) {
    Abort(absl::StrCat("not hex: ", hex));
  }
  return dns::TlsaData{usage, selector, matching_type,
                       absl::HexStringToBytes(hex)};
}

std::string AnswerText(const dns::Answer& answer) {
  absl::StatusOr<std::string> text = dns::RdataText(answer.type, answer.rdata);
  if (!text.ok()) Abort(text.status().message());
  return *std::move(text);
}

}  // namespace mxscan::testing
