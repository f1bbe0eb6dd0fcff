#include "tools/certs/cert_factory.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "scanner/tls/certificate_facts.h"
#include "scanner/tls/parsed_chain.h"
#include "tests/tls/test_pki.h"

namespace mxscan::certs {
namespace {

using ::mxscan::tls::testing::kDay;
using ::mxscan::tls::testing::kNow;
using ::mxscan::tls::testing::Must;
using ::mxscan::tls::testing::TestPki;

int CountBlocks(const std::string& pem, const std::string& label) {
  int n = 0;
  for (size_t at = pem.find("-----BEGIN " + label + "-----");
       at != std::string::npos;
       at = pem.find("-----BEGIN " + label + "-----", at + 1)) {
    ++n;
  }
  return n;
}

TEST(CertFactoryTest, CaAndLeafAreWellFormed) {
  const TestPki& pki = TestPki::Shared();
  EXPECT_EQ(X509_check_ca(pki.root.x509()), 1);
  EXPECT_EQ(X509_check_ca(pki.intermediate.x509()), 1);
  const IssuedCert leaf = pki.Leaf({"mx.example.com", "*.example.com"},
                                   kNow - kDay, kNow + kDay);
  EXPECT_EQ(X509_check_ca(leaf.x509()), 0);
  EXPECT_EQ(X509_check_private_key(leaf.x509(), pki.leaf_key.get()), 1);
  EXPECT_EQ(X509_check_issued(pki.intermediate.x509(), leaf.x509()),
            X509_V_OK);
  EXPECT_EQ(X509_check_issued(pki.root.x509(), pki.root.x509()), X509_V_OK);
  EXPECT_TRUE(X509_get_extension_flags(leaf.x509()) & EXFLAG_XKUSAGE);

  auto parsed = tls::ParseCertificate(leaf.der());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const tls::CertificateFacts facts =
      tls::DescribeCertificate(leaf.der(), parsed->get());
  EXPECT_EQ(facts.not_before, kNow - kDay);
  EXPECT_EQ(facts.not_after, kNow + kDay);
  EXPECT_EQ(facts.dns_names,
            (std::vector<std::string>{"mx.example.com", "*.example.com"}));
  EXPECT_EQ(facts.common_names, std::vector<std::string>{"mx.example.com"});
}

TEST(CertFactoryTest, PemExports) {
  const TestPki& pki = TestPki::Shared();
  const IssuedCert leaf = pki.Leaf({"mx.example.com"});
  const std::string chain = ChainPem({&leaf, &pki.intermediate});
  EXPECT_EQ(CountBlocks(chain, "CERTIFICATE"), 2);
  const std::string key = leaf.key().ToPem();
  EXPECT_EQ(CountBlocks(key, "PRIVATE KEY"), 1);

  // The PEM reads back as the same certificate and key.
  bssl::UniquePtr<BIO> bio(BIO_new_mem_buf(chain.data(), chain.size()));
  bssl::UniquePtr<X509> first(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(X509_cmp(first.get(), leaf.x509()), 0);
  bssl::UniquePtr<BIO> key_bio(BIO_new_mem_buf(key.data(), key.size()));
  bssl::UniquePtr<EVP_PKEY> read_key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  ASSERT_NE(read_key, nullptr);
  EXPECT_EQ(X509_check_private_key(leaf.x509(), read_key.get()), 1);
}

TEST(CertFactoryTest, EveryKeyType) {
  for (KeyType type : {KeyType::kRsa1024, KeyType::kRsa2048, KeyType::kEcP256,
                       KeyType::kEd25519}) {
    const PrivateKey key = Must(PrivateKey::Generate(type));
    EXPECT_EQ(key.type(), type);
    EXPECT_FALSE(key.PublicKeyDer().empty());
    // Every key type can both be certified and sign.
    const IssuedCert ca = Must(IssueCertificate(
        CaSpec("CA", kNow - kDay, kNow + kDay), key, nullptr));
    const IssuedCert leaf = Must(IssueCertificate(
        LeafSpec({"mx.example.com"}, kNow - kDay, kNow + kDay), key, &ca));
    EXPECT_EQ(X509_check_issued(ca.x509(), leaf.x509()), X509_V_OK);
    bssl::UniquePtr<EVP_PKEY> ca_key(X509_get_pubkey(ca.x509()));
    EXPECT_EQ(X509_verify(leaf.x509(), ca_key.get()), 1);
  }
}

TEST(CertFactoryTest, KeysReadBackFromPem) {
  for (KeyType type :
       {KeyType::kRsa2048, KeyType::kEcP256, KeyType::kEd25519}) {
    const PrivateKey key = Must(PrivateKey::Generate(type));
    const PrivateKey read = Must(PrivateKey::FromPem(key.ToPem()));
    EXPECT_EQ(read.type(), type);
    EXPECT_EQ(read.PublicKeyDer(), key.PublicKeyDer());
  }
  EXPECT_FALSE(PrivateKey::FromPem("").ok());
  EXPECT_FALSE(PrivateKey::FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n"
                                   "-----END PRIVATE KEY-----\n")
                   .ok());
}

TEST(CertFactoryTest, CopiesShareTheObjects) {
  const TestPki& pki = TestPki::Shared();
  const IssuedCert copy = pki.intermediate;
  EXPECT_EQ(copy.x509(), pki.intermediate.x509());
  EXPECT_EQ(copy.key().get(), pki.intermediate_key.get());
  EXPECT_EQ(copy.der(), pki.intermediate.der());
}

TEST(CertFactoryTest, ChosenSerialAndPathLength) {
  const TestPki& pki = TestPki::Shared();
  CertSpec spec = CaSpec("Constrained", kNow - kDay, kNow + kDay);
  spec.serial = 4242;
  spec.path_length = 0;
  const IssuedCert ca = Must(IssueCertificate(spec, pki.root_key, &pki.root));
  EXPECT_EQ(ASN1_INTEGER_get(X509_get0_serialNumber(ca.x509())), 4242);
  EXPECT_EQ(X509_get_pathlen(ca.x509()), 0);
}

TEST(CertFactoryTest, SerialsAreRandomByDefault) {
  const TestPki& pki = TestPki::Shared();
  const IssuedCert a = pki.Leaf({"a.example"});
  const IssuedCert b = pki.Leaf({"a.example"});
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(a.x509()),
                             X509_get0_serialNumber(b.x509())),
            0);
}

}  // namespace
}  // namespace mxscan::certs
