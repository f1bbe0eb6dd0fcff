#include "scanner/checks/org_domain/punycode.h"

#include <vector>

#include "gtest/gtest.h"

namespace mxscan::checks::org_domain {
namespace {

TEST(PunycodeTest, EncodesKnownLabels) {
  // Expected values from RFC 3492's algorithm as published for these names.
  EXPECT_EQ(*DomainToALabels("bücher"), "xn--bcher-kva");
  EXPECT_EQ(*DomainToALabels("münchen"), "xn--mnchen-3ya");
  EXPECT_EQ(*DomainToALabels("рф"), "xn--p1ai");
  EXPECT_EQ(*DomainToALabels("公司.cn"), "xn--55qx5d.cn");
  EXPECT_EQ(*DomainToALabels("aéroport.ci"), "xn--aroport-bya.ci");
  EXPECT_EQ(*DomainToALabels("ドメイン名例"), "xn--eckwd4c7cu47r2wf");
}

TEST(PunycodeTest, AsciiLabelsAreLowercasedOnly) {
  EXPECT_EQ(*DomainToALabels("Example.COM"), "example.com");
  EXPECT_EQ(*DomainToALabels("xn--p1ai"), "xn--p1ai");
}

TEST(PunycodeTest, RfcSampleWithBasicCodePoints) {
  // RFC 3492 section 7.1 sample (L): "3<nen>B<gumi><kinpachi><sensei>".
  const std::vector<char32_t> input = {0x33,   0x5E74, 0x42,   0x7D44,
                                       0x91D1, 0x516B, 0x5148, 0x751F};
  EXPECT_EQ(*PunycodeEncode(input), "3B-ww4c5e180e575a65lsy2b");
}

TEST(PunycodeTest, RejectsInvalidUtf8AndSurrogates) {
  EXPECT_FALSE(DomainToALabels("a\xC3").ok());         // truncated
  EXPECT_FALSE(DomainToALabels("\xC0\x80.com").ok());  // overlong NUL
  EXPECT_FALSE(DomainToALabels("\xED\xA0\x80").ok());  // surrogate
  EXPECT_FALSE(DomainToALabels("\xFF").ok());
  const std::vector<char32_t> surrogate = {0xD800};
  EXPECT_FALSE(PunycodeEncode(surrogate).ok());
}

}  // namespace
}  // namespace mxscan::checks::org_domain
