#include "scanner/checks/bimi/result.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "scanner/checks/bimi/record.h"
#include "scanner/checks/mta_sts/utf8.h"

namespace mxscan::checks::bimi {
namespace {

// A BIMI record starts "v" *WSP "=" *WSP "BIMI1" (leading folding
// whitespace allowed by the tag-list syntax).
bool IsBimiCandidate(absl::string_view txt) {
  txt = absl::StripLeadingAsciiWhitespace(txt);
  if (!absl::ConsumePrefix(&txt, "v")) return false;
  txt = absl::StripLeadingAsciiWhitespace(txt);
  if (!absl::ConsumePrefix(&txt, "=")) return false;
  txt = absl::StripLeadingAsciiWhitespace(txt);
  return absl::StartsWith(txt, "BIMI1");
}

}  // namespace

void FillBimiResult(absl::string_view record, BimiResult* result) {
  const BimiRecord parsed = ParseBimiRecord(record);
  result->set_present(true);
  result->set_record(mta_sts::TextForProto(record));
  if (!parsed.locations.empty()) result->set_location(parsed.locations[0]);
  result->set_authority(parsed.authority);
  result->set_valid(parsed.valid());
  for (const std::string& e : parsed.errors) result->add_errors(e);
  for (const std::string& w : parsed.warnings) {
    result->add_errors(absl::StrCat("warning: ", w));
  }
}

void FillBimiResultFromTxt(absl::Span<const std::string> txt_records,
                           BimiResult* result) {
  std::vector<const std::string*> candidates;
  for (const std::string& txt : txt_records) {
    if (IsBimiCandidate(txt)) candidates.push_back(&txt);
  }
  if (candidates.empty()) return;
  FillBimiResult(*candidates.front(), result);
  if (candidates.size() > 1) {
    result->set_valid(false);
    result->add_errors(absl::StrCat(candidates.size(),
                                    " v=BIMI1 TXT records; receivers use "
                                    "none unless there is exactly one"));
  }
}

}  // namespace mxscan::checks::bimi
