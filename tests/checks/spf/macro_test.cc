#include "scanner/checks/spf/macro.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::checks::spf {
namespace {

using ::testing::HasSubstr;

// The values of the examples in RFC 7208 section 7.4.
MacroValues Rfc7208Values(const char* ip) {
  MacroValues values;
  values.sender = "strong-bad@email.example.com";
  values.local_part = "strong-bad";
  values.sender_domain = "email.example.com";
  values.domain = "email.example.com";
  values.ip = *IpAddress::Parse(ip);
  values.validated_name = "mx.example.org";
  values.helo = "mx.example.org";
  return values;
}

std::string Expand(const std::string& text, const MacroValues& values,
                   MacroSyntax syntax = MacroSyntax::kDomainSpec) {
  absl::StatusOr<std::string> expanded = ExpandMacroText(text, syntax, values);
  EXPECT_TRUE(expanded.ok()) << text << ": " << expanded.status();
  return expanded.ok() ? *expanded : "";
}

TEST(MacroTest, Rfc7208Section74Letters) {
  const MacroValues v = Rfc7208Values("192.0.2.3");
  EXPECT_EQ(Expand("%{s}", v), "strong-bad@email.example.com");
  EXPECT_EQ(Expand("%{o}", v), "email.example.com");
  EXPECT_EQ(Expand("%{d}", v), "email.example.com");
  EXPECT_EQ(Expand("%{d4}", v), "email.example.com");
  EXPECT_EQ(Expand("%{d3}", v), "email.example.com");
  EXPECT_EQ(Expand("%{d2}", v), "example.com");
  EXPECT_EQ(Expand("%{d1}", v), "com");
  EXPECT_EQ(Expand("%{dr}", v), "com.example.email");
  EXPECT_EQ(Expand("%{d2r}", v), "example.email");
  EXPECT_EQ(Expand("%{l}", v), "strong-bad");
  EXPECT_EQ(Expand("%{l-}", v), "strong.bad");
  EXPECT_EQ(Expand("%{lr}", v), "strong-bad");
  EXPECT_EQ(Expand("%{lr-}", v), "bad.strong");
  EXPECT_EQ(Expand("%{l1r-}", v), "strong");
}

TEST(MacroTest, Rfc7208Section74Ip4Examples) {
  const MacroValues v = Rfc7208Values("192.0.2.3");
  EXPECT_EQ(Expand("%{ir}.%{v}._spf.%{d2}", v),
            "3.2.0.192.in-addr._spf.example.com");
  EXPECT_EQ(Expand("%{lr-}.lp._spf.%{d2}", v),
            "bad.strong.lp._spf.example.com");
  EXPECT_EQ(Expand("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", v),
            "bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
  EXPECT_EQ(Expand("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", v),
            "3.2.0.192.in-addr.strong.lp._spf.example.com");
  EXPECT_EQ(Expand("%{d2}.trusted-domains.example.net", v),
            "example.com.trusted-domains.example.net");
}

TEST(MacroTest, Rfc7208Section74Ip6Example) {
  const MacroValues v = Rfc7208Values("2001:db8::cb01");
  EXPECT_EQ(Expand("%{ir}.%{v}._spf.%{d2}", v),
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
            "ip6._spf.example.com");
}

TEST(MacroTest, ExplanationLetters) {
  MacroValues v = Rfc7208Values("192.0.2.3");
  v.receiver = "mx.receiver.example";
  v.timestamp = 1234567890;
  EXPECT_EQ(Expand("%{c} via %{r} at %{t}", v, MacroSyntax::kExplanation),
            "192.0.2.3 via mx.receiver.example at 1234567890");
  EXPECT_EQ(Expand("%{c}", Rfc7208Values("2001:db8::cb01"),
                   MacroSyntax::kExplanation),
            "2001:db8::cb01");
  EXPECT_EQ(Expand("%{p} %{h}", v, MacroSyntax::kExplanation),
            "mx.example.org mx.example.org");
}

TEST(MacroTest, Escapes) {
  const MacroValues v = Rfc7208Values("192.0.2.3");
  EXPECT_EQ(Expand("macro%%percent%_%_space%-url-space.example.com", v),
            "macro%percent  space%20url-space.example.com");
}

TEST(MacroTest, UppercaseIsUrlEscaped) {
  MacroValues v = Rfc7208Values("192.0.2.3");
  v.local_part = "~jack&jill=up-a_b3.c";
  EXPECT_EQ(Expand("%{L}", v), "~jack%26jill%3Dup-a_b3.c");
  v.helo = "JUMPIN' JUPITER";
  EXPECT_EQ(Expand("%{H}", v), "JUMPIN%27%20JUPITER");
  EXPECT_EQ(Expand("%{h}", v), "JUMPIN' JUPITER");
  EXPECT_EQ(Expand("%{D2}", v), "example.com");
}

TEST(MacroTest, SeveralDelimiters) {
  MacroValues v = Rfc7208Values("192.0.2.3");
  v.local_part = "foo-bar+zip+quux";
  EXPECT_EQ(Expand("%{l2r+-}", v), "bar.foo");
  EXPECT_EQ(Expand("%{l+-}", v), "foo.bar.zip.quux");
  v.local_part = "philip-gladstone-test";
  EXPECT_EQ(Expand("%{l2r-}", v), "gladstone.philip");
}

TEST(MacroTest, HugeDigitMeansAllParts) {
  const MacroValues v = Rfc7208Values("192.0.2.3");
  EXPECT_EQ(Expand("%{d99999999999999999999}", v), "email.example.com");
}

TEST(MacroTest, VersionLetter) {
  EXPECT_EQ(Expand("%{v}", Rfc7208Values("192.0.2.3")), "in-addr");
  EXPECT_EQ(Expand("%{v}", Rfc7208Values("2001:db8::1")), "ip6");
}

TEST(MacroTest, SyntaxErrors) {
  const MacroValues v = Rfc7208Values("192.0.2.3");
  auto error = [&](const std::string& text, MacroSyntax syntax) {
    absl::StatusOr<std::string> r = ExpandMacroText(text, syntax, v);
    EXPECT_FALSE(r.ok()) << text;
    return r.ok() ? std::string() : std::string(r.status().message());
  };
  const MacroSyntax kDomain = MacroSyntax::kDomainSpec;
  const MacroSyntax kExp = MacroSyntax::kExplanation;
  EXPECT_THAT(error("%(ir)", kDomain), HasSubstr("must be followed"));
  EXPECT_THAT(error("foo%", kDomain), HasSubstr("at the end"));
  EXPECT_THAT(error("%{x}", kExp), HasSubstr("unknown macro letter"));
  EXPECT_THAT(error("%{c}", kDomain), HasSubstr("only allowed"));
  EXPECT_THAT(error("%{r}", kDomain), HasSubstr("only allowed"));
  EXPECT_THAT(error("%{t}", kDomain), HasSubstr("only allowed"));
  EXPECT_THAT(error("%{d0}", kDomain), HasSubstr("must not be 0"));
  EXPECT_THAT(error("%{d", kDomain), HasSubstr("unterminated"));
  EXPECT_THAT(error("%{", kDomain), HasSubstr("unterminated"));
  EXPECT_THAT(error("%{d2r.x}", kDomain), HasSubstr("invalid character"));
  EXPECT_THAT(error("a b", kDomain), HasSubstr("invalid character"));
  EXPECT_THAT(error("a\x80", kExp), HasSubstr("7-bit"));
  EXPECT_THAT(error("tab\there", kExp), HasSubstr("invalid character"));
  // Spaces are fine in explanations.
  EXPECT_EQ(Expand("The %{l} files.", v, kExp), "The strong-bad files.");
}

TEST(MacroTest, ParsedForm) {
  absl::StatusOr<MacroString> m =
      ParseMacroString("x.%{L3r-=}.y", MacroSyntax::kDomainSpec);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->parts.size(), 3u);
  EXPECT_EQ(m->parts[0].literal, "x.");
  EXPECT_EQ(m->parts[1].letter, 'l');
  EXPECT_TRUE(m->parts[1].url_escape);
  EXPECT_EQ(m->parts[1].keep_parts, 3);
  EXPECT_TRUE(m->parts[1].reverse);
  EXPECT_EQ(m->parts[1].delimiters, "-=");
  EXPECT_FALSE(m->ends_with_macro_expand);
  EXPECT_TRUE(m->UsesLetter('l'));
  EXPECT_FALSE(m->UsesLetter('d'));
  EXPECT_TRUE(ParseMacroString("a.%{d}", MacroSyntax::kDomainSpec)
                  ->ends_with_macro_expand);
  EXPECT_TRUE(ParseMacroString("a.%%", MacroSyntax::kDomainSpec)
                  ->ends_with_macro_expand);
}

}  // namespace
}  // namespace mxscan::checks::spf
