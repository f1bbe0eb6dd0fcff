#include "scanner/tls/certificate_judge.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/tls/digest.h"
#include "scanner/tls/parsed_chain.h"
#include "tests/tls/test_pki.h"

namespace mxscan::tls {
namespace {

using ::mxscan::tls::testing::kDay;
using ::mxscan::tls::testing::kNow;
using ::mxscan::tls::testing::Must;
using ::mxscan::tls::testing::OtherPki;
using ::mxscan::tls::testing::TestPki;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const TestPki& Pki() { return TestPki::Shared(); }

CertificateVerdict Judge(const std::vector<std::string>& chain,
                         const std::string& host = "mx.example.com",
                         int64_t time = kNow) {
  return JudgeCertificateChain(*Pki().store, chain, host, time);
}

TEST(CertificateJudgeTest, ValidChainIsTrustedAndDescribed) {
  const certs::IssuedCert leaf = Pki().Leaf({"mx.example.com"});
  const std::vector<std::string> chain = Pki().Chain(leaf);
  const CertificateVerdict verdict = Judge(chain);

  EXPECT_TRUE(verdict.trusted);
  EXPECT_EQ(verdict.verify_error, "");
  EXPECT_EQ(verdict.verify_error_code, 0);
  EXPECT_TRUE(verdict.hostname_match);
  EXPECT_FALSE(verdict.expired);
  ASSERT_EQ(verdict.certificates.size(), 2u);
  EXPECT_EQ(verdict.certificates[0].sha256, Sha256Hex(chain[0]));
  EXPECT_EQ(verdict.certificates[1].sha256, Sha256Hex(chain[1]));
  EXPECT_EQ(verdict.certificates[0].sha256.size(), 64u);

  const CertificateFacts& facts = *verdict.leaf();
  EXPECT_TRUE(facts.parsed);
  EXPECT_EQ(facts.subject, "CN=mx.example.com");
  EXPECT_EQ(facts.issuer, "CN=mxscan Test Intermediate,O=mxscan test PKI");
  EXPECT_EQ(facts.not_before, kNow - 30 * kDay);
  EXPECT_EQ(facts.not_after, kNow + 60 * kDay);
  EXPECT_THAT(facts.dns_names, ElementsAre("mx.example.com"));
  EXPECT_EQ(facts.key_type, "EC");
  EXPECT_EQ(facts.key_bits, 256u);
  EXPECT_EQ(facts.signature_algorithm, "ecdsa-with-SHA256");
  EXPECT_EQ(facts.spki_sha256, Sha256Hex(leaf.key().PublicKeyDer()));
  EXPECT_EQ(facts.embedded_scts, 0u);
  EXPECT_FALSE(facts.sct_list_malformed);

  TlsInfo tls;
  FillTlsInfo(verdict, &tls);
  EXPECT_EQ(tls.chain_length(), 2u);
  EXPECT_EQ(tls.leaf_signature_algorithm(), "ecdsa-with-SHA256");
  EXPECT_EQ(tls.leaf_spki_sha256(), facts.spki_sha256);
}

// The embedded SCT list extension (RFC 6962 section 3.3): counted, and a
// malformed one said so.
TEST(CertificateJudgeTest, EmbeddedScts) {
  // An OCTET STRING around the TLS list: 2 SCTs of 3 and 1 bytes.
  const std::string list(
      "\x00\x08\x00\x03"
      "abc"
      "\x00\x01"
      "z",
      10);
  certs::CertSpec spec =
      certs::LeafSpec({"mx.example.com"}, kNow - kDay, kNow + kDay);
  spec.raw_extensions = {
      {"1.3.6.1.4.1.11129.2.4.2", std::string("\x04\x0a", 2) + list}};
  const certs::IssuedCert leaf = Must(certs::IssueCertificate(
      spec, Pki().intermediate_key, &Pki().intermediate));
  CertificateVerdict verdict = Judge(Pki().Chain(leaf));
  EXPECT_TRUE(verdict.trusted);
  EXPECT_EQ(verdict.leaf()->embedded_scts, 2u);
  EXPECT_FALSE(verdict.leaf()->sct_list_malformed);

  spec.raw_extensions = {{"1.3.6.1.4.1.11129.2.4.2",
                          "\x04\x01"
                          "z"}};
  const certs::IssuedCert broken = Must(certs::IssueCertificate(
      spec, Pki().intermediate_key, &Pki().intermediate));
  verdict = Judge(Pki().Chain(broken));
  EXPECT_EQ(verdict.leaf()->embedded_scts, 0u);
  EXPECT_TRUE(verdict.leaf()->sct_list_malformed);
}

TEST(CertificateJudgeTest, ExpiredLeaf) {
  const certs::IssuedCert leaf =
      Pki().Leaf({"mx.example.com"}, kNow - 90 * kDay, kNow - kDay);
  const CertificateVerdict verdict = Judge(Pki().Chain(leaf));
  EXPECT_FALSE(verdict.trusted);
  EXPECT_TRUE(verdict.expired);
  EXPECT_EQ(verdict.verify_error, "certificate has expired");
  EXPECT_TRUE(verdict.hostname_match);  // the name is judged on its own
  EXPECT_EQ(verdict.leaf()->not_after, kNow - kDay);
}

TEST(CertificateJudgeTest, TheScanTimeDecidesNotTheClock) {
  const certs::IssuedCert leaf =
      Pki().Leaf({"mx.example.com"}, kNow - kDay, kNow + kDay);
  EXPECT_TRUE(Judge(Pki().Chain(leaf), "mx.example.com", kNow).trusted);
  const CertificateVerdict later =
      Judge(Pki().Chain(leaf), "mx.example.com", kNow + 2 * kDay);
  EXPECT_FALSE(later.trusted);
  EXPECT_TRUE(later.expired);
  const CertificateVerdict earlier =
      Judge(Pki().Chain(leaf), "mx.example.com", kNow - 2 * kDay);
  EXPECT_EQ(earlier.verify_error, "certificate is not yet valid");
  EXPECT_FALSE(earlier.expired);
}

TEST(CertificateJudgeTest, NotYetValidLeaf) {
  const certs::IssuedCert leaf =
      Pki().Leaf({"mx.example.com"}, kNow + kDay, kNow + 90 * kDay);
  const CertificateVerdict verdict = Judge(Pki().Chain(leaf));
  EXPECT_FALSE(verdict.trusted);
  EXPECT_FALSE(verdict.expired);
  EXPECT_EQ(verdict.verify_error, "certificate is not yet valid");
}

TEST(CertificateJudgeTest, ExpiredIntermediate) {
  const certs::IssuedCert old_intermediate = Must(certs::IssueCertificate(
      certs::CaSpec("mxscan Test Intermediate", kNow - 400 * kDay,
                    kNow - 10 * kDay),
      Pki().intermediate_key, &Pki().root));
  const certs::IssuedCert leaf = Pki().Leaf({"mx.example.com"});
  const CertificateVerdict verdict =
      Judge(certs::ChainDer({&leaf, &old_intermediate}));
  EXPECT_FALSE(verdict.trusted);
  EXPECT_FALSE(verdict.expired);  // only the leaf's notAfter counts
  EXPECT_EQ(verdict.verify_error, "certificate has expired");
}

TEST(CertificateJudgeTest, SelfSignedLeaf) {
  const certs::IssuedCert leaf = Must(certs::IssueCertificate(
      certs::LeafSpec({"mx.example.com"}, kNow - kDay, kNow + kDay),
      Pki().leaf_key, nullptr));
  const CertificateVerdict verdict = Judge({leaf.der()});
  EXPECT_FALSE(verdict.trusted);
  EXPECT_EQ(verdict.verify_error, "self-signed certificate");
  EXPECT_TRUE(verdict.hostname_match);
  EXPECT_EQ(verdict.leaf()->subject, verdict.leaf()->issuer);

  // The kind `openssl req -x509` makes: CA:TRUE, may sign certificates.
  certs::CertSpec spec =
      certs::LeafSpec({"mx.example.com"}, kNow - kDay, kNow + kDay);
  spec.is_ca = true;
  const certs::IssuedCert ca_style =
      Must(certs::IssueCertificate(spec, Pki().leaf_key, nullptr));
  EXPECT_EQ(Judge({ca_style.der()}).verify_error, "self-signed certificate");
}

TEST(CertificateJudgeTest, WrongNameIsStillTrusted) {
  const certs::IssuedCert leaf = Pki().Leaf({"mail.example.net"});
  const CertificateVerdict verdict = Judge(Pki().Chain(leaf));
  EXPECT_TRUE(verdict.trusted);
  EXPECT_FALSE(verdict.hostname_match);
}

TEST(CertificateJudgeTest, WildcardCoversExactlyOneLabel) {
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"*.example.com"}));
  EXPECT_TRUE(Judge(chain, "a.example.com").hostname_match);
  EXPECT_TRUE(Judge(chain, "MX1.Example.COM.").hostname_match);
  EXPECT_FALSE(Judge(chain, "a.b.example.com").hostname_match);
  EXPECT_FALSE(Judge(chain, "example.com").hostname_match);
}

