#ifndef MXSCAN_SCANNER_CHECKS_DMARC_RESULT_FIELDS_H_
#define MXSCAN_SCANNER_CHECKS_DMARC_RESULT_FIELDS_H_

#include "proto/mxscan.pb.h"
#include "scanner/checks/dmarc/record.h"

namespace mxscan::checks::dmarc {

// FillRecordFields copies what a parsed record says into `result`: the
// tags p/sp/np as written (lowercase, "" when absent or invalid); adkim,
// aspf, fo, psd, t as they apply (defaults included; psd/t left "" under
// RFC 7489 unless written); pct as it applies under RFC 7489 (0 under
// RFC 9989, which removed it); rua/ruf as the valid URIs written (without
// "!size"). Leaves policy, errors and the discovery fields alone.
void FillRecordFields(const DmarcParse& parse, DmarcProfile profile,
                      mxscan::DmarcResult* result);

}  // namespace mxscan::checks::dmarc

#endif  // MXSCAN_SCANNER_CHECKS_DMARC_RESULT_FIELDS_H_
