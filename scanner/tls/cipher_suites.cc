#include "scanner/tls/cipher_suites.h"

#include "scanner/tls/tls_codepoints.h"

namespace mxscan::tls {
namespace {

constexpr TlsClass kG = TlsClass::kGood;
constexpr TlsClass kS = TlsClass::kSufficient;
constexpr TlsClass kP = TlsClass::kPhaseOut;
constexpr TlsClass kI = TlsClass::kInsufficient;

}  // namespace

const char* TlsClassName(TlsClass c) {
  switch (c) {
    case TlsClass::kGood:
      return "good";
    case TlsClass::kSufficient:
      return "sufficient";
    case TlsClass::kPhaseOut:
      return "phase-out";
    case TlsClass::kInsufficient:
      return "insufficient";
  }
  return "";
}

TlsClass Worse(TlsClass a, TlsClass b) {
  return static_cast<int>(a) > static_cast<int>(b) ? a : b;
}

const std::vector<CipherSuite>& CensusCipherSuites() {
  static const std::vector<CipherSuite>* const kSuites =
      new std::vector<CipherSuite>{
          {0x1302, "TLS_AES_256_GCM_SHA384", kTls13, kG},
          {0x1303, "TLS_CHACHA20_POLY1305_SHA256", kTls13, kG},
          {0x1301, "TLS_AES_128_GCM_SHA256", kTls13, kG},
          {0x1304, "TLS_AES_128_CCM_SHA256", kTls13, kS},
          {0x1305, "TLS_AES_128_CCM_8_SHA256", kTls13, kP},
          {0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", kTls12, kG},
          {0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", kTls12, kG},
          {0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", kTls12, kG},
          {0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", kTls12, kG},
          {0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", kTls12, kG},
          {0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", kTls12, kG},
          {0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", kTls12, kS},
          {0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", kTls12, kS},
          {0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", kTls12, kS},
          {0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", kTls12, kS},
          {0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", kTls12, kS},
          {0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", kTls12, kS},
          {0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", kTls12, kS},
          {0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", kTls12, kS},
          {0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", kTls12, kS},
          {0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", kTls12, kS},
          {0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", kTls12, kS},
          {0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", kTls12, kS},
          {0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", kTls12, kS},
          {0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", kTls12, kS},
          {0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", kTls12, kS},
          {0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", kTls12, kP},
          {0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", kTls12, kP},
          {0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", kTls12, kP},
          {0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", kTls12, kP},
          {0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", kTls12, kP},
          {0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256", kTls12, kP},
          {0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", kTls12, kP},
          {0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", kTls12, kP},
          {0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", kTls12, kP},
          {0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", kTls12, kP},
          {0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA", kTls12, kI},
          {0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", kTls12, kI},
          {0x0005, "TLS_RSA_WITH_RC4_128_SHA", kTls12, kI},
          {0x0004, "TLS_RSA_WITH_RC4_128_MD5", kTls12, kI},
          {0x0009, "TLS_RSA_WITH_DES_CBC_SHA", kTls12, kI},
          {0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", kTls12, kI},
          {0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", kTls12, kI},
          {0x0002, "TLS_RSA_WITH_NULL_SHA", kTls12, kI},
      };
  return *kSuites;
}

const CipherSuite* FindCipherSuite(uint16_t code) {
  for (const CipherSuite& s : CensusCipherSuites()) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

const std::vector<GroupInfo>& CensusGroups() {
  static const std::vector<GroupInfo>* const kGroups =
      new std::vector<GroupInfo>{
          {kGroupX25519MlKem768, kG}, {kGroupX25519Kyber768Draft00, kG},
          {kGroupX25519, kG},         {kGroupX448, kG},
          {kGroupSecp256r1, kG},      {kGroupSecp384r1, kG},
          {kGroupSecp521r1, kG},      {kGroupFfdhe4096, kS},
          {kGroupFfdhe3072, kS},      {kGroupFfdhe2048, kP},
      };
  return *kGroups;
}

TlsClass GroupClass(uint16_t code) {
  for (const GroupInfo& g : CensusGroups()) {
    if (g.code == code) return g.klass;
  }
  return TlsClass::kInsufficient;
}

TlsClass VersionClass(const std::string& version) {
  if (version == "TLSv1.3") return kG;
  if (version == "TLSv1.2") return kS;
  if (version == "TLSv1.1" || version == "TLSv1") return kP;
  return kI;
}

}  // namespace mxscan::tls
