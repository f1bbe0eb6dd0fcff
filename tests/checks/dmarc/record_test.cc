#include "scanner/checks/dmarc/record.h"

#include <string>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mxscan::checks::dmarc {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr DmarcProfile k9989 = DmarcProfile::kRfc9989;
constexpr DmarcProfile k7489 = DmarcProfile::kRfc7489;

std::string Messages(const DmarcParse& p) {
  return absl::StrCat("errors: ", absl::StrJoin(p.errors, " | "),
                      "\nwarnings: ", absl::StrJoin(p.warnings, " | "));
}

// Contains: some message of `list` has `needle`.
MATCHER_P(AnyHas, needle, "") {
  for (const std::string& m : arg) {
    if (m.find(needle) != std::string::npos) return true;
  }
  return false;
}

void ExpectValid(const std::string& text, DmarcProfile profile) {
  const DmarcParse p = ParseDmarcRecord(text, profile);
  EXPECT_TRUE(p.valid()) << text << "\n" << Messages(p);
}

void ExpectError(const std::string& text, DmarcProfile profile,
                 const std::string& needle) {
  const DmarcParse p = ParseDmarcRecord(text, profile);
  EXPECT_FALSE(p.valid()) << text;
  EXPECT_THAT(p.errors, AnyHas(needle)) << text << "\n" << Messages(p);
}

void ExpectWarning(const std::string& text, DmarcProfile profile,
                   const std::string& needle) {
  const DmarcParse p = ParseDmarcRecord(text, profile);
  EXPECT_THAT(p.warnings, AnyHas(needle)) << text << "\n" << Messages(p);
}

TEST(DmarcVersionTest, StartsWithDmarcVersion) {
  EXPECT_TRUE(StartsWithDmarcVersion("v=DMARC1"));
  EXPECT_TRUE(StartsWithDmarcVersion("v=DMARC1;p=none"));
  EXPECT_TRUE(StartsWithDmarcVersion("V = DMARC1 ; p=none"));
  EXPECT_TRUE(StartsWithDmarcVersion("v=DMARC1\t"));
  EXPECT_FALSE(StartsWithDmarcVersion("v=dmarc1; p=none"));
  EXPECT_FALSE(StartsWithDmarcVersion("v=DMARC12"));
  EXPECT_FALSE(StartsWithDmarcVersion("v=DMARC1 p=none"));
  EXPECT_FALSE(StartsWithDmarcVersion(" v=DMARC1"));
  EXPECT_FALSE(StartsWithDmarcVersion("p=none; v=DMARC1"));
  EXPECT_FALSE(StartsWithDmarcVersion("v=spf1 -all"));
  EXPECT_TRUE(LooksLikeDmarcRecord(" v = dmarc1; p=none"));
  EXPECT_FALSE(LooksLikeDmarcRecord("v=spf1 -all"));
}

TEST(DmarcRecordTest, NotDmarcRecords) {
  for (DmarcProfile profile : {k9989, k7489}) {
    ExpectError("", profile, "empty record");
    ExpectError("v=", profile, "must be DMARC1");
    ExpectError("v=DMARC12", profile, "must be DMARC1");
    ExpectError("v=dmarc1; p=none", profile, "case-sensitive");
    ExpectError("v=DMARC1 p=none", profile, "';' missing after v=DMARC1");
    ExpectError("p=none; v=DMARC1", profile, "must start with");
    ExpectError(" v=DMARC1; p=none", profile, "white space before");
    ExpectError("v=spf1 include:example.com -all", profile, "not 'spf1");
    const DmarcParse p = ParseDmarcRecord("v=spf1 -all", profile);
    EXPECT_FALSE(p.is_dmarc);
    EXPECT_FALSE(p.policy.has_value());
    EXPECT_THAT(p.warnings, IsEmpty());
  }
}

TEST(DmarcRecordTest, MinimalRecordAndDefaults) {
  const DmarcParse p = ParseDmarcRecord("v=DMARC1; p=reject", k9989);
  ASSERT_TRUE(p.valid()) << Messages(p);
  EXPECT_EQ(p.policy, DmarcPolicy::kReject);
  EXPECT_EQ(p.subdomain_policy, DmarcPolicy::kReject);
  EXPECT_EQ(p.nonexistent_policy, DmarcPolicy::kReject);
  EXPECT_EQ(p.record.Adkim(), DmarcAlignment::kRelaxed);
  EXPECT_EQ(p.record.Aspf(), DmarcAlignment::kRelaxed);
  EXPECT_EQ(p.record.Psd(), DmarcPsd::kUnknown);
  EXPECT_FALSE(p.record.Testing());
  EXPECT_THAT(p.record.Fo(), ElementsAre("0"));
  EXPECT_FALSE(p.record.pct.has_value());
  EXPECT_THAT(p.warnings, ElementsAre(HasSubstr("no rua tag")));
}

