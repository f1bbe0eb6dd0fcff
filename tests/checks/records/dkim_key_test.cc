// DKIM key records: tags (RFC 6376 section 3.6.1), key parsing with
// BoringSSL on keys made at test time (RSA-2048, RSA-512, Ed25519, EC),
// filling DkimKey, and the default selector list.

#include <openssl/bn.h>
#include <openssl/bytestring.h>
#include <openssl/curve25519.h>
#include <openssl/ec_key.h>
#include <openssl/evp.h>
#include <openssl/mem.h>
#include <openssl/nid.h>
#include <openssl/rsa.h>

#include <cstdint>
#include <set>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/checks/dkim/default_selectors.h"
#include "scanner/checks/dkim/key_record.h"
#include "scanner/checks/dkim/public_key.h"
#include "scanner/checks/dkim/result.h"

namespace mxscan::checks::dkim {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Serialises what `marshal` writes into a CBB.
template <typename F>
std::string Marshal(F&& marshal) {
  bssl::ScopedCBB cbb;
  uint8_t* data = nullptr;
  size_t length = 0;
  if (!CBB_init(cbb.get(), 0) || !marshal(cbb.get()) ||
      !CBB_finish(cbb.get(), &data, &length)) {
    ADD_FAILURE() << "marshalling failed";
    return "";
  }
  std::string out(reinterpret_cast<char*>(data), length);
  OPENSSL_free(data);
  return out;
}

bssl::UniquePtr<RSA> NewRsa(int bits) {
  bssl::UniquePtr<RSA> rsa(RSA_new());
  bssl::UniquePtr<BIGNUM> e(BN_new());
  if (!BN_set_word(e.get(), RSA_F4) ||
      !RSA_generate_key_ex(rsa.get(), bits, e.get(), nullptr)) {
    ADD_FAILURE() << "RSA key generation failed for " << bits << " bits";
  }
  return rsa;
}

// DER SubjectPublicKeyInfo of a fresh RSA key.
std::string RsaSpki(int bits) {
  bssl::UniquePtr<RSA> rsa = NewRsa(bits);
  bssl::UniquePtr<EVP_PKEY> pkey(EVP_PKEY_new());
  EVP_PKEY_set1_RSA(pkey.get(), rsa.get());
  return Marshal(
      [&](CBB* cbb) { return EVP_marshal_public_key(cbb, pkey.get()); });
}

std::string Ed25519RawKey() {
  uint8_t public_key[ED25519_PUBLIC_KEY_LEN];
  uint8_t private_key[ED25519_PRIVATE_KEY_LEN];
  ED25519_keypair(public_key, private_key);
  return std::string(reinterpret_cast<char*>(public_key), sizeof(public_key));
}

std::string Ed25519Spki() {
  const std::string raw = Ed25519RawKey();
  bssl::UniquePtr<EVP_PKEY> pkey(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const uint8_t*>(raw.data()),
      raw.size()));
  return Marshal(
      [&](CBB* cbb) { return EVP_marshal_public_key(cbb, pkey.get()); });
}

std::string EcSpki() {
  bssl::UniquePtr<EC_KEY> ec(EC_KEY_new_by_curve_name(NID_X9_62_prime256v1));
  EC_KEY_generate_key(ec.get());
  bssl::UniquePtr<EVP_PKEY> pkey(EVP_PKEY_new());
  EVP_PKEY_set1_EC_KEY(pkey.get(), ec.get());
  return Marshal(
      [&](CBB* cbb) { return EVP_marshal_public_key(cbb, pkey.get()); });
}

// Keys are slow to make; share them across tests.
const std::string& Rsa2048() {
  static const std::string* key = new std::string(RsaSpki(2048));
  return *key;
}
const std::string& Rsa512() {
  static const std::string* key = new std::string(RsaSpki(512));
  return *key;
}

std::string B64(const std::string& der) { return absl::Base64Escape(der); }

// ---- tags ----

