#include "scanner/checks/tls_rpt/result.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "scanner/checks/mta_sts/utf8.h"
#include "scanner/checks/tls_rpt/record.h"

namespace mxscan::checks::tls_rpt {

void FillTlsRptResult(absl::string_view record, TlsRptResult* result) {
  const TlsRptRecord parsed = ParseTlsRptRecord(record);
  result->set_present(true);
  result->set_record(mta_sts::TextForProto(record));
  for (const std::string& uri : parsed.rua) result->add_rua(uri);
  result->set_valid(parsed.valid());
  for (const std::string& e : parsed.errors) result->add_errors(e);
  for (const std::string& w : parsed.warnings) result->add_warnings(w);
}

void FillTlsRptResultFromTxt(absl::Span<const std::string> txt_records,
                             TlsRptResult* result) {
  std::vector<const std::string*> candidates;
  for (const std::string& txt : txt_records) {
    if (IsTlsRptCandidate(txt)) candidates.push_back(&txt);
  }
  if (candidates.empty()) return;
  FillTlsRptResult(*candidates.front(), result);
  if (candidates.size() > 1) {
    result->set_valid(false);
    result->add_errors(absl::StrCat(
        candidates.size(),
        " v=TLSRPTv1 TXT records; senders assume no TLS-RPT unless there "
        "is exactly one"));
  }
}

}  // namespace mxscan::checks::tls_rpt
