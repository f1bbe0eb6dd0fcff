#ifndef MXSCAN_SCANNER_CHECKS_DKIM_RESULT_H_
#define MXSCAN_SCANNER_CHECKS_DKIM_RESULT_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"

namespace mxscan::checks::dkim {

// RFC 8301 section 3.2: verifiers MUST NOT accept RSA keys under 1024 bits.
inline constexpr uint32_t kMinRsaBits = 1024;

// FillDkimKey records the key record found for `selector` in `key`:
// selector, record, key_type, revoked, testing, key_bits, valid and errors.
// The key itself is parsed with BoringSSL only when the rest of the record
// has no error (key_bits stays 0 otherwise); a key that does not parse is
// an error. Warnings go into errors too, prefixed "warning: ", and do not
// clear valid (DkimKey has no warnings field); among them "warning: weak
// key" for RSA under kMinRsaBits. A revoked key (empty p=) is valid with
// revoked set. `key` is borrowed; repeated fields are appended to.
void FillDkimKey(absl::string_view selector, absl::string_view record,
                 DkimKey* key);

}  // namespace mxscan::checks::dkim

#endif  // MXSCAN_SCANNER_CHECKS_DKIM_RESULT_H_
