#include "scanner/tls/dane.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/tls/digest.h"
#include "scanner/tls/tlsa_match.h"
#include "tests/tls/test_pki.h"

namespace mxscan::tls {
namespace {

using ::mxscan::tls::testing::kDay;
using ::mxscan::tls::testing::kNow;
using ::mxscan::tls::testing::Must;
using ::mxscan::tls::testing::OtherPki;
using ::mxscan::tls::testing::TestPki;
using ::testing::HasSubstr;

const TestPki& Pki() { return TestPki::Shared(); }

std::string Hex(const std::string& bytes) {
  return absl::BytesToHexString(bytes);
}

std::string Spki(const std::string& der) {
  absl::string_view spki;
  EXPECT_TRUE(SubjectPublicKeyInfo(der, &spki));
  return std::string(spki);
}

mxscan::TlsaRecord Record(uint32_t usage, uint32_t selector,
                          uint32_t matching_type, const std::string& hex) {
  mxscan::TlsaRecord record;
  record.set_usage(usage);
  record.set_selector(selector);
  record.set_matching_type(matching_type);
  record.set_data(hex);
  return record;
}

mxscan::Tlsa Tlsa(std::vector<mxscan::TlsaRecord> records,
                  bool authenticated = true) {
  mxscan::Tlsa tlsa;
  for (mxscan::TlsaRecord& record : records) *tlsa.add_records() = record;
  tlsa.set_authenticated(authenticated);
  return tlsa;
}

DaneVerdict Check(const mxscan::Tlsa& tlsa,
                  const std::vector<std::string>& chain,
                  const std::string& host = "mx.example.com") {
  return CheckDane(tlsa, chain, host, kNow);
}

TEST(TlsaMatchTest, SpkiIsTheKeyTheFactoryPutIn) {
  const certs::IssuedCert leaf = Pki().Leaf({"mx.example.com"});
  EXPECT_EQ(Spki(leaf.der()), Pki().leaf_key.PublicKeyDer());
  absl::string_view spki;
  EXPECT_FALSE(SubjectPublicKeyInfo("junk", &spki));
  EXPECT_FALSE(SubjectPublicKeyInfo(leaf.der() + "x", &spki));
}

TEST(DaneTest, DaneEeSpkiSha256) {
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"mx.example.com"}));
  const DaneVerdict verdict =
      Check(Tlsa({Record(3, 1, 1, Hex(Sha256(Spki(chain[0]))))}), chain);
  EXPECT_TRUE(verdict.valid) << verdict.detail;
  EXPECT_EQ(verdict.matched_record, 0);
  EXPECT_EQ(verdict.usable_records, 1);
  EXPECT_EQ(verdict.detail, "DANE-EE(3) record 0 matched the leaf");
}

TEST(DaneTest, DaneEeEverySelectorAndMatchingType) {
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"mx.example.com"}));
  const std::string cert = chain[0];
  const std::string spki = Spki(cert);
  for (const mxscan::TlsaRecord& record :
       {Record(3, 0, 0, Hex(cert)), Record(3, 0, 1, Hex(Sha256(cert))),
        Record(3, 0, 2, Hex(Sha512(cert))), Record(3, 1, 0, Hex(spki)),
        Record(3, 1, 1, Hex(Sha256(spki))),
        Record(3, 1, 2, Hex(Sha512(spki)))}) {
    EXPECT_TRUE(Check(Tlsa({record}), chain).valid)
        << record.ShortDebugString();
  }
  // The intermediate's digest is no DANE-EE match.
  EXPECT_FALSE(
      Check(Tlsa({Record(3, 0, 1, Hex(Sha256(chain[1])))}), chain).valid);
}

TEST(DaneTest, DaneEeIgnoresNameExpiryAndTrust) {
  const certs::IssuedCert leaf = Must(certs::IssueCertificate(
      certs::LeafSpec({"wrong.example.net"}, kNow - 90 * kDay, kNow - kDay),
      Pki().leaf_key, nullptr));
  const DaneVerdict verdict =
      Check(Tlsa({Record(3, 1, 1, Hex(Sha256(Spki(leaf.der()))))}),
            {leaf.der()});
  EXPECT_TRUE(verdict.valid) << verdict.detail;
}

