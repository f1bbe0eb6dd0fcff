#ifndef MXSCAN_SCANNER_CHECKS_MTA_STS_UTF8_H_
#define MXSCAN_SCANNER_CHECKS_MTA_STS_UTF8_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace mxscan::checks::mta_sts {

// FirstInvalidUtf8 returns the offset of the first byte of `text` that is
// not part of well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or
// code points above U+10FFFF), or absl::string_view::npos.
size_t FirstInvalidUtf8(absl::string_view text);

// TextForProto returns what a proto3 string field may hold for `text`, a
// record as found in DNS (any octets): `text` itself when it is UTF-8 (a
// field holding anything else makes the whole result file unreadable);
// otherwise its presentation form as `mxscan dns` prints TXT data, octets
// outside printable ASCII written \DDD (decimal).
std::string TextForProto(absl::string_view text);

}  // namespace mxscan::checks::mta_sts

#endif  // MXSCAN_SCANNER_CHECKS_MTA_STS_UTF8_H_
