#include "scanner/tls/server_hello.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "scanner/tls/cipher_suites.h"
#include "scanner/tls/tls_codepoints.h"

namespace mxscan::tls {
namespace {

// The ServerHello.random of a HelloRetryRequest: SHA-256 of
// "HelloRetryRequest" (RFC 8446 section 4.1.3).
constexpr unsigned char kHelloRetryRandom[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
    0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
    0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

// A record's payload may be 2^14 bytes, and 2^14 + 256 once protected
// (RFC 8446 section 5.2); a first answer is never protected.
constexpr size_t kMaxRecordPayload = (1 << 14) + 256;
constexpr uint8_t kAlertRecord = 21;
constexpr uint8_t kHandshakeRecord = 22;
constexpr uint8_t kServerHelloMessage = 2;

// Reads big-endian integers and length-prefixed fields off a view;
// every read fails cleanly at the end.
class Cursor {
 public:
  explicit Cursor(absl::string_view data) : data_(data) {}
  bool Read(size_t n, absl::string_view* out) {
    if (data_.size() < n) return false;
    *out = data_.substr(0, n);
    data_.remove_prefix(n);
    return true;
  }
  bool U8(uint32_t* v) { return Int(1, v); }
  bool U16(uint32_t* v) { return Int(2, v); }
  bool Vector(size_t length_bytes, absl::string_view* out) {
    uint32_t n = 0;
    return Int(length_bytes, &n) && Read(n, out);
  }
  bool empty() const { return data_.empty(); }

 private:
  bool Int(size_t bytes, uint32_t* v) {
    absl::string_view raw;
    if (!Read(bytes, &raw)) return false;
    *v = 0;
    for (char c : raw) *v = (*v << 8) | static_cast<unsigned char>(c);
    return true;
  }
  absl::string_view data_;
};

// The 24-bit length of the handshake message at the start of `bytes` (at
// least 4 of them).
size_t MessageLength(absl::string_view bytes) {
  return (static_cast<size_t>(static_cast<unsigned char>(bytes[1])) << 16) |
         (static_cast<size_t>(static_cast<unsigned char>(bytes[2])) << 8) |
         static_cast<unsigned char>(bytes[3]);
}

}  // namespace

ServerHelloReader::State ServerHelloReader::Fail(std::string why) {
  error_ = std::move(why);
  state_ = State::kError;
  return state_;
}

ServerHelloReader::State ServerHelloReader::Feed(absl::string_view bytes) {
  if (state_ != State::kNeedMore) return state_;
  read_ += bytes.size();
  if (read_ > kMaxServerBytes) {
    return Fail(absl::StrCat("no complete ServerHello in the first ",
                             kMaxServerBytes, " bytes"));
  }
  records_.append(bytes.data(), bytes.size());
  while (records_.size() >= 5) {
    const auto type = static_cast<uint8_t>(records_[0]);
    const size_t length = (static_cast<unsigned char>(records_[3]) << 8) |
                          static_cast<unsigned char>(records_[4]);
    if (type != kAlertRecord && type != kHandshakeRecord) {
      // An SMTP reply or anything else where TLS was expected.
      return Fail(absl::StrCat("not a TLS handshake record (type ",
                               static_cast<int>(type), ")"));
    }
    if (length == 0 || length > kMaxRecordPayload) {
      return Fail(absl::StrCat("a TLS record of ", length, " bytes"));
    }
    if (records_.size() < 5 + length) return State::kNeedMore;
    const absl::string_view payload =
        absl::string_view(records_).substr(5, length);
    if (type == kAlertRecord) {
      if (payload.size() < 2) return Fail("a truncated alert");
      if (hello_read_) {  // the ServerHello stands; its key exchange is not
        state_ = State::kDone;
        return state_;
      }
      summary_.kind = ServerHelloSummary::Kind::kAlert;
      summary_.alert = static_cast<uint8_t>(payload[1]);
      state_ = State::kDone;
      return state_;
    }
    handshake_.append(payload.data(), payload.size());
    records_.erase(0, 5 + length);
    if (ParseHandshake() != State::kNeedMore) return state_;
  }
  return State::kNeedMore;
}

ServerHelloReader::State ServerHelloReader::ParseHandshake() {
  if (hello_read_) return ParseKeyExchange();
  if (handshake_.size() < 4) return State::kNeedMore;
  const auto type = static_cast<uint8_t>(handshake_[0]);
  if (type != kServerHelloMessage) {
    return Fail(absl::StrCat("handshake message ", static_cast<int>(type),
                             " where a ServerHello was expected"));
  }
  const size_t length = MessageLength(handshake_);
  if (length > kMaxServerBytes) {
    return Fail(absl::StrCat("a ServerHello of ", length, " bytes"));
  }
  if (handshake_.size() < 4 + length) return State::kNeedMore;
  const State state =
      ParseServerHello(absl::string_view(handshake_).substr(4, length));
  if (state != State::kDone || !key_exchange_ ||
      summary_.kind != ServerHelloSummary::Kind::kServerHello ||
      summary_.version >= kTls13) {
    return state;
  }
  // TLS 1.2: the key exchange comes in the ServerKeyExchange.
  handshake_.erase(0, 4 + length);
  hello_read_ = true;
  state_ = State::kNeedMore;
  return ParseKeyExchange();
}

ServerHelloReader::State ServerHelloReader::ParseKeyExchange() {
  constexpr uint8_t kCertificate = 11;
  constexpr uint8_t kCertificateStatus = 22;
  constexpr uint8_t kServerKeyExchange = 12;
  constexpr uint8_t kServerHelloDone = 14;
  while (handshake_.size() >= 4) {
    const auto type = static_cast<uint8_t>(handshake_[0]);
    const size_t length = MessageLength(handshake_);
    if (length > kMaxServerBytes) {
      return Fail(absl::StrCat("a handshake message of ", length, " bytes"));
    }
    if (handshake_.size() < 4 + length) return State::kNeedMore;
    const absl::string_view body =
        absl::string_view(handshake_).substr(4, length);
    if (type == kServerHelloDone) break;  // RSA key exchange: no group
    if (type == kServerKeyExchange) {
      Cursor in(body);
      uint32_t curve_type = 0;
      uint32_t curve = 0;
      absl::string_view prime;
      // An ECDHE key exchange starts with a named curve (RFC 8422 5.4),
      // a DHE one with its prime (RFC 5246 7.4.3): the suite says which.
      const CipherSuite* suite = FindCipherSuite(summary_.cipher_suite);
      const bool finite_field =
          suite != nullptr && (absl::StrContains(suite->name, "_DHE_") ||
                               absl::StrContains(suite->name, "_DH_anon_"));
      if (!finite_field) {
        if (!in.U8(&curve_type) || !in.U16(&curve)) {
          return Fail("a truncated ServerKeyExchange");
        }
        summary_.group = static_cast<uint16_t>(curve);
      } else {
        if (!in.Vector(2, &prime) || prime.empty()) {
          return Fail("a malformed ServerKeyExchange");
        }
        size_t zeros = 0;
        while (zeros < prime.size() && prime[zeros] == 0) ++zeros;
        uint32_t bits = 8 * static_cast<uint32_t>(prime.size() - zeros);
        if (zeros < prime.size()) {
          for (uint8_t top = static_cast<uint8_t>(prime[zeros]);
               (top & 0x80) == 0; top <<= 1) {
            --bits;
          }
        }
        summary_.dhe_bits = bits;
      }
      break;
    }
    if (type != kCertificate && type != kCertificateStatus) {
      return Fail(absl::StrCat("handshake message ", static_cast<int>(type),
                               " before the key exchange"));
    }
    handshake_.erase(0, 4 + length);
  }
  if (handshake_.size() < 4) return State::kNeedMore;
  state_ = State::kDone;
  return state_;
}

ServerHelloReader::State ServerHelloReader::ParseServerHello(
    absl::string_view body) {
  Cursor in(body);
  uint32_t legacy_version = 0;
  uint32_t cipher_suite = 0;
  uint32_t compression = 0;
  absl::string_view random;
  absl::string_view session_id;
  if (!in.U16(&legacy_version) || !in.Read(32, &random) ||
      !in.Vector(1, &session_id) || !in.U16(&cipher_suite) ||
      !in.U8(&compression)) {
    return Fail("a truncated ServerHello");
  }
  if (session_id.size() > 32) return Fail("a session id over 32 bytes");
  const bool retry =
      random ==
      absl::string_view(reinterpret_cast<const char*>(kHelloRetryRandom), 32);
  summary_.kind = retry ? ServerHelloSummary::Kind::kHelloRetryRequest
                        : ServerHelloSummary::Kind::kServerHello;
  summary_.version = static_cast<uint16_t>(legacy_version);
  summary_.cipher_suite = static_cast<uint16_t>(cipher_suite);
  if (!in.empty()) {  // extensions are optional before TLS 1.3
    absl::string_view extensions;
    if (!in.Vector(2, &extensions) || !in.empty()) {
      return Fail("malformed ServerHello extensions");
    }
    Cursor ext(extensions);
    while (!ext.empty()) {
      uint32_t type = 0;
      absl::string_view data;
      if (!ext.U16(&type) || !ext.Vector(2, &data)) {
        return Fail("a truncated ServerHello extension");
      }
      Cursor field(data);
      uint32_t value = 0;
      if (type == 43) {  // supported_versions: the selected version
        if (!field.U16(&value) || !field.empty()) {
          return Fail("malformed supported_versions");
        }
        summary_.version = static_cast<uint16_t>(value);
      } else if (type == 51) {  // key_share
        absl::string_view key;
        if (!field.U16(&value) || (!retry && !field.Vector(2, &key)) ||
            !field.empty()) {
          return Fail("malformed key_share");
        }
        summary_.group = static_cast<uint16_t>(value);
      }
    }
  }
  state_ = State::kDone;
  return state_;
}

}  // namespace mxscan::tls