TEST(CertificateJudgeTest, WildcardOverATopLevelDomainNeverMatches) {
  const std::vector<std::string> chain = Pki().Chain(Pki().Leaf({"*.com"}));
  EXPECT_FALSE(Judge(chain, "example.com").hostname_match);
}

TEST(CertificateJudgeTest, SubjectAltNameHidesTheCommonName) {
  certs::CertSpec spec =
      certs::LeafSpec({"other.example.org"}, kNow - kDay, kNow + kDay);
  spec.common_name = "mx.example.com";
  const certs::IssuedCert leaf =
      Must(certs::IssueCertificate(spec, Pki().leaf_key, &Pki().intermediate));
  const std::vector<std::string> chain = Pki().Chain(leaf);
  EXPECT_FALSE(Judge(chain, "mx.example.com").hostname_match);
  EXPECT_TRUE(Judge(chain, "other.example.org").hostname_match);
}

TEST(CertificateJudgeTest, CommonNameCountsWithoutSubjectAltName) {
  certs::CertSpec spec = certs::LeafSpec({}, kNow - kDay, kNow + kDay);
  spec.common_name = "mx.example.com";
  const certs::IssuedCert leaf =
      Must(certs::IssueCertificate(spec, Pki().leaf_key, &Pki().intermediate));
  const CertificateVerdict verdict = Judge(Pki().Chain(leaf));
  EXPECT_TRUE(verdict.hostname_match);
  EXPECT_TRUE(verdict.trusted);
  EXPECT_TRUE(verdict.leaf()->dns_names.empty());
}

