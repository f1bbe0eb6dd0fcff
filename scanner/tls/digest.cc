#include "scanner/tls/digest.h"

#include <openssl/sha.h>

#include <cstdint>

#include "absl/strings/escaping.h"

namespace mxscan::tls {
namespace {

const uint8_t* Bytes(absl::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

}  // namespace

std::string Sha256(absl::string_view bytes) {
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256(Bytes(bytes), bytes.size(), reinterpret_cast<uint8_t*>(&digest[0]));
  return digest;
}

std::string Sha512(absl::string_view bytes) {
  std::string digest(SHA512_DIGEST_LENGTH, '\0');
  SHA512(Bytes(bytes), bytes.size(), reinterpret_cast<uint8_t*>(&digest[0]));
  return digest;
}

std::string Sha256Hex(absl::string_view bytes) {
  return absl::BytesToHexString(Sha256(bytes));
}

std::string ChainDigest(absl::Span<const std::string> chain_der) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  for (const std::string& der : chain_der) {
    uint8_t length[8];
    uint64_t n = der.size();
    for (int i = 7; i >= 0; --i) {
      length[i] = static_cast<uint8_t>(n & 0xFF);
      n >>= 8;
    }
    SHA256_Update(&ctx, length, sizeof(length));
    SHA256_Update(&ctx, der.data(), der.size());
  }
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256_Final(reinterpret_cast<uint8_t*>(&digest[0]), &ctx);
  return digest;
}

}  // namespace mxscan::tls
