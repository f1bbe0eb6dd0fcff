#ifndef MXSCAN_SCANNER_CHECKS_BIMI_RECORD_H_
#define MXSCAN_SCANNER_CHECKS_BIMI_RECORD_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace mxscan::checks::bimi {

// BimiRecord is a parsed BIMI assertion record (default._bimi.<domain>;
// draft-brand-indicators-for-message-identification, section 4.3).
struct BimiRecord {
  // l=: the well-formed HTTPS URIs of the SVG indicator, in order. The
  // current draft allows one; earlier drafts a comma-separated list.
  std::vector<std::string> locations;
  // a=: the HTTPS URI of the evidence document (VMC/CMC, PEM); empty when
  // absent, empty or malformed.
  std::string authority;
  // l= and a= both empty: an explicit declination to publish (section
  // 4.3.1), a valid record.
  bool declined = false;
  bool local_part_selectors = false;  // lps=true
  std::string avatar_preference;      // avp=, "brand" or "personal" if set
  // Anything that makes receivers ignore the record.
  std::vector<std::string> errors;
  std::vector<std::string> warnings;

  bool valid() const { return errors.empty(); }
};

// ParseBimiRecord parses one TXT record (strings concatenated). Rules: the
// RFC 6376 tag-list, as DKIM's (ParseTagList in scanner/checks/tag_list.h:
// duplicate tags invalidate); v=BIMI1 first and exact
// (receivers must not fix capitalisation); l= required, empty or HTTPS URIs
// with a fully qualified host, whose path must not end in an image suffix
// other than .svg/.svgz; a= optional, empty or one such HTTPS URI; lps=
// "true" or "false"; avp= "brand" or "personal" (others are ignored, with a
// warning); unknown tags ignored. Never fails.
BimiRecord ParseBimiRecord(absl::string_view record);

}  // namespace mxscan::checks::bimi

#endif  // MXSCAN_SCANNER_CHECKS_BIMI_RECORD_H_
