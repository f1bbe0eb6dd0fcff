// JudgeCertificateChain with an IssuerCache (certificate_judge.h): the
// verdict equals the one judged without, whatever the cache already
// holds, and the cache keeps what it should.

#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "scanner/tls/certificate_judge.h"
#include "scanner/tls/parsed_chain.h"
#include "scanner/tls/verdict_cache.h"
#include "tests/tls/test_pki.h"

namespace mxscan::tls {
namespace {

using ::mxscan::tls::testing::kDay;
using ::mxscan::tls::testing::kNow;
using ::mxscan::tls::testing::kYear;
using ::mxscan::tls::testing::Must;
using ::mxscan::tls::testing::OtherPki;
using ::mxscan::tls::testing::TestPki;

const TestPki& Pki() { return TestPki::Shared(); }

// Every field, as a tuple gtest can compare and print.
auto Fields(const CertificateFacts& f) {
  return std::tie(f.sha256, f.parsed, f.subject, f.issuer, f.not_before,
                  f.not_after, f.validity_readable, f.dns_names, f.common_names,
                  f.san_malformed, f.key_type, f.key_curve, f.key_bits,
                  f.spki_sha256, f.signature_algorithm, f.embedded_scts,
                  f.sct_list_malformed);
}

auto Fields(const CertificateVerdict& v) {
  return std::tie(v.trusted, v.verify_error, v.verify_error_code,
                  v.hostname_match, v.expired);
}

void ExpectSameVerdict(const CertificateVerdict& a, const CertificateVerdict& b,
                       const std::string& what) {
  EXPECT_EQ(Fields(a), Fields(b)) << what;
  ASSERT_EQ(a.certificates.size(), b.certificates.size()) << what;
  for (size_t i = 0; i < a.certificates.size(); ++i) {
    EXPECT_EQ(Fields(a.certificates[i]), Fields(b.certificates[i]))
        << what << ", certificate " << i;
  }
}

// `der` with its last byte changed: for an ECDSA certificate the last
// byte of the signature's s, so the bytes still parse and name the same
// subject, issuer and keys, but the signature no longer verifies.
std::string WithBadSignature(std::string der) {
  der.back() = static_cast<char>(der.back() ^ 0x01);
  return der;
}

struct Case {
  std::string name;
  std::vector<std::string> chain;
  std::string host = "mx.example.com";
  int64_t time = kNow;
  // What the uncached verdict says, so that the case tests what it names.
  bool trusted;
  std::string verify_error;
};

std::vector<Case> Cases() {
  const TestPki& pki = Pki();
  const OtherPki& other = OtherPki::Shared();
  const certs::IssuedCert leaf = pki.Leaf({"mx.example.com"});
  const certs::IssuedCert expired =
      pki.Leaf({"mx.example.com"}, kNow - 90 * kDay, kNow - kDay);
  const certs::IssuedCert not_yet =
      pki.Leaf({"mx.example.com"}, kNow + kDay, kNow + 90 * kDay);
  const certs::IssuedCert ends_now =
      pki.Leaf({"mx.example.com"}, kNow - kDay, kNow);
  const certs::IssuedCert starts_now =
      pki.Leaf({"mx.example.com"}, kNow, kNow + kDay);
  const certs::IssuedCert wrong_name = pki.Leaf({"mail.example.net"});
  const certs::IssuedCert self_signed = Must(certs::IssueCertificate(
      certs::LeafSpec({"mx.example.com"}, kNow - kDay, kNow + kDay),
      pki.leaf_key, nullptr));
  const certs::IssuedCert untrusted_leaf = Must(certs::IssueCertificate(
      certs::LeafSpec({"mx.example.com"}, kNow - kDay, kNow + kDay),
      pki.leaf_key, &other.intermediate));
  // The intermediate again, same subject and key, other bytes: re-issued
  // (a new serial), expired, not yet valid.
  const certs::IssuedCert reissued = Must(certs::IssueCertificate(
      certs::CaSpec("mxscan Test Intermediate", kNow - kYear, kNow + kYear),
      pki.intermediate_key, &pki.root));
  const certs::IssuedCert expired_intermediate = Must(certs::IssueCertificate(
      certs::CaSpec("mxscan Test Intermediate", kNow - 2 * kYear, kNow - kDay),
      pki.intermediate_key, &pki.root));
  const certs::IssuedCert future_intermediate = Must(certs::IssueCertificate(
      certs::CaSpec("mxscan Test Intermediate", kNow + kDay, kNow + kYear),
      pki.intermediate_key, &pki.root));
  // The intermediate under a root of the same name and another key.
  const certs::PrivateKey impostor_key =
      Must(certs::PrivateKey::Generate(certs::KeyType::kEcP256));
  const certs::IssuedCert impostor_root = Must(certs::IssueCertificate(
      certs::CaSpec("mxscan Test Root", kNow - kYear, kNow + kYear),
      impostor_key, nullptr));
  const certs::IssuedCert impostor_intermediate = Must(certs::IssueCertificate(
      certs::CaSpec("mxscan Test Intermediate", kNow - kYear, kNow + kYear),
      pki.intermediate_key, &impostor_root));
  const certs::PrivateKey rsa_key =
      Must(certs::PrivateKey::Generate(certs::KeyType::kRsa2048));
  const certs::IssuedCert rsa_leaf = Must(certs::IssueCertificate(
      certs::LeafSpec({"mx.example.com"}, kNow - kDay, kNow + kDay), rsa_key,
      &pki.intermediate));

  const std::string& good = pki.intermediate.der();
  std::vector<std::string> overlong = pki.Chain(leaf);
  while (overlong.size() < kMaxChainLength + 2) overlong.push_back(good);
  const char kExpired[] = "certificate has expired";
  const char kNoIssuer[] = "unable to get local issuer certificate";
  const char kBadSignature[] = "certificate signature failure";
  return {
      {"valid", pki.Chain(leaf), "mx.example.com", kNow, true, ""},
      {"valid again", pki.Chain(leaf), "mx.example.com", kNow, true, ""},
      {"valid, RSA leaf", pki.Chain(rsa_leaf), "mx.example.com", kNow, true,
       ""},
      {"wrong name", pki.Chain(wrong_name), "mx.example.com", kNow, true, ""},
      {"expired leaf", pki.Chain(expired), "mx.example.com", kNow, false,
       kExpired},
      {"later scan", pki.Chain(leaf), "mx.example.com", kNow + 61 * kDay, false,
       kExpired},
      {"leaf not yet valid", pki.Chain(not_yet), "mx.example.com", kNow, false,
       "certificate is not yet valid"},
      {"leaf ends at the scan time", pki.Chain(ends_now), "mx.example.com",
       kNow, false, kExpired},
      {"leaf starts at the scan time", pki.Chain(starts_now), "mx.example.com",
       kNow, true, ""},
      {"missing intermediate",
       {leaf.der()},
       "mx.example.com",
       kNow,
       false,
       kNoIssuer},
      {"self-signed",
       {self_signed.der()},
       "mx.example.com",
       kNow,
       false,
       "self-signed certificate"},
      {"untrusted root",
       certs::ChainDer({&untrusted_leaf, &other.intermediate, &other.root}),
       "mx.example.com", kNow, false,
       "self-signed certificate in certificate chain"},
      {"untrusted, no root",
       certs::ChainDer({&untrusted_leaf, &other.intermediate}),
       "mx.example.com", kNow, false, kNoIssuer},
      {"root in the chain, any order",
       certs::ChainDer({&leaf, &pki.root, &pki.intermediate}), "mx.example.com",
       kNow, true, ""},
      {"intermediate re-issued", certs::ChainDer({&leaf, &reissued}),
       "mx.example.com", kNow, true, ""},
      {"intermediate expired", certs::ChainDer({&leaf, &expired_intermediate}),
       "mx.example.com", kNow, false, kExpired},
      {"intermediate not yet valid",
       certs::ChainDer({&leaf, &future_intermediate}), "mx.example.com", kNow,
       false, "certificate is not yet valid"},
      {"intermediate under an impostor root",
       certs::ChainDer({&leaf, &impostor_intermediate}), "mx.example.com", kNow,
       false, kNoIssuer},
      {"intermediate's signature changed",
       {leaf.der(), WithBadSignature(good)},
       "mx.example.com",
       kNow,
       false,
       kBadSignature},
      {"leaf's signature changed",
       {WithBadSignature(leaf.der()), good},
       "mx.example.com",
       kNow,
       false,
       kBadSignature},
      {"valid after the changed ones", pki.Chain(leaf), "mx.example.com", kNow,
       true, ""},
      {"garbage intermediate",
       {leaf.der(), "\x30\x03\x02\x01"},
       "mx.example.com",
       kNow,
       false,
       "certificate 1: not a DER certificate"},
      {"overlong", overlong, "mx.example.com", kNow, false,
       "certificate chain of 12 certificates exceeds the limit of 10"},
      {"empty", {}, "mx.example.com", kNow, false, "no certificate presented"},
  };
}

TEST(IssuerCacheTest, VerdictsEqualTheUncachedOnes) {
  const std::vector<Case> cases = Cases();
  IssuerCache warm;  // shared by every case, in order, twice
  for (int round = 0; round < 2; ++round) {
    for (const Case& c : cases) {
      const std::string what =
          c.name + " (round " + std::to_string(round) + ")";
      const CertificateVerdict plain =
          JudgeCertificateChain(*Pki().store, c.chain, c.host, c.time);
      EXPECT_EQ(plain.trusted, c.trusted) << what;
      EXPECT_EQ(plain.verify_error, c.verify_error) << what;
      IssuerCache cold;
      ExpectSameVerdict(
          JudgeCertificateChain(*Pki().store, c.chain, c.host, c.time, &cold),
          plain, what + ", cold cache");
      ExpectSameVerdict(
          JudgeCertificateChain(*Pki().store, c.chain, c.host, c.time, &warm),
          plain, what + ", warm cache");
    }
  }
  // The links above the leaf were checked once each and then remembered.
  EXPECT_GT(warm.signatures().hits(), 0u);
  EXPECT_GT(warm.hits(), 0u);
}

TEST(IssuerCacheTest, ANewLeafUnderAKnownIntermediateReusesIt) {
  IssuerCache cache;
  for (int i = 0; i < 3; ++i) {
    const std::string host = "mx" + std::to_string(i) + ".example.com";
    const CertificateVerdict verdict = JudgeCertificateChain(
        *Pki().store, Pki().Chain(Pki().Leaf({host})), host, kNow, &cache);
    EXPECT_TRUE(verdict.trusted) << verdict.verify_error;
    EXPECT_TRUE(verdict.hostname_match);
  }
  // The intermediate was parsed once; its link to the root verified once;
  // each leaf's own signature is never remembered.
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 2u);
  EXPECT_EQ(cache.signatures().size(), 1u);
  EXPECT_EQ(cache.signatures().misses(), 1u);
  EXPECT_EQ(cache.signatures().hits(), 2u);
}

TEST(IssuerCacheTest, AChangedIntermediateIsNotTakenForTheKnownOne) {
  IssuerCache cache;
  const certs::IssuedCert leaf = Pki().Leaf({"mx.example.com"});
  ASSERT_TRUE(JudgeCertificateChain(*Pki().store, Pki().Chain(leaf),
                                    "mx.example.com", kNow, &cache)
                  .trusted);
  const CertificateVerdict changed = JudgeCertificateChain(
      *Pki().store, {leaf.der(), WithBadSignature(Pki().intermediate.der())},
      "mx.example.com", kNow, &cache);
  EXPECT_FALSE(changed.trusted);
  EXPECT_EQ(changed.verify_error, "certificate signature failure");
  EXPECT_EQ(cache.size(), 2u);  // both kept, by their bytes
  EXPECT_EQ(cache.signatures().size(), 2u);
  EXPECT_EQ(cache.signatures().hits(), 0u);
}

TEST(IssuerCacheTest, Bounded) {
  const certs::IssuedCert leaf = Pki().Leaf({"mx.example.com"});
  const certs::IssuedCert reissued = Must(certs::IssueCertificate(
      certs::CaSpec("mxscan Test Intermediate", kNow - kYear, kNow + kYear),
      Pki().intermediate_key, &Pki().root));
  const std::vector<std::string> a = Pki().Chain(leaf);
  const std::vector<std::string> b = certs::ChainDer({&leaf, &reissued});

  IssuerCache one(/*max_certificates=*/1, IssuerCache::kDefaultBytes,
                  /*max_signatures=*/1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(
        JudgeCertificateChain(*Pki().store, a, "mx.example.com", kNow, &one)
            .trusted);
    EXPECT_TRUE(
        JudgeCertificateChain(*Pki().store, b, "mx.example.com", kNow, &one)
            .trusted);
    EXPECT_EQ(one.size(), 1u);
    EXPECT_EQ(one.signatures().size(), 1u);
  }
  EXPECT_EQ(one.hits(), 0u);  // each evicted the other
  EXPECT_EQ(one.bytes(), reissued.der().size());

  // A byte budget smaller than the intermediate keeps nothing.
  IssuerCache small(IssuerCache::kDefaultCertificates,
                    /*max_bytes=*/a[1].size() - 1);
  EXPECT_TRUE(
      JudgeCertificateChain(*Pki().store, a, "mx.example.com", kNow, &small)
          .trusted);
  EXPECT_EQ(small.size(), 0u);
  EXPECT_EQ(small.bytes(), 0u);

  // Nothing at all.
  IssuerCache none(0, 0, 0);
  EXPECT_TRUE(
      JudgeCertificateChain(*Pki().store, a, "mx.example.com", kNow, &none)
          .trusted);
  EXPECT_EQ(none.size(), 0u);
  EXPECT_EQ(none.signatures().size(), 0u);
}

TEST(IssuerCacheTest, GarbageIsNotKept) {
  IssuerCache cache;
  const CertificateVerdict verdict = JudgeCertificateChain(
      *Pki().store, {Pki().Leaf({"mx.example.com"}).der(), "junk"},
      "mx.example.com", kNow, &cache);
  EXPECT_EQ(verdict.verify_error, "certificate 1: not a DER certificate");
  EXPECT_EQ(cache.size(), 0u);
}

TEST(IssuerCacheTest, TheVerdictCacheJudgesWithOne) {
  VerdictCache verdicts(Pki().store);
  for (const char* host : {"a.example", "b.example"}) {
    EXPECT_TRUE(
        verdicts.Judge(Pki().Chain(Pki().Leaf({host})), host, kNow)->trusted);
  }
  EXPECT_EQ(verdicts.issuers().hits(), 1u);
  EXPECT_EQ(verdicts.issuers().signatures().hits(), 1u);
}

}  // namespace
}  // namespace mxscan::tls
