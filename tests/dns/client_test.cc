// The DNS client against the project's misbehaving server, in process, on
// one loop: every behaviour ends in exactly one classified result.

#include "scanner/dns/client.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/core/event_loop.h"
#include "scanner/core/uv_handle.h"
#include "scanner/dns/dnssec_status.h"
#include "scanner/dns/rr_type.h"
#include "tests/testing/rdata_builders.h"
#include "tools/fakedns/misbehaving_dns_server.h"

namespace mxscan::dns {
namespace {

using ::mxscan::testing::AnswerText;

using ::testing::HasSubstr;
using ::testing::SizeIs;

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = fakedns::MisbehavingDnsServer::Start(loop_.get(), {});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  void TearDown() override {
    client_.reset();
    server_.reset();
  }

  ClientOptions Options(int timeout_ms = 60, int retries = 2) {
    ClientOptions options;
    auto resolver = ParseResolverAddress(
        "127.0.0.1:" + std::to_string(server_->port()));
    EXPECT_TRUE(resolver.ok());
    options.resolvers.push_back(*resolver);
    options.timeout_ms = timeout_ms;
    options.retries = retries;
    options.udp_sockets = 4;
    options.tick_ms = 5;
    return options;
  }

  void MakeClient(ClientOptions options) {
    auto client = Client::Create(loop_.get(), std::move(options));
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }

  // Resolves names concurrently and runs the loop until all have answered.
  std::vector<LookupResult> ResolveAll(const std::vector<std::string>& names,
                                       uint16_t type = rr_type::kA) {
    if (!client_) MakeClient(Options());
    std::vector<LookupResult> results(names.size());
    std::vector<int> calls(names.size(), 0);
    size_t pending = names.size();
    for (size_t i = 0; i < names.size(); ++i) {
      client_->Resolve(names[i], type, [&, i](LookupResult r) {
        results[i] = std::move(r);
        ++calls[i];
        if (--pending == 0) uv_stop(loop_.get());
      });
    }
    if (pending > 0) uv_run(loop_.get(), UV_RUN_DEFAULT);
    for (int c : calls) EXPECT_EQ(c, 1);  // exactly one callback each
    EXPECT_EQ(client_->in_flight(), 0u);
    return results;
  }

  LookupResult ResolveOne(const std::string& name,
                          uint16_t type = rr_type::kA) {
    return ResolveAll({name}, type)[0];
  }

