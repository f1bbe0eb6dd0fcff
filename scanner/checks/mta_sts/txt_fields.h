#ifndef MXSCAN_SCANNER_CHECKS_MTA_STS_TXT_FIELDS_H_
#define MXSCAN_SCANNER_CHECKS_MTA_STS_TXT_FIELDS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "scanner/checks/quote.h"

namespace mxscan::checks::mta_sts {

// One "name=value" field of a TXT record, after the version field.
struct TxtField {
  std::string name;
  std::string value;  // as written: callers check it against their grammar
};

// TxtFields is a TXT record cut into fields, with what was wrong with it.
struct TxtFields {
  // The record began with the expected version field. When false nothing
  // after it was looked at and `errors` says why.
  bool version_ok = false;
  std::vector<TxtField> fields;  // record order, the version excluded
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
};

// SplitTxtFields cuts an MTA-STS (RFC 8461 section 3.1) or TLS-RPT (RFC 8460
// section 3) TXT record, which share one syntax: the version field (`version`,
// e.g. "v=STSv1") first, then "name=value" fields separated by ";" with
// optional whitespace around it and an optional final ";". Names must match
// the shared ext-name grammar; no whitespace is allowed around "=". Values are
// returned unchecked, with whitespace inside kept (a TLS-RPT rua list has
// some). Never fails: every deviation becomes an error or, where the RFCs'
// own examples and common senders tolerate it (whitespace at the end of the
// record, or before the first ";"), a warning.
TxtFields SplitTxtFields(absl::string_view record, absl::string_view version);

// IsTxtExtName: (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."), the
// field-name grammar of both RFCs.
bool IsTxtExtName(absl::string_view name);

// IsTxtExtValue: 1*(%x21-3A / %x3C / %x3E-7E), printable ASCII without
// space, ";" and "=" (sts-ext-value, tlsrpt-ext-value).
bool IsTxtExtValue(absl::string_view value);

// Messages quote records with the checks' one QuoteForMessage.
using ::mxscan::checks::QuoteForMessage;

// CheckExtensionField judges a field after the record's own fields (v= and
// `known_name`) have been handled (RFC 8461 3.1 / RFC 8460 3): a repeated
// v= or an invalid value is an error; a known name in other case and a
// repeated extension are warnings. Valid extensions are appended to
// `extensions`; `seen` remembers their names across calls.
void CheckExtensionField(
    const TxtField& field, absl::string_view known_name,
    absl::flat_hash_set<std::string>* seen,
    std::vector<std::pair<std::string, std::string>>* extensions,
    std::vector<std::string>* errors, std::vector<std::string>* warnings);

}  // namespace mxscan::checks::mta_sts

#endif  // MXSCAN_SCANNER_CHECKS_MTA_STS_TXT_FIELDS_H_
