#include "scanner/tls/client_hello.h"

#include <algorithm>

#include "absl/strings/string_view.h"
#include "scanner/tls/tls_codepoints.h"

namespace mxscan::tls {
namespace {

void Put8(uint8_t v, std::string* out) { out->push_back(static_cast<char>(v)); }
void Put16(uint16_t v, std::string* out) {
  Put8(static_cast<uint8_t>(v >> 8), out);
  Put8(static_cast<uint8_t>(v), out);
}
void Put24(uint32_t v, std::string* out) {
  Put8(static_cast<uint8_t>(v >> 16), out);
  Put16(static_cast<uint16_t>(v), out);
}
// `body` prefixed with its length in 1, 2 or 3 bytes.
void PutVector(int length_bytes, absl::string_view body, std::string* out) {
  if (length_bytes == 1) Put8(static_cast<uint8_t>(body.size()), out);
  if (length_bytes == 2) Put16(static_cast<uint16_t>(body.size()), out);
  if (length_bytes == 3) Put24(static_cast<uint32_t>(body.size()), out);
  out->append(body.data(), body.size());
}
std::string List16(const std::vector<uint16_t>& values) {
  std::string out;
  for (uint16_t v : values) Put16(v, &out);
  return out;
}
void PutExtension(uint16_t type, absl::string_view body, std::string* out) {
  Put16(type, out);
  PutVector(2, body, out);
}

}  // namespace

std::string BuildClientHello(const ClientHelloSpec& spec) {
  std::string extensions;
  if (!spec.server_name.empty()) {
    std::string name;
    Put8(0, &name);  // host_name
    PutVector(2, spec.server_name, &name);
    std::string list;
    PutVector(2, name, &list);
    PutExtension(0, list, &extensions);
  }
  std::string groups;
  PutVector(2, List16(spec.groups), &groups);
  PutExtension(10, groups, &extensions);
  PutExtension(11, std::string("\x01\x00", 2), &extensions);  // uncompressed
  std::string algorithms;
  PutVector(2, List16(spec.signature_algorithms), &algorithms);
  PutExtension(13, algorithms, &extensions);
  PutExtension(23, "", &extensions);                          // EMS
  PutExtension(0xff01, std::string("\x00", 1), &extensions);  // renegotiation
  std::string versions;
  PutVector(1, List16(spec.versions), &versions);
  PutExtension(43, versions, &extensions);
  // TLS 1.3 needs the extension even empty (RFC 8446 section 9.2): an
  // empty one asks the server to name its group in a HelloRetryRequest.
  const bool tls13 = std::find(spec.versions.begin(), spec.versions.end(),
                               kTls13) != spec.versions.end();
  if (tls13 || !spec.key_shares.empty()) {
    std::string shares;
    for (const auto& [group, key] : spec.key_shares) {
      Put16(group, &shares);
      PutVector(2, key, &shares);
    }
    std::string key_share;
    PutVector(2, shares, &key_share);
    PutExtension(51, key_share, &extensions);
  }

  std::string hello;
  Put16(0x0303, &hello);  // legacy_version: TLS 1.2
  hello += spec.random;
  PutVector(1, spec.session_id, &hello);
  PutVector(2, List16(spec.cipher_suites), &hello);
  PutVector(1, std::string("\x00", 1), &hello);  // null compression
  PutVector(2, extensions, &hello);

  std::string handshake;
  Put8(1, &handshake);  // client_hello
  PutVector(3, hello, &handshake);
  std::string record;
  Put8(22, &record);       // handshake
  Put16(0x0301, &record);  // legacy_record_version
  PutVector(2, handshake, &record);
  return record;
}

}  // namespace mxscan::tls
