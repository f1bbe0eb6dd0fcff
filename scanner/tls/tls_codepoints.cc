#include "scanner/tls/tls_codepoints.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mxscan::tls {

std::string GroupName(uint16_t group) {
  switch (group) {
    case kGroupSecp256r1:
      return "P-256";
    case kGroupSecp384r1:
      return "P-384";
    case kGroupSecp521r1:
      return "P-521";
    case kGroupX25519:
      return "X25519";
    case kGroupX448:
      return "X448";
    case kGroupFfdhe2048:
      return "ffdhe2048";
    case kGroupFfdhe3072:
      return "ffdhe3072";
    case kGroupFfdhe4096:
      return "ffdhe4096";
    case kGroupX25519MlKem768:
      return "X25519MLKEM768";
    case kGroupX25519Kyber768Draft00:
      return "X25519Kyber768Draft00";
  }
  return absl::StrFormat("0x%04x", group);
}

bool IsPostQuantumHybrid(uint16_t group) {
  return group == kGroupX25519MlKem768 || group == kGroupX25519Kyber768Draft00;
}

std::string VersionName(uint16_t version) {
  switch (version) {
    case kTls10:
      return "TLSv1";
    case kTls11:
      return "TLSv1.1";
    case kTls12:
      return "TLSv1.2";
    case kTls13:
      return "TLSv1.3";
  }
  return absl::StrFormat("0x%04x", version);
}

std::string AlertName(uint8_t description) {
  switch (description) {
    case 0:
      return "close_notify";
    case 10:
      return "unexpected_message";
    case 40:
      return "handshake_failure";
    case 47:
      return "illegal_parameter";
    case 50:
      return "decode_error";
    case 70:
      return "protocol_version";
    case 71:
      return "insufficient_security";
    case 80:
      return "internal_error";
    case 109:
      return "missing_extension";
    case 110:
      return "unsupported_extension";
    case 112:
      return "unrecognized_name";
  }
  return absl::StrCat("alert ", description);
}

}  // namespace mxscan::tls