TEST(DmarcRecordTest, EveryTag) {
  const DmarcParse p = ParseDmarcRecord(
      "v=DMARC1; p=quarantine; sp=reject; np=reject; adkim=s; aspf=s; "
      "psd=n; t=y; fo=1:d; rua=mailto:a@example.com; "
      "ruf=mailto:f@example.com",
      k9989);
  ASSERT_TRUE(p.valid()) << Messages(p);
  EXPECT_EQ(p.record.p, DmarcPolicy::kQuarantine);
  EXPECT_EQ(p.record.sp, DmarcPolicy::kReject);
  EXPECT_EQ(p.record.np, DmarcPolicy::kReject);
  EXPECT_EQ(p.record.adkim, DmarcAlignment::kStrict);
  EXPECT_EQ(p.record.aspf, DmarcAlignment::kStrict);
  EXPECT_EQ(p.record.psd, DmarcPsd::kNo);
  EXPECT_EQ(p.record.t, true);
  EXPECT_THAT(p.record.fo, ElementsAre("1", "d"));
  ASSERT_EQ(p.record.rua.size(), 1u);
  EXPECT_EQ(p.record.rua[0].address, "a@example.com");
  ASSERT_EQ(p.record.ruf.size(), 1u);
  EXPECT_EQ(p.record.ruf[0].address, "f@example.com");
  EXPECT_THAT(p.warnings, IsEmpty());
}

TEST(DmarcRecordTest, CaseAndWhiteSpace) {
  const DmarcParse p = ParseDmarcRecord(
      "V = DMARC1 ;\tP = ReJect ; ADKIM=S ;  FO = s : D ;", k9989);
  ASSERT_TRUE(p.valid()) << Messages(p);
  EXPECT_EQ(p.record.p, DmarcPolicy::kReject);
  EXPECT_EQ(p.record.adkim, DmarcAlignment::kStrict);
  EXPECT_THAT(p.record.fo, ElementsAre("d", "s"));  // canonical order
}

TEST(DmarcRecordTest, BadValuesAreErrors) {
  for (DmarcProfile profile : {k9989, k7489}) {
    ExpectError("v=DMARC1; p=bogus", profile, "invalid p value 'bogus'");
    ExpectError("v=DMARC1; p=", profile, "invalid p value ''");
    ExpectError("v=DMARC1; p=none=none", profile, "invalid p value");
    ExpectError("v=DMARC1; p=none; sp=maybe", profile, "invalid sp value");
    ExpectError("v=DMARC1; p=none; adkim=x", profile, "invalid adkim value");
    ExpectError("v=DMARC1; p=none; aspf=", profile, "invalid aspf value");
    ExpectError("v=DMARC1; p=none; fo=2", profile, "invalid fo value");
    ExpectError("v=DMARC1; p=none; fo=", profile, "invalid fo value");
    ExpectError("v=DMARC1; p=none; fo=0::1", profile, "invalid fo value");
    ExpectError("v=DMARC1; p=none; rua=", profile, "empty rua");
    ExpectError("v=DMARC1; p=none; ruf=x@example.com", profile,
                "invalid ruf URI");
    ExpectError("v=DMARC1; p=none; rua=mailto:a@example.com,", profile,
                "empty URI");
  }
  ExpectError("v=DMARC1; p=none; psd=x", k9989, "invalid psd value");
  ExpectError("v=DMARC1; p=none; t=x", k9989, "invalid t value");
  ExpectError("v=DMARC1; p=none; np=x", k9989, "invalid np value");
  ExpectError("v=DMARC1; p=none; pct=101", k7489, "invalid pct value");
  ExpectError("v=DMARC1; p=none; pct=-1", k7489, "invalid pct value");
  ExpectError("v=DMARC1; p=none; pct=0100", k7489, "invalid pct value");
  ExpectError("v=DMARC1; p=none; ri=4294967296", k7489, "invalid ri value");
  ExpectError("v=DMARC1; p=none; ri=1h", k7489, "invalid ri value");
  ExpectError("v=DMARC1; p=none; rf=afrf:", k7489, "invalid rf value");
  ExpectError("v=DMARC1; p=none; rf=-x", k7489, "invalid rf value");
}

