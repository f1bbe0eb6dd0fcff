#include "scanner/checks/spf/txt_record.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "scanner/checks/spf/record.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::checks::spf {

std::string TxtOctets(absl::string_view presentation) {
  std::string out;
  out.reserve(presentation.size());
  size_t i = 0;
  while (i < presentation.size()) {
    if (presentation[i] == '\\' && i + 3 < presentation.size() &&
        absl::ascii_isdigit(presentation[i + 1]) &&
        absl::ascii_isdigit(presentation[i + 2]) &&
        absl::ascii_isdigit(presentation[i + 3])) {
      const int value = (presentation[i + 1] - '0') * 100 +
                        (presentation[i + 2] - '0') * 10 +
                        (presentation[i + 3] - '0');
      if (value < 0x20 || (value > 0x7e && value <= 0xff)) {
        out.push_back(static_cast<char>(value));
        i += 4;
        continue;
      }
    }
    out.push_back(presentation[i]);
    ++i;
  }
  return out;
}

std::vector<std::string> TxtRecords(const dns::LookupResult& result) {
  std::vector<std::string> out;
  for (const dns::Answer& answer : result.answers) {
    if (answer.type == dns::rr_type::kTxt)
      out.push_back(TxtOctets(answer.data));
  }
  return out;
}

std::vector<std::string> SpfRecords(const std::vector<std::string>& txt) {
  std::vector<std::string> out;
  for (const std::string& record : txt) {
    if (IsSpfRecord(record)) out.push_back(record);
  }
  return out;
}

std::string PrintableRecord(absl::string_view octets) {
  std::string out;
  out.reserve(octets.size());
  for (char ch : octets) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(ch);
    } else {
      absl::StrAppend(&out, "\\", c / 100, (c / 10) % 10, c % 10);
    }
  }
  return out;
}

}  // namespace mxscan::checks::spf
