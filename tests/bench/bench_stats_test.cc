// BenchStats: every attempt is counted once, failures by stage add up,
// full and resumed handshakes apart, post-handshake failures apart.

#include "scanner/bench/bench_stats.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace mxscan::bench {
namespace {

BenchAttempt Succeeded(bool resumed, int64_t handshake_ns) {
  BenchAttempt a;
  a.handshake_done = true;
  a.resumed = resumed;
  a.version = "TLSv1.3";
  a.cipher = "TLS_AES_128_GCM_SHA256";
  a.group = "X25519";
  a.duration(Step::kConnect) = 100000;
  a.duration(Step::kBanner) = 200000;
  a.duration(Step::kEhlo) = 150000;
  a.duration(Step::kStartTls) = 120000;
  a.duration(Step::kHandshake) = handshake_ns;
  a.duration(Step::kTotal) = 570000 + handshake_ns;
  return a;
}

BenchAttempt Failed(const std::string& stage, const std::string& code,
                    const std::string& message) {
  BenchAttempt a;
  a.error_stage = stage;
  a.error_code = code;
  a.error_message = message;
  return a;
}

TEST(BenchStatsTest, CountsAddUp) {
  BenchStats stats;
  for (int i = 0; i < 7; ++i) stats.Add(Succeeded(false, 1000000));
  for (int i = 0; i < 3; ++i) stats.Add(Succeeded(true, 400000));
  BenchAttempt refused =
      Failed("CONNECT", "connect_failed:111", "connection refused");
  refused.duration(Step::kConnect) = -1;
  stats.Add(refused);
  stats.Add(Failed("CONNECT", "connect_failed:111", "again"));
  BenchAttempt timeout =
      Failed("HANDSHAKE", "timeout", "TLS handshake timed out");
  timeout.duration(Step::kConnect) = 50000;
  timeout.duration(Step::kHandshake) = 9000000;  // not a completed one
  stats.Add(timeout);
  stats.Add(Failed("STARTTLS", "not_offered", "no STARTTLS"));

  EXPECT_EQ(stats.attempted(), 14u);
  EXPECT_EQ(stats.succeeded(), 10u);
  EXPECT_EQ(stats.failed(), 4u);
  EXPECT_EQ(stats.attempted(), stats.succeeded() + stats.failed());
  uint64_t by_stage = 0;
  for (const auto& [stage, n] : stats.FailuresByStage()) by_stage += n;
  EXPECT_EQ(by_stage, stats.failed());
  EXPECT_EQ(stats.FailuresByStage().at("CONNECT"), 2u);

  const auto& refusals = stats.errors().at({"CONNECT", "connect_failed:111"});
  EXPECT_EQ(refusals.count, 2u);
  EXPECT_EQ(refusals.example, "connection refused");  // the first message

  EXPECT_EQ(stats.full().count, 7u);
  EXPECT_EQ(stats.resumed().count, 3u);
  EXPECT_EQ(stats.full().handshake.Percentile(50), 1000000u);
  EXPECT_EQ(stats.resumed().handshake.Percentile(50), 400000u);
  // Steps: every attempt that got through them; handshake and total only
  // for completed handshakes.
  EXPECT_EQ(stats.step(Step::kConnect).count(), 11u);
  EXPECT_EQ(stats.step(Step::kHandshake).count(), 10u);
  EXPECT_EQ(stats.step(Step::kTotal).count(), 10u);
  EXPECT_EQ(stats.step(Step::kHandshake).max_ns(), 1000000u);

  ASSERT_EQ(stats.negotiated().size(), 1u);
  EXPECT_EQ(stats.negotiated().begin()->second, 10u);
}

TEST(BenchStatsTest, FailureAfterTheHandshakeIsCountedApart) {
  BenchStats stats;
  BenchAttempt a = Succeeded(false, 800000);
  a.error_stage = "EHLO_TLS";
  a.error_code = "peer_closed";
  stats.Add(a);
  EXPECT_EQ(stats.succeeded(), 1u);
  EXPECT_EQ(stats.failed(), 0u);
  EXPECT_TRUE(stats.errors().empty());
  EXPECT_EQ(
      stats.errors_after_handshake().at({"EHLO_TLS", "peer_closed"}).count, 1u);
}

TEST(BenchStatsTest, UnexplainedFailureStillCounted) {
  BenchStats stats;
  stats.Add(BenchAttempt());
  EXPECT_EQ(stats.failed(), 1u);
  EXPECT_EQ(stats.errors().at({"UNSPECIFIED", "no_handshake"}).count, 1u);
}

TEST(BenchStatsTest, MergeIsTheSameAsAddingEverything) {
  const std::vector<BenchAttempt> attempts = {
      Succeeded(false, 2000000),
      Succeeded(true, 500000),
      Failed("STARTTLS", "refused:454", "454 TLS not available"),
      Succeeded(false, 3000000),
      Failed("STARTTLS", "refused:454", "454 later"),
      Failed("CONNECT", "connect_failed:111", "refused")};
  BenchStats all, first, second;
  for (size_t i = 0; i < attempts.size(); ++i) {
    all.Add(attempts[i]);
    (i % 2 == 0 ? first : second).Add(attempts[i]);
  }
  first.Merge(second);
  EXPECT_EQ(first.attempted(), all.attempted());
  EXPECT_EQ(first.succeeded(), all.succeeded());
  EXPECT_EQ(first.full().count, all.full().count);
  EXPECT_EQ(first.resumed().count, all.resumed().count);
  EXPECT_EQ(first.full().handshake.Percentile(50),
            all.full().handshake.Percentile(50));
  EXPECT_EQ(first.step(Step::kConnect).count(),
            all.step(Step::kConnect).count());
  EXPECT_EQ(first.FailuresByStage(), all.FailuresByStage());
  const auto key = BenchStats::ErrorKey{"STARTTLS", "refused:454"};
  EXPECT_EQ(first.errors().at(key).count, 2u);
  EXPECT_EQ(first.errors().at(key).example, "454 TLS not available");
  EXPECT_EQ(first.negotiated(), all.negotiated());
}

TEST(BenchStatsTest, StepNames) {
  EXPECT_EQ(StepName(Step::kConnect), "connect");
  EXPECT_EQ(StepName(Step::kStartTls), "starttls");
  EXPECT_EQ(StepName(Step::kTotal), "total");
}

}  // namespace
}  // namespace mxscan::bench