TEST(DaneTest, HexMayBeUpperCaseAndSpaced) {
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"mx.example.com"}));
  std::string hex = absl::AsciiStrToUpper(Hex(Sha256(chain[0])));
  hex.insert(32, " \t");
  EXPECT_TRUE(Check(Tlsa({Record(3, 0, 1, hex)}), chain).valid);
}

TEST(DaneTest, UnauthenticatedAnswerIsNeverValid) {
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"mx.example.com"}));
  const DaneVerdict verdict = Check(
      Tlsa({Record(3, 0, 1, Hex(Sha256(chain[0])))}, /*authenticated=*/false),
      chain);
  EXPECT_FALSE(verdict.valid);
  EXPECT_EQ(verdict.matched_record, -1);
  EXPECT_EQ(verdict.detail, "TLSA answer not authenticated");
}

TEST(DaneTest, PkixUsagesAreIgnored) {
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"mx.example.com"}));
  const DaneVerdict verdict =
      Check(Tlsa({Record(0, 0, 1, Hex(Sha256(chain[1]))),
                  Record(1, 0, 1, Hex(Sha256(chain[0])))}),
            chain);
  EXPECT_FALSE(verdict.valid);
  EXPECT_EQ(verdict.usable_records, 0);
  EXPECT_EQ(verdict.detail, "no usable TLSA records");
}

TEST(DaneTest, UnknownParametersAndMalformedDataAreIgnored) {
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"mx.example.com"}));
  const std::string digest = Hex(Sha256(chain[0]));
  const DaneVerdict verdict = Check(
      Tlsa({Record(4, 0, 1, digest), Record(3, 2, 1, digest),
            Record(3, 0, 3, digest), Record(3, 0, 1, digest + "0"),
            Record(3, 0, 1, digest.substr(0, 62)),
            Record(3, 0, 1, "zz" + digest.substr(2)), Record(3, 0, 0, ""),
            Record(3, 0, 2, digest)}),
      chain);
  EXPECT_FALSE(verdict.valid);
  EXPECT_EQ(verdict.usable_records, 0);
}

TEST(DaneTest, FirstMatchingRecordIsReported) {
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"mx.example.com"}));
  const DaneVerdict verdict =
      Check(Tlsa({Record(1, 0, 1, Hex(Sha256(chain[0]))),
                  Record(3, 1, 1, std::string(64, 'a')),
                  Record(3, 0, 1, Hex(Sha256(chain[0])))}),
            chain);
  EXPECT_TRUE(verdict.valid);
  EXPECT_EQ(verdict.matched_record, 2);
  EXPECT_EQ(verdict.usable_records, 2);
}

TEST(DaneTest, NothingMatches) {
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"mx.example.com"}));
  const DaneVerdict verdict =
      Check(Tlsa({Record(3, 1, 1, std::string(64, '0'))}), chain);
  EXPECT_FALSE(verdict.valid);
  EXPECT_EQ(verdict.detail, "no TLSA record matched");
  EXPECT_EQ(Check(Tlsa({}), chain).detail, "no TLSA records");
}

TEST(DaneTest, DaneTaOnTheIntermediateWithTheNameChecked) {
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"mx.example.com"}));
  const mxscan::Tlsa tlsa = Tlsa({Record(2, 0, 1, Hex(Sha256(chain[1])))});
  const DaneVerdict good = Check(tlsa, chain, "mx.example.com");
  EXPECT_TRUE(good.valid) << good.detail;
  EXPECT_EQ(good.matched_record, 0);

  const DaneVerdict wrong_name = Check(tlsa, chain, "other.example.com");
  EXPECT_FALSE(wrong_name.valid);
  EXPECT_EQ(wrong_name.detail,
            "DANE-TA(2) record 0 matched certificate 1 but the leaf is not "
            "valid for other.example.com");
}

TEST(DaneTest, DaneTaOnTheRootBySpki) {
  const certs::IssuedCert leaf = Pki().Leaf({"*.example.com"});
  const std::vector<std::string> chain =
      certs::ChainDer({&leaf, &Pki().intermediate, &Pki().root});
  const DaneVerdict verdict = Check(
      Tlsa({Record(2, 1, 2, Hex(Sha512(Spki(Pki().root.der()))))}), chain,
      "mx.example.com");
  EXPECT_TRUE(verdict.valid) << verdict.detail;
}