TEST(DmarcRecordTest, MalformedAndDuplicateTags) {
  for (DmarcProfile profile : {k9989, k7489}) {
    ExpectError("v=DMARC1; p", profile, "no '='");
    ExpectError("v=DMARC1; p=none; p=reject", profile, "duplicate tag 'p'");
    ExpectError("v=DMARC1; v=DMARC1; p=none", profile, "duplicate tag 'v'");
    ExpectError(
        "v=DMARC1; p=none; RUA=mailto:a@x.example; "
        "rua=mailto:b@x.example",
        profile, "duplicate tag 'rua'");
  }
  // The first value counts.
  const DmarcParse p = ParseDmarcRecord("v=DMARC1; p=none; p=reject", k9989);
  EXPECT_EQ(p.record.p, DmarcPolicy::kNone);
}

TEST(DmarcRecordTest, UnknownTagsAreIgnoredWithAWarning) {
  for (DmarcProfile profile : {k9989, k7489}) {
    const std::string text =
        "v=DMARC1; p=none; rua=mailto:a@example.com; xyz=1; ignore_me= true";
    ExpectValid(text, profile);
    ExpectWarning(text, profile, "unknown DMARC tag 'xyz'");
    ExpectWarning(text, profile, "unknown DMARC tag 'ignore_me'");
  }
}

TEST(DmarcRecordTest, EmptyTagsAreWarnings) {
  for (DmarcProfile profile : {k9989, k7489}) {
    ExpectValid("v=DMARC1; p=none;; rua=mailto:a@example.com;", profile);
    ExpectWarning("v=DMARC1; p=none;; rua=mailto:a@example.com", profile,
                  "empty tag");
    const DmarcParse p = ParseDmarcRecord(
        "v=DMARC1; p=none; rua=mailto:a@example.com;", profile);
    EXPECT_THAT(p.warnings, IsEmpty()) << Messages(p);
  }
}

// RFC 9989 removed pct, rf and ri: ignored (not even validated) with a
// warning. RFC 7489 validates and keeps them.
TEST(DmarcRecordTest, RemovedTagsProfileDifference) {
  const std::string text =
      "v=DMARC1; p=reject; rua=mailto:a@example.com; pct=150; rf=x:; ri=abc";
  const DmarcParse bis = ParseDmarcRecord(text, k9989);
  EXPECT_TRUE(bis.valid()) << Messages(bis);
  EXPECT_THAT(bis.warnings, AnyHas("pct tag was removed in RFC 9989"));
  EXPECT_THAT(bis.warnings, AnyHas("rf tag was removed in RFC 9989"));
  EXPECT_THAT(bis.warnings, AnyHas("ri tag was removed in RFC 9989"));
  EXPECT_FALSE(bis.record.pct.has_value());
  const DmarcParse old = ParseDmarcRecord(text, k7489);
  EXPECT_FALSE(old.valid());
  EXPECT_EQ(old.errors.size(), 3u) << Messages(old);

  const DmarcParse kept = ParseDmarcRecord(
      "v=DMARC1; p=reject; rua=mailto:a@example.com; pct=25; rf=afrf:iodef; "
      "ri=3600",
      k7489);
  ASSERT_TRUE(kept.valid()) << Messages(kept);
  EXPECT_EQ(kept.record.pct, 25u);
  EXPECT_EQ(kept.record.ri, 3600u);
  EXPECT_THAT(kept.record.rf, ElementsAre("afrf", "iodef"));
  EXPECT_THAT(kept.warnings, AnyHas("25% of failing mail"));
  EXPECT_THAT(kept.warnings, AnyHas("unknown report format 'iodef'"));
  const DmarcParse defaults =
      ParseDmarcRecord("v=DMARC1; p=none; rua=mailto:a@example.com", k7489);
  EXPECT_EQ(defaults.record.Pct(), 100u);
  EXPECT_EQ(defaults.record.Ri(), 86400u);
  EXPECT_THAT(defaults.record.Rf(), ElementsAre("afrf"));
}

