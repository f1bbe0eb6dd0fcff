// The tag=value lexer shared by DKIM, BIMI, DMARC, MTA-STS and TLS-RPT
// records (RFC 6376 section 3.2 and each protocol's variations), and its
// RFC 6376 judgement, ParseTagList.

#include "scanner/checks/tag_list.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::checks {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using Kind = TagSpec::Kind;

// WSP only (as DMARC, MTA-STS and TLS-RPT), grammars left to the caller.
constexpr TagListSyntax kWspOnly = {/*cr_lf_are_space=*/false,
                                    /*is_name=*/nullptr, /*is_value=*/nullptr};

std::vector<Kind> Kinds(const LexedTagList& lexed) {
  std::vector<Kind> kinds;
  for (const TagSpec& spec : lexed.specs) kinds.push_back(spec.kind);
  return kinds;
}

TEST(LexTagListTest, CutsAtSemicolonsAndFirstEquals) {
  const LexedTagList lexed = LexTagList(" a = 1 ;b=x y\t z;\r\n c_2=;p=abc==");
  ASSERT_THAT(Kinds(lexed),
              ElementsAre(Kind::kTag, Kind::kTag, Kind::kTag, Kind::kTag));
  EXPECT_EQ(lexed.specs[0].text, "a = 1");
  EXPECT_EQ(lexed.specs[0].name, "a");
  EXPECT_EQ(lexed.specs[0].value, "1");
  EXPECT_TRUE(lexed.specs[0].space_before_equals);
  EXPECT_TRUE(lexed.specs[0].space_after_equals);
  EXPECT_EQ(lexed.specs[1].value, "x y\t z");  // inner whitespace kept
  EXPECT_FALSE(lexed.specs[1].space_before_equals);
  EXPECT_EQ(lexed.specs[2].name, "c_2");
  EXPECT_EQ(lexed.specs[2].value, "");  // an empty value is a value
  EXPECT_EQ(lexed.specs[3].value, "abc==");
  EXPECT_FALSE(lexed.blank);
  EXPECT_FALSE(lexed.trailing_space);
}

TEST(LexTagListTest, FinalSemicolonEndsTheList) {
  EXPECT_THAT(Kinds(LexTagList("a=1;")), ElementsAre(Kind::kTag));
  EXPECT_THAT(Kinds(LexTagList("a=1; \t")), ElementsAre(Kind::kTag));
  EXPECT_THAT(Kinds(LexTagList(";")), ElementsAre(Kind::kEmpty));
}

TEST(LexTagListTest, EmptyTagSpecs) {
  EXPECT_THAT(Kinds(LexTagList("a=1;;b=2")),
              ElementsAre(Kind::kTag, Kind::kEmpty, Kind::kTag));
  EXPECT_THAT(Kinds(LexTagList(" ; a=1")),
              ElementsAre(Kind::kEmpty, Kind::kTag));
  EXPECT_THAT(Kinds(LexTagList("a=1; ;;")),
              ElementsAre(Kind::kTag, Kind::kEmpty, Kind::kEmpty));
}

TEST(LexTagListTest, BlankText) {
  for (const char* text : {"", " ", "\t\r\n"}) {
    const LexedTagList lexed = LexTagList(text);
    EXPECT_TRUE(lexed.blank) << text;
    EXPECT_THAT(lexed.specs, IsEmpty()) << text;
  }
  EXPECT_FALSE(LexTagList(";").blank);
}

TEST(LexTagListTest, TrailingSpace) {
  EXPECT_TRUE(LexTagList("a=1 ").trailing_space);
  EXPECT_TRUE(LexTagList("a=1; ").trailing_space);
  EXPECT_FALSE(LexTagList("a=1 ;").trailing_space);
  EXPECT_TRUE(LexTagList("a=1\n").trailing_space);
  EXPECT_FALSE(LexTagList("a=1\n", kWspOnly).trailing_space);
}

TEST(LexTagListTest, CrAndLfAreSpaceOnlyInRfc6376) {
  EXPECT_EQ(LexTagList("a=1\r\n").specs[0].value, "1");
  const LexedTagList wsp = LexTagList("\na=1\r", kWspOnly);
  EXPECT_EQ(wsp.specs[0].name, "\na");
  EXPECT_EQ(wsp.specs[0].value, "1\r");
}

TEST(LexTagListTest, NoEquals) {
  const LexedTagList lexed = LexTagList("a=1; junk ");
  ASSERT_THAT(Kinds(lexed), ElementsAre(Kind::kTag, Kind::kNoEquals));
  EXPECT_EQ(lexed.specs[1].text, "junk");
}

