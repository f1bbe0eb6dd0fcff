#include "scanner/scan/txt_records.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace mxscan::scan {

std::vector<std::string> TxtRecordsWithPrefix(const dns::LookupResult& result,
                                              absl::string_view version) {
  std::vector<std::string> out;
  for (std::string& text : dns::TxtRecords(result)) {
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
