#include "scanner/tls/sct_list.h"

#include <string>

#include "gtest/gtest.h"

namespace mxscan::tls {
namespace {

std::string Bytes(std::initializer_list<unsigned char> bytes) {
  return std::string(bytes.begin(), bytes.end());
}

TEST(SctListTest, CountsTheScts) {
  EXPECT_EQ(CountSctList(Bytes({0, 3, 0, 1, 'a'})), 1);
  EXPECT_EQ(CountSctList(Bytes({0, 9, 0, 2, 'a', 'b', 0, 3, 'c', 'd', 'e'})),
            2);
}

TEST(SctListTest, RefusesWhatDoesNotAddUp) {
  EXPECT_EQ(CountSctList(""), std::nullopt);
  EXPECT_EQ(CountSctList(Bytes({0, 0})), std::nullopt);        // no SCT
  EXPECT_EQ(CountSctList(Bytes({0, 2, 0, 0})), std::nullopt);  // empty SCT
  EXPECT_EQ(CountSctList(Bytes({0, 4, 0, 5, 'a', 'b'})), std::nullopt);
  EXPECT_EQ(CountSctList(Bytes({0, 3, 0, 1, 'a', 'x'})), std::nullopt);
  EXPECT_EQ(CountSctList(Bytes({0, 9, 0, 1})), std::nullopt);  // short
}

TEST(SctListTest, EmbeddedListIsAnOctetString) {
  EXPECT_EQ(CountEmbeddedScts(Bytes({0x04, 5, 0, 3, 0, 1, 'a'})), 1);
  // Not an OCTET STRING, trailing bytes, a bad list inside.
  EXPECT_EQ(CountEmbeddedScts(Bytes({0x30, 5, 0, 3, 0, 1, 'a'})), std::nullopt);
  EXPECT_EQ(CountEmbeddedScts(Bytes({0x04, 5, 0, 3, 0, 1, 'a', 0})),
            std::nullopt);
  EXPECT_EQ(CountEmbeddedScts(Bytes({0x04, 2, 0, 0})), std::nullopt);
}

}  // namespace
}  // namespace mxscan::tls
