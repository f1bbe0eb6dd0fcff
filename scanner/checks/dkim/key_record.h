#ifndef MXSCAN_SCANNER_CHECKS_DKIM_KEY_RECORD_H_
#define MXSCAN_SCANNER_CHECKS_DKIM_KEY_RECORD_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace mxscan::checks::dkim {

// DkimKeyRecord is a parsed DKIM key record (RFC 6376 section 3.6.1, RFC
// 8463 for ed25519). The key bytes are decoded here but judged elsewhere
// (public_key.h), so this parser needs no crypto library.
struct DkimKeyRecord {
  std::string key_type = "rsa";  // k=, "rsa" when absent
  // h=, s= and t= as listed (colon-separated lists); empty when absent.
  std::vector<std::string> hash_algorithms;
  std::vector<std::string> service_types;
  std::vector<std::string> flags;
  bool testing = false;    // t=y
  bool strict = false;     // t=s: i= must not be a subdomain of d=
  bool has_key = false;    // p= present
  bool revoked = false;    // p= present and empty
  std::string public_key;  // p= decoded from base64 (DER or raw bytes)
  // Anything that makes the record unusable for verifying email.
  std::vector<std::string> errors;
  std::vector<std::string> warnings;

  bool valid() const { return errors.empty(); }
};

// ParseDkimKeyRecord parses the TXT record at <selector>._domainkey.<domain>
// (strings concatenated). Rules: the RFC 6376 tag-list (ParseTagList in
// scanner/checks/tag_list.h: duplicate tags invalidate the record); v= optional
// but, when present, first and "DKIM1"; k= "rsa" or "ed25519"; h= must leave a
// hash RFC 8301 allows (sha256); s= should include "email" or "*"; t= flags y
// and s; p= required, base64 with whitespace allowed, empty meaning revoked;
// unknown tags and unknown list items are ignored as the RFC requires. Never
// fails.
DkimKeyRecord ParseDkimKeyRecord(absl::string_view record);

}  // namespace mxscan::checks::dkim

#endif  // MXSCAN_SCANNER_CHECKS_DKIM_KEY_RECORD_H_
