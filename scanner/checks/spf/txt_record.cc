#include "scanner/checks/spf/txt_record.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "scanner/dns/rdata.h"

namespace mxscan::checks::spf {

std::vector<std::string> SpfRecords(const std::vector<std::string>& txt) {
  std::vector<std::string> out;
  for (const std::string& record : txt) {
    if (IsSpfRecord(record)) out.push_back(record);
  }
  return out;
}

SpfTxt ReadSpfTxt(const std::vector<std::string>& txt) {
  SpfTxt read;
  for (const std::string& text : txt) {
    std::optional<SpfLookalike> lookalike = FindSpfLookalike(text);
    if (!lookalike.has_value()) continue;
    read.lookalikes.push_back(
        absl::StrCat(dns::PrintableOctets(text), ": ", lookalike->why,
                     lookalike->meant.empty() ? "" : " (meant: ",
                     dns::PrintableOctets(lookalike->meant),
                     lookalike->meant.empty() ? "" : ")"));
  }
  const std::vector<std::string> records = SpfRecords(txt);
  for (const std::string& record : records) {
    read.records.push_back(dns::PrintableOctets(record));
  }
  if (records.size() == 1) {
    absl::StatusOr<Record> record = ParseRecord(records.front());
    if (record.ok()) {
      read.record = *std::move(record);
    } else {
      read.parse_error = std::string(record.status().message());
    }
  }
  return read;
}

}  // namespace mxscan::checks::spf
