#ifndef MXSCAN_SCANNER_CHECKS_TLS_RPT_RESULT_H_
#define MXSCAN_SCANNER_CHECKS_TLS_RPT_RESULT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "proto/mxscan.pb.h"

namespace mxscan::checks::tls_rpt {

// FillTlsRptResult records one _smtp._tls TXT record in `result`: present,
// record, rua (the well-formed URIs), valid (no errors), errors and
// warnings. `result` is borrowed; repeated fields are appended to.
void FillTlsRptResult(absl::string_view record, TlsRptResult* result);

// FillTlsRptResultFromTxt applies RFC 8460 section 3 to all TXT records
// found at _smtp._tls: non-TLS-RPT records are dropped; none left leaves
// `result` untouched (present false); more than one is an error (senders
// then assume no TLS-RPT, so valid is false) and the first is recorded.
void FillTlsRptResultFromTxt(absl::Span<const std::string> txt_records,
                             TlsRptResult* result);

}  // namespace mxscan::checks::tls_rpt

#endif  // MXSCAN_SCANNER_CHECKS_TLS_RPT_RESULT_H_
