// Runs tools/certs:make_test_pki and judges what it wrote, as a scan of a
// server loaded with those files would.

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "scanner/tls/certificate_judge.h"
#include "scanner/tls/trust_store.h"

namespace mxscan::tls {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

std::vector<std::string> PemToDer(const std::string& pem) {
  std::vector<std::string> out;
  bssl::UniquePtr<BIO> bio(BIO_new_mem_buf(pem.data(), pem.size()));
  while (bssl::UniquePtr<X509> cert{
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
    uint8_t* der = nullptr;
    const int length = i2d_X509(cert.get(), &der);
    out.emplace_back(reinterpret_cast<const char*>(der), length);
    OPENSSL_free(der);
  }
  return out;
}

std::string MakePki(const std::string& name, const std::string& flags) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  const std::string command = "mkdir -p " + dir +
                              " && tools/certs/make_test_pki --out-dir " +
                              dir + " " + flags;
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return dir;
}

TEST(MakeTestPkiTest, WritesATrustedChainAndItsKey) {
  const std::string dir =
      MakePki("ok", "--name mx.example.com --name '*.example.com'");
  auto store = TrustStore::LoadFile(dir + "/ca.pem");
  ASSERT_TRUE(store.ok()) << store.status();
  const std::vector<std::string> chain = PemToDer(ReadFile(dir + "/chain.pem"));
  ASSERT_EQ(chain.size(), 2u);
  const CertificateVerdict verdict = JudgeCertificateChain(
      **store, chain, "a.example.com", std::time(nullptr));
  EXPECT_TRUE(verdict.trusted) << verdict.verify_error;
  EXPECT_TRUE(verdict.hostname_match);
  EXPECT_NE(ReadFile(dir + "/key.pem").find("-----BEGIN PRIVATE KEY-----"),
            std::string::npos);
}

TEST(MakeTestPkiTest, SelfSignedAndExpired) {
  const std::string dir = MakePki(
      "bad", "--name mx.example.com --self-signed --key rsa1024 "
             "--not-before 1000000000 --not-after 1100000000");
  auto store = TrustStore::LoadFile(dir + "/ca.pem");
  ASSERT_TRUE(store.ok()) << store.status();
  const std::vector<std::string> chain = PemToDer(ReadFile(dir + "/chain.pem"));
  ASSERT_EQ(chain.size(), 1u);
  const CertificateVerdict verdict = JudgeCertificateChain(
      **store, chain, "mx.example.com", std::time(nullptr));
  EXPECT_FALSE(verdict.trusted);
  EXPECT_EQ(verdict.verify_error, "self-signed certificate");
  EXPECT_TRUE(verdict.expired);
  EXPECT_EQ(verdict.leaf()->key_type, "RSA");
  EXPECT_EQ(verdict.leaf()->key_bits, 1024u);
}

TEST(MakeTestPkiTest, RefusesAMissingName) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR"));
  EXPECT_NE(std::system(("tools/certs/make_test_pki --out-dir " + dir +
                         " 2>/dev/null")
                            .c_str()),
            0);
}

}  // namespace
}  // namespace mxscan::tls