TEST(CertificateJudgeTest, IpLiteralNeverMatchesADnsName) {
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"192.0.2.1", "mx.example.com"}));
  EXPECT_FALSE(Judge(chain, "192.0.2.1").hostname_match);
}

TEST(CertificateJudgeTest, ChainMissingItsIntermediate) {
  const certs::IssuedCert leaf = Pki().Leaf({"mx.example.com"});
  const CertificateVerdict verdict = Judge({leaf.der()});
  EXPECT_FALSE(verdict.trusted);
  EXPECT_EQ(verdict.verify_error, "unable to get local issuer certificate");
  EXPECT_TRUE(verdict.hostname_match);
}

TEST(CertificateJudgeTest, IntermediatesInAnyOrder) {
  const certs::IssuedCert leaf = Pki().Leaf({"mx.example.com"});
  const CertificateVerdict verdict =
      Judge(certs::ChainDer({&leaf, &Pki().root, &Pki().intermediate}));
  EXPECT_TRUE(verdict.trusted) << verdict.verify_error;
}

TEST(CertificateJudgeTest, UntrustedRoot) {
  const OtherPki& other = OtherPki::Shared();
  certs::PrivateKey key = Pki().leaf_key;
  const certs::IssuedCert leaf = Must(certs::IssueCertificate(
      certs::LeafSpec({"mx.example.com"}, kNow - kDay, kNow + kDay), key,
      &other.intermediate));
  const CertificateVerdict with_root =
      Judge(certs::ChainDer({&leaf, &other.intermediate, &other.root}));
  EXPECT_FALSE(with_root.trusted);
  EXPECT_EQ(with_root.verify_error,
            "self-signed certificate in certificate chain");
  const CertificateVerdict without_root =
      Judge(certs::ChainDer({&leaf, &other.intermediate}));
  EXPECT_FALSE(without_root.trusted);
  EXPECT_EQ(without_root.verify_error,
            "unable to get local issuer certificate");
}

