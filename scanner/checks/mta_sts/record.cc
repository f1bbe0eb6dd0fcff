#include "scanner/checks/mta_sts/record.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "scanner/checks/mta_sts/txt_fields.h"
#include "scanner/checks/quote.h"
#include "scanner/checks/tag_list.h"

namespace mxscan::checks::mta_sts {
namespace {

constexpr absl::string_view kVersion = "v=STSv1";

// sts-id = 1*32(ALPHA / DIGIT)
bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (const char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

MtaStsRecord ParseMtaStsRecord(absl::string_view record) {
  MtaStsRecord out;
  TxtFields split = SplitTxtFields(record, kVersion);
  out.errors = std::move(split.errors);
  out.warnings = std::move(split.warnings);
  if (!split.version_ok) return out;

  bool have_id = false;
  for (const TagSpec& field : split.fields) {
    if (field.name == "id") {
      if (field.repeated) {
        // Two ids leave no way to tell which policy instance is meant.
        out.errors.push_back("id= appears more than once");
        continue;
      }
      have_id = true;
      if (IsValidId(field.value)) {
        out.id = field.value;
      } else {
        out.errors.push_back(
            absl::StrCat("id=", QuoteForMessage(field.value),
                         " is not 1 to 32 letters and digits"));
      }
      continue;
    }
    CheckExtensionField(field, "id", &out.extensions, &out.errors,
                        &out.warnings);
  }
  if (!have_id) out.errors.push_back("missing id= field");
  return out;
}

bool IsMtaStsCandidate(absl::string_view txt) {
  if (!absl::ConsumePrefix(&txt, kVersion)) return false;
  return txt.empty() || txt.front() == ';' || txt.front() == ' ' ||
         txt.front() == '\t';
}

}  // namespace mxscan::checks::mta_sts
