// VerifyChain through a store with EnableSignatureMemo against BoringSSL's
// own path validation, the SignatureMemo, and the digests it keys on
// (RecordSha256, parsed_chain.h).

#include "scanner/tls/chain_verifier.h"

#include <openssl/x509.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "scanner/tls/digest.h"
#include "scanner/tls/parsed_chain.h"
#include "tests/tls/test_pki.h"

namespace mxscan::tls {
namespace {

using ::mxscan::tls::testing::kDay;
using ::mxscan::tls::testing::kNow;
using ::mxscan::tls::testing::Must;
using ::mxscan::tls::testing::TestPki;

const TestPki& Pki() { return TestPki::Shared(); }

bssl::UniquePtr<X509> Parsed(const std::string& der, bool record) {
  absl::StatusOr<bssl::UniquePtr<X509>> cert = ParseCertificate(der);
  if (!cert.ok()) return nullptr;
  if (record) RecordSha256(cert->get(), Sha256(der));
  return *std::move(cert);
}

// A store of `anchors`, with or without EnableSignatureMemo.
bssl::UniquePtr<X509_STORE> StoreOf(const std::vector<X509*>& anchors,
                                    bool memo) {
  bssl::UniquePtr<X509_STORE> store(X509_STORE_new());
  if (memo) EnableSignatureMemo(store.get());
  for (X509* anchor : anchors) X509_STORE_add_cert(store.get(), anchor);
  return store;
}

TEST(RecordedSha256Test, RecordedOnTheObject) {
  bssl::UniquePtr<X509> cert = Parsed(Pki().root.der(), /*record=*/false);
  ASSERT_NE(cert, nullptr);
  EXPECT_TRUE(RecordedSha256(cert.get()).empty());
  ASSERT_TRUE(RecordSha256(cert.get(), Sha256(Pki().root.der())));
  EXPECT_EQ(RecordedSha256(cert.get()), Sha256(Pki().root.der()));
  ASSERT_TRUE(RecordSha256(cert.get(), "replaced"));  // the old one freed
  EXPECT_EQ(RecordedSha256(cert.get()), "replaced");
}

TEST(SignatureMemoTest, RemembersOutcomesByBothDigests) {
  bssl::UniquePtr<X509> root = Parsed(Pki().root.der(), true);
  bssl::UniquePtr<X509> intermediate = Parsed(Pki().intermediate.der(), true);
  SignatureMemo memo;
  EXPECT_EQ(memo.Check(intermediate.get(), root.get()), X509_V_OK);
  EXPECT_EQ(memo.Check(intermediate.get(), root.get()), X509_V_OK);
  // The root did not sign itself with the intermediate's key.
  EXPECT_EQ(memo.Check(root.get(), intermediate.get()),
            X509_V_ERR_CERT_SIGNATURE_FAILURE);
  EXPECT_EQ(memo.Check(root.get(), intermediate.get()),
            X509_V_ERR_CERT_SIGNATURE_FAILURE);
  // The same certificate under another issuer is another question.
  bssl::UniquePtr<X509> other_root =
      Parsed(testing::OtherPki::Shared().root.der(), true);
  EXPECT_EQ(memo.Check(intermediate.get(), other_root.get()),
            X509_V_ERR_CERT_SIGNATURE_FAILURE);
  EXPECT_EQ(memo.size(), 3u);
  EXPECT_EQ(memo.misses(), 3u);
  EXPECT_EQ(memo.hits(), 2u);
}

TEST(SignatureMemoTest, CertificatesWithoutDigestsAreAlwaysVerified) {
  bssl::UniquePtr<X509> root = Parsed(Pki().root.der(), true);
  bssl::UniquePtr<X509> intermediate =
      Parsed(Pki().intermediate.der(), /*record=*/false);
  SignatureMemo memo;
  EXPECT_EQ(memo.Check(intermediate.get(), root.get()), X509_V_OK);
  EXPECT_EQ(memo.Check(intermediate.get(), root.get()), X509_V_OK);
  EXPECT_EQ(memo.size(), 0u);
  EXPECT_EQ(memo.misses(), 2u);
}

TEST(SignatureMemoTest, FullMemoStartsAfresh) {
  bssl::UniquePtr<X509> root = Parsed(Pki().root.der(), true);
  bssl::UniquePtr<X509> intermediate = Parsed(Pki().intermediate.der(), true);
  SignatureMemo memo(/*capacity=*/1);
  memo.Check(intermediate.get(), root.get());
  memo.Check(root.get(), intermediate.get());
  EXPECT_EQ(memo.size(), 1u);
  memo.Check(root.get(), intermediate.get());
  EXPECT_EQ(memo.hits(), 1u);
}

struct Outcome {
  bool ok;
  int code;
};

Outcome Verify(const std::vector<std::string>& chain_der, X509* anchor,
               const VerifyOptions& options, bool memo_store) {
  std::vector<bssl::UniquePtr<X509>> certs;
  std::vector<X509*> intermediates;
  for (const std::string& der : chain_der) {
    certs.push_back(Parsed(der, /*record=*/true));
    if (certs.size() > 1) intermediates.push_back(certs.back().get());
  }
  bssl::UniquePtr<X509_STORE> store = StoreOf({anchor}, memo_store);
  const ChainVerification v =
      VerifyChain(certs[0].get(), intermediates, store.get(), options);
  EXPECT_EQ(v.error, VerifyErrorText(v.error_code));
  return {v.ok, v.error_code};
}

// The memo's path validation against BoringSSL's own, a chain at a time:
// with a root as anchor, and with the intermediate as a partial chain's
// anchor (DANE-TA), at times that make each certificate expire.
TEST(VerifyChainTest, WithTheMemoAsWithout) {
  bssl::UniquePtr<X509> root = Parsed(Pki().root.der(), true);
  bssl::UniquePtr<X509> intermediate = Parsed(Pki().intermediate.der(), true);
  const std::vector<std::string> chain =
      Pki().Chain(Pki().Leaf({"mx.example.com"}, kNow - kDay, kNow + kDay));
  std::string bad_leaf = chain[0];
  bad_leaf.back() = static_cast<char>(bad_leaf.back() ^ 1);
  SignatureMemo memo;
  for (const std::vector<std::string>& c :
       {chain, std::vector<std::string>{bad_leaf, chain[1]},
        std::vector<std::string>{chain[0]}}) {
    for (const int64_t time : {kNow, kNow + 2 * kDay, kNow - 2 * kDay,
                               kNow + 6 * 365 * kDay, kNow + 20 * 365 * kDay}) {
      for (const bool partial : {false, true}) {
        VerifyOptions options;
        options.time = time;
        options.partial_chain = partial;
        X509* anchor = partial ? intermediate.get() : root.get();
        const Outcome plain = Verify(c, anchor, options, false);
        options.memo = &memo;
        for (int round = 0; round < 2; ++round) {
          const Outcome memoized = Verify(c, anchor, options, true);
          EXPECT_EQ(memoized.ok, plain.ok)
              << "time " << time << " partial " << partial;
          EXPECT_EQ(memoized.code, plain.code)
              << "time " << time << " partial " << partial;
        }
      }
    }
  }
  EXPECT_GT(memo.hits(), 0u);
}

}  // namespace
}  // namespace mxscan::tls
