#include "scanner/scan/dns_cache.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "scanner/core/event_loop.h"
#include "scanner/dns/rr_type.h"
#include "tests/testing/fake_dns_source.h"
#include "tests/testing/rdata_builders.h"

namespace mxscan::scan {
namespace {

using ::mxscan::testing::AnswerText;

using ::mxscan::testing::Ip;

namespace rr = ::mxscan::dns::rr_type;
using dns::LookupResult;
using dns::LookupStatus;

class DnsCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    upstream_.AddRecord("mx.provider.example", rr::kA, Ip("192.0.2.1"), 300);
    upstream_.AddRecord("short.example", rr::kA, Ip("192.0.2.2"), 0);
  }

  // Answers whatever is pending, upstream and in the cache's loop.
  void Settle() {
    for (int i = 0; i < 10; ++i) {
      upstream_.RunUntilIdle();
      uv_run(loop_.get(), UV_RUN_NOWAIT);
    }
  }

  core::EventLoop loop_;
  testing::FakeDnsSource upstream_;
};

TEST_F(DnsCacheTest, CoalescesQuestionsInFlight) {
  DnsCache cache(loop_.get(), upstream_, DnsCacheOptions());
  std::vector<std::string> answers;
  for (int i = 0; i < 5; ++i) {
    cache.Lookup("MX.Provider.Example.", rr::kA, [&](const LookupResult& r) {
      answers.push_back(AnswerText(r.answers.at(0)));
    });
  }
  EXPECT_TRUE(answers.empty());  // never from inside Lookup()
  Settle();
  EXPECT_EQ(answers, std::vector<std::string>(5, "192.0.2.1"));
  EXPECT_EQ(upstream_.asked().size(), 1u);
  EXPECT_EQ(cache.stats().coalesced, 4u);
  EXPECT_EQ(cache.stats().misses, 1u);
}

TEST_F(DnsCacheTest, AnswersRepeatsFromMemoryButNotSynchronously) {
  DnsCache cache(loop_.get(), upstream_, DnsCacheOptions());
  int calls = 0;
  cache.Lookup("mx.provider.example", rr::kA,
               [&](const LookupResult&) { ++calls; });
  Settle();
  cache.Lookup("mx.provider.example", rr::kA,
               [&](const LookupResult&) { ++calls; });
  EXPECT_EQ(calls, 1);
  Settle();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(cache.stats().hits, 1u);
  EXPECT_EQ(upstream_.asked().size(), 1u);
}

TEST_F(DnsCacheTest, TypesAreSeparateQuestions) {
  DnsCache cache(loop_.get(), upstream_, DnsCacheOptions());
  cache.Lookup("mx.provider.example", rr::kA, [](const LookupResult&) {});
  cache.Lookup("mx.provider.example", rr::kAaaa, [](const LookupResult&) {});
  Settle();
  EXPECT_EQ(upstream_.asked().size(), 2u);
}

TEST_F(DnsCacheTest, ExpiredAnswersAreAskedAgain) {
  DnsCache cache(loop_.get(), upstream_, DnsCacheOptions());
  cache.Lookup("short.example", rr::kA, [](const LookupResult&) {});
  Settle();
  uv_sleep(2);
  uv_update_time(loop_.get());
  cache.Lookup("short.example", rr::kA, [](const LookupResult&) {});
  Settle();
  EXPECT_EQ(upstream_.asked().size(), 2u);  // TTL 0: never reused
}

TEST_F(DnsCacheTest, KeepsFailuresBriefly) {
  upstream_.SetStatus("broken.example", rr::kTxt, LookupStatus::kTimeout);
  DnsCacheOptions options;
  options.failure_ttl_s = 60;
  DnsCache cache(loop_.get(), upstream_, options);
  std::vector<LookupStatus> statuses;
  for (int i = 0; i < 2; ++i) {
    cache.Lookup("broken.example", rr::kTxt,
                 [&](const LookupResult& r) { statuses.push_back(r.status); });
    Settle();
  }
  EXPECT_EQ(statuses, std::vector<LookupStatus>(2, LookupStatus::kTimeout));
  EXPECT_EQ(upstream_.asked().size(), 1u);
}

TEST_F(DnsCacheTest, EvictsOldAnswersBeyondItsSize) {
  DnsCacheOptions options;
  options.max_entries = 3;
  DnsCache cache(loop_.get(), upstream_, options);
  for (int i = 0; i < 10; ++i) {
    cache.Lookup("n" + std::to_string(i) + ".example", rr::kA,
                 [](const LookupResult&) {});
    Settle();
  }
  EXPECT_LE(cache.size(), 3u);
  cache.Lookup("n0.example", rr::kA, [](const LookupResult&) {});
  Settle();
  EXPECT_EQ(upstream_.asked().size(), 11u);  // n0 was evicted
}

TEST_F(DnsCacheTest, LookupsFromInsideCallbacksWork) {
  DnsCache cache(loop_.get(), upstream_, DnsCacheOptions());
  int inner = 0;
  cache.Lookup("mx.provider.example", rr::kA, [&](const LookupResult&) {
    cache.Lookup("mx.provider.example", rr::kA,
                 [&](const LookupResult&) { ++inner; });
  });
  Settle();
  EXPECT_EQ(inner, 1);
}

}  // namespace
}  // namespace mxscan::scan
