#include "scanner/checks/mta_sts/result.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "scanner/checks/mta_sts/mx_pattern.h"
#include "scanner/checks/mta_sts/policy.h"
#include "scanner/checks/mta_sts/record.h"
#include "scanner/checks/mta_sts/utf8.h"

namespace mxscan::checks::mta_sts {
namespace {

void AddPrefixed(absl::string_view prefix,
                 const std::vector<std::string>& messages,
                 google::protobuf::RepeatedPtrField<std::string>* out) {
  for (const std::string& message : messages) {
    out->Add(absl::StrCat(prefix, message));
  }
}

}  // namespace

void FillMtaStsRecord(absl::string_view record, MtaStsResult* result) {
  const MtaStsRecord parsed = ParseMtaStsRecord(record);
  result->set_txt_present(true);
  result->set_record(TextForProto(record));
  result->set_id(parsed.id);
  AddPrefixed("record: ", parsed.errors, result->mutable_errors());
  AddPrefixed("record: ", parsed.warnings, result->mutable_warnings());
}

void FillMtaStsRecordFromTxt(absl::Span<const std::string> txt_records,
                             MtaStsResult* result) {
  std::vector<const std::string*> candidates;
  for (const std::string& txt : txt_records) {
    if (IsMtaStsCandidate(txt)) candidates.push_back(&txt);
  }
  if (candidates.empty()) return;
  FillMtaStsRecord(*candidates.front(), result);
  if (candidates.size() > 1) {
    result->add_errors(absl::StrCat(
        "record: ", candidates.size(),
        " v=STSv1 TXT records; senders assume no MTA-STS unless there is "
        "exactly one"));
  }
}

void FillMtaStsPolicy(absl::string_view body,
                      absl::Span<const std::string> mx_hosts,
                      MtaStsResult* result) {
  const MtaStsPolicy policy = ParseMtaStsPolicy(body);
  result->set_policy_fetched(true);
  AddPrefixed("policy: ", policy.errors, result->mutable_errors());
  AddPrefixed("policy: ", policy.warnings, result->mutable_warnings());
  if (!policy.valid()) return;
  result->set_mode(policy.mode);
  result->set_max_age(policy.max_age);
  for (const std::string& pattern : policy.mx) result->add_mx(pattern);
  for (std::string& host : MxHostsNotCovered(mx_hosts, policy.mx)) {
    result->add_mx_not_covered(std::move(host));
  }
}

}  // namespace mxscan::checks::mta_sts
