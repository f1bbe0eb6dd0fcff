#ifndef MXSCAN_SCANNER_TLS_TLS_CODEPOINTS_H_
#define MXSCAN_SCANNER_TLS_TLS_CODEPOINTS_H_

#include <cstdint>
#include <string>

namespace mxscan::tls {

// Code points of the IANA TLS registries that mxscan writes or reads on
// the wire itself (client_hello.h, server_hello.h).

// Protocol versions.
inline constexpr uint16_t kTls10 = 0x0301;
inline constexpr uint16_t kTls11 = 0x0302;
inline constexpr uint16_t kTls12 = 0x0303;
inline constexpr uint16_t kTls13 = 0x0304;

// Supported groups (RFC 8446 section 4.2.7, RFC 7919; the hybrid
// post-quantum groups of draft-ietf-tls-ecdhe-mlkem and, before it,
// draft-tls-westerbaan-xyber768d00).
inline constexpr uint16_t kGroupSecp256r1 = 0x0017;
inline constexpr uint16_t kGroupSecp384r1 = 0x0018;
inline constexpr uint16_t kGroupSecp521r1 = 0x0019;
inline constexpr uint16_t kGroupX25519 = 0x001d;
inline constexpr uint16_t kGroupX448 = 0x001e;
inline constexpr uint16_t kGroupFfdhe2048 = 0x0100;
inline constexpr uint16_t kGroupFfdhe3072 = 0x0101;
inline constexpr uint16_t kGroupFfdhe4096 = 0x0102;
inline constexpr uint16_t kGroupX25519MlKem768 = 0x11ec;
inline constexpr uint16_t kGroupX25519Kyber768Draft00 = 0x6399;

// The group's name as OpenSSL and BoringSSL print it ("X25519MLKEM768",
// "P-256", ...), or "0x...." for one without a name here.
std::string GroupName(uint16_t group);
// A hybrid post-quantum key exchange (X25519MLKEM768, X25519Kyber768).
bool IsPostQuantumHybrid(uint16_t group);
// "TLSv1.3", "TLSv1.2", ... as the rest of mxscan names versions.
std::string VersionName(uint16_t version);

// Alert descriptions (RFC 8446 section 6): the name, or "alert N".
std::string AlertName(uint8_t description);

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_TLS_CODEPOINTS_H_
