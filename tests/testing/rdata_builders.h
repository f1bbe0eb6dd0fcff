#ifndef MXSCAN_TESTS_TESTING_RDATA_BUILDERS_H_
#define MXSCAN_TESTS_TESTING_RDATA_BUILDERS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/rdata.h"

namespace mxscan::testing {

// Typed RDATA for fakes and tests, written as a zone file would say it.
// Names are made canonical (lowercase, trailing dot). A malformed address
// or hex string aborts the test.

// Txt: one record of one character-string holding `text` as octets.
dns::Rdata Txt(absl::string_view text);
// TxtOf: one record of several character-strings.
dns::Rdata TxtOf(std::vector<std::string> strings);
dns::Rdata Mx(uint16_t preference, absl::string_view exchange);
// Ip: an A or AAAA record's address ("192.0.2.1", "2001:db8::1").
dns::Rdata Ip(absl::string_view address);
// Name: the target of a CNAME, NS or PTR record.
dns::Rdata Name(absl::string_view name);
// Tlsa: usage, selector, matching type and the association data in hex.
dns::Rdata Tlsa(uint8_t usage, uint8_t selector, uint8_t matching_type,
                absl::string_view hex);

// AnswerText: a record's presentation form (rdata_text.h), for
// expectations written as a zone file would show the data.
std::string AnswerText(const dns::Answer& answer);

}  // namespace mxscan::testing

#endif  // MXSCAN_TESTS_TESTING_RDATA_BUILDERS_H_
