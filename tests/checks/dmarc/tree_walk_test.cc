#include "scanner/checks/dmarc/tree_walk.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::checks::dmarc {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(TreeWalkTargetsTest, ShortNames) {
  EXPECT_THAT(TreeWalkTargets("a.mail.example.com"),
              ElementsAre("a.mail.example.com", "mail.example.com",
                          "example.com", "com"));
  EXPECT_THAT(TreeWalkTargets("com"), ElementsAre("com"));
  EXPECT_THAT(TreeWalkTargets(""), IsEmpty());
}

TEST(TreeWalkTargetsTest, EightLabelsNeedNoSkip) {
  EXPECT_THAT(
      TreeWalkTargets("a.b.c.d.e.f.example.com"),
      ElementsAre("a.b.c.d.e.f.example.com", "b.c.d.e.f.example.com",
                  "c.d.e.f.example.com", "d.e.f.example.com", "e.f.example.com",
                  "f.example.com", "example.com", "com"));
}

// RFC 9989 section 4.10's own example: 13 labels, 8 queries.
TEST(TreeWalkTargetsTest, LongNamesSkipToSevenLabels) {
  EXPECT_THAT(TreeWalkTargets("a.b.c.d.e.f.g.h.i.j.mail.example.com"),
              ElementsAre("a.b.c.d.e.f.g.h.i.j.mail.example.com",
                          "g.h.i.j.mail.example.com", "h.i.j.mail.example.com",
                          "i.j.mail.example.com", "j.mail.example.com",
                          "mail.example.com", "example.com", "com"));
  EXPECT_EQ(TreeWalkTargets("a.b.c.d.e.f.g.h.example.com").size(),
            kMaxTreeWalkQueries);
  // Section 5.1.8: the zone cut b.c.d.e.f.g.example.com is never asked.
  EXPECT_THAT(
      TreeWalkTargets("mail.a.b.c.d.e.f.g.example.com"),
      ElementsAre("mail.a.b.c.d.e.f.g.example.com", "c.d.e.f.g.example.com",
                  "d.e.f.g.example.com", "e.f.g.example.com", "f.g.example.com",
                  "g.example.com", "example.com", "com"));
}

TEST(TreeWalkTargetsTest, NeverMoreThanEight) {
  std::string name = "example.com";
  for (int i = 0; i < 40; ++i) {
    name = "x." + name;
    EXPECT_LE(TreeWalkTargets(name).size(), kMaxTreeWalkQueries) << name;
  }
}

TEST(SelectOrganizationalDomainTest, NoRecordsMeansTheStart) {
  EXPECT_EQ(SelectOrganizationalDomain("a.example.com", {}), "a.example.com");
}

// Section 4.10.2's examples.
TEST(SelectOrganizationalDomainTest, FewestLabels) {
  const std::vector<TreeWalkRecord> found = {
      {"mail.example.com", DmarcPsd::kUnknown},
      {"example.com", DmarcPsd::kUnknown}};
  EXPECT_EQ(SelectOrganizationalDomain("a.mail.example.com", found),
            "example.com");
}

TEST(SelectOrganizationalDomainTest, PsdNo) {
  const std::vector<TreeWalkRecord> found = {
      {"mail.example.com", DmarcPsd::kNo}};
  EXPECT_EQ(SelectOrganizationalDomain("a.mail.example.com", found),
            "mail.example.com");
}

TEST(SelectOrganizationalDomainTest, PsdYesAtTheTop) {
  const std::vector<TreeWalkRecord> found = {{"com", DmarcPsd::kYes}};
  EXPECT_EQ(SelectOrganizationalDomain("a.mail.example.com", found),
            "example.com");
  // B.4.3: giant.bank.example has a record, bank.example has psd=y.
  const std::vector<TreeWalkRecord> bank = {
      {"giant.bank.example", DmarcPsd::kUnknown},
      {"bank.example", DmarcPsd::kYes}};
  EXPECT_EQ(SelectOrganizationalDomain("mail.giant.bank.example", bank),
            "giant.bank.example");
}

TEST(SelectOrganizationalDomainTest, PsdYesAtTheStartIsNotRule2) {
  const std::vector<TreeWalkRecord> found = {{"gov", DmarcPsd::kYes}};
  EXPECT_EQ(SelectOrganizationalDomain("gov", found), "gov");
}

TEST(SelectOrganizationalDomainTest, PsdYesAfterSkippedLabels) {
  // One label below the PSD, counted on the start domain.
  const std::vector<TreeWalkRecord> found = {{"example.com", DmarcPsd::kYes}};
  EXPECT_EQ(SelectOrganizationalDomain("a.b.c.d.e.f.g.h.i.example.com", found),
            "i.example.com");
}

TEST(TreeWalkTest, Helpers) {
  EXPECT_EQ(LabelCount(""), 0u);
  EXPECT_EQ(LabelCount("com"), 1u);
  EXPECT_EQ(LabelCount("a.b.com"), 3u);
  EXPECT_TRUE(IsSameOrSubdomain("a.example.com", "example.com"));
  EXPECT_TRUE(IsSameOrSubdomain("example.com", "example.com"));
  EXPECT_FALSE(IsSameOrSubdomain("badexample.com", "example.com"));
  EXPECT_FALSE(IsSameOrSubdomain("com", "example.com"));
  EXPECT_TRUE(TreeWalkStopsAt({"x", DmarcPsd::kYes}));
  EXPECT_TRUE(TreeWalkStopsAt({"x", DmarcPsd::kNo}));
  EXPECT_FALSE(TreeWalkStopsAt({"x", DmarcPsd::kUnknown}));
}

}  // namespace
}  // namespace mxscan::checks::dmarc
