// The HTTPS fetch (the MTA-STS policy) against the farm's policy server
// on the test's own loop, on 127.0.0.1 and on ::1: the policy, and each
// way a fetch fails (redirect, size limit, timeout, refused connection,
// a server that does not speak TLS).

#include "scanner/https/https_fetch.h"

#include <uv.h>

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/testing/dead_ends.h"
#include "tests/testing/loopback_farm.h"

namespace mxscan::https {
namespace {

using ::mxscan::testing::DeadEnd;
using ::mxscan::testing::LoopbackFarmTest;

constexpr char kBehaviours[] = R"json({
  "127.80.0.2": {"behaviour": "valid", "names": ["mx.valid.sim"]},
  "mta-sts.redirect.sim": {"behaviour": "redirect"},
  "mta-sts.huge.sim":     {"behaviour": "huge"},
  "mta-sts.slow.sim":     {"behaviour": "slow", "delay_ms": 5000}
})json";

constexpr char kPolicy[] =
    "version: STSv1\nmode: enforce\nmx: mx.valid.sim\nmax_age: 86400\n";
constexpr char kPath[] = "/.well-known/mta-sts.txt";

class HttpsFetchTest : public LoopbackFarmTest {
 protected:
  HttpsFetchTest()
      : LoopbackFarmTest(kBehaviours, {{"valid.sim", kPolicy},
                                       {"redirect.sim", kPolicy},
                                       {"huge.sim", kPolicy},
                                       {"slow.sim", kPolicy}}) {}

  FetchResult Fetch(const sockaddr* address, const std::string& host,
                    const FetchOptions& options = {}) {
    return Await<FetchResult>([&](auto done) {
      FetchHttps(loop(), address, host, kPath, *context_, options,
                 std::move(done));
    });
  }

  static FetchOptions Quick() {
    FetchOptions options;
    options.timeout_ms = 300;
    return options;
  }
};

void ExpectStatus(const FetchResult& r, absl::StatusCode code,
                  absl::string_view message) {
  EXPECT_EQ(r.status.code(), code);
  EXPECT_EQ(r.status.message(), message);
}

TEST_F(HttpsFetchTest, PolicyFromIpv4AndIpv6) {
  for (const std::string ip : {"127.0.0.1", "::1"}) {
    SCOPED_TRACE(ip);
    const FetchResult r = Fetch(Https(ip), "mta-sts.valid.sim");
    EXPECT_TRUE(r.status.ok()) << r.status;
    EXPECT_EQ(r.http_status, 200);
    EXPECT_EQ(r.content_type, "text/plain");
    EXPECT_EQ(r.body, kPolicy);
    ASSERT_TRUE(r.tls_done);
    EXPECT_EQ(r.tls.version, "TLSv1.3");
    EXPECT_EQ(r.tls.chain_der.size(), 2u);
  }
}

TEST_F(HttpsFetchTest, NotFoundIsAnAnswer) {
  const FetchResult r = Fetch(Https("::1"), "mta-sts.unknown.sim");
  EXPECT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.http_status, 404);
}

TEST_F(HttpsFetchTest, RedirectIsNotFollowed) {
  const FetchResult r = Fetch(Https("127.0.0.1"), "mta-sts.redirect.sim");
  ExpectStatus(r, absl::StatusCode::kFailedPrecondition,
               "HTTP 301 redirect to "
               "\"https://mta-sts.redirect.sim/.well-known/mta-sts-moved.txt\" "
               "(not followed, RFC 8461 section 3.3)");
  EXPECT_EQ(r.http_status, 301);
}

TEST_F(HttpsFetchTest, BodyOverTheLimit) {
  const FetchResult r = Fetch(Https("::1"), "mta-sts.huge.sim");
  ExpectStatus(r, absl::StatusCode::kDataLoss,
               "body of 1048576 bytes exceeds the limit of 65536");
  EXPECT_TRUE(r.tls_done);
}

TEST_F(HttpsFetchTest, SlowServerTimesOut) {
  const FetchResult r = Fetch(Https("127.0.0.1"), "mta-sts.slow.sim", Quick());
  ExpectStatus(r, absl::StatusCode::kDeadlineExceeded, "HTTPS fetch timed out");
  EXPECT_TRUE(r.tls_done);
}

TEST_F(HttpsFetchTest, ConnectionRefused) {
  DeadEnd refusing(DeadEnd::Kind::kRefused);
  const FetchResult r = Fetch(refusing.address(), "mta-sts.valid.sim");
  ExpectStatus(r, absl::StatusCode::kUnavailable,
               "connect: connection refused");
  EXPECT_FALSE(r.tls_done);
}

TEST_F(HttpsFetchTest, ConnectTimesOut) {
  DeadEnd hanging(DeadEnd::Kind::kHanging);
  const FetchResult r = Fetch(hanging.address(), "mta-sts.valid.sim", Quick());
  ExpectStatus(r, absl::StatusCode::kDeadlineExceeded, "HTTPS fetch timed out");
  EXPECT_FALSE(r.tls_done);
}

TEST_F(HttpsFetchTest, ServerWithoutTls) {
  const FetchResult r = Fetch(Smtp("127.80.0.2"), "mta-sts.valid.sim");
  ExpectStatus(r, absl::StatusCode::kUnavailable,
               "TLS handshake: error:100000f7:SSL routines:OPENSSL_internal:"
               "WRONG_VERSION_NUMBER");
  EXPECT_FALSE(r.tls_done);
}

}  // namespace
}  // namespace mxscan::https