TEST(CertificateJudgeTest, GarbageDer) {
  const CertificateVerdict verdict = Judge({"this is not a certificate"});
  EXPECT_FALSE(verdict.trusted);
  EXPECT_FALSE(verdict.hostname_match);
  EXPECT_EQ(verdict.verify_error, "certificate 0: not a DER certificate");
  ASSERT_EQ(verdict.certificates.size(), 1u);
  EXPECT_FALSE(verdict.certificates[0].parsed);
  EXPECT_EQ(verdict.certificates[0].sha256,
            Sha256Hex("this is not a certificate"));
}

TEST(CertificateJudgeTest, GarbageIntermediateKeepsTheLeafFacts) {
  const certs::IssuedCert leaf = Pki().Leaf({"mx.example.com"});
  const CertificateVerdict verdict = Judge({leaf.der(), "\x30\x03\x02\x01"});
  EXPECT_FALSE(verdict.trusted);
  EXPECT_EQ(verdict.verify_error, "certificate 1: not a DER certificate");
  EXPECT_TRUE(verdict.hostname_match);
  EXPECT_EQ(verdict.leaf()->key_type, "EC");
}

TEST(CertificateJudgeTest, TruncatedAndPaddedDer) {
  const std::string der = Pki().Leaf({"mx.example.com"}).der();
  EXPECT_THAT(Judge({der.substr(0, der.size() - 1)}).verify_error,
              HasSubstr("not a DER certificate"));
  EXPECT_THAT(Judge({der + "x"}).verify_error,
              HasSubstr("1 bytes after the certificate"));
}

TEST(CertificateJudgeTest, EmptyChain) {
  const CertificateVerdict verdict = Judge({});
  EXPECT_FALSE(verdict.trusted);
  EXPECT_FALSE(verdict.hostname_match);
  EXPECT_EQ(verdict.verify_error, "no certificate presented");
  EXPECT_EQ(verdict.leaf(), nullptr);
}

TEST(CertificateJudgeTest, OverlongChainIsCutAndRefused) {
  const certs::IssuedCert leaf = Pki().Leaf({"mx.example.com"});
  std::vector<std::string> chain = Pki().Chain(leaf);
  while (chain.size() < kMaxChainLength + 5) chain.push_back(Pki().intermediate.der());
  const CertificateVerdict verdict = Judge(chain);
  EXPECT_FALSE(verdict.trusted);
  EXPECT_EQ(verdict.verify_error,
            "certificate chain of 15 certificates exceeds the limit of 10");
  EXPECT_EQ(verdict.certificates.size(), kMaxChainLength);
  EXPECT_TRUE(verdict.hostname_match);
}

TEST(CertificateJudgeTest, OversizedCertificate) {
  const CertificateVerdict verdict =
      Judge({std::string(kMaxCertificateBytes + 1, '\x30')});
  EXPECT_FALSE(verdict.trusted);
  EXPECT_THAT(verdict.verify_error, HasSubstr("exceeds the limit of 65536"));
}

