#include "scanner/checks/dmarc/question_cache.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/dns/rr_type.h"
#include "tests/testing/fake_dns_source.h"

namespace mxscan::checks::dmarc {
namespace {

using ::mxscan::testing::Txt;

using ::testing::ElementsAre;

TEST(QuestionCacheTest, AsksEachQuestionOnce) {
  testing::FakeDnsSource dns;
  dns.AddRecord("_dmarc.example.com", dns::rr_type::kTxt,
                Txt("v=DMARC1; p=none"));
  QuestionCache cache(dns);
  std::vector<std::string> seen;
  auto record = [&](const std::string& tag) {
    return [&seen, tag](const dns::LookupResult& r) {
      seen.push_back(tag + ":" + std::to_string(r.answers.size()));
    };
  };
  cache.Ask("_dmarc.example.com", dns::rr_type::kTxt, record("first"));
  cache.Ask("_DMARC.Example.COM.", dns::rr_type::kTxt, record("in-flight"));
  cache.Ask("_dmarc.example.com", dns::rr_type::kA, record("other-type"));
  EXPECT_TRUE(seen.empty());  // nothing before the source answers
  dns.RunUntilIdle();
  EXPECT_THAT(seen, ElementsAre("first:1", "in-flight:1", "other-type:0"));
  // Answered already: served at once, not asked again.
  cache.Ask("_dmarc.example.com", dns::rr_type::kTxt, record("cached"));
  EXPECT_EQ(seen.back(), "cached:1");
  EXPECT_EQ(dns.asked().size(), 2u);
  EXPECT_EQ(cache.questions_sent(), 2u);
}

TEST(QuestionCacheTest, WaitersMayAskMore) {
  testing::FakeDnsSource dns;
  QuestionCache cache(dns);
  int answers = 0;
  cache.Ask("a.example", dns::rr_type::kTxt, [&](const dns::LookupResult&) {
    ++answers;
    cache.Ask("a.example", dns::rr_type::kTxt,
              [&](const dns::LookupResult&) { ++answers; });
    cache.Ask("b.example", dns::rr_type::kTxt,
              [&](const dns::LookupResult&) { ++answers; });
  });
  dns.RunUntilIdle();
  EXPECT_EQ(answers, 3);
  EXPECT_EQ(dns.asked().size(), 2u);
}

}  // namespace
}  // namespace mxscan::checks::dmarc