  core::EventLoop loop_;
  std::unique_ptr<fakedns::MisbehavingDnsServer> server_;
  std::unique_ptr<Client> client_;
};

TEST_F(ClientTest, AnswersAQuestion) {
  LookupResult r = ResolveOne("OK-1.Example.");
  EXPECT_EQ(r.status, LookupStatus::kNoError) << r.error;
  EXPECT_EQ(r.name, "ok-1.example.");
  ASSERT_THAT(r.answers, SizeIs(1));
  EXPECT_EQ(r.answers[0].type, rr_type::kA);
  EXPECT_EQ(r.answers[0].name, "ok-1.example.");
  EXPECT_EQ(r.attempts, 1u);
  EXPECT_EQ(r.rcode, 0);
  EXPECT_FALSE(r.used_tcp);
}

// A validating resolver's answers: AD on a secure one; a SERVFAIL that
// carries an Extended DNS Error (RFC 8914) for a bogus one, kept in the
// result whatever the retries.
TEST_F(ClientTest, KeepsTheAdBitAndExtendedDnsErrors) {
  EXPECT_TRUE(ResolveOne("secure-1.example").authenticated);
  EXPECT_FALSE(ResolveOne("ok-1.example").authenticated);
  const LookupResult bogus = ResolveOne("bogus-1.example");
  EXPECT_EQ(bogus.status, LookupStatus::kServFail);
  ASSERT_THAT(bogus.edns_options, SizeIs(1));
  EXPECT_EQ(bogus.edns_options[0].code, 15);
  EXPECT_EQ(bogus.edns_options[0].data,
            std::string("\x00\x06signature expired", 19));
  EXPECT_EQ(DnssecStatusOf(bogus, true), DnssecStatus::kBogus);
  EXPECT_EQ(DnssecDetail(bogus), "6 (DNSSEC Bogus): signature expired");
}

TEST_F(ClientTest, RendersEachType) {
  EXPECT_EQ(AnswerText(ResolveOne("ok-1.example", rr_type::kMx).answers.at(0)),
            "10 mx.ok-1.example.");
  EXPECT_EQ(AnswerText(ResolveOne("ok-1.example", rr_type::kTxt).answers.at(0)),
            "v=spf1 -all");
  EXPECT_EQ(
      AnswerText(ResolveOne("ok-1.example", rr_type::kAaaa).answers.at(0)),
      "::1");
  LookupResult nodata = ResolveOne("nodata-1.example");
  EXPECT_EQ(nodata.status, LookupStatus::kNoError);
  EXPECT_TRUE(nodata.answers.empty());
}

TEST_F(ClientTest, ClassifiesRcodes) {
  auto r = ResolveAll({"nxdomain-1.example", "servfail-1.example",
                       "refused-1.example", "formerr-1.example"});
  EXPECT_EQ(r[0].status, LookupStatus::kNxDomain);
  EXPECT_EQ(r[1].status, LookupStatus::kServFail);
  EXPECT_EQ(r[2].status, LookupStatus::kRefused);
  EXPECT_EQ(r[3].status, LookupStatus::kError);
  EXPECT_EQ(r[3].rcode, 1);
  // With a single resolver, a server's "no" is final: no retry.
  EXPECT_EQ(r[1].attempts, 1u);
}

TEST_F(ClientTest, DropTimesOutAfterAllRetries) {
  MakeClient(Options(/*timeout_ms=*/30, /*retries=*/2));
  LookupResult r = ResolveOne("drop-1.example");
  EXPECT_EQ(r.status, LookupStatus::kTimeout);
  EXPECT_EQ(r.attempts, 3u);
  EXPECT_EQ(server_->udp_queries(), 3u);
  EXPECT_THAT(r.error, HasSubstr("3 attempt"));
}

TEST_F(ClientTest, RetriesALostQuery) {
  LookupResult r = ResolveOne("dropfirst-1.example");
  EXPECT_EQ(r.status, LookupStatus::kNoError) << r.error;
  EXPECT_EQ(r.attempts, 2u);
}

TEST_F(ClientTest, WaitsForADelayedAnswerWithinTheTimeout) {
  MakeClient(Options(/*timeout_ms=*/300, /*retries=*/0));
  LookupResult r = ResolveOne("delay50-1.example");
  EXPECT_EQ(r.status, LookupStatus::kNoError) << r.error;
  EXPECT_EQ(r.attempts, 1u);
}

// Behind real latency an answer can come after its attempt's deadline. The
// first attempt (60 ms) is answered at 150 ms, while the retry (sent at
// 60-68 ms, allowed 120-135 ms) is still open: that late answer ends the
// question. Were it dropped, the retry's own answer (210 ms and later)
// would miss the retry's deadline (203 ms at the latest): a timeout.
TEST_F(ClientTest, TakesALateAnswerToAnEarlierAttempt) {
  MakeClient(Options(/*timeout_ms=*/60, /*retries=*/1));
  LookupResult r = ResolveOne("delay150-1.example");
  EXPECT_EQ(r.status, LookupStatus::kNoError) << r.error;
  EXPECT_EQ(r.attempts, 2u);
  ASSERT_THAT(r.answers, SizeIs(1));
  EXPECT_EQ(client_->stats().timeouts, 1u);
  EXPECT_EQ(client_->stats().late_answers, 1u);
  // The retry's answer, when it comes, finds no question open: counted,
  // not taken.
  LookupResult next = ResolveOne("delay100-2.example");
  EXPECT_EQ(next.status, LookupStatus::kNoError) << next.error;
  EXPECT_EQ(next.attempts, 1u);
  EXPECT_EQ(client_->stats().unexpected, 1u);
}

// A resolver whose answers take 150 ms, asked with a 60 ms timeout: the
// first question learns it (its first attempt is answered late, a sample
// of 150 ms: an estimated timeout of 450 ms, capped at 4 x 60 = 240), and
// the next question's first attempt waits that long instead of retrying.
TEST_F(ClientTest, WaitsLongerOnceTheResolverIsKnownToBeSlow) {
  MakeClient(Options(/*timeout_ms=*/60, /*retries=*/1));
  LookupResult first = ResolveOne("delay150-1.example");
  EXPECT_EQ(first.status, LookupStatus::kNoError) << first.error;
  EXPECT_EQ(first.attempts, 2u);
  LookupResult next = ResolveOne("delay150-2.example");
  EXPECT_EQ(next.status, LookupStatus::kNoError) << next.error;
  EXPECT_EQ(next.attempts, 1u);
  EXPECT_EQ(client_->stats().timeouts, 1u);
  // Still bounded: a resolver that never answers costs 240 ms (4 x 60)
  // per attempt at most, then the lookup ends.
  LookupResult lost = ResolveOne("drop-1.example");
  EXPECT_EQ(lost.status, LookupStatus::kTimeout);
  EXPECT_EQ(lost.attempts, 2u);
}

TEST_F(ClientTest, DuplicateAnswersGiveOneResult) {
  auto r = ResolveAll({"dup-1.example", "dup-2.example", "dup-3.example"});
  for (const auto& x : r) EXPECT_EQ(x.status, LookupStatus::kNoError);
  // The second copies find no pending query and are counted, not used.
  EXPECT_GE(client_->stats().unexpected, 1u);
}

TEST_F(ClientTest, IgnoresAnswersWithTheWrongIdOrQuestion) {
  auto r = ResolveAll({"wrongid-1.example", "wrongq-1.example",
                       "wrongidthenok-1.example", "wrongqthenok-1.example"});
  EXPECT_EQ(r[0].status, LookupStatus::kTimeout);
  EXPECT_EQ(r[1].status, LookupStatus::kTimeout);
  EXPECT_EQ(r[2].status, LookupStatus::kNoError);
  EXPECT_EQ(r[3].status, LookupStatus::kNoError);
  EXPECT_EQ(r[3].answers.at(0).name, "wrongqthenok-1.example.");
}

TEST_F(ClientTest, RefusesAnswersFromAnotherPort) {
  auto r = ResolveAll({"wrongport-1.example", "spoof-1.example"});
  EXPECT_EQ(r[0].status, LookupStatus::kTimeout);
  EXPECT_EQ(r[1].status, LookupStatus::kNoError);
  ASSERT_THAT(r[1].answers, SizeIs(1));
  EXPECT_NE(AnswerText(r[1].answers[0]), "6.6.6.6");
}

TEST_F(ClientTest, RefusesAnswersFromAnotherPortOnUnconnectedSockets) {
  // With one resolver the sockets are connected and the kernel drops what
  // comes from elsewhere; with two (here the same server twice) they are
  // not, and the client must refuse forged answers itself.
  ClientOptions options = Options(/*timeout_ms=*/60, /*retries=*/0);
  options.resolvers.push_back(options.resolvers[0]);
  MakeClient(options);
  auto r = ResolveAll({"wrongport-1.example", "spoof-1.example"});
  EXPECT_EQ(r[0].status, LookupStatus::kTimeout);
  EXPECT_EQ(r[1].status, LookupStatus::kNoError);
  ASSERT_THAT(r[1].answers, SizeIs(1));
  EXPECT_NE(AnswerText(r[1].answers[0]), "6.6.6.6");
  EXPECT_GE(client_->stats().unexpected, 2u);  // both came, both refused
}

TEST_F(ClientTest, GoesOnAfterTheResolverWasUnreachable) {
  // A connected socket learns of ICMP port unreachable as a socket error,
  // on which libuv stops polling it: the client must clear the error and
  // poll on, or its sockets go deaf once the resolver is back.
  MakeClient(Options(/*timeout_ms=*/50, /*retries=*/0));
  const int port = server_->port();
  EXPECT_EQ(ResolveOne("ok-1.example").status, LookupStatus::kNoError);
  server_.reset();
  std::vector<std::string> names;
  for (int i = 0; i < 24; ++i)
    names.push_back("ok-" + std::to_string(i) + ".x");
  for (const LookupResult& r : ResolveAll(names)) {
    EXPECT_EQ(r.status, LookupStatus::kTimeout) << r.error;
  }
  fakedns::MisbehavingDnsServer::Options back;
  back.port = port;
  auto server = fakedns::MisbehavingDnsServer::Start(loop_.get(), back);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  for (const LookupResult& r : ResolveAll(names)) {
    EXPECT_EQ(r.status, LookupStatus::kNoError) << r.error;
  }
}

TEST_F(ClientTest, FallsBackToTcpOnTruncation) {
  LookupResult r = ResolveOne("tc-1.example");
  EXPECT_EQ(r.status, LookupStatus::kNoError) << r.error;
  EXPECT_TRUE(r.used_tcp);
  EXPECT_EQ(server_->tcp_queries(), 1u);
  LookupResult big = ResolveOne("tcbig-1.example", rr_type::kTxt);
  EXPECT_EQ(big.status, LookupStatus::kNoError) << big.error;
  ASSERT_THAT(big.answers, SizeIs(1));
  EXPECT_EQ(AnswerText(big.answers[0]).size(), 3000u);
}

TEST_F(ClientTest, ClassifiesBrokenTcp) {
  MakeClient(Options(/*timeout_ms=*/40, /*retries=*/1));
  auto r = ResolveAll({"tcclose-1.example", "tcsilent-1.example"});
  EXPECT_EQ(r[0].status, LookupStatus::kError);
  EXPECT_THAT(r[0].error, HasSubstr("TCP"));
  EXPECT_EQ(r[1].status, LookupStatus::kTimeout);
}

TEST_F(ClientTest, ClassifiesMalformedAnswers) {
  MakeClient(Options(/*timeout_ms=*/30, /*retries=*/1));
  auto r = ResolveAll({"malformed-1.example", "ptrloop-1.example",
                       "garbage-1.example", "short-1.example",
                       "badrdata-1.example"});
  EXPECT_EQ(r[0].status, LookupStatus::kError);
  EXPECT_THAT(r[0].error, HasSubstr("malformed"));
  EXPECT_EQ(r[1].status, LookupStatus::kError);
  EXPECT_THAT(r[1].error, HasSubstr("malformed"));
  // Garbage never matches the question: ignored like a spoof.
  EXPECT_EQ(r[2].status, LookupStatus::kTimeout);
  EXPECT_EQ(r[3].status, LookupStatus::kTimeout);
  EXPECT_EQ(r[4].status, LookupStatus::kError);
  EXPECT_THAT(r[4].error, HasSubstr("A record"));
}

TEST_F(ClientTest, ChasesCnameChains) {
  LookupResult r = ResolveOne("chain3-x.example");
  EXPECT_EQ(r.status, LookupStatus::kNoError) << r.error;
  EXPECT_EQ(r.attempts, 4u);  // one question per link
  EXPECT_THAT(r.cname_chain, SizeIs(3));
  ASSERT_THAT(r.answers, SizeIs(4));
  EXPECT_EQ(r.answers[3].name, "chain0-x.example.");
  EXPECT_EQ(r.answers[3].type, rr_type::kA);
}

TEST_F(ClientTest, StopsCnameLoopsAndLongChains) {
  auto r = ResolveAll({"cnameloop-1.example", "chain20-x.example"});
  EXPECT_EQ(r[0].status, LookupStatus::kError);
  EXPECT_THAT(r[0].error, HasSubstr("loop"));
  EXPECT_EQ(r[1].status, LookupStatus::kError);
  EXPECT_THAT(r[1].error, HasSubstr("longer"));
}

TEST_F(ClientTest, InvalidNamesFailWithoutTraffic) {
  auto r = ResolveAll({"a..b", std::string(64, 'x') + ".example", ""});
  for (const auto& x : r) EXPECT_EQ(x.status, LookupStatus::kError);
  EXPECT_EQ(server_->udp_queries(), 0u);
}

TEST_F(ClientTest, FailsOverToTheNextResolver) {
  ClientOptions options = Options(/*timeout_ms=*/30, /*retries=*/1);
  // A resolver that never answers first: nothing listens on that port of
  // 127.0.0.2... (the answer would come from the wrong address anyway).
  auto silent = ParseResolverAddress("127.0.0.1:9");
  ASSERT_TRUE(silent.ok());
  options.resolvers.insert(options.resolvers.begin(), *silent);
  MakeClient(options);
  // Resolvers are taken round-robin per lookup; two lookups cover both
  // starting points and each must succeed with the retry on the other.
  auto r = ResolveAll({"ok-1.example", "ok-2.example"});
  for (const auto& x : r) {
    EXPECT_EQ(x.status, LookupStatus::kNoError) << x.error;
    EXPECT_EQ(x.resolver, "127.0.0.1:" + std::to_string(server_->port()));
  }
}

TEST_F(ClientTest, ManyLookupsInFlightAllComplete) {
  std::vector<std::string> names;
  const char* kinds[] = {"ok", "nxdomain", "drop", "dup", "tc",
                         "wrongidthenok", "chain2", "garbage"};
  for (int i = 0; i < 2000; ++i) {
    names.push_back(std::string(kinds[i % 8]) + "-" + std::to_string(i) +
                    ".example");
  }
  // A timeout that 2,000 answers in flight fit in even on a loaded machine
  // under --config=asan (100 ms did not: answered lookups timed out).
  MakeClient(Options(/*timeout_ms=*/1000, /*retries=*/1));
  auto r = ResolveAll(names);
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string kind = kinds[i % 8];
    const LookupStatus want =
        kind == "nxdomain"                       ? LookupStatus::kNxDomain
        : (kind == "drop" || kind == "garbage") ? LookupStatus::kTimeout
                                                 : LookupStatus::kNoError;
    EXPECT_EQ(r[i].status, want) << names[i] << ": " << r[i].error;
  }
}