// np, psd and t are RFC 9989 tags: RFC 7489 receivers ignore them.
TEST(DmarcRecordTest, NewTagsProfileDifference) {
  const std::string text =
      "v=DMARC1; p=reject; np=quarantine; psd=y; t=y; "
      "rua=mailto:a@example.com";
  const DmarcParse bis = ParseDmarcRecord(text, k9989);
  ASSERT_TRUE(bis.valid()) << Messages(bis);
  EXPECT_EQ(bis.nonexistent_policy, DmarcPolicy::kQuarantine);
  EXPECT_EQ(bis.record.Psd(), DmarcPsd::kYes);
  EXPECT_TRUE(bis.record.Testing());
  const DmarcParse old = ParseDmarcRecord(text, k7489);
  ASSERT_TRUE(old.valid()) << Messages(old);
  EXPECT_EQ(old.nonexistent_policy, DmarcPolicy::kReject);  // np ignored
  EXPECT_THAT(old.warnings, AnyHas("np tag is not part of RFC 7489"));
  EXPECT_THAT(old.warnings, AnyHas("psd tag is not part of RFC 7489"));
  EXPECT_THAT(old.warnings, AnyHas("t tag is not part of RFC 7489"));
  // Their bad values are no errors where the tags are unknown.
  const DmarcParse bad = ParseDmarcRecord(
      "v=DMARC1; p=reject; np=x; psd=x; t=x; rua=mailto:a@example.com", k7489);
  EXPECT_TRUE(bad.valid()) << Messages(bad);
}

// RFC 7489: p must come right after v. RFC 9989: any order.
TEST(DmarcRecordTest, TagOrderProfileDifference) {
  const std::string text = "v=DMARC1; sp=reject; p=reject";
  ExpectError(text, k7489, "p must be the tag right after v");
  ExpectValid(text, k9989);
  ExpectWarning(text, k9989, "RFC 7489 receivers require that order");
}

// A record without a valid p: p=none when rua holds a valid URI (a
// warning), no DMARC processing otherwise (an error).
TEST(DmarcRecordTest, MissingOrInvalidPolicy) {
  for (DmarcProfile profile : {k9989, k7489}) {
    const DmarcParse with_rua =
        ParseDmarcRecord("v=DMARC1; rua=mailto:a@example.com", profile);
    EXPECT_TRUE(with_rua.valid()) << Messages(with_rua);
    EXPECT_EQ(with_rua.policy, DmarcPolicy::kNone);
    EXPECT_EQ(with_rua.subdomain_policy, DmarcPolicy::kNone);
    EXPECT_THAT(with_rua.warnings, AnyHas("treated as p=none"));

    const DmarcParse without = ParseDmarcRecord("v=DMARC1;", profile);
    EXPECT_FALSE(without.valid());
    EXPECT_FALSE(without.policy.has_value());
    EXPECT_THAT(without.errors, AnyHas("no DMARC processing"));
    EXPECT_FALSE(ParseDmarcRecord("v=DMARC1", profile).valid());

    const DmarcParse bad_p = ParseDmarcRecord(
        "v=DMARC1; p=bogus; rua=mailto:a@example.com", profile);
    EXPECT_FALSE(bad_p.valid());
    EXPECT_EQ(bad_p.policy, DmarcPolicy::kNone);

    const DmarcParse bad_sp = ParseDmarcRecord(
        "v=DMARC1; p=reject; sp=bogus; rua=mailto:a@example.com", profile);
    EXPECT_EQ(bad_sp.policy, DmarcPolicy::kNone);  // the whole record
    const DmarcParse bad_sp_no_rua =
        ParseDmarcRecord("v=DMARC1; p=reject; sp=bogus", profile);
    EXPECT_FALSE(bad_sp_no_rua.policy.has_value());

    // A rua with no valid URI does not rescue a record without p.
    const DmarcParse bad_rua = ParseDmarcRecord("v=DMARC1; rua=x", profile);
    EXPECT_FALSE(bad_rua.policy.has_value());
  }
  // An invalid np falls back the same way under RFC 9989 only.
  const DmarcParse bad_np = ParseDmarcRecord("v=DMARC1; p=reject; np=x", k9989);
  EXPECT_FALSE(bad_np.policy.has_value());
}