TEST(DkimKeyRecordTest, Defaults) {
  const DkimKeyRecord r = ParseDkimKeyRecord("p=" + B64(Rsa2048()));
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(r.key_type, "rsa");
  EXPECT_TRUE(r.has_key);
  EXPECT_FALSE(r.revoked);
  EXPECT_FALSE(r.testing);
  EXPECT_EQ(r.public_key, Rsa2048());
}

TEST(DkimKeyRecordTest, AllTags) {
  const DkimKeyRecord r = ParseDkimKeyRecord(
      "v=DKIM1; h=sha256; k=rsa; n=hello world; s=email:tlsrpt; t=y:s:x; p=" +
      B64(Rsa2048()));
  EXPECT_TRUE(r.valid());
  EXPECT_THAT(r.warnings, IsEmpty());
  EXPECT_THAT(r.hash_algorithms, ElementsAre("sha256"));
  EXPECT_THAT(r.service_types, ElementsAre("email", "tlsrpt"));
  EXPECT_THAT(r.flags, ElementsAre("y", "s", "x"));
  EXPECT_TRUE(r.testing);
  EXPECT_TRUE(r.strict);
}

TEST(DkimKeyRecordTest, VersionMustBeFirstAndDkim1) {
  EXPECT_THAT(ParseDkimKeyRecord("k=rsa; v=DKIM1; p=").errors,
              ElementsAre(HasSubstr("first tag")));
  EXPECT_THAT(ParseDkimKeyRecord("v=DKIM2; p=").errors,
              ElementsAre(HasSubstr("expected DKIM1")));
}

TEST(DkimKeyRecordTest, RevokedKey) {
  const DkimKeyRecord r = ParseDkimKeyRecord("v=DKIM1; p=");
  EXPECT_TRUE(r.valid());
  EXPECT_TRUE(r.revoked);
  EXPECT_TRUE(ParseDkimKeyRecord("v=DKIM1; p= ;").revoked);
}

TEST(DkimKeyRecordTest, MissingKey) {
  EXPECT_THAT(ParseDkimKeyRecord("v=DKIM1; k=rsa").errors,
              ElementsAre("missing p= tag"));
}

TEST(DkimKeyRecordTest, Base64WithWhitespace) {
  std::string b64 = B64(Rsa2048());
  b64.insert(20, " \t");
  b64.insert(60, "  ");
  const DkimKeyRecord r = ParseDkimKeyRecord("v=DKIM1; p=" + b64);
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(r.public_key, Rsa2048());
}

TEST(DkimKeyRecordTest, BadBase64) {
  for (const char* bad : {"p=abc*", "p=ab=c", "p=abc===", "p=A", "p=-_-_"}) {
    EXPECT_THAT(ParseDkimKeyRecord(bad).errors,
                ElementsAre(HasSubstr("not valid base64")))
        << bad;
  }
}

TEST(DkimKeyRecordTest, KeyTypes) {
  EXPECT_EQ(ParseDkimKeyRecord("k=ed25519; p=").key_type, "ed25519");
  const DkimKeyRecord upper = ParseDkimKeyRecord("k=RSA; p=");
  EXPECT_TRUE(upper.valid());
  EXPECT_EQ(upper.key_type, "rsa");
  EXPECT_THAT(upper.warnings, ElementsAre(HasSubstr("lower case")));
  EXPECT_THAT(ParseDkimKeyRecord("k=dsa; p=").errors,
              ElementsAre(HasSubstr("unknown key type")));
}

TEST(DkimKeyRecordTest, HashAlgorithms) {
  EXPECT_TRUE(ParseDkimKeyRecord("h=sha256:future; p=").valid());
  const DkimKeyRecord both = ParseDkimKeyRecord("h=sha1 : sha256; p=");
  EXPECT_TRUE(both.valid());
  EXPECT_THAT(both.warnings, ElementsAre(HasSubstr("sha1")));
  EXPECT_THAT(ParseDkimKeyRecord("h=sha1; p=").errors,
              ElementsAre(HasSubstr("only sha1")));
  EXPECT_THAT(ParseDkimKeyRecord("h=md5; p=").errors,
              ElementsAre(HasSubstr("no known hash")));
}

