#ifndef MXSCAN_SCANNER_TLS_CLIENT_HELLO_H_
#define MXSCAN_SCANNER_TLS_CLIENT_HELLO_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mxscan::tls {

// A ClientHello written by mxscan itself, for probes that only need the
// server's first answer (which group or suite it selects) and offer what
// the packaged BoringSSL cannot compute (the ML-KEM hybrid groups). Pure.

struct ClientHelloSpec {
  std::string server_name;  // SNI; none when empty
  // supported_versions, most preferred first (TLS 1.3 and 1.2 offer
  // {kTls13, kTls12}); the legacy version field says TLS 1.2.
  std::vector<uint16_t> versions;
  std::vector<uint16_t> cipher_suites;
  std::vector<uint16_t> groups;  // supported_groups, preference order
  // key_share entries (group, key_exchange), in order.
  std::vector<std::pair<uint16_t, std::string>> key_shares;
  std::vector<uint16_t> signature_algorithms;
  std::string random;      // 32 bytes
  std::string session_id;  // empty, or 32 bytes (middlebox compatibility)
};

// BuildClientHello: one TLS record holding the ClientHello of `spec`
// (RFC 8446 section 4.1.2; extensions server_name, supported_groups,
// ec_point_formats, signature_algorithms, extended_master_secret,
// renegotiation_info, supported_versions, key_share).
std::string BuildClientHello(const ClientHelloSpec& spec);

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_CLIENT_HELLO_H_
