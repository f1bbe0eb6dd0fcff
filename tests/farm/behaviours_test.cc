#include "tools/farm/behaviours.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::farm {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(BehavioursTest, EverySmtpBehaviourNameRoundTrips) {
  for (const char* name :
       {"valid", "no_starttls", "starttls_refused", "tls10_only", "expired",
        "self_signed", "wrong_name", "missing_intermediate", "multiline_banner",
        "defer_421", "slow_banner", "silent", "endless_line", "huge_reply",
        "garbage_tls", "reset_handshake", "ehlo_502", "starttls_injection"}) {
    absl::StatusOr<SmtpBehaviour> b = ParseSmtpBehaviour(name);
    ASSERT_TRUE(b.ok()) << name;
    EXPECT_EQ(SmtpBehaviourName(*b), name);
  }
  for (const char* name : {"valid", "redirect", "expired", "huge", "slow"}) {
    absl::StatusOr<HttpsBehaviour> b = ParseHttpsBehaviour(name);
    ASSERT_TRUE(b.ok()) << name;
    EXPECT_EQ(HttpsBehaviourName(*b), name);
  }
}

TEST(BehavioursTest, ParsesAddressesAndPolicyHosts) {
  absl::StatusOr<FarmConfig> config = ParseBehaviours(R"({
    "127.1.2.3": {"behaviour": "valid", "names": ["MX1.Dept.Gov.Sim.", "mx2.dept.gov.sim"]},
    "::ffff:127.1.2.4": {"behaviour": "slow_banner", "host": "mx3.gov.sim", "delay_s": 5},
    "::1": {"behaviour": "silent"},
    "mta-sts.dept.gov.sim": {"behaviour": "slow", "delay_ms": 250,
                             "addresses": ["127.9.9.9"]},
    "127.1.2.5": {"behaviour": "expired", "names": ["a.sim"], "sector": "ignored"}
  })");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->smtp.size(), 4u);
  // Sorted by address text.
  EXPECT_EQ(config->smtp[0].address, "127.1.2.3");
  EXPECT_EQ(config->smtp[0].behaviour, SmtpBehaviour::kValid);
  EXPECT_THAT(config->smtp[0].names,
              ElementsAre("mx1.dept.gov.sim", "mx2.dept.gov.sim"));
  EXPECT_EQ(config->smtp[1].address, "127.1.2.4");
  EXPECT_EQ(config->smtp[1].behaviour, SmtpBehaviour::kSlowBanner);
  EXPECT_EQ(config->smtp[1].delay_ms, 5000);
  EXPECT_THAT(config->smtp[1].names, ElementsAre("mx3.gov.sim"));
  EXPECT_EQ(config->smtp[2].address, "127.1.2.5");
  EXPECT_EQ(config->smtp[3].address, "::1");
  EXPECT_THAT(config->smtp[3].names, ElementsAre(kFallbackName));
  ASSERT_EQ(config->https.count("mta-sts.dept.gov.sim"), 1u);
  const HttpsSite& site = config->https.at("mta-sts.dept.gov.sim");
  EXPECT_EQ(site.behaviour, HttpsBehaviour::kSlow);
  EXPECT_EQ(site.delay_ms, 250);
  EXPECT_THAT(site.addresses, ElementsAre("127.9.9.9"));
}

TEST(BehavioursTest, MappedAndPlainFormsOfOneAddressMerge) {
  absl::StatusOr<FarmConfig> config = ParseBehaviours(R"({
    "127.1.2.3": {"behaviour": "valid", "host": "a.sim"},
    "::ffff:127.1.2.3": {"behaviour": "valid", "host": "b.sim"}
  })");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->smtp.size(), 1u);
  EXPECT_THAT(config->smtp[0].names, ElementsAre("a.sim", "b.sim"));

  EXPECT_FALSE(ParseBehaviours(R"({
    "127.1.2.3": {"behaviour": "valid", "host": "a.sim"},
    "::ffff:127.1.2.3": {"behaviour": "silent", "host": "a.sim"}
  })")
                   .ok());
}

TEST(BehavioursTest, Errors) {
  struct Case {
    const char* json;
    const char* message;
  };
  for (
      const Case& c : {
          Case{R"({"127.0.0.2": {"behaviour": "bogus"}})",
               "unknown SMTP behaviour \"bogus\""},
          Case{R"({"mta-sts.a.sim": {"behaviour": "silent"}})",
               "unknown HTTPS behaviour"},
          Case{R"({"10.0.0.1": {"behaviour": "valid"}})", "not a loopback"},
          Case{R"({"0.0.0.0": {"behaviour": "valid"}})", "not a loopback"},
          Case{R"({"::": {"behaviour": "valid"}})", "not a loopback"},
          Case{R"({"2001:db8::1": {"behaviour": "valid"}})", "not a loopback"},
          Case{R"({"mx.example.sim": {"behaviour": "valid"}})",
               "not an address"},
          Case{R"({"127.0.0.2": {"names": ["a.sim"]}})", "no \"behaviour\""},
          Case{R"({"127.0.0.2": "valid"})", "must be an object"},
          Case{R"({"127.0.0.2": {"behaviour": "valid", "names": [1]}})",
               "list of strings"},
          Case{R"({"127.0.0.2": {"behaviour": "valid", "names": ["a b"]}})",
               "bad host name"},
          Case{R"({"127.0.0.2": {"behaviour": "slow_banner", "delay_ms": -1}})",
               "delay_ms"},
          Case{
              R"({"mta-sts.a.sim": {"behaviour": "slow", "addresses": ["192.0.2.1"]}})",
              "not a loopback"},
          Case{R"([1, 2])", "not a JSON object"},
          Case{R"({)", "not a JSON object"},
      }) {
    absl::StatusOr<FarmConfig> config = ParseBehaviours(c.json);
    ASSERT_FALSE(config.ok()) << c.json;
    EXPECT_THAT(std::string(config.status().message()), HasSubstr(c.message))
        << c.json;
  }
}

TEST(BehavioursTest, CanonicalLoopbackAddress) {
  EXPECT_EQ(CanonicalLoopbackAddress("127.0.0.1").value_or(""), "127.0.0.1");
  EXPECT_EQ(CanonicalLoopbackAddress("::FFFF:127.4.5.6").value_or(""),
            "127.4.5.6");
  EXPECT_EQ(CanonicalLoopbackAddress("0:0:0:0:0:0:0:1").value_or(""), "::1");
  EXPECT_FALSE(CanonicalLoopbackAddress("128.0.0.1").ok());
  EXPECT_FALSE(CanonicalLoopbackAddress("::ffff:10.0.0.1").ok());
}

}  // namespace
}  // namespace mxscan::farm
