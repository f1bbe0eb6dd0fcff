// UTF-8 checking and the proto-safe form of raw records.

#include "scanner/checks/mta_sts/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace mxscan::checks::mta_sts {
namespace {

TEST(Utf8Test, FirstInvalidByte) {
  constexpr size_t kNone = absl::string_view::npos;
  EXPECT_EQ(FirstInvalidUtf8(""), kNone);
  EXPECT_EQ(FirstInvalidUtf8("plain ascii\t\r\n"), kNone);
  EXPECT_EQ(FirstInvalidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            kNone);
  EXPECT_EQ(FirstInvalidUtf8(std::string("a\0b", 3)), kNone);
  EXPECT_EQ(FirstInvalidUtf8("ab\xff"), 2u);
  EXPECT_EQ(FirstInvalidUtf8("a\xc3"), 1u);             // truncated
  EXPECT_EQ(FirstInvalidUtf8("\xc0\xaf"), 0u);          // overlong
  EXPECT_EQ(FirstInvalidUtf8("\xe0\x80\xaf"), 0u);      // overlong
  EXPECT_EQ(FirstInvalidUtf8("\xed\xa0\x80"), 0u);      // surrogate
  EXPECT_EQ(FirstInvalidUtf8("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FirstInvalidUtf8("x\x80"), 1u);             // lone continuation
}

TEST(Utf8Test, TextForProtoKeepsUtf8) {
  EXPECT_EQ(TextForProto("v=STSv1; id=1"), "v=STSv1; id=1");
  EXPECT_EQ(TextForProto("caf\xc3\xa9\t"), "caf\xc3\xa9\t");
}

TEST(Utf8Test, TextForProtoEscapesOtherwise) {
  EXPECT_EQ(TextForProto("v=STSv1;\xff\tid=\\1"), "v=STSv1;\\255\\009id=\\1");
  EXPECT_EQ(TextForProto("\xc3\xa9\xc3"), "\\195\\169\\195");
}

}  // namespace
}  // namespace mxscan::checks::mta_sts
