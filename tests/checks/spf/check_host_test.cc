#include "scanner/checks/spf/check_host.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/dns/rr_type.h"
#include "tests/testing/fake_dns_source.h"

namespace mxscan::checks::spf {
namespace {

using ::mxscan::testing::Mx;
using ::mxscan::testing::Name;
using ::mxscan::testing::Txt;

using ::mxscan::testing::FakeDnsSource;
using ::testing::HasSubstr;
namespace rr = ::mxscan::dns::rr_type;

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

// ReorderingDnsSource answers from a FakeDnsSource, but holds every answer
// until Run(), then delivers the held ones newest first: check_host must
// not depend on the order in which parallel lookups come back.
class ReorderingDnsSource : public DnsSource {
 public:
  explicit ReorderingDnsSource(FakeDnsSource& zone) : zone_(zone) {}

  void Lookup(absl::string_view name, uint16_t type, Callback done) override {
    ++outstanding_;
    max_outstanding_ = std::max(max_outstanding_, outstanding_);
    zone_.Lookup(name, type,
                 [this, done = std::move(done)](
                     const dns::LookupResult& result) mutable {
                   held_.emplace_back(result, std::move(done));
                 });
  }

  void Run() {
    for (;;) {
      zone_.RunUntilIdle();
      if (held_.empty()) return;
      auto batch = std::move(held_);
      held_.clear();
      std::reverse(batch.begin(), batch.end());
      for (auto& [result, done] : batch) {
        --outstanding_;
        done(result);
      }
    }
  }

  int max_outstanding() const { return max_outstanding_; }

 private:
  FakeDnsSource& zone_;
  std::vector<std::pair<dns::LookupResult, Callback>> held_;
  int outstanding_ = 0;
  int max_outstanding_ = 0;
};

class CheckHostTest : public ::testing::Test {
 protected:
  CheckHostResult Check(const char* ip, const char* mail_from,
                        const char* helo = "mail.client.example") {
    CheckHostRequest request =
        CheckHostRequest::ForMailFrom(Ip(ip), mail_from, helo);
    request.receiver = "mx.receiver.example";
    request.timestamp = 1700000000;
    std::optional<CheckHostResult> result;
    int calls = 0;
    CheckHost(dns_, request, [&](CheckHostResult r) {
      ++calls;
      result = std::move(r);
    });
    dns_.RunUntilIdle();
    EXPECT_EQ(calls, 1);
    return result.value_or(CheckHostResult());
  }

  void Txt(const char* name, const char* text) {
    dns_.AddRecord(name, rr::kTxt, mxscan::testing::Txt(text));
  }