TEST(DaneTest, DaneTaIgnoresTheCaBundle) {
  const OtherPki& other = OtherPki::Shared();
  const certs::IssuedCert leaf = Must(certs::IssueCertificate(
      certs::LeafSpec({"mx.example.com"}, kNow - kDay, kNow + kDay),
      Pki().leaf_key, &other.intermediate));
  const std::vector<std::string> chain =
      certs::ChainDer({&leaf, &other.intermediate});
  EXPECT_TRUE(
      Check(Tlsa({Record(2, 0, 1, Hex(Sha256(chain[1])))}), chain).valid);
}

TEST(DaneTest, DaneTaNeverMatchesTheLeaf) {
  const certs::IssuedCert leaf = Must(certs::IssueCertificate(
      certs::LeafSpec({"mx.example.com"}, kNow - kDay, kNow + kDay),
      Pki().leaf_key, nullptr));
  const DaneVerdict verdict =
      Check(Tlsa({Record(2, 0, 1, Hex(Sha256(leaf.der())))}), {leaf.der()});
  EXPECT_FALSE(verdict.valid);
  EXPECT_EQ(verdict.detail, "no TLSA record matched");
}

TEST(DaneTest, DaneTaChecksTheValidityPeriod) {
  const certs::IssuedCert leaf =
      Pki().Leaf({"mx.example.com"}, kNow - 90 * kDay, kNow - kDay);
  const std::vector<std::string> chain = Pki().Chain(leaf);
  const DaneVerdict verdict =
      Check(Tlsa({Record(2, 0, 1, Hex(Sha256(chain[1])))}), chain);
  EXPECT_FALSE(verdict.valid);
  EXPECT_THAT(verdict.detail,
              HasSubstr("chain does not verify: certificate has expired"));
}

TEST(DaneTest, DaneTaNeedsTheLeafToChainToTheAnchor) {
  const OtherPki& other = OtherPki::Shared();
  const std::vector<std::string> chain = {
      Pki().Leaf({"mx.example.com"}).der(), other.intermediate.der()};
  const DaneVerdict verdict =
      Check(Tlsa({Record(2, 0, 1, Hex(Sha256(chain[1])))}), chain);
  EXPECT_FALSE(verdict.valid);
  EXPECT_THAT(verdict.detail, HasSubstr("chain does not verify"));
}

TEST(DaneTest, GarbageChainsNeverMatchNorCrash) {
  const mxscan::Tlsa tlsa = Tlsa({Record(3, 1, 1, Hex(Sha256("junk"))),
                                  Record(2, 0, 1, Hex(Sha256("junk")))});
  EXPECT_EQ(Check(tlsa, {}).detail, "no certificate presented");
  EXPECT_FALSE(Check(tlsa, {"junk"}).valid);
  const DaneVerdict two = Check(tlsa, {"junk", "junk"});
  EXPECT_FALSE(two.valid);
  EXPECT_EQ(two.detail,
            "DANE-TA(2) not checked: certificate 0: not a DER certificate");
}

TEST(DaneTest, DaneEeFullCertificatePinsBytes) {
  // The record pins the leaf's bytes; whether BoringSSL could parse them
  // does not matter (a handshake with such a leaf cannot succeed anyway).
  const DaneVerdict verdict =
      Check(Tlsa({Record(3, 0, 1, Hex(Sha256("junk")))}), {"junk"});
  EXPECT_TRUE(verdict.valid);
  EXPECT_EQ(verdict.matched_record, 0);
}

TEST(DaneTest, FillDaneSetsOnlyTheVerdict) {
  mxscan::Tlsa tlsa = Tlsa({Record(3, 1, 1, "00")});
  DaneVerdict verdict;
  verdict.valid = true;
  FillDane(verdict, &tlsa);
  EXPECT_TRUE(tlsa.dane_valid());
  EXPECT_EQ(tlsa.records_size(), 1);
  EXPECT_TRUE(tlsa.authenticated());
}

}  // namespace
}  // namespace mxscan::tls
