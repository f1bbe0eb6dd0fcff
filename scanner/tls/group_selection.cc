#include "scanner/tls/group_selection.h"

#include <openssl/curve25519.h>
#include <openssl/rand.h>

#include <cstdint>

#include "scanner/tls/tls_codepoints.h"

namespace mxscan::tls {
namespace {

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  RAND_bytes(reinterpret_cast<uint8_t*>(out.data()), n);
  return out;
}

// ML-KEM-768 encapsulation key (FIPS 203): ByteEncode12 of the vector t
// (3 polynomials of 256 coefficients, 384 bytes each), then the 32-byte
// seed rho.
std::string WellFormedMlKem768Key() {
  return std::string(3 * 384, '\0') + RandomBytes(32);
}

}  // namespace

ClientHelloSpec PostQuantumSelectionHello(const std::string& server_name) {
  ClientHelloSpec spec;
  spec.server_name = server_name;
  spec.versions = {kTls13, kTls12};
  spec.cipher_suites = {
      0x1301, 0x1302, 0x1303,          // TLS 1.3 AES-GCM and ChaCha20
      0xc02b, 0xc02f, 0xc02c, 0xc030,  // ECDHE with AES-GCM
      0xcca9, 0xcca8,                  // ECDHE with ChaCha20-Poly1305
      0xc013, 0xc014, 0x009c, 0x009d,  // older servers: CBC, plain RSA
  };
  spec.groups = {kGroupX25519MlKem768, kGroupX25519Kyber768Draft00,
                 kGroupX25519, kGroupSecp256r1, kGroupSecp384r1};
  uint8_t x25519_public[32];
  uint8_t x25519_private[32];
  X25519_keypair(x25519_public, x25519_private);
  const std::string x25519(reinterpret_cast<const char*>(x25519_public), 32);
  // X25519MLKEM768's client share is the ML-KEM key, then the X25519 share
  // (draft-ietf-tls-ecdhe-mlkem section 4.1).
  spec.key_shares = {{kGroupX25519MlKem768, WellFormedMlKem768Key() + x25519},
                     {kGroupX25519, x25519}};
  spec.signature_algorithms = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805,
                               0x0501, 0x0806, 0x0601, 0x0807, 0x0201};
  spec.random = RandomBytes(32);
  spec.session_id = RandomBytes(32);
  return spec;
}

}  // namespace mxscan::tls