  FakeDnsSource dns_;
};

TEST_F(CheckHostTest, PassOnIp4) {
  Txt("example.org", "v=spf1 ip4:192.0.2.0/24 -all");
  const CheckHostResult r = Check("192.0.2.10", "alice@example.org");
  EXPECT_EQ(r.result, Result::kPass);
  EXPECT_EQ(r.mechanism, "ip4:192.0.2.0/24");
  EXPECT_EQ(r.dns_lookups, 0);
  EXPECT_EQ(Check("198.51.100.1", "alice@example.org").result, Result::kFail);
}

TEST_F(CheckHostTest, NoRecordIsNone) {
  dns_.AddRecord("example.org", rr::kA, mxscan::testing::Ip("192.0.2.1"));
  const CheckHostResult r = Check("192.0.2.1", "alice@example.org");
  EXPECT_EQ(r.result, Result::kNone);
  EXPECT_THAT(r.error, HasSubstr("no SPF record at example.org"));
  EXPECT_EQ(Check("192.0.2.1", "alice@nowhere.example").result, Result::kNone);
}

TEST_F(CheckHostTest, MalformedDomainIsNoneWithoutDns) {
  std::optional<CheckHostResult> result;
  CheckHost(dns_, CheckHostRequest::ForHelo(Ip("192.0.2.1"), "[192.0.2.1]"),
            [&](CheckHostResult r) { result = std::move(r); });
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->result, Result::kNone);
  EXPECT_TRUE(dns_.asked().empty());
}

TEST_F(CheckHostTest, OverlongDomainIsNoneNotTruncated) {
  std::string domain;
  for (int i = 0; i < 40; ++i) domain += "label" + std::to_string(i) + ".";
  domain += "example.org";
  ASSERT_GT(domain.size(), 253u);
  // What truncating to 253 octets would ask about, were it (wrongly) done.
  Txt(domain.substr(domain.find('.', domain.size() - 253) + 1).c_str(),
      "v=spf1 +all");
  const CheckHostResult r =
      Check("192.0.2.1", ("alice@" + domain + ".").c_str());
  EXPECT_EQ(r.result, Result::kNone);
  EXPECT_TRUE(dns_.asked().empty());
}

TEST_F(CheckHostTest, TxtFailureIsTempError) {
  dns_.SetStatus("example.org", rr::kTxt, dns::LookupStatus::kServFail);
  const CheckHostResult r = Check("192.0.2.1", "alice@example.org");
  EXPECT_EQ(r.result, Result::kTempError);
  EXPECT_EQ(r.error, "TXT lookup of example.org failed: SERVFAIL");
}

TEST_F(CheckHostTest, ErrorsNameTheIncludeChain) {
  Txt("example.org", "v=spf1 include:_spf.a.example -all");
  Txt("_spf.a.example", "v=spf1 ip4:192.0.2.1 include:gone.example ~all");
  const CheckHostResult r = Check("198.51.100.1", "alice@example.org");
  EXPECT_EQ(r.result, Result::kPermError);
  EXPECT_EQ(r.error,
            "include:_spf.a.example > include:gone.example: no SPF record at "
            "gone.example (NXDOMAIN)");
}

TEST_F(CheckHostTest, TempErrorInsideInclude) {
  Txt("example.org", "v=spf1 include:_spf.a.example -all");
  Txt("_spf.a.example", "v=spf1 a:slow.a.example ~all");
  dns_.SetStatus("slow.a.example", rr::kA, dns::LookupStatus::kTimeout);
  const CheckHostResult r = Check("198.51.100.1", "alice@example.org");
  EXPECT_EQ(r.result, Result::kTempError);
  EXPECT_EQ(r.error,
            "include:_spf.a.example > a:slow.a.example: A lookup of "
            "slow.a.example failed: TIMEOUT");
}

TEST_F(CheckHostTest, IncludePassReportsTheInnerMechanism) {
  Txt("example.org", "v=spf1 include:_spf.a.example -all");
  Txt("_spf.a.example", "v=spf1 ip4:192.0.2.0/24 -all");
  const CheckHostResult r = Check("192.0.2.7", "alice@example.org");
  EXPECT_EQ(r.result, Result::kPass);
  EXPECT_EQ(r.mechanism, "include:_spf.a.example > ip4:192.0.2.0/24");
  EXPECT_EQ(r.dns_lookups, 1);
}

TEST_F(CheckHostTest, RedirectTakesTheTargetsResultAndExplanation) {
  Txt("example.org", "v=spf1 ip4:192.0.2.1 redirect=_spf.example.org");
  Txt("_spf.example.org", "v=spf1 -all exp=why.example.org");
  Txt("why.example.org", "%{c} may not send for %{d} (checked by %{r})");
  const CheckHostResult r = Check("198.51.100.1", "alice@example.org");
  EXPECT_EQ(r.result, Result::kFail);
  EXPECT_EQ(r.mechanism, "redirect=_spf.example.org > -all");
  EXPECT_EQ(r.explanation,
            "198.51.100.1 may not send for _spf.example.org (checked by "
            "mx.receiver.example)");
  EXPECT_EQ(r.dns_lookups, 1);
}

TEST_F(CheckHostTest, ExplanationOnlyForFail) {
  Txt("example.org", "v=spf1 ~all exp=why.example.org");
  Txt("why.example.org", "go away");
  const CheckHostResult r = Check("198.51.100.1", "alice@example.org");
  EXPECT_EQ(r.result, Result::kSoftFail);
  EXPECT_EQ(r.explanation, "");
  EXPECT_EQ(std::count(dns_.asked().begin(), dns_.asked().end(),
                       "why.example.org. TXT"),
            0);
}

TEST_F(CheckHostTest, MxHostsAnsweredInAnyOrder) {
  Txt("example.org", "v=spf1 mx -all");
  for (int i = 0; i < 10; ++i) {
    const std::string host = "mx" + std::to_string(i) + ".example.org";
    dns_.AddRecord("example.org", rr::kMx, Mx(i, host));
    dns_.AddRecord(host, rr::kA,
                   mxscan::testing::Ip("192.0.2." + std::to_string(10 + i)));
  }
  for (const char* ip : {"192.0.2.10", "192.0.2.19", "192.0.2.99"}) {
    ReorderingDnsSource reordering(dns_);
    std::optional<CheckHostResult> result;
    CheckHost(
        reordering,
        CheckHostRequest::ForMailFrom(Ip(ip), "a@example.org", "h.example"),
        [&](CheckHostResult r) { result = std::move(r); });
    reordering.Run();
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(ResultName(result->result),
              std::string(ip == std::string("192.0.2.99") ? "fail" : "pass"));
    // The ten hosts were asked at once.
    EXPECT_EQ(reordering.max_outstanding(), 10);
  }
}

TEST_F(CheckHostTest, MxHostFailureIsTempErrorOnlyWithoutMatch) {
  Txt("example.org", "v=spf1 mx -all");
  dns_.AddRecord("example.org", rr::kMx, Mx(10, "good.example.org."));
  dns_.AddRecord("example.org", rr::kMx, Mx(20, "bad.example.org."));
  dns_.AddRecord("good.example.org", rr::kA, mxscan::testing::Ip("192.0.2.1"));
  dns_.SetStatus("bad.example.org", rr::kA, dns::LookupStatus::kTimeout);
  EXPECT_EQ(Check("192.0.2.1", "a@example.org").result, Result::kPass);
  const CheckHostResult r = Check("192.0.2.2", "a@example.org");
  EXPECT_EQ(r.result, Result::kTempError);
  EXPECT_THAT(r.error, HasSubstr("mx: A lookup of bad.example.org. failed"));
}

TEST_F(CheckHostTest, PtrAndPMacroShareOneValidation) {
  Txt("example.org", "v=spf1 exists:%{p}.allow.example.org ptr -all");
  dns_.AddRecord("1.2.0.192.in-addr.arpa", rr::kPtr, Name("mail.example.org."));
  dns_.AddRecord("mail.example.org", rr::kA, mxscan::testing::Ip("192.0.2.1"));
  const CheckHostResult r = Check("192.0.2.1", "a@example.org");
  EXPECT_EQ(r.result, Result::kPass);
  EXPECT_EQ(r.mechanism, "ptr");
  EXPECT_EQ(std::count(dns_.asked().begin(), dns_.asked().end(),
                       "1.2.0.192.in-addr.arpa. PTR"),
            1);
  EXPECT_EQ(r.void_lookups, 1);  // mail.example.org.allow.example.org
}

TEST_F(CheckHostTest, LookupLimit) {
  Txt("example.org", "v=spf1 a a a a a a a a a a ip4:192.0.2.1 a -all");
  dns_.AddRecord("example.org", rr::kA, mxscan::testing::Ip("198.51.100.1"));
  const CheckHostResult r = Check("192.0.2.1", "a@example.org");
  EXPECT_EQ(r.result, Result::kPass);
  EXPECT_EQ(r.dns_lookups, 10);
  const CheckHostResult over = Check("192.0.2.2", "a@example.org");
  EXPECT_EQ(over.result, Result::kPermError);
  EXPECT_EQ(over.dns_lookups, 11);
  EXPECT_THAT(over.error, HasSubstr("a: more than 10 DNS-querying terms"));
}

TEST_F(CheckHostTest, VoidLimitAndAdjustableLimits) {
  Txt("example.org", "v=spf1 a:n1.example.org a:n2.example.org ?all");
  EXPECT_EQ(Check("192.0.2.1", "a@example.org").result, Result::kNeutral);
  CheckHostRequest request =
      CheckHostRequest::ForMailFrom(Ip("192.0.2.1"), "a@example.org", "h.x");
  request.limits.void_lookups = 1;
  std::optional<CheckHostResult> result;
  CheckHost(dns_, request, [&](CheckHostResult r) { result = std::move(r); });
  dns_.RunUntilIdle();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->result, Result::kPermError);
  EXPECT_EQ(result->error,
            "a:n2.example.org: more than 1 void lookups (RFC 7208 section "
            "4.6.4)");
}

