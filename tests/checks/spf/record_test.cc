#include "scanner/checks/spf/record.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::checks::spf {
namespace {

using ::testing::HasSubstr;

// Parses a record that must be valid.
Record Parsed(const std::string& text) {
  absl::StatusOr<Record> record = ParseRecord(text);
  EXPECT_TRUE(record.ok()) << text << ": " << record.status();
  return record.ok() ? *record : Record();
}

// The error message for a record that must be invalid.
std::string ErrorOf(const std::string& text) {
  absl::StatusOr<Record> record = ParseRecord(text);
  EXPECT_FALSE(record.ok()) << text << " parsed";
  if (record.ok()) return "";
  EXPECT_EQ(record.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(record.status().message());
}

TEST(IsSpfRecordTest, VersionThenSpaceOrEnd) {
  EXPECT_TRUE(IsSpfRecord("v=spf1"));
  EXPECT_TRUE(IsSpfRecord("v=spf1 -all"));
  EXPECT_TRUE(IsSpfRecord("V=SpF1 -all"));
  EXPECT_FALSE(IsSpfRecord("v=spf10"));
  EXPECT_FALSE(IsSpfRecord("v=spf1mx"));
  EXPECT_FALSE(IsSpfRecord("v=spf1\t-all"));
  EXPECT_FALSE(IsSpfRecord(" v=spf1"));
  EXPECT_FALSE(IsSpfRecord("spf2.0/pra"));
  EXPECT_FALSE(IsSpfRecord(""));
}

TEST(ParseRecordTest, EmptyRecordAndSpaces) {
  EXPECT_TRUE(Parsed("v=spf1").directives.empty());
  EXPECT_EQ(Parsed("v=spf1   a  -all   ").directives.size(), 2u);
}

TEST(ParseRecordTest, Qualifiers) {
  Record r = Parsed("v=spf1 +a -a ~a ?a a");
  ASSERT_EQ(r.directives.size(), 5u);
  EXPECT_EQ(r.directives[0].qualifier, Qualifier::kPass);
  EXPECT_EQ(r.directives[1].qualifier, Qualifier::kFail);
  EXPECT_EQ(r.directives[2].qualifier, Qualifier::kSoftFail);
  EXPECT_EQ(r.directives[3].qualifier, Qualifier::kNeutral);
  EXPECT_EQ(r.directives[4].qualifier, Qualifier::kPass);
  EXPECT_EQ(std::string(QualifierSymbol(Qualifier::kSoftFail)), "~");
}

TEST(ParseRecordTest, All) {
  Record r = Parsed("v=spf1 -all");
  ASSERT_EQ(r.directives.size(), 1u);
  EXPECT_EQ(r.directives[0].kind, MechanismKind::kAll);
  EXPECT_EQ(r.directives[0].text, "-all");
  EXPECT_TRUE(r.HasAll());
  EXPECT_FALSE(Parsed("v=spf1 a").HasAll());
  EXPECT_THAT(ErrorOf("v=spf1 -all."), HasSubstr("\"-all.\""));
  EXPECT_THAT(ErrorOf("v=spf1 -all:foo"), HasSubstr("no argument"));
  EXPECT_THAT(ErrorOf("v=spf1 -all/8"), HasSubstr("no argument"));
}

TEST(ParseRecordTest, Include) {
  Record r = Parsed("v=spf1 include:_spf.example.org");
  ASSERT_EQ(r.directives.size(), 1u);
  EXPECT_EQ(r.directives[0].kind, MechanismKind::kInclude);
  ASSERT_TRUE(r.directives[0].domain_spec.has_value());
  EXPECT_EQ(r.directives[0].domain_spec->text, "_spf.example.org");
  EXPECT_THAT(ErrorOf("v=spf1 include"), HasSubstr("needs \":\""));
  EXPECT_THAT(ErrorOf("v=spf1 include:"), HasSubstr("empty domain-spec"));
  EXPECT_THAT(ErrorOf("v=spf1 include:a.example/24"),
              HasSubstr("top-level label"));
}

TEST(ParseRecordTest, AWithDomainAndDualCidr) {
  Record r = Parsed(
      "v=spf1 a a:mail.example.org a/24 a//64 "
      "a:mail.example.org/24//64 A:Mail.Example.Org");
  ASSERT_EQ(r.directives.size(), 6u);
  EXPECT_FALSE(r.directives[0].domain_spec.has_value());
  EXPECT_EQ(r.directives[0].ip4_prefix, 32);
  EXPECT_EQ(r.directives[0].ip6_prefix, 128);
  EXPECT_EQ(r.directives[1].domain_spec->text, "mail.example.org");
  EXPECT_EQ(r.directives[2].ip4_prefix, 24);
  EXPECT_EQ(r.directives[2].ip6_prefix, 128);
  EXPECT_EQ(r.directives[3].ip4_prefix, 32);
  EXPECT_EQ(r.directives[3].ip6_prefix, 64);
  EXPECT_EQ(r.directives[4].domain_spec->text, "mail.example.org");
  EXPECT_EQ(r.directives[4].ip4_prefix, 24);
  EXPECT_EQ(r.directives[4].ip6_prefix, 64);
  EXPECT_EQ(r.directives[5].kind, MechanismKind::kA);
}

TEST(ParseRecordTest, DomainSpecMayHoldSlashesAndColons) {
  Record r = Parsed("v=spf1 a:foo:bar/baz.example.com");
  EXPECT_EQ(r.directives[0].domain_spec->text, "foo:bar/baz.example.com");
  EXPECT_EQ(r.directives[0].ip4_prefix, 32);
}

TEST(ParseRecordTest, Mx) {
  Record r = Parsed("v=spf1 mx mx:example.org/30 mx//126");
  ASSERT_EQ(r.directives.size(), 3u);
  EXPECT_EQ(r.directives[0].kind, MechanismKind::kMx);
  EXPECT_EQ(r.directives[1].ip4_prefix, 30);
  EXPECT_EQ(r.directives[2].ip6_prefix, 126);
  EXPECT_THAT(ErrorOf("v=spf1 mx:"), HasSubstr("empty domain-spec"));
}

TEST(ParseRecordTest, Ptr) {
  Record r = Parsed("v=spf1 ptr ptr:example.org");
  ASSERT_EQ(r.directives.size(), 2u);
  EXPECT_EQ(r.directives[0].kind, MechanismKind::kPtr);
  EXPECT_EQ(r.directives[1].domain_spec->text, "example.org");
  EXPECT_THAT(ErrorOf("v=spf1 ptr/0"), HasSubstr("\"ptr/0\""));
  EXPECT_THAT(ErrorOf("v=spf1 ptr:"), HasSubstr("empty domain-spec"));
}

TEST(ParseRecordTest, Ip4) {
  Record r = Parsed("v=spf1 ip4:192.0.2.1 ip4:192.0.2.0/24 ip4:0.0.0.0/0");
  ASSERT_EQ(r.directives.size(), 3u);
  EXPECT_EQ(r.directives[0].kind, MechanismKind::kIp4);
  EXPECT_EQ(r.directives[0].network.ToString(), "192.0.2.1");
  EXPECT_EQ(r.directives[0].ip4_prefix, 32);
  EXPECT_EQ(r.directives[1].ip4_prefix, 24);
  EXPECT_EQ(r.directives[2].ip4_prefix, 0);
}

TEST(ParseRecordTest, Ip6) {
  Record r = Parsed("v=spf1 ip6:2001:db8::1 ip6:2001:DB8::/32 ip6:::1.2.3.4");
  ASSERT_EQ(r.directives.size(), 3u);
  EXPECT_EQ(r.directives[0].kind, MechanismKind::kIp6);
  EXPECT_EQ(r.directives[0].ip6_prefix, 128);
  EXPECT_EQ(r.directives[1].network.ToString(), "2001:db8::");
  EXPECT_EQ(r.directives[1].ip6_prefix, 32);
}

TEST(ParseRecordTest, Exists) {
  Record r = Parsed("v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d}");
  ASSERT_EQ(r.directives.size(), 1u);
  EXPECT_EQ(r.directives[0].kind, MechanismKind::kExists);
  EXPECT_TRUE(r.directives[0].domain_spec->macro.UsesLetter('i'));
  EXPECT_THAT(ErrorOf("v=spf1 exists"), HasSubstr("needs \":\""));
  EXPECT_THAT(ErrorOf("v=spf1 exists:"), HasSubstr("empty domain-spec"));
  EXPECT_THAT(ErrorOf("v=spf1 exists:mail.example.com/24"),
              HasSubstr("top-level label"));
}

TEST(ParseRecordTest, Modifiers) {
  Record r = Parsed(
      "v=spf1 -all redirect=_spf.example.org exp=explain.%{d} "
      "moo.cow-far_out=man:dog/cat default=pass foo=");
  ASSERT_TRUE(r.redirect.has_value());
  EXPECT_EQ(r.redirect->text, "_spf.example.org");
  ASSERT_TRUE(r.explanation.has_value());
  EXPECT_EQ(r.explanation->text, "explain.%{d}");
  ASSERT_EQ(r.unknown_modifiers.size(), 3u);
  EXPECT_EQ(r.unknown_modifiers[0].name, "moo.cow-far_out");
  EXPECT_EQ(r.unknown_modifiers[0].value, "man:dog/cat");
  EXPECT_EQ(r.unknown_modifiers[2].value, "");
  // Names of known modifiers are case-insensitive.
  EXPECT_TRUE(Parsed("v=spf1 REDIRECT=example.org").redirect.has_value());
}

TEST(ParseRecordTest, MechanismNamesAreCaseInsensitive) {
  Record r = Parsed("v=spf1 IP4:192.0.2.1 Include:example.org MX PTR ALL");
  ASSERT_EQ(r.directives.size(), 5u);
  EXPECT_EQ(r.directives[4].kind, MechanismKind::kAll);
}

TEST(ParseRecordTest, DuplicateRedirectOrExp) {
  EXPECT_THAT(ErrorOf("v=spf1 redirect=a.example redirect=b.example"),
              HasSubstr("redirect= appears more than once"));
  EXPECT_THAT(ErrorOf("v=spf1 exp=a.example -all exp=b.example"),
              HasSubstr("exp= appears more than once"));
}

TEST(ParseRecordTest, BadModifiers) {
  // Known modifiers need a domain-spec.
  EXPECT_THAT(ErrorOf("v=spf1 redirect="), HasSubstr("empty domain-spec"));
  EXPECT_THAT(ErrorOf("v=spf1 exp= -all"), HasSubstr("empty domain-spec"));
  EXPECT_THAT(ErrorOf("v=spf1 exp=-all"), HasSubstr("top-level label"));
  EXPECT_THAT(ErrorOf("v=spf1 redirect=-all ?all"),
              HasSubstr("top-level label"));
  // Modifier names start with a letter and hold no '/' or ':'.
  EXPECT_THAT(ErrorOf("v=spf1 1up=foo"), HasSubstr("\"1up=foo\""));
  EXPECT_THAT(ErrorOf("v=spf1 =all"), HasSubstr("neither a mechanism"));
  EXPECT_THAT(ErrorOf("v=spf1 moo.cow/far_out=man:dog/cat"),
              HasSubstr("unknown mechanism \"moo\""));
  EXPECT_THAT(ErrorOf("v=spf1 moo.cow:far_out=man:dog/cat"),
              HasSubstr("unknown mechanism"));
  // Unknown modifiers still need a valid macro-string.
  EXPECT_THAT(ErrorOf("v=spf1 -all foo=%abc"), HasSubstr("'%'"));
}

TEST(ParseRecordTest, UnknownMechanisms) {
  EXPECT_THAT(ErrorOf("v=spf1 ip4:1.2.3.4 -all moo"),
              HasSubstr("unknown mechanism \"moo\""));
  EXPECT_THAT(ErrorOf("v=spf1 redirect:example.org"),
              HasSubstr("unknown mechanism \"redirect\""));
  EXPECT_THAT(ErrorOf("v=spf1 +redirect=example.org"),
              HasSubstr("unknown mechanism \"redirect\""));
  EXPECT_THAT(ErrorOf("v=spf1 ip5:1.2.3.4"), HasSubstr("\"ip5\""));
}

TEST(ParseRecordTest, InvalidCidrLengths) {
  EXPECT_THAT(ErrorOf("v=spf1 ip4:1.2.3.4/33"), HasSubstr("IPv4 CIDR"));
  EXPECT_THAT(ErrorOf("v=spf1 ip4:1.2.3.4/032"), HasSubstr("leading zeros"));
  EXPECT_THAT(ErrorOf("v=spf1 ip4:1.2.3.4//32"), HasSubstr("IPv4 CIDR"));
  EXPECT_THAT(ErrorOf("v=spf1 ip4:1.2.3.4/"), HasSubstr("IPv4 CIDR"));
  EXPECT_THAT(ErrorOf("v=spf1 ip6:::1/129"), HasSubstr("IPv6 CIDR"));
  EXPECT_THAT(ErrorOf("v=spf1 ip6:::1.1.1.1//33"), HasSubstr("IPv6 CIDR"));
  EXPECT_THAT(ErrorOf("v=spf1 a/33"), HasSubstr("IPv4 CIDR"));
  EXPECT_THAT(ErrorOf("v=spf1 a//129"), HasSubstr("IPv6 CIDR"));
  EXPECT_THAT(ErrorOf("v=spf1 mx/33"), HasSubstr("IPv4 CIDR"));
  EXPECT_THAT(ErrorOf("v=spf1 a/24/64"), HasSubstr("\"/64\""));
  EXPECT_THAT(ErrorOf("v=spf1 a/24/16"), HasSubstr("unexpected \"/24\""));
  // A valid IPv6 length after a single slash is still IPv4's, and too long.
  EXPECT_THAT(ErrorOf("v=spf1 mx/64"), HasSubstr("IPv4 CIDR"));
}

TEST(ParseRecordTest, InvalidAddresses) {
  EXPECT_THAT(ErrorOf("v=spf1 ip4"), HasSubstr("IPv4 network"));
  EXPECT_THAT(ErrorOf("v=spf1 -all ip6"), HasSubstr("IPv6 network"));
  EXPECT_THAT(ErrorOf("v=spf1 ip4:1.2.3"), HasSubstr("invalid IPv4"));
  EXPECT_THAT(ErrorOf("v=spf1 ip4:1.2.3.4:8080"), HasSubstr("invalid IPv4"));
  EXPECT_THAT(ErrorOf("v=spf1 ip4:01.2.3.4"), HasSubstr("invalid IPv4"));
  EXPECT_THAT(ErrorOf("v=spf1 ip4:256.2.3.4"), HasSubstr("invalid IPv4"));
  EXPECT_THAT(ErrorOf("v=spf1 ip6::CAFE::BABE"), HasSubstr("invalid IPv6"));
  EXPECT_THAT(ErrorOf("v=spf1 ip6:2001:db8::/"), HasSubstr("IPv6 CIDR"));
}

TEST(ParseRecordTest, DomainSpecEnd) {
  EXPECT_THAT(ErrorOf("v=spf1 a:foo-bar -all"), HasSubstr("top-level label"));
  EXPECT_THAT(ErrorOf("v=spf1 a:museum"), HasSubstr("top-level label"));
  EXPECT_THAT(ErrorOf("v=spf1 a:museum."), HasSubstr("top-level label"));
  EXPECT_THAT(ErrorOf("v=spf1 a:abc.123"), HasSubstr("top-level label"));
  EXPECT_THAT(ErrorOf("v=spf1 a:example.-com"), HasSubstr("top-level label"));
  EXPECT_THAT(ErrorOf("v=spf1 a:example.com-"), HasSubstr("top-level label"));
  EXPECT_THAT(ErrorOf("v=spf1 a:example.com:8080"),
              HasSubstr("top-level label"));
  EXPECT_THAT(ErrorOf("v=spf1 a:111.222.33.44"), HasSubstr("needs ip4:"));
  // Valid ends: a top label (dashes inside, trailing dot), or any macro.
  Parsed("v=spf1 a:foo.example.xn--zckzah a:example.com. a:mail.example...com");
  Parsed("v=spf1 a:%{d} a:%{H} exists:foo.%{d}.%% a:x.%_ a:%{l}.%-");
  Parsed("v=spf1 a:123.example.1-2");
}

TEST(ParseRecordTest, MacroSyntaxInDomainSpecs) {
  EXPECT_THAT(ErrorOf("v=spf1 -exists:%(ir).sbl.example.com ?all"),
              HasSubstr("'%' must be followed"));
  EXPECT_THAT(ErrorOf("v=spf1 exists:foo%.sbl.example.com"),
              HasSubstr("'%' must be followed"));
  EXPECT_THAT(ErrorOf("v=spf1 a:%{a}.example.com"),
              HasSubstr("unknown macro letter"));
  EXPECT_THAT(ErrorOf("v=spf1 -all exp=%{r}.example.com"),
              HasSubstr("only allowed in explanations"));
  EXPECT_THAT(ErrorOf("v=spf1 a:%{d0}.example.com"),
              HasSubstr("must not be 0"));
  EXPECT_THAT(ErrorOf("v=spf1 a:%{d"), HasSubstr("unterminated"));
  EXPECT_THAT(ErrorOf("v=spf1 a:%{d2x}.example.com"),
              HasSubstr("invalid character in macro"));
}

TEST(ParseRecordTest, SevenBitAsciiAndControlOctets) {
  EXPECT_THAT(ErrorOf("v=spf1 a:\xEF\xBB\xBFgarbage.example.net -all"),
              HasSubstr("not 7-bit ASCII"));
  EXPECT_THAT(ErrorOf("v=spf1 a:example.net \x96"
                      "all"),
              HasSubstr("not 7-bit ASCII"));
  EXPECT_THAT(ErrorOf(std::string("v=spf1 a:foo.example.com\0", 25)),
              HasSubstr("invalid character"));
  EXPECT_THAT(ErrorOf("v=spf1 a:ctrl.example.com\rptr -all"), HasSubstr("\\r"));
  EXPECT_THAT(ErrorOf("v=spf1 ip4:192.0.2.5\n include:x.example ~all"),
              HasSubstr("invalid IPv4"));
  // Terms are separated by spaces only.
  EXPECT_THAT(ErrorOf("v=spf1 a\t-all"), HasSubstr("\"a\\t-all\""));
}

TEST(ParseRecordTest, NotARecord) {
  EXPECT_THAT(ErrorOf("v=spf10 -all"), HasSubstr("must start with"));
  EXPECT_THAT(ErrorOf("spf2.0/pra -all"), HasSubstr("must start with"));
}

TEST(ParseRecordTest, ErrorsNameTheTerm) {
  EXPECT_EQ(ErrorOf("v=spf1 a -all moo"),
            "term \"moo\": unknown mechanism \"moo\"");
}

TEST(ParseDomainSpecTest, Standalone) {
  EXPECT_TRUE(ParseDomainSpec("example.org").ok());
  EXPECT_TRUE(ParseDomainSpec("%{d}").ok());
  EXPECT_FALSE(ParseDomainSpec("").ok());
  EXPECT_FALSE(ParseDomainSpec("%{d}com").ok());
  EXPECT_FALSE(ParseDomainSpec("foo.com%%.").ok());
}

TEST(MechanismTest, NamesAndLookupCounting) {
  EXPECT_STREQ(MechanismName(MechanismKind::kExists), "exists");
  EXPECT_TRUE(CountsAsDnsLookup(MechanismKind::kInclude));
  EXPECT_TRUE(CountsAsDnsLookup(MechanismKind::kA));
  EXPECT_TRUE(CountsAsDnsLookup(MechanismKind::kMx));
  EXPECT_TRUE(CountsAsDnsLookup(MechanismKind::kPtr));
  EXPECT_TRUE(CountsAsDnsLookup(MechanismKind::kExists));
  EXPECT_FALSE(CountsAsDnsLookup(MechanismKind::kAll));
  EXPECT_FALSE(CountsAsDnsLookup(MechanismKind::kIp4));
  EXPECT_FALSE(CountsAsDnsLookup(MechanismKind::kIp6));
}

TEST(ParseRecordTest, PermitsNothing) {
  EXPECT_TRUE(Parsed("v=spf1 -all").PermitsNothing());
  EXPECT_TRUE(Parsed("v=spf1 -mx -all").PermitsNothing());
  EXPECT_TRUE(Parsed("v=spf1").PermitsNothing());
  EXPECT_FALSE(Parsed("v=spf1 a -all").PermitsNothing());
  EXPECT_FALSE(Parsed("v=spf1 ~all").PermitsNothing());
  EXPECT_FALSE(Parsed("v=spf1 ?include:x.example -all").PermitsNothing());
  EXPECT_FALSE(Parsed("v=spf1 redirect=_spf.example.org").PermitsNothing());
  // With an all, redirect= is ignored (RFC 7208 section 6.1).
  EXPECT_TRUE(Parsed("v=spf1 -all redirect=_spf.example.org").PermitsNothing());
}

TEST(SpfLookalikeTest, RecordsMeantAsSpf) {
  std::optional<SpfLookalike> commas = FindSpfLookalike("v=spf1,mx,a,-all");
  ASSERT_TRUE(commas.has_value());
  EXPECT_THAT(commas->why, HasSubstr("requires a space"));
  EXPECT_EQ(commas->meant, "v=spf1 mx a -all");
  std::optional<SpfLookalike> quoted =
      FindSpfLookalike("\"v=spf1 include:_spf.example.net -all\"");
  ASSERT_TRUE(quoted.has_value());
  EXPECT_EQ(quoted->why, "the record is in literal quotes");
  EXPECT_EQ(quoted->meant, "v=spf1 include:_spf.example.net -all");
  std::optional<SpfLookalike> space = FindSpfLookalike(" v=spf1 -all");
  ASSERT_TRUE(space.has_value());
  EXPECT_EQ(space->meant, "v=spf1 -all");
  // Not lookalikes: SPF itself, other records, Sender ID.
  EXPECT_FALSE(FindSpfLookalike("v=spf1 -all").has_value());
  EXPECT_FALSE(FindSpfLookalike("google-site-verification=x").has_value());
  EXPECT_FALSE(FindSpfLookalike("spf2.0/pra -all").has_value());
  // A lookalike whose intended record does not parse: no suggestion.
  std::optional<SpfLookalike> broken = FindSpfLookalike("v=spf1x -all");
  ASSERT_TRUE(broken.has_value());
  EXPECT_EQ(broken->meant, "");
}

}  // namespace
}  // namespace mxscan::checks::spf