TEST(DkimKeyRecordTest, ServiceTypes) {
  EXPECT_THAT(ParseDkimKeyRecord("s=*; p=").warnings, IsEmpty());
  EXPECT_THAT(ParseDkimKeyRecord("s=tlsrpt; p=").warnings,
              ElementsAre(HasSubstr("not for email")));
}

TEST(DkimKeyRecordTest, DuplicateTagsAndSyntaxErrors) {
  EXPECT_THAT(ParseDkimKeyRecord("p=; p=").errors,
              ElementsAre(HasSubstr("more than once")));
  EXPECT_FALSE(ParseDkimKeyRecord("v=DKIM1; p=; garbage").valid());
  EXPECT_FALSE(ParseDkimKeyRecord("").valid());
}

// ---- keys (BoringSSL) ----

TEST(DkimPublicKeyTest, Rsa2048) {
  absl::StatusOr<PublicKeyInfo> info = AnalyzePublicKey("rsa", Rsa2048());
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->bits, 2048u);
  EXPECT_FALSE(info->bare_rsa_public_key);
}

TEST(DkimPublicKeyTest, BareRsaPublicKeyIsAcceptedAndFlagged) {
  bssl::UniquePtr<RSA> rsa = NewRsa(1024);
  const std::string der =
      Marshal([&](CBB* cbb) { return RSA_marshal_public_key(cbb, rsa.get()); });
  absl::StatusOr<PublicKeyInfo> info = AnalyzePublicKey("rsa", der);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->bits, 1024u);
  EXPECT_TRUE(info->bare_rsa_public_key);
}

TEST(DkimPublicKeyTest, RsaGarbageAndTrailingBytes) {
  EXPECT_THAT(AnalyzePublicKey("rsa", "not a key").status().message(),
              HasSubstr("does not parse"));
  EXPECT_FALSE(AnalyzePublicKey("rsa", Rsa2048() + "x").ok());
  EXPECT_FALSE(AnalyzePublicKey("rsa", Rsa2048().substr(0, 100)).ok());
}

TEST(DkimPublicKeyTest, KeyTypeMismatch) {
  EXPECT_THAT(AnalyzePublicKey("rsa", EcSpki()).status().message(),
              HasSubstr("EC key but k= says rsa"));
  EXPECT_THAT(AnalyzePublicKey("rsa", Ed25519Spki()).status().message(),
              HasSubstr("Ed25519 key but k= says rsa"));
}

TEST(DkimPublicKeyTest, Ed25519) {
  absl::StatusOr<PublicKeyInfo> info =
      AnalyzePublicKey("ed25519", Ed25519RawKey());
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->bits, 256u);
  EXPECT_THAT(AnalyzePublicKey("ed25519", Ed25519Spki()).status().message(),
              HasSubstr("raw 32-byte key"));
  EXPECT_THAT(AnalyzePublicKey("ed25519", "short").status().message(),
              HasSubstr("is 5 bytes"));
  EXPECT_FALSE(AnalyzePublicKey("ed25519", Rsa2048()).ok());
}

// ---- DkimKey ----

TEST(DkimKeyResultTest, Rsa2048) {
  DkimKey key;
  const std::string record = "v=DKIM1; k=rsa; p=" + B64(Rsa2048());
  FillDkimKey("selector1", record, &key);
  EXPECT_EQ(key.selector(), "selector1");
  EXPECT_EQ(key.record(), record);
  EXPECT_EQ(key.key_type(), "rsa");
  EXPECT_TRUE(key.valid());
  EXPECT_FALSE(key.revoked());
  EXPECT_FALSE(key.testing());
  EXPECT_EQ(key.key_bits(), 2048u);
  EXPECT_THAT(key.errors(), IsEmpty());
}