TEST_F(CheckHostTest, Ip4MappedClientIsIp4) {
  Txt("example.org", "v=spf1 ip6:::ffff:192.0.2.1 ip4:192.0.2.1 -all");
  const CheckHostResult r = Check("::ffff:192.0.2.1", "a@example.org");
  EXPECT_EQ(r.result, Result::kPass);
  EXPECT_EQ(r.mechanism, "ip4:192.0.2.1");
}

TEST_F(CheckHostTest, RequestBuilders) {
  const CheckHostRequest empty =
      CheckHostRequest::ForMailFrom(Ip("192.0.2.1"), "", "mail.example.org");
  EXPECT_EQ(empty.sender, "postmaster@mail.example.org");
  EXPECT_EQ(empty.domain, "mail.example.org");
  const CheckHostRequest bare =
      CheckHostRequest::ForMailFrom(Ip("192.0.2.1"), "@example.org", "h");
  EXPECT_EQ(bare.sender, "postmaster@example.org");
  EXPECT_EQ(bare.domain, "example.org");
  const CheckHostRequest quoted = CheckHostRequest::ForMailFrom(
      Ip("192.0.2.1"), "\"a@b\"@example.org", "h");
  EXPECT_EQ(quoted.domain, "example.org");
  EXPECT_EQ(CheckHostRequest::ForHelo(Ip("192.0.2.1"), "h.example").sender,
            "postmaster@h.example");
}

TEST_F(CheckHostTest, ResultNames) {
  EXPECT_STREQ(ResultName(Result::kSoftFail), "softfail");
  EXPECT_STREQ(ResultName(Result::kTempError), "temperror");
  EXPECT_STREQ(ResultName(Result::kPermError), "permerror");
  EXPECT_STREQ(ResultName(Result::kNone), "none");
}

}  // namespace
}  // namespace mxscan::checks::spf
