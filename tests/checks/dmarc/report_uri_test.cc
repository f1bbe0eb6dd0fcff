#include "scanner/checks/dmarc/report_uri.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace mxscan::checks::dmarc {
namespace {

ReportUri Parse(const std::string& text, std::vector<std::string>* notes) {
  absl::StatusOr<ReportUri> uri = ParseReportUri(text, notes);
  EXPECT_TRUE(uri.ok()) << text << ": " << uri.status();
  return uri.ok() ? *uri : ReportUri();
}

TEST(ReportUriTest, Mailto) {
  std::vector<std::string> notes;
  const ReportUri uri = Parse("  mailto:Dmarc@Reports.Example.COM. ", &notes);
  EXPECT_EQ(uri.uri, "mailto:Dmarc@Reports.Example.COM.");
  EXPECT_EQ(uri.scheme, "mailto");
  EXPECT_EQ(uri.address, "Dmarc@reports.example.com");
  EXPECT_EQ(uri.host, "reports.example.com");
  EXPECT_FALSE(uri.max_size_bytes.has_value());
  EXPECT_TRUE(notes.empty());
}

TEST(ReportUriTest, SizeSuffixes) {
  std::vector<std::string> notes;
  EXPECT_EQ(Parse("mailto:a@b.example!0", &notes).max_size_bytes, 0u);
  EXPECT_EQ(Parse("mailto:a@b.example!7", &notes).max_size_bytes, 7u);
  EXPECT_EQ(Parse("mailto:a@b.example!10k", &notes).max_size_bytes, 10240u);
  EXPECT_EQ(Parse("mailto:a@b.example!10M", &notes).max_size_bytes, 10u << 20);
  EXPECT_EQ(Parse("mailto:a@b.example!2g", &notes).max_size_bytes, 2ull << 30);
  EXPECT_EQ(Parse("mailto:a@b.example!1t", &notes).max_size_bytes, 1ull << 40);
  EXPECT_TRUE(notes.empty());
}

TEST(ReportUriTest, ToleratedWhiteSpaceIsNoted) {
  std::vector<std::string> notes;
  const ReportUri uri = Parse("mailto:user%20@example.com ! 2G", &notes);
  EXPECT_EQ(uri.address, "user@example.com");
  EXPECT_EQ(uri.max_size_bytes, 2ull << 30);
  EXPECT_EQ(notes.size(), 2u);  // white space before '!', encoded space
  notes.clear();
  EXPECT_EQ(Parse("mailto:a@b.example!10 K", &notes).max_size_bytes, 10240u);
  EXPECT_EQ(notes.size(), 1u);
}

TEST(ReportUriTest, MailtoHeadersAreNotPartOfTheMailbox) {
  std::vector<std::string> notes;
  const ReportUri uri = Parse("mailto:a@b.example?subject=dmarc", &notes);
  EXPECT_EQ(uri.address, "a@b.example");
  EXPECT_EQ(uri.host, "b.example");
}

TEST(ReportUriTest, OtherSchemes) {
  std::vector<std::string> notes;
  const ReportUri https =
      Parse("https://user@Reports.Example:8443/dmarc?x=1", &notes);
  EXPECT_EQ(https.scheme, "https");
  EXPECT_EQ(https.host, "reports.example");
  EXPECT_EQ(https.address, "");
  const ReportUri other = Parse("urn:example:dmarc", &notes);
  EXPECT_EQ(other.scheme, "urn");
  EXPECT_EQ(other.host, "");
}

TEST(ReportUriTest, Rejects) {
  std::vector<std::string> notes;
  for (const char* bad : {
           "",                        // empty
           "reports@example.com",     // no scheme
           "__mailto:a@b.example",    // bad scheme
           "1mailto:a@b.example",     // scheme starts with a digit
           "mailto:",                 // nothing after the scheme
           "mailto:a@b.example!",     // empty size
           "mailto:a@b.example!x",    // size without digits
           "mailto:a@b.example!10q",  // unknown unit
           "mailto:a@b.example!99999999999999999999999",  // overflow
           "mailto:a@b.example!17179869184t",  // overflow after the unit
           "mailto:noat.example",              // no '@'
           "mailto:@b.example",                // empty local part
           "mailto:a@",                        // empty domain
           "mailto:a@b..example",              // empty label
           "mailto:a%2@b.example",             // truncated escape
           "mailto:a%zz@b.example",            // bad escape
           "mailto:a b@c.example",             // raw space
           "mailto:us%20er@c.example",         // space inside the local part
           "mailto:a@b.example\"",             // must be encoded
           "https:no-authority",               // http(s) without //host
           "https://",                         // empty host
       }) {
    EXPECT_FALSE(ParseReportUri(bad, &notes).ok()) << bad;
  }
}

}  // namespace
}  // namespace mxscan::checks::dmarc