TEST(CertificateJudgeTest, KeyTypesAndSizes) {
  struct Case {
    certs::KeyType type;
    const char* name;
    uint32_t bits;
  };
  for (const Case& c : {Case{certs::KeyType::kRsa1024, "RSA", 1024},
                        Case{certs::KeyType::kRsa2048, "RSA", 2048},
                        Case{certs::KeyType::kEd25519, "Ed25519", 256}}) {
    const certs::PrivateKey key = Must(certs::PrivateKey::Generate(c.type));
    const certs::IssuedCert leaf = Must(certs::IssueCertificate(
        certs::LeafSpec({"mx.example.com"}, kNow - kDay, kNow + kDay), key,
        &Pki().intermediate));
    const CertificateVerdict verdict = Judge(Pki().Chain(leaf));
    EXPECT_TRUE(verdict.trusted) << c.name << ": " << verdict.verify_error;
    EXPECT_EQ(verdict.leaf()->key_type, c.name);
    EXPECT_EQ(verdict.leaf()->key_bits, c.bits) << c.name;
  }
}

TEST(CertificateJudgeTest, NonAsciiNamesStayValidUtf8) {
  certs::CertSpec spec =
      certs::LeafSpec({"mx.example.com", std::string("a\0b.example.com", 15)},
                      kNow - kDay, kNow + kDay);
  spec.organization = "Bundesamt f\xC3\xBCr Tests, Bonn";
  const certs::IssuedCert leaf =
      Must(certs::IssueCertificate(spec, Pki().leaf_key, &Pki().intermediate));
  const CertificateVerdict verdict = Judge(Pki().Chain(leaf));
  EXPECT_EQ(verdict.leaf()->subject,
            "CN=mx.example.com,O=Bundesamt f\xC3\xBCr Tests\\, Bonn");
  EXPECT_THAT(verdict.leaf()->dns_names,
              ElementsAre("mx.example.com", "a\\x00\\x62.example.com"));
  EXPECT_FALSE(Judge(Pki().Chain(leaf), "ab.example.com").hostname_match);
}

TEST(CertificateJudgeTest, FillsTheResultRecords) {
  const certs::IssuedCert leaf = Pki().Leaf({"mx.example.com"});
  const std::vector<std::string> chain = Pki().Chain(leaf);
  const CertificateVerdict verdict = Judge(chain);

  mxscan::TlsInfo tls;
  tls.set_version("TLSv1.3");
  tls.add_cert_chain_sha256("stale");
  FillTlsInfo(verdict, &tls);
  EXPECT_EQ(tls.version(), "TLSv1.3");
  ASSERT_EQ(tls.cert_chain_sha256_size(), 2);
  EXPECT_EQ(tls.cert_chain_sha256(0), Sha256Hex(chain[0]));
  EXPECT_TRUE(tls.cert_trusted());
  EXPECT_TRUE(tls.hostname_match());
  EXPECT_FALSE(tls.cert_expired());
  EXPECT_EQ(tls.cert_not_after(), kNow + 60 * kDay);
  EXPECT_EQ(tls.leaf_key_type(), "EC");
  EXPECT_EQ(tls.leaf_key_bits(), 256u);
  EXPECT_EQ(tls.verify_error(), "");

  google::protobuf::RepeatedPtrField<mxscan::Certificate> records;
  FillCertificates(verdict, chain, &records);
  ASSERT_EQ(records.size(), 2);
  EXPECT_EQ(records[0].der(), chain[0]);
  EXPECT_EQ(records[0].subject(), "CN=mx.example.com");
  EXPECT_EQ(records[1].subject(),
            "CN=mxscan Test Intermediate,O=mxscan test PKI");
  EXPECT_EQ(records[1].issuer(), "CN=mxscan Test Root,O=mxscan test PKI");
  EXPECT_EQ(records[0].not_before(), kNow - 30 * kDay);
  EXPECT_THAT(records[0].dns_names(), ElementsAre("mx.example.com"));
}

}  // namespace
}  // namespace mxscan::tls
