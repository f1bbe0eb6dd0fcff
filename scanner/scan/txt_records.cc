#include "scanner/scan/txt_records.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::scan {

std::vector<std::string> TxtRecords(const dns::LookupResult& result) {
  std::vector<std::string> texts;
  if (result.status != dns::LookupStatus::kNoError) return texts;
  for (const dns::Answer& a : result.answers) {
    if (a.type == dns::rr_type::kTxt) texts.push_back(a.data);
  }
  return texts;
}

std::vector<std::string> TxtRecordsWithPrefix(const dns::LookupResult& result,
                                              absl::string_view version) {
  std::vector<std::string> out;
  for (std::string& text : TxtRecords(result)) {
    absl::string_view t = absl::StripLeadingAsciiWhitespace(text);
    if (!absl::StartsWithIgnoreCase(t, version)) continue;
    if (t.size() > version.size() && t[version.size()] != ' ' &&
        t[version.size()] != ';' && t[version.size()] != '\t') {
      continue;
    }
    out.push_back(std::move(text));
  }
  return out;
}

bool LooksLikeDkimKey(absl::string_view text) {
  absl::string_view t = absl::StripLeadingAsciiWhitespace(text);
  if (absl::StartsWithIgnoreCase(t, "v=DKIM1")) return true;
  for (absl::string_view tag : absl::StrSplit(t, ';')) {
    tag = absl::StripAsciiWhitespace(tag);
    if (absl::StartsWith(tag, "p=") || absl::StartsWith(tag, "p =")) return true;
  }
  return false;
}

}  // namespace mxscan::scan
