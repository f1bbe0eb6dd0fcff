#include "scanner/checks/dkim/public_key.h"

#include <openssl/bytestring.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mxscan::checks::dkim {
namespace {

constexpr size_t kEd25519KeyBytes = 32;

CBS CbsOver(absl::string_view bytes) {
  CBS cbs;
  CBS_init(&cbs, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return cbs;
}

// Parses `key` as one complete SubjectPublicKeyInfo, or returns null.
bssl::UniquePtr<EVP_PKEY> ParseSpki(absl::string_view key) {
  CBS cbs = CbsOver(key);
  bssl::UniquePtr<EVP_PKEY> pkey(EVP_parse_public_key(&cbs));
  ERR_clear_error();
  if (pkey == nullptr || CBS_len(&cbs) != 0) return nullptr;
  return pkey;
}

const char* KeyTypeName(int id) {
  switch (id) {
    case EVP_PKEY_RSA:
      return "RSA";
    case EVP_PKEY_EC:
      return "EC";
    case EVP_PKEY_ED25519:
      return "Ed25519";
    default:
      return "non-RSA";
  }
}

absl::StatusOr<PublicKeyInfo> AnalyzeRsa(absl::string_view key) {
  PublicKeyInfo info;
  if (bssl::UniquePtr<EVP_PKEY> pkey = ParseSpki(key)) {
    if (EVP_PKEY_id(pkey.get()) != EVP_PKEY_RSA) {
      return absl::InvalidArgumentError(
          absl::StrCat("p= holds an ", KeyTypeName(EVP_PKEY_id(pkey.get())),
                       " key but k= says rsa"));
    }
    info.bits = static_cast<uint32_t>(EVP_PKEY_bits(pkey.get()));
    return info;
  }
  CBS cbs = CbsOver(key);
  bssl::UniquePtr<RSA> rsa(RSA_parse_public_key(&cbs));
  ERR_clear_error();
  if (rsa != nullptr && CBS_len(&cbs) == 0) {
    info.bits = RSA_bits(rsa.get());
    info.bare_rsa_public_key = true;
    return info;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "p= (", key.size(),
      " bytes) does not parse as a DER SubjectPublicKeyInfo RSA key"));
}

absl::StatusOr<PublicKeyInfo> AnalyzeEd25519(absl::string_view key) {
  if (key.size() == kEd25519KeyBytes) {
    PublicKeyInfo info;
    info.bits = 256;
    return info;
  }
  if (bssl::UniquePtr<EVP_PKEY> pkey = ParseSpki(key);
      pkey != nullptr && EVP_PKEY_id(pkey.get()) == EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError(
        "p= is an Ed25519 SubjectPublicKeyInfo; RFC 8463 wants the raw "
        "32-byte key");
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "p= is ", key.size(), " bytes; an Ed25519 key is 32 (RFC 8463)"));
}

}  // namespace

absl::StatusOr<PublicKeyInfo> AnalyzePublicKey(absl::string_view key_type,
                                               absl::string_view key) {
  if (key_type == "rsa") return AnalyzeRsa(key);
  if (key_type == "ed25519") return AnalyzeEd25519(key);
  return absl::InvalidArgumentError(
      absl::StrCat("cannot judge a key of type ", key_type));
}

}  // namespace mxscan::checks::dkim