TEST_F(ClientTest, CoalescingKeepsEveryAnswer) {
  // Enough lookups in flight for the loop to pause and let answers gather.
  ClientOptions options = Options(/*timeout_ms=*/1000, /*retries=*/1);
  options.coalesce_us = 500;
  MakeClient(options);
  std::vector<std::string> names;
  for (int i = 0; i < 2000; ++i) {
    names.push_back((i % 10 == 0 ? "nxdomain-" : "ok-") + std::to_string(i) +
                    ".example");
  }
  auto r = ResolveAll(names);
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(r[i].status,
              i % 10 == 0 ? LookupStatus::kNxDomain : LookupStatus::kNoError)
        << names[i] << ": " << r[i].error;
    EXPECT_EQ(r[i].attempts, 1u) << names[i];
  }
}

TEST_F(ClientTest, AnAnswerReadLateAfterAStallIsNotATimeout) {
  // The server answers at once; then one turn of the loop takes longer
  // than the timeout, so the timer is due before the answer is read.
  MakeClient(Options(/*timeout_ms=*/40, /*retries=*/0));
  struct Stall {
    fakedns::MisbehavingDnsServer* server;
    bool done = false;
  } stall{server_.get()};
  core::UvHandle<uv_check_t> check;
  uv_check_init(loop_.get(), check.get());
  check.MarkInitialized();
  check.get()->data = &stall;
  uv_check_start(check.get(), [](uv_check_t* h) {
    auto* s = static_cast<Stall*>(h->data);
    if (s->done || s->server->udp_queries() == 0) return;
    s->done = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  });
  uv_unref(check.as_handle());
  LookupResult r = ResolveOne("ok-1.example");
  EXPECT_TRUE(stall.done);
  EXPECT_EQ(r.status, LookupStatus::kNoError) << r.error;
  EXPECT_EQ(r.attempts, 1u);
}

TEST_F(ClientTest, RateLimitSpacesTransmissions) {
  ClientOptions options = Options();
  options.rate_qps = 200;  // burst of 10, then one per 5 ms
  MakeClient(options);
  std::vector<std::string> names;
  for (int i = 0; i < 30; ++i) names.push_back("ok-" + std::to_string(i) + ".x");
  const uint64_t start = uv_now(loop_.get());
  auto r = ResolveAll(names);
  for (const auto& x : r) EXPECT_EQ(x.status, LookupStatus::kNoError);
  // 20 tokens beyond the burst at 200/s take at least ~100 ms of loop time.
  EXPECT_GE(uv_now(loop_.get()) - start, 90u);
}

}  // namespace
}  // namespace mxscan::dns