TEST(DkimKeyResultTest, Rsa512IsAWeakKey) {
  DkimKey key;
  FillDkimKey("s1", "v=DKIM1; p=" + B64(Rsa512()), &key);
  EXPECT_EQ(key.key_bits(), 512u);
  EXPECT_TRUE(key.valid());  // a warning-level error
  EXPECT_THAT(key.errors(),
              ElementsAre(HasSubstr("warning: weak key: RSA 512")));
}

TEST(DkimKeyResultTest, Ed25519) {
  DkimKey key;
  FillDkimKey("ed", "v=DKIM1; k=ed25519; t=y; p=" + B64(Ed25519RawKey()), &key);
  EXPECT_TRUE(key.valid()) << key.DebugString();
  EXPECT_EQ(key.key_type(), "ed25519");
  EXPECT_EQ(key.key_bits(), 256u);
  EXPECT_TRUE(key.testing());
}

TEST(DkimKeyResultTest, UnparsableKeyIsInvalid) {
  DkimKey key;
  FillDkimKey("bad", "v=DKIM1; p=" + B64("garbage bytes"), &key);
  EXPECT_FALSE(key.valid());
  EXPECT_EQ(key.key_bits(), 0u);
  EXPECT_THAT(key.errors(), ElementsAre(HasSubstr("does not parse")));

  DkimKey ed;
  FillDkimKey("bad", "v=DKIM1; k=ed25519; p=" + B64(Rsa2048()), &ed);
  EXPECT_FALSE(ed.valid());
  EXPECT_THAT(ed.errors(), ElementsAre(HasSubstr("an Ed25519 key is 32")));
}

TEST(DkimKeyResultTest, Revoked) {
  DkimKey key;
  FillDkimKey("old", "v=DKIM1; p=", &key);
  EXPECT_TRUE(key.valid());
  EXPECT_TRUE(key.revoked());
  EXPECT_EQ(key.key_bits(), 0u);
}

TEST(DkimKeyResultTest, RecordErrorsSkipTheKey) {
  DkimKey key;
  FillDkimKey("x", "v=DKIM1; h=sha1; p=" + B64(Rsa2048()), &key);
  EXPECT_FALSE(key.valid());
  EXPECT_EQ(key.key_bits(), 0u);
  EXPECT_THAT(key.errors(), ElementsAre(HasSubstr("only sha1")));
}

TEST(DkimKeyResultTest, BareRsaKeyWarning) {
  bssl::UniquePtr<RSA> rsa = NewRsa(1024);
  const std::string der =
      Marshal([&](CBB* cbb) { return RSA_marshal_public_key(cbb, rsa.get()); });
  DkimKey key;
  FillDkimKey("x", "p=" + B64(der), &key);
  EXPECT_TRUE(key.valid());
  EXPECT_EQ(key.key_bits(), 1024u);
  EXPECT_THAT(key.errors(), ElementsAre(HasSubstr("warning: p= is a bare")));
}

// ---- default selectors ----

TEST(DkimDefaultSelectorsTest, ShortUniqueAndWellFormed) {
  std::set<std::string> seen;
  for (absl::string_view selector : kDefaultDkimSelectors) {
    EXPECT_TRUE(seen.insert(std::string(selector)).second) << selector;
    EXPECT_FALSE(selector.empty());
    for (const char c : selector) {
      EXPECT_TRUE(absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                  c == '-')
          << selector;
    }
  }
  EXPECT_GE(seen.size(), 15u);
  EXPECT_LE(seen.size(), 25u);
  EXPECT_THAT(seen, Contains("google"));
  EXPECT_THAT(seen, Contains("selector1"));
  const std::vector<std::string> flag =
      absl::StrSplit(DefaultDkimSelectorsFlag(), ',');
  EXPECT_EQ(flag.size(), seen.size());
}

}  // namespace
}  // namespace mxscan::checks::dkim
