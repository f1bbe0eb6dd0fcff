#ifndef MXSCAN_TESTS_TLS_TEST_PKI_H_
#define MXSCAN_TESTS_TLS_TEST_PKI_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scanner/tls/trust_store.h"
#include "tools/certs/cert_factory.h"

namespace mxscan::tls::testing {

// The instant every test judges at (2023-11-14T22:13:20Z).
inline constexpr int64_t kNow = 1700000000;
inline constexpr int64_t kDay = 86400;
inline constexpr int64_t kYear = 365 * kDay;

// Must returns the value of `result`, or aborts the test binary saying
// why: set-up failures are not what the tests are about.
template <typename T>
T Must(absl::StatusOr<T> result);

// A root CA, an intermediate under it, a trust store holding only the
// root, and P-256 keys to reuse; made once per test binary (see Shared()).
struct TestPki {
  certs::PrivateKey root_key;
  certs::IssuedCert root;
  certs::PrivateKey intermediate_key;
  certs::IssuedCert intermediate;
  certs::PrivateKey leaf_key;  // for every leaf that needs no special key
  std::shared_ptr<const TrustStore> store;

  // Shared is the binary-wide instance (thread-safe initialisation).
  static const TestPki& Shared();

  // Leaf issues a server certificate for `names` under the intermediate,
  // valid from `not_before` to `not_after`.
  certs::IssuedCert Leaf(std::vector<std::string> names,
                         int64_t not_before = kNow - 30 * kDay,
                         int64_t not_after = kNow + 60 * kDay) const;
  // Chain returns {leaf, intermediate} as DER, as a server presents it.
  std::vector<std::string> Chain(const certs::IssuedCert& leaf) const;
};

// A self-contained second hierarchy, trusted by nobody.
struct OtherPki {
  certs::IssuedCert root;
  certs::IssuedCert intermediate;
  static const OtherPki& Shared();
};

}  // namespace mxscan::tls::testing

#endif  // MXSCAN_TESTS_TLS_TEST_PKI_H_
