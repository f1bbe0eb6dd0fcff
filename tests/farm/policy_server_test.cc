#include "tools/farm/policy_server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::farm {
namespace {

using Then = Step::Then;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kPolicy[] =
    "version: STSv1\nmode: testing\nmx: *.a.sim\nmax_age: 600\n";

class PolicyServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = getenv("TEST_TMPDIR");
    dir_ = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/policies.", getpid());
    mkdir(dir_.c_str(), 0700);
    std::ofstream(absl::StrCat(dir_, "/a.sim")) << kPolicy;
    std::ofstream(absl::StrCat(dir_, "/b.sim")) << kPolicy;
    std::map<std::string, HttpsSite> sites;
    for (auto [host, behaviour] : {std::pair<std::string, HttpsBehaviour>{
                                       "mta-sts.b.sim", HttpsBehaviour::kHuge},
                                   {"mta-sts.r.sim", HttpsBehaviour::kRedirect},
                                   {"mta-sts.s.sim", HttpsBehaviour::kSlow}}) {
      HttpsSite site;
      site.host = host;
      site.behaviour = behaviour;
      site.delay_ms = 700;
      sites[host] = site;
    }
    store_ = std::make_unique<PolicyStore>(dir_, sites);
  }

  // One exchange: SNI `sni`, then `request` in one piece.
  Step Exchange(const std::string& sni, const std::string& request) {
    PolicyExchange exchange(*store_);
    exchange.Start();
    exchange.OnTlsEstablished(sni);
    Step step = exchange.OnBytes(request);
    if (step.then == Then::kWait) {
      EXPECT_EQ(step.send, "");
      step = exchange.OnTimer();
    }
    return step;
  }

  static std::string Get(const std::string& path, const std::string& host) {
    return absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: ", host, "\r\n\r\n");
  }

  std::string dir_;
  std::unique_ptr<PolicyStore> store_;
};

TEST_F(PolicyServerTest, ServesThePolicyBySni) {
  const Step step = Exchange("mta-sts.a.sim", Get(PolicyExchange::kPath, "x"));
  EXPECT_EQ(step.send,
            absl::StrCat("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                         "Content-Length: ",
                         sizeof(kPolicy) - 1, "\r\nConnection: close\r\n\r\n",
                         kPolicy));
  EXPECT_EQ(step.then, Then::kClose);
}

TEST_F(PolicyServerTest, HostHeaderWithoutSni) {
  EXPECT_THAT(
      Exchange("", Get(PolicyExchange::kPath, "MTA-STS.a.sim:443")).send,
      StartsWith("HTTP/1.1 200 OK\r\n"));
}

TEST_F(PolicyServerTest, RequestInPieces) {
  PolicyExchange exchange(*store_);
  exchange.OnTlsEstablished("mta-sts.a.sim");
  const std::string request = Get(PolicyExchange::kPath, "mta-sts.a.sim");
  Step step;
  for (char c : request) step = exchange.OnBytes(std::string(1, c));
  EXPECT_THAT(step.send, StartsWith("HTTP/1.1 200 OK\r\n"));
}

TEST_F(PolicyServerTest, NotFoundAndErrors) {
  EXPECT_THAT(Exchange("mta-sts.zz.sim", Get(PolicyExchange::kPath, "")).send,
              StartsWith("HTTP/1.1 404 "));
  EXPECT_THAT(Exchange("mta-sts.a.sim", Get("/", "")).send,
              StartsWith("HTTP/1.1 404 "));
  EXPECT_THAT(Exchange("a.sim", Get(PolicyExchange::kPath, "")).send,
              StartsWith("HTTP/1.1 404 "));
  EXPECT_THAT(Exchange("", Get(PolicyExchange::kPath, "mta-sts.../etc")).send,
              StartsWith("HTTP/1.1 404 "));
  EXPECT_THAT(Exchange("mta-sts.a.sim", "POST / HTTP/1.1\r\n\r\n").send,
              StartsWith("HTTP/1.1 405 "));
  EXPECT_THAT(Exchange("mta-sts.a.sim", "nonsense\r\n\r\n").send,
              StartsWith("HTTP/1.1 400 "));
  PolicyExchange exchange(*store_);
  const Step step =
      exchange.OnBytes(std::string(PolicyExchange::kMaxHead + 1, 'a'));
  EXPECT_THAT(step.send, StartsWith("HTTP/1.1 431 "));
  EXPECT_EQ(step.then, Then::kClose);
}

TEST_F(PolicyServerTest, HostBehaviours) {
  const std::string redirect =
      Exchange("mta-sts.r.sim", Get(PolicyExchange::kPath, "")).send;
  EXPECT_THAT(redirect, StartsWith("HTTP/1.1 301 "));
  EXPECT_THAT(redirect, HasSubstr("\r\nLocation: https://mta-sts.r.sim/"));

  const std::string huge =
      Exchange("mta-sts.b.sim", Get(PolicyExchange::kPath, "")).send;
  const size_t body = huge.find("\r\n\r\n") + 4;
  EXPECT_EQ(huge.size() - body, PolicyExchange::kHugeBody);
  EXPECT_EQ(huge.substr(body, sizeof(kPolicy) - 1), kPolicy);

  PolicyExchange slow(*store_);
  slow.OnTlsEstablished("mta-sts.s.sim");
  // Even the 404 of a slow host waits.
  const Step wait = slow.OnBytes(Get(PolicyExchange::kPath, ""));
  EXPECT_EQ(wait.then, Then::kWait);
  EXPECT_EQ(wait.wait_ms, 700);
  const Step answer = slow.OnTimer();
  EXPECT_THAT(answer.send, StartsWith("HTTP/1.1 404 "));
  EXPECT_EQ(answer.then, Then::kClose);
}

}  // namespace
}  // namespace mxscan::farm
