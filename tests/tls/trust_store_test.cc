#include "scanner/tls/trust_store.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/tls/certificate_judge.h"
#include "tests/tls/test_pki.h"

namespace mxscan::tls {
namespace {

using ::mxscan::tls::testing::kNow;
using ::mxscan::tls::testing::TestPki;
using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

std::string WriteFile(const std::string& name, const std::string& content) {
  const std::string path = TempPath(name);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(TrustStoreTest, LoadsTheDebianBundle) {
  absl::StatusOr<std::shared_ptr<const TrustStore>> store =
      TrustStore::LoadFile(kDefaultCaFile);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_GT((*store)->size(), 100u);
  // Our own test chain leads to none of those roots.
  const TestPki& pki = TestPki::Shared();
  const CertificateVerdict verdict = JudgeCertificateChain(
      **store, pki.Chain(pki.Leaf({"mx.example.com"})), "mx.example.com", kNow);
  EXPECT_FALSE(verdict.trusted);
  EXPECT_EQ(verdict.verify_error, "unable to get local issuer certificate");
}

TEST(TrustStoreTest, MissingFile) {
  const absl::StatusOr<std::shared_ptr<const TrustStore>> store =
      TrustStore::LoadFile(TempPath("no-such-bundle.pem"));
  EXPECT_EQ(store.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(store.status().message(), HasSubstr("no-such-bundle.pem"));
}

TEST(TrustStoreTest, EmptyFile) {
  const absl::StatusOr<std::shared_ptr<const TrustStore>> store =
      TrustStore::LoadFile(WriteFile("empty.pem", ""));
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(store.status().message(), HasSubstr("holds no PEM certificate"));
}

TEST(TrustStoreTest, GarbageFile) {
  const absl::StatusOr<std::shared_ptr<const TrustStore>> store =
      TrustStore::LoadFile(WriteFile("garbage.pem", "\x01\x02 garbage\n\xFF"));
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(store.status().message(), HasSubstr("garbage.pem"));
}

TEST(TrustStoreTest, CorruptBlockIsNamed) {
  const TestPki& pki = TestPki::Shared();
  const std::string bad =
      "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n";
  const absl::StatusOr<std::shared_ptr<const TrustStore>> store =
      TrustStore::FromPem(pki.root.Pem() + bad, "bundle.pem");
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(store.status().message(),
              HasSubstr("bundle.pem: certificate block 2 does not decode"));
}

TEST(TrustStoreTest, SkipsTextAndKeysAndStoresDuplicatesOnce) {
  const TestPki& pki = TestPki::Shared();
  const std::string pem = "# a comment line\n" + pki.root.Pem() +
                          pki.root_key.ToPem() + "text between blocks\n" +
                          pki.intermediate.Pem() + pki.root.Pem();
  const absl::StatusOr<std::shared_ptr<const TrustStore>> store =
      TrustStore::LoadFile(WriteFile("mixed.pem", pem));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->size(), 2u);
}

TEST(TrustStoreTest, FromDerRefusesGarbage) {
  EXPECT_FALSE(TrustStore::FromDer({}).ok());
  const absl::StatusOr<std::shared_ptr<const TrustStore>> store =
      TrustStore::FromDer({"junk"});
  EXPECT_THAT(store.status().message(), HasSubstr("trusted certificate 0"));
}

TEST(TrustStoreTest, SharedByThreads) {
  const TestPki& pki = TestPki::Shared();
  const std::vector<std::string> good = pki.Chain(pki.Leaf({"mx.example.com"}));
  const std::vector<std::string> missing = {good[0]};
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      IssuerCache cache;  // each thread its own
      for (int i = 0; i < 200; ++i) {
        const bool want = i % 2 == 0;
        const CertificateVerdict verdict = JudgeCertificateChain(
            *pki.store, want ? good : missing, "mx.example.com", kNow);
        if (verdict.trusted != want) ++failures[t];
        if (JudgeCertificateChain(*pki.store, want ? good : missing,
                                  "mx.example.com", kNow, &cache)
                .trusted != want) {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace mxscan::tls