TEST(LexTagListTest, Rfc6376NameAndValueGrammar) {
  for (const char* bad : {"1a=x", "_a=x", "a-b=x", "a b=x", "=x"}) {
    EXPECT_THAT(Kinds(LexTagList(bad)), ElementsAre(Kind::kBadName)) << bad;
  }
  for (const char* bad : {"a=\x01", "a=\xc3\xa9", "a=\x7f"}) {
    EXPECT_THAT(Kinds(LexTagList(bad)), ElementsAre(Kind::kBadValue)) << bad;
  }
  EXPECT_TRUE(IsTagName("aZ9_"));
  EXPECT_TRUE(IsTagValue(""));
  EXPECT_TRUE(IsTagValue("a b\r\n\tc=!~"));
}

TEST(LexTagListTest, GrammarsAreOptions) {
  // Without grammars every spec with "=" is a tag (DMARC judges names).
  EXPECT_THAT(Kinds(LexTagList("=x; 1a=\x01; ignore_me= true", kWspOnly)),
              ElementsAre(Kind::kTag, Kind::kTag, Kind::kTag));
  TagListSyntax digits_only = kWspOnly;
  digits_only.is_name = [](absl::string_view name) {
    return !name.empty() &&
           name.find_first_not_of("0123456789") == absl::string_view::npos;
  };
  EXPECT_THAT(Kinds(LexTagList("1=a; b=2", digits_only)),
              ElementsAre(Kind::kTag, Kind::kBadName));
}

TEST(LexTagListTest, RepeatedNames) {
  const LexedTagList lexed = LexTagList("a=1; A=2; a=3");
  ASSERT_EQ(lexed.specs.size(), 3u);
  EXPECT_FALSE(lexed.specs[0].repeated);
  EXPECT_FALSE(lexed.specs[1].repeated);  // case-sensitive by default
  EXPECT_TRUE(lexed.specs[2].repeated);

  TagListSyntax ignore_case = kWspOnly;
  ignore_case.names_ignore_case = true;
  const LexedTagList dmarc = LexTagList("v=DMARC1; V=DMARC1", ignore_case);
  EXPECT_TRUE(dmarc.specs[1].repeated);

  // Only well-formed tags count: a bad spec does not make the next a repeat.
  const LexedTagList after_bad = LexTagList("a=\x01; a=2");
  EXPECT_THAT(Kinds(after_bad), ElementsAre(Kind::kBadValue, Kind::kTag));
  EXPECT_FALSE(after_bad.specs[1].repeated);
}

TEST(ParseTagListTest, ParsesTagsWithFoldingWhitespace) {
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

TEST(ParseTagListTest, ValuesMayHoldEquals) {
  const TagList list = ParseTagList("p=abc==");
  EXPECT_THAT(list.errors, IsEmpty());
  EXPECT_EQ(list.FindTag("p")->value, "abc==");
}

TEST(ParseTagListTest, DuplicateTagIsAnError) {
  const TagList list = ParseTagList("a=1; a=2");
  EXPECT_THAT(list.errors, ElementsAre("tag a= appears more than once"));
  ASSERT_EQ(list.tags.size(), 1u);
  EXPECT_EQ(list.tags[0].value, "1");  // the first value is kept
}

TEST(ParseTagListTest, BadNames) {
  for (const char* bad : {"1a=x", "_a=x", "a-b=x", "a b=x", "=x"}) {
    EXPECT_THAT(ParseTagList(bad).errors,
                ElementsAre(HasSubstr("invalid tag name")))
        << bad;
  }
}

TEST(ParseTagListTest, MissingEqualsAndBadValues) {
  EXPECT_THAT(ParseTagList("a=1; junk").errors,
              ElementsAre("tag-spec \"junk\" has no \"=\""));
  EXPECT_THAT(ParseTagList("a=\x01").errors,
              ElementsAre(HasSubstr("outside printable ASCII")));
  EXPECT_THAT(ParseTagList("a=\xc3\xa9").errors,
              ElementsAre(HasSubstr("outside printable ASCII")));
}

TEST(ParseTagListTest, EmptySpecs) {
  EXPECT_THAT(ParseTagList("").errors, ElementsAre("empty record"));
  EXPECT_THAT(ParseTagList("  ").errors, ElementsAre("empty record"));
  EXPECT_THAT(ParseTagList("a=1;;b=2").warnings,
              ElementsAre(HasSubstr("empty tag-spec")));
  EXPECT_THAT(ParseTagList("a=1;").warnings, IsEmpty());
  const TagList leading = ParseTagList(";a=1");
  EXPECT_THAT(leading.errors, IsEmpty());
  EXPECT_THAT(leading.warnings, ElementsAre(HasSubstr("leading")));
}

}  // namespace
}  // namespace mxscan::checks
