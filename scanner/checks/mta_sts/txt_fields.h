#ifndef MXSCAN_SCANNER_CHECKS_MTA_STS_TXT_FIELDS_H_
#define MXSCAN_SCANNER_CHECKS_MTA_STS_TXT_FIELDS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "scanner/checks/tag_list.h"

namespace mxscan::checks::mta_sts {

// TxtFields is a TXT record cut into fields, with what was wrong with it.
struct TxtFields {
  // The record began with the expected version field. When false nothing
  // after it was looked at and `errors` says why.
  bool version_ok = false;
  // The well-formed "name=value" fields after the version, record order.
  // Values are as written (callers check them against their grammar), with
  // whitespace inside kept (a TLS-RPT rua list has some). `repeated` marks
  // a name an earlier field has.
  std::vector<TagSpec> fields;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
};

// SplitTxtFields cuts an MTA-STS (RFC 8461 section 3.1) or TLS-RPT (RFC 8460
// section 3) TXT record, which share one syntax, with the checks' tag-list
// lexer (tag_list.h): the version field (`version`, e.g. "v=STSv1") first
// and exact, then "name=value" fields separated by ";" with optional
// whitespace (SP, HTAB) around it and an optional final ";". Names must
// match IsTxtExtName; no whitespace is allowed around "="; every byte must
// be printable US-ASCII or HTAB. Never fails: every deviation becomes an
// error or, where the RFCs' own examples and common senders tolerate it
// (whitespace at the end of the record, or before the first ";"), a
// warning. A field with no "=" or a bad name is left out of `fields`.
TxtFields SplitTxtFields(absl::string_view record, absl::string_view version);

// IsTxtExtName: (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."), the
// field-name grammar of both RFCs.
bool IsTxtExtName(absl::string_view name);

// IsTxtExtValue: 1*(%x21-3A / %x3C / %x3E-7E), printable ASCII without
// space, ";" and "=" (sts-ext-value, tlsrpt-ext-value).
bool IsTxtExtValue(absl::string_view value);

// CheckExtensionField judges a field after the record's own fields (v= and
// `known_name`) have been handled (RFC 8461 3.1 / RFC 8460 3): a repeated
// v= or an invalid value is an error; a known name in other case and a
// repeated extension are warnings. Valid extensions are appended to
// `extensions`.
void CheckExtensionField(
    const TagSpec& field, absl::string_view known_name,
    std::vector<std::pair<std::string, std::string>>* extensions,
    std::vector<std::string>* errors, std::vector<std::string>* warnings);

}  // namespace mxscan::checks::mta_sts

#endif  // MXSCAN_SCANNER_CHECKS_MTA_STS_TXT_FIELDS_H_
