#include "tests/tls/test_pki.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace mxscan::tls::testing {

template <typename T>
T Must(absl::StatusOr<T> result) {
  if (!result.ok()) {
    std::fprintf(stderr, "test PKI set-up failed: %s\n",
                 result.status().ToString().c_str());
    std::abort();
  }
  return *std::move(result);
}

template certs::PrivateKey Must(absl::StatusOr<certs::PrivateKey>);
template certs::IssuedCert Must(absl::StatusOr<certs::IssuedCert>);
template std::shared_ptr<const TrustStore> Must(
    absl::StatusOr<std::shared_ptr<const TrustStore>>);

namespace {

TestPki MakeTestPki() {
  certs::PrivateKey root_key =
      Must(certs::PrivateKey::Generate(certs::KeyType::kEcP256));
  certs::IssuedCert root = Must(certs::IssueCertificate(
      certs::CaSpec("mxscan Test Root", kNow - 5 * kYear, kNow + 10 * kYear),
      root_key, nullptr));
  certs::PrivateKey intermediate_key =
      Must(certs::PrivateKey::Generate(certs::KeyType::kEcP256));
  certs::IssuedCert intermediate = Must(certs::IssueCertificate(
      certs::CaSpec("mxscan Test Intermediate", kNow - 2 * kYear,
                    kNow + 5 * kYear),
      intermediate_key, &root));
  certs::PrivateKey leaf_key =
      Must(certs::PrivateKey::Generate(certs::KeyType::kEcP256));
  std::shared_ptr<const TrustStore> store =
      Must(TrustStore::FromDer({root.der()}));
  return TestPki{std::move(root_key),         std::move(root),
                 std::move(intermediate_key), std::move(intermediate),
                 std::move(leaf_key),         std::move(store)};
}

OtherPki MakeOtherPki() {
  certs::PrivateKey key =
      Must(certs::PrivateKey::Generate(certs::KeyType::kEcP256));
  certs::IssuedCert root = Must(certs::IssueCertificate(
      certs::CaSpec("Untrusted Root", kNow - kYear, kNow + kYear), key,
      nullptr));
  certs::PrivateKey intermediate_key =
      Must(certs::PrivateKey::Generate(certs::KeyType::kEcP256));
  certs::IssuedCert intermediate = Must(certs::IssueCertificate(
      certs::CaSpec("Untrusted Intermediate", kNow - kYear, kNow + kYear),
      intermediate_key, &root));
  return OtherPki{std::move(root), std::move(intermediate)};
}

}  // namespace

const TestPki& TestPki::Shared() {
  static const TestPki* const pki = new TestPki(MakeTestPki());
  return *pki;
}

certs::IssuedCert TestPki::Leaf(std::vector<std::string> names,
                                int64_t not_before, int64_t not_after) const {
  return Must(certs::IssueCertificate(
      certs::LeafSpec(std::move(names), not_before, not_after), leaf_key,
      &intermediate));
}

std::vector<std::string> TestPki::Chain(const certs::IssuedCert& leaf) const {
  return certs::ChainDer({&leaf, &intermediate});
}

const OtherPki& OtherPki::Shared() {
  static const OtherPki* const pki = new OtherPki(MakeOtherPki());
  return *pki;
}

}  // namespace mxscan::tls::testing
