#ifndef MXSCAN_SCANNER_CHECKS_BIMI_RESULT_H_
#define MXSCAN_SCANNER_CHECKS_BIMI_RESULT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "proto/mxscan.pb.h"

namespace mxscan::checks::bimi {

// FillBimiResult records one BIMI assertion record in `result`: present,
// record, location (the first well-formed l= URI; empty for a declination),
// authority (a=), valid and errors. Warnings go into errors too, prefixed
// "warning: ", and do not clear valid (BimiResult has no warnings field).
// `result` is borrowed; repeated fields are appended to.
void FillBimiResult(absl::string_view record, BimiResult* result);

// FillBimiResultFromTxt keeps the TXT records that begin with "v=BIMI1"
// (others are not BIMI records); none left leaves `result` untouched
// (present false); more than one is an error and the first is recorded.
void FillBimiResultFromTxt(absl::Span<const std::string> txt_records,
                           BimiResult* result);

}  // namespace mxscan::checks::bimi

#endif  // MXSCAN_SCANNER_CHECKS_BIMI_RESULT_H_
