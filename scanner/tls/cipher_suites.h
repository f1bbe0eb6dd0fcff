#ifndef MXSCAN_SCANNER_TLS_CIPHER_SUITES_H_
#define MXSCAN_SCANNER_TLS_CIPHER_SUITES_H_

#include <cstdint>
#include <string>
#include <vector>

namespace mxscan::tls {

// The cipher suites and groups the TLS census offers (census.h), each
// classed after the NCSC-NL "IT Security Guidelines for Transport Layer
// Security (TLS)" v2.1 (2021): good, sufficient, phase out, insufficient.
// Pure data.

enum class TlsClass { kGood, kSufficient, kPhaseOut, kInsufficient };
// "good", "sufficient", "phase-out", "insufficient".
const char* TlsClassName(TlsClass c);
// The worse of two classes.
TlsClass Worse(TlsClass a, TlsClass b);

struct CipherSuite {
  uint16_t code;
  const char* name;  // IANA
  uint16_t version;  // kTls13, or kTls12 for every suite of TLS 1.2 and before
  TlsClass klass;
};

// TLS 1.3's suites, then TLS 1.2's (ECDHE, DHE, RSA key exchange; AEAD,
// CBC, 3DES; and RC4, single DES, NULL, export and anonymous ones a server
// should no longer take), each list strongest first.
const std::vector<CipherSuite>& CensusCipherSuites();
// The suite of `code` among them; null for another.
const CipherSuite* FindCipherSuite(uint16_t code);

// Groups: the hybrid post-quantum ones (good: they include X25519), the
// elliptic curves (good), the finite-field groups of RFC 7919 (ffdhe4096
// and ffdhe3072 sufficient, ffdhe2048 phase out).
struct GroupInfo {
  uint16_t code;
  TlsClass klass;
};
const std::vector<GroupInfo>& CensusGroups();
TlsClass GroupClass(uint16_t code);

// TLSv1.3 good, TLSv1.2 sufficient, TLSv1.1 and TLSv1 phase out, anything
// older insufficient (names as tls_version.h has them).
TlsClass VersionClass(const std::string& version);

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_CIPHER_SUITES_H_
