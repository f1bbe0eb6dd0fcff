#include "scanner/checks/dkim/result.h"

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "scanner/checks/dkim/key_record.h"
#include "scanner/checks/dkim/public_key.h"
#include "scanner/checks/mta_sts/utf8.h"

namespace mxscan::checks::dkim {

void FillDkimKey(absl::string_view selector, absl::string_view record,
                 DkimKey* key) {
  DkimKeyRecord parsed = ParseDkimKeyRecord(record);
  key->set_selector(std::string(selector));
  key->set_record(mta_sts::TextForProto(record));
  key->set_key_type(parsed.key_type);
  key->set_revoked(parsed.revoked);
  key->set_testing(parsed.testing);

  // The key bytes are judged only when the record around them is sound.
  if (parsed.valid() && !parsed.public_key.empty()) {
    absl::StatusOr<PublicKeyInfo> info =
        AnalyzePublicKey(parsed.key_type, parsed.public_key);
    if (!info.ok()) {
      parsed.errors.push_back(std::string(info.status().message()));
    } else {
      key->set_key_bits(info->bits);
      if (info->bare_rsa_public_key) {
        parsed.warnings.push_back(
            "p= is a bare RSAPublicKey, not a SubjectPublicKeyInfo; some "
            "verifiers reject it");
      }
      if (parsed.key_type == "rsa" && info->bits < kMinRsaBits) {
        parsed.warnings.push_back(
            absl::StrCat("weak key: RSA ", info->bits,
                         " bits; RFC 8301 requires at least ", kMinRsaBits));
      }
    }
  }
  key->set_valid(parsed.valid());
  for (const std::string& e : parsed.errors) key->add_errors(e);
  for (const std::string& w : parsed.warnings) {
    key->add_errors(absl::StrCat("warning: ", w));
  }
}

}  // namespace mxscan::checks::dkim