TEST(DmarcRecordTest, SubdomainPolicies) {
  const DmarcParse p =
      ParseDmarcRecord("v=DMARC1; p=reject; sp=quarantine", k9989);
  EXPECT_EQ(p.subdomain_policy, DmarcPolicy::kQuarantine);
  EXPECT_EQ(p.nonexistent_policy, DmarcPolicy::kQuarantine);  // np -> sp
  ExpectWarning("v=DMARC1; p=reject; sp=none", k9989, "sp tag value of none");
  ExpectWarning("v=DMARC1; p=reject; np=none", k9989, "np tag value of none");
  const DmarcParse monitoring =
      ParseDmarcRecord("v=DMARC1; p=none; sp=none", k9989);
  EXPECT_THAT(monitoring.warnings, testing::Not(AnyHas("sp tag value")));
}

TEST(DmarcRecordTest, FoOptions) {
  ExpectWarning("v=DMARC1; p=none; fo=0:1; ruf=mailto:f@example.com", k9989,
                "mutually exclusive");
  const DmarcParse old = ParseDmarcRecord(
      "v=DMARC1; p=none; fo=1:0:s:d; ruf=mailto:f@example.com", k7489);
  EXPECT_THAT(old.record.fo, ElementsAre("0", "1", "d", "s"));
  EXPECT_THAT(old.warnings, testing::Not(AnyHas("mutually exclusive")));
  ExpectWarning("v=DMARC1; p=none; fo=d:d; ruf=mailto:f@example.com", k9989,
                "repeats");
  ExpectWarning("v=DMARC1; p=none; fo=1", k9989, "without a ruf tag");
}

TEST(DmarcRecordTest, ReportUris) {
  const DmarcParse p = ParseDmarcRecord(
      "v=DMARC1; p=none; rua=mailto:a@example.com!10m, "
      "https://reports.example.net/d ,mailto:c@example.com,"
      "mailto:d@example.com",
      k9989);
  ASSERT_TRUE(p.valid()) << Messages(p);
  ASSERT_EQ(p.record.rua.size(), 4u);
  EXPECT_EQ(p.record.rua[0].max_size_bytes, 10u << 20);
  EXPECT_EQ(p.record.rua[1].host, "reports.example.net");
  EXPECT_THAT(p.warnings, AnyHas("size limit (`!size`) on rua URI"));
  EXPECT_THAT(p.warnings, AnyHas("is not mailto:"));
  EXPECT_THAT(p.warnings, AnyHas("more than two rua URIs"));
  // RFC 7489 still has the size suffix.
  const DmarcParse old =
      ParseDmarcRecord("v=DMARC1; p=none; rua=mailto:a@example.com!10m", k7489);
  EXPECT_THAT(old.warnings, testing::Not(AnyHas("size limit")));
  // A bad URI is an error, the good ones are kept.
  const DmarcParse mixed = ParseDmarcRecord(
      "v=DMARC1; p=none; rua=reports@example.com,mailto:ok@example.com", k9989);
  EXPECT_FALSE(mixed.valid());
  ASSERT_EQ(mixed.record.rua.size(), 1u);
  EXPECT_EQ(mixed.record.rua[0].address, "ok@example.com");
}

// The pct tag is kept whatever the profile: RFC 9989 ignores it, receivers
// that follow RFC 7489 do not, and the enforcement metrics count it.
TEST(DmarcRecordTest, PctTagUnderEitherProfile) {
  for (DmarcProfile profile : {k9989, k7489}) {
    EXPECT_EQ(
        ParseDmarcRecord("v=DMARC1; p=reject; pct=0", profile).record.pct_tag,
        0u);
    EXPECT_EQ(
        ParseDmarcRecord("v=DMARC1; p=reject; pct=100", profile).record.pct_tag,
        100u);
    EXPECT_FALSE(ParseDmarcRecord("v=DMARC1; p=reject", profile)
                     .record.pct_tag.has_value());
    EXPECT_FALSE(ParseDmarcRecord("v=DMARC1; p=reject; pct=x", profile)
                     .record.pct_tag.has_value());
  }
  // Under RFC 9989 pct changes nothing else.
  const DmarcParse p = ParseDmarcRecord("v=DMARC1; p=reject; pct=10", k9989);
  EXPECT_FALSE(p.record.pct.has_value());
  EXPECT_TRUE(p.valid()) << Messages(p);
}

}  // namespace
}  // namespace mxscan::checks::dmarc
