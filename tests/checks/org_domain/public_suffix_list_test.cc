#include "scanner/checks/org_domain/public_suffix_list.h"

#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace mxscan::checks::org_domain {
namespace {

constexpr char kTrimmedList[] = "tests/checks/org_domain/data/psl_trimmed.dat";

class TrimmedListTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = PublicSuffixList::Load(kTrimmedList);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    list_ = new PublicSuffixList(*std::move(loaded));
  }
  static void TearDownTestSuite() { delete list_; }
  static PublicSuffixList* list_;
};
PublicSuffixList* TrimmedListTest::list_ = nullptr;

TEST_F(TrimmedListTest, PlainRules) {
  EXPECT_EQ(list_->PublicSuffix("example.com"), "com");
  EXPECT_EQ(list_->OrganizationalDomain("mail.example.com"), "example.com");
  EXPECT_EQ(list_->OrganizationalDomain("a.b.example.co.uk"), "example.co.uk");
  EXPECT_EQ(list_->PublicSuffix("a.b.example.co.uk"), "co.uk");
  // "uk" is a rule too; the longer "co.uk" wins.
  EXPECT_EQ(list_->OrganizationalDomain("example.uk"), "example.uk");
}

TEST_F(TrimmedListTest, CaseAndTrailingDot) {
  EXPECT_EQ(list_->OrganizationalDomain("Mail.Example.COM."), "example.com");
}

TEST_F(TrimmedListTest, WildcardRules) {
  // *.kawasaki.jp: every label under kawasaki.jp is a public suffix.
  EXPECT_EQ(list_->PublicSuffix("shop.foo.kawasaki.jp"), "foo.kawasaki.jp");
  EXPECT_EQ(list_->OrganizationalDomain("shop.foo.kawasaki.jp"),
            "shop.foo.kawasaki.jp");
  EXPECT_EQ(list_->OrganizationalDomain("a.shop.foo.kawasaki.jp"),
            "shop.foo.kawasaki.jp");
  // The wildcard needs a label to match: kawasaki.jp itself falls back to jp.
  EXPECT_EQ(list_->PublicSuffix("kawasaki.jp"), "jp");
  // *.ck without a plain "ck" rule: "ck" matches only the implicit "*".
  EXPECT_EQ(list_->PublicSuffix("ck"), "ck");
  EXPECT_EQ(list_->PublicSuffix("foo.ck"), "foo.ck");
  EXPECT_EQ(list_->OrganizationalDomain("bar.foo.ck"), "bar.foo.ck");
}

TEST_F(TrimmedListTest, ExceptionRules) {
  EXPECT_EQ(list_->PublicSuffix("city.kawasaki.jp"), "kawasaki.jp");
  EXPECT_EQ(list_->OrganizationalDomain("www.city.kawasaki.jp"),
            "city.kawasaki.jp");
  EXPECT_EQ(list_->PublicSuffix("www.ck"), "ck");
  EXPECT_EQ(list_->OrganizationalDomain("mail.www.ck"), "www.ck");
}

TEST_F(TrimmedListTest, UnknownTldIsItsOwnSuffix) {
  EXPECT_EQ(list_->PublicSuffix("example.unknowntld"), "unknowntld");
  EXPECT_EQ(list_->OrganizationalDomain("a.example.unknowntld"),
            "example.unknowntld");
  EXPECT_EQ(list_->OrganizationalDomain("unknowntld"), "unknowntld");
}

TEST_F(TrimmedListTest, PublicSuffixIsItsOwnOrganizationalDomain) {
  EXPECT_EQ(list_->OrganizationalDomain("com"), "com");
  EXPECT_EQ(list_->OrganizationalDomain("co.uk"), "co.uk");
}

TEST_F(TrimmedListTest, UnicodeRulesMatchALabels) {
  // aéroport.ci and 公司.cn are stored as A-labels.
  EXPECT_EQ(list_->PublicSuffix("fly.xn--aroport-bya.ci"),
            "xn--aroport-bya.ci");
  EXPECT_EQ(list_->OrganizationalDomain("www.shop.xn--55qx5d.cn"),
            "shop.xn--55qx5d.cn");
  EXPECT_EQ(list_->OrganizationalDomain("www.example.xn--p1ai"),
            "example.xn--p1ai");
}

TEST_F(TrimmedListTest, PrivateSectionUsedByDefault) {
  EXPECT_EQ(list_->OrganizationalDomain("www.alice.github.io"),
            "alice.github.io");
  EXPECT_EQ(list_->OrganizationalDomain("x.ec2-1.compute.amazonaws.com"),
            "x.ec2-1.compute.amazonaws.com");
}

TEST_F(TrimmedListTest, InvalidNames) {
  EXPECT_EQ(list_->PublicSuffix(""), "");
  EXPECT_EQ(list_->PublicSuffix("."), "");
  EXPECT_EQ(list_->OrganizationalDomain("a..com"), "");
  EXPECT_EQ(list_->OrganizationalDomain(".com"), "");
}

TEST(PublicSuffixListTest, IcannOnly) {
  std::ifstream in(kTrimmedList);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  auto list = PublicSuffixList::FromString(text, {/*include_private=*/false});
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->OrganizationalDomain("www.alice.github.io"), "github.io");
  EXPECT_EQ(list->OrganizationalDomain("www.example.com"), "example.com");
}

TEST(PublicSuffixListTest, FromStringRulesAndComments) {
  auto list = PublicSuffixList::FromString(
      "// comment\n\nexample  trailing words ignored\n*.wild.example\n"
      "!keep.wild.example\r\n");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->rule_count(), 3u);
  EXPECT_EQ(list->PublicSuffix("a.b.wild.example"), "b.wild.example");
  EXPECT_EQ(list->PublicSuffix("a.keep.wild.example"), "wild.example");
}

TEST(PublicSuffixListTest, RejectsMalformedLists) {
  EXPECT_FALSE(PublicSuffixList::FromString("// only comments\n").ok());
  EXPECT_FALSE(PublicSuffixList::FromString("a.*.example\n").ok());
  EXPECT_FALSE(PublicSuffixList::FromString("a..example\n").ok());
  EXPECT_FALSE(PublicSuffixList::FromString("!single\n").ok());
  EXPECT_FALSE(PublicSuffixList::FromString("bad\xFF\n").ok());
  EXPECT_FALSE(PublicSuffixList::Load("/nonexistent/list.dat").ok());
}

// The list Debian installs, as the scanner loads it.
TEST(PublicSuffixListTest, DebianList) {
  if (!std::ifstream(kDebianPublicSuffixListPath)) {
    GTEST_SKIP() << "publicsuffix package not installed";
  }
  auto list = PublicSuffixList::Load(kDebianPublicSuffixListPath);
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_GT(list->rule_count(), 5000u);
  EXPECT_EQ(list->OrganizationalDomain("www.example.co.uk"), "example.co.uk");
  EXPECT_EQ(list->OrganizationalDomain("mail.agency.gov.uk"), "agency.gov.uk");
  EXPECT_EQ(list->OrganizationalDomain("a.b.example.com"), "example.com");
  EXPECT_EQ(list->OrganizationalDomain("www.city.kawasaki.jp"),
            "city.kawasaki.jp");
  EXPECT_EQ(list->OrganizationalDomain("www.alice.github.io"),
            "alice.github.io");
  EXPECT_EQ(list->OrganizationalDomain("shop.xn--55qx5d.cn"),
            "shop.xn--55qx5d.cn");
  EXPECT_EQ(list->PublicSuffix("example.nonexistenttld"), "nonexistenttld");
}

}  // namespace
}  // namespace mxscan::checks::org_domain
