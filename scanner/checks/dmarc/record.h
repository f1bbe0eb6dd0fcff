#ifndef MXSCAN_SCANNER_CHECKS_DMARC_RECORD_H_
#define MXSCAN_SCANNER_CHECKS_DMARC_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "scanner/checks/dmarc/report_uri.h"

namespace mxscan::checks::dmarc {

// The rules a DMARC record is judged by. RFC 9989 (May 2026) obsoletes
// RFC 7489; the older rules stay available because receivers still apply
// them and a sector report may want yesterday's yardstick.
enum class DmarcProfile {
  kRfc9989,  // np/psd/t; pct/rf/ri removed; p anywhere; "!size" obsolete
  kRfc7489,  // pct/rf/ri; p must follow v; np/psd/t unknown
};
// "rfc9989" or "rfc7489", as mxscan.DmarcResult.profile spells it.
const char* DmarcProfileName(DmarcProfile profile);

enum class DmarcPolicy { kNone, kQuarantine, kReject };
const char* DmarcPolicyName(DmarcPolicy policy);  // "none", ...

enum class DmarcAlignment { kRelaxed, kStrict };
const char* DmarcAlignmentName(DmarcAlignment alignment);  // "r" / "s"

enum class DmarcPsd { kYes, kNo, kUnknown };
const char* DmarcPsdName(DmarcPsd psd);  // "y" / "n" / "u"

// DmarcRecord holds the tags of a record that were present with a valid
// value; a tag that was absent, invalid, or is not part of the profile
// (pct/rf/ri under RFC 9989) is empty here. The accessors give the value
// that applies, defaults included.
struct DmarcRecord {
  std::optional<DmarcPolicy> p;
  std::optional<DmarcPolicy> sp;
  std::optional<DmarcPolicy> np;
  std::optional<DmarcAlignment> adkim;
  std::optional<DmarcAlignment> aspf;
  std::optional<DmarcPsd> psd;
  std::optional<bool> t;
  // Failure reporting options, deduplicated, in the order 0, 1, d, s.
  std::vector<std::string> fo;
  std::vector<ReportUri> rua;  // the valid URIs, in record order
  std::vector<ReportUri> ruf;
  bool has_rua_tag = false;  // present, even if no URI in it was valid
  bool has_ruf_tag = false;
  // RFC 7489 only.
  std::optional<uint32_t> pct;
  // The pct tag's valid value under either profile: RFC 9989 ignores it,
  // receivers that follow RFC 7489 do not.
  std::optional<uint32_t> pct_tag;
  std::optional<uint32_t> ri;
  std::vector<std::string> rf;  // lowercase report formats

  DmarcAlignment Adkim() const {
    return adkim.value_or(DmarcAlignment::kRelaxed);
  }
  DmarcAlignment Aspf() const {
    return aspf.value_or(DmarcAlignment::kRelaxed);
  }
  DmarcPsd Psd() const { return psd.value_or(DmarcPsd::kUnknown); }
  bool Testing() const { return t.value_or(false); }
  std::vector<std::string> Fo() const {
    return fo.empty() ? std::vector<std::string>{"0"} : fo;
  }
  uint32_t Pct() const { return pct.value_or(100); }
  uint32_t Ri() const { return ri.value_or(86400); }
  std::vector<std::string> Rf() const {
    return rf.empty() ? std::vector<std::string>{"afrf"} : rf;
  }
};

// DmarcParse is what ParseDmarcRecord makes of one TXT record.
struct DmarcParse {
  // The text starts with a v=DMARC1 tag. When false the text is not a DMARC
  // Policy Record at all (receivers discard it) and nothing else is filled
  // in but `errors`.
  bool is_dmarc = false;
  DmarcRecord record;
  // The policies a receiver applies after the fallback rules (RFC 9989
  // section 4.10.1, RFC 7489 section 6.6.3): a record without a valid p (or
  // with an invalid sp/np) counts as p=none when rua holds a valid URI, and
  // as no DMARC processing at all (nullopt) otherwise.
  std::optional<DmarcPolicy> policy;              // the domain itself
  std::optional<DmarcPolicy> subdomain_policy;    // existing subdomains
  std::optional<DmarcPolicy> nonexistent_policy;  // NXDOMAIN subdomains
  std::vector<std::string> errors;    // broken: the record is not valid
  std::vector<std::string> warnings;  // legal but worth a look

  bool valid() const { return is_dmarc && errors.empty(); }
};

// ParseDmarcRecord parses a DMARC Policy Record (the TXT text at
// _dmarc.<domain>, character-strings joined) under `profile`. Never fails:
// every problem is a message in `errors` (the record is not valid: bad
// values, duplicate tags, a missing p without rua, ...) or `warnings`
// (unknown or removed tags, obsolete syntax, weak settings). Tag names and
// keyword values are case-insensitive; the v value "DMARC1" is not.
DmarcParse ParseDmarcRecord(absl::string_view text, DmarcProfile profile);

// StartsWithDmarcVersion: the text starts with a v tag of value DMARC1
// ("v" *WSP "=" *WSP "DMARC1", then the end or *WSP ";"), the test receivers
// use to pick DMARC records out of a TXT RRset.
bool StartsWithDmarcVersion(absl::string_view text);

// LooksLikeDmarcRecord: an attempt at one ("v" *WSP "=" *WSP "DMARC",
// without case, after optional white space) that may still fail
// StartsWithDmarcVersion; used to explain why a record was discarded.
bool LooksLikeDmarcRecord(absl::string_view text);

}  // namespace mxscan::checks::dmarc

#endif  // MXSCAN_SCANNER_CHECKS_DMARC_RECORD_H_
