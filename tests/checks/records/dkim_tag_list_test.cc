// The RFC 6376 section 3.2 tag-list shared by DKIM and BIMI.

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scanner/checks/dkim/tag_list.h"

namespace mxscan::checks::dkim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(TagListTest, ParsesTagsWithFoldingWhitespace) {
  const TagList list = ParseTagList(" a = 1 ;b=x y\t z;\r\n c_2=;");
  EXPECT_THAT(list.errors, IsEmpty());
  EXPECT_THAT(list.warnings, IsEmpty());
  ASSERT_EQ(list.tags.size(), 3u);
  EXPECT_EQ(list.tags[0].name, "a");
  EXPECT_EQ(list.tags[0].value, "1");
  EXPECT_EQ(list.tags[1].value, "x y\t z");
  EXPECT_EQ(list.tags[2].name, "c_2");
  EXPECT_EQ(list.tags[2].value, "");
  ASSERT_NE(list.FindTag("b"), nullptr);
  EXPECT_EQ(list.FindTag("B"), nullptr);  // names are case-sensitive
}

TEST(TagListTest, ValuesMayHoldEquals) {
  const TagList list = ParseTagList("p=abc==");
  EXPECT_THAT(list.errors, IsEmpty());
  EXPECT_EQ(list.FindTag("p")->value, "abc==");
}

TEST(TagListTest, DuplicateTagIsAnError) {
  EXPECT_THAT(ParseTagList("a=1; a=2").errors,
              ElementsAre(HasSubstr("appears more than once")));
}

TEST(TagListTest, BadNames) {
  for (const char* bad : {"1a=x", "_a=x", "a-b=x", "a b=x", "=x"}) {
    EXPECT_THAT(ParseTagList(bad).errors,
                ElementsAre(HasSubstr("invalid tag name")))
        << bad;
  }
}

TEST(TagListTest, MissingEqualsAndBadValues) {
  EXPECT_THAT(ParseTagList("a=1; junk").errors,
              ElementsAre(HasSubstr("has no \"=\"")));
  EXPECT_THAT(ParseTagList("a=\x01").errors,
              ElementsAre(HasSubstr("outside printable ASCII")));
  EXPECT_THAT(ParseTagList("a=\xc3\xa9").errors,
              ElementsAre(HasSubstr("outside printable ASCII")));
}

TEST(TagListTest, EmptySpecs) {
  EXPECT_THAT(ParseTagList("").errors, ElementsAre("empty record"));
  EXPECT_THAT(ParseTagList("  ").errors, ElementsAre("empty record"));
  EXPECT_THAT(ParseTagList("a=1;;b=2").warnings,
              ElementsAre(HasSubstr("empty tag-spec")));
  EXPECT_THAT(ParseTagList("a=1;").warnings, IsEmpty());
}

}  // namespace
}  // namespace mxscan::checks::dkim
