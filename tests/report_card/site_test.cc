#include "scanner/report_card/site.h"

#include <map>
#include <regex>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/stats/stats_test_records.h"

namespace mxscan::report_card {
namespace {

using stats::testing::GoodDomain;
using stats::testing::LastTwoLabels;
using ::testing::HasSubstr;
using ::testing::Not;

// Builds a site from `records` into a map path -> contents; with
// `previous` records, as the scan after them.
std::map<std::string, std::string> BuildSite(
    const std::vector<DomainResult>& records,
    const std::vector<DomainResult>& previous = {}) {
  std::map<std::string, std::string> pages;
  SiteOptions options;
  options.title = "Test <sector>";
  options.provenance = {"run 1: mxscan test"};
  options.scan_label = "march";
  options.scan_when = "2026-03-01T00:00:00Z";
  if (!previous.empty()) options.previous_label = "february";
  SiteBuilder site(
      options, [&](const std::string& path, const std::string& html) {
        EXPECT_EQ(pages.count(path), 0u) << path << " written twice";
        pages[path] = html;
      });
  std::vector<stats::TrendScan> earlier;
  if (!previous.empty()) {
    earlier.push_back({"february", "2026-02-01T00:00:00Z", {}});
    for (const DomainResult& r : previous) {
      const stats::DomainSummary s = stats::SummarizeDomain(r, LastTwoLabels);
      earlier.back().aggregate.Add(s);
      site.AddPrevious(r, s, LastTwoLabels(r.domain()));
    }
  }
  stats::Aggregate aggregate;
  for (const DomainResult& r : records) {
    const stats::DomainSummary s = stats::SummarizeDomain(r, LastTwoLabels);
    aggregate.Add(s);
    site.Add(r, s, LastTwoLabels(r.domain()));
  }
  site.Finish(aggregate, std::move(earlier));
  EXPECT_EQ(site.pages(), pages.size());
  return pages;
}

std::vector<DomainResult> Records() {
  DomainResult good = GoodDomain("good.example", "council", "mx.big.net");
  good.set_organization("Council of Good");
  DomainResult weak = GoodDomain("weak.example", "council", "mx.big.net");
  weak.set_organization("Council of Good");
  weak.mutable_dmarc()->set_policy("none");
  weak.mutable_dmarc()->set_record("v=DMARC1; p=none");
  DomainResult other = GoodDomain("other.example", "health", "mx.big.net");
  other.mutable_spf()->set_all("~all");
  other.mutable_spf()->set_record("v=spf1 mx ~all");
  // A hostile name, as an invalid input line gets a record.
  DomainResult hostile;
  hostile.set_domain("<script>alert(1)</script>../..");
  hostile.set_sector("council");
  hostile.set_status(DomainResult::ERROR);
  return {good, weak, other, hostile};
}

TEST(SiteTest, EveryPageAndEveryLinkIsThere) {
  const auto pages = BuildSite(Records());
  for (const char* path :
       {"index.html", "site.css", "site.js", "controls.html", "report.html",
        "orgs/council-of-good.html", "orgs/other.example.html",
        "domains/good.example.html", "domains/weak.example.html",
        "sectors/council.html", "sectors/health.html"}) {
    EXPECT_EQ(pages.count(path), 1u) << path;
  }
  // Every href and src is relative, stays inside the site and exists.
  const std::regex link(R"re((href|src)="([^"]*)")re");
  int links = 0;
  for (const auto& [path, html] : pages) {
    const std::string folder = path.find('/') == std::string::npos
                                   ? ""
                                   : path.substr(0, path.find('/') + 1);
    for (std::sregex_iterator it(html.begin(), html.end(), link), end;
         it != end; ++it) {
      std::string target = (*it)[2];
      EXPECT_THAT(target, Not(HasSubstr(":"))) << path << ": " << target;
      std::string fragment;
      if (const size_t hash = target.find('#'); hash != std::string::npos) {
        fragment = target.substr(hash + 1);
        target.resize(hash);
      }
      std::string resolved = folder + target;
      if (absl::StartsWith(target, "../")) resolved = target.substr(3);
      ASSERT_EQ(pages.count(resolved), 1u) << path << " links " << target;
      if (!fragment.empty()) {
        EXPECT_THAT(pages.at(resolved),
                    HasSubstr(absl::StrCat(" id=\"", fragment, "\"")))
            << path << " links " << target << "#" << fragment;
      }
      ++links;
    }
  }
  EXPECT_GT(links, 20);
}

TEST(SiteTest, OrganisationsRankedWithTheirFixes) {
  const auto pages = BuildSite(Records());
  const std::string& index = pages.at("index.html");
  // The headline figures as a chart, and the sector report with charts.
  EXPECT_THAT(index, HasSubstr("<svg"));
  EXPECT_THAT(index, HasSubstr("href=\"report.html\""));
  EXPECT_THAT(pages.at("report.html"), HasSubstr("<svg"));
  // other.example fails SPF only, the council fails DMARC on one of two:
  // both listed, linked, with their shares.
  EXPECT_THAT(index, HasSubstr(">Council of Good</a>"));
  EXPECT_THAT(index, HasSubstr("href=\"orgs/other.example.html\""));
  EXPECT_THAT(index, HasSubstr("run 1: mxscan test"));
  EXPECT_THAT(index, HasSubstr("Test &lt;sector&gt;"));
  const std::string& council = pages.at("orgs/council-of-good.html");
  EXPECT_THAT(council, HasSubstr("good.example"));
  EXPECT_THAT(council, HasSubstr("DMARC enforced: "));
  EXPECT_THAT(council, HasSubstr("_dmarc.weak.example. IN TXT"));
  EXPECT_THAT(council, HasSubstr("<td class=\"fail\">FAIL</td>"));
  const std::string& other = pages.at("orgs/other.example.html");
  EXPECT_THAT(other, HasSubstr("v=spf1 mx -all"));
  // Tables carry real header cells and states in words.
  EXPECT_THAT(council, HasSubstr("<th scope=\"col\">"));
  EXPECT_THAT(council, HasSubstr(">pass</td>"));
}

TEST(SiteTest, OrganisationPagesSayWhatChangedSinceThePreviousScan) {
  std::vector<DomainResult> before = Records();
  // In February weak.example enforced DMARC and good.example had SPF ~all;
  // a domain of the council has left the list since.
  before[0].mutable_spf()->set_all("~all");
  before[1].mutable_dmarc()->set_policy("reject");
  before[1].mutable_dmarc()->set_record("v=DMARC1; p=reject");
  DomainResult gone = GoodDomain("gone.example", "council", "mx.big.net");
  gone.set_organization("Council of Good");
  before.push_back(gone);
  std::vector<DomainResult> now = Records();
  DomainResult added = GoodDomain("new.example", "council", "mx.big.net");
  added.set_organization("Council of Good");
  now.push_back(added);
  const auto pages = BuildSite(now, before);
  const std::string& council = pages.at("orgs/council-of-good.html");
  EXPECT_THAT(council, HasSubstr("<h2>Since the previous scan</h2>"
                                 "<p>Compared with february"));
  EXPECT_THAT(council, HasSubstr(">good.example</a>: gained SPF valid and "
                                 "-all.</li>"));
  EXPECT_THAT(council, HasSubstr(">weak.example</a>: <strong>lost</strong> "
                                 "DMARC enforced.</li>"));
  EXPECT_THAT(council, HasSubstr(">new.example</a>: new in this scan</li>"));
  EXPECT_THAT(council, HasSubstr("<li>gone.example: in the previous scan, not "
                                 "in this one</li>"));
  EXPECT_THAT(pages.at("orgs/other.example.html"),
              HasSubstr("<p>No control gained or lost.</p>"));
  // The index's trend, oldest first, and the page of charts it links.
  const std::string& index = pages.at("index.html");
  EXPECT_THAT(index, HasSubstr("<h2>Over time</h2>"));
  EXPECT_LT(index.find("<th scope=\"row\">february</th>"),
            index.find("<th scope=\"row\">march</th>"));
  ASSERT_EQ(pages.count("trend.html"), 1u);
  EXPECT_THAT(pages.at("trend.html"), HasSubstr("<svg"));
  // Without a previous scan, neither.
  const auto alone = BuildSite(now);
  EXPECT_EQ(alone.count("trend.html"), 0u);
  EXPECT_THAT(alone.at("orgs/council-of-good.html"),
              Not(HasSubstr("Since the previous scan")));
}

TEST(SiteTest, OrganisationPagesListWhoTheirDomainsDependOn) {
  const auto pages = BuildSite(Records());
  const std::string& council = pages.at("orgs/council-of-good.html");
  EXPECT_THAT(council, HasSubstr("<h2>Who its domains depend on</h2>"));
  EXPECT_THAT(council, HasSubstr("<li>Mail received by: big.net</li>"));
  EXPECT_THAT(pages.at("index.html"),
              HasSubstr("<li>big.net: 3 domains (75.0%)</li>"));
}

// Each control links to what it checks: the definitions of its metrics,
// quoted from METRICS.md.
TEST(SiteTest, EveryControlIsDefined) {
  const auto pages = BuildSite(Records());
  const std::string& controls = pages.at("controls.html");
  EXPECT_THAT(controls, Not(HasSubstr("(no definition)")));
  EXPECT_THAT(controls, HasSubstr("<h2 id=\"dmarc\">DMARC enforced</h2>"));
  EXPECT_THAT(controls, HasSubstr("<dt><code>dmarc_enforced</code></dt><dd>a "
                                  "DMARC policy applies"));
  EXPECT_THAT(pages.at("orgs/council-of-good.html"),
              HasSubstr("<a href=\"../controls.html#dmarc\">DMARC "
                        "enforced</a>"));
  EXPECT_THAT(pages.at("domains/good.example.html"),
              HasSubstr("<a href=\"../controls.html#spf\">"));
}

// One organisation however its name is capitalised, listed under each
// sector of its domains.
TEST(SiteTest, OrganisationsAreOneWhateverTheCaseAndInEachOfTheirSectors) {
  DomainResult city = GoodDomain("city.example", "City", "mx.big.net");
  city.set_organization("City of Baker");
  DomainResult election =
      GoodDomain("vote.example", "City - Election", "mx.big.net");
  election.set_organization("CITY OF BAKER");
  const auto pages = BuildSite({city, election});
  ASSERT_EQ(pages.count("orgs/city-of-baker.html"), 1u);
  EXPECT_EQ(pages.count("orgs/city-of-baker~1.html"), 0u);
  const std::string& org = pages.at("orgs/city-of-baker.html");
  EXPECT_THAT(org, HasSubstr("<h1>City of Baker</h1><p>Sectors: City, City - "
                             "Election. 2 domains;"));
  for (const char* sector : {"sectors/city.html", "sectors/city---election.html"}) {
    EXPECT_THAT(pages.at(sector), HasSubstr("orgs/city-of-baker.html")) << sector;
  }
  EXPECT_THAT(BuildSite({city}).at("orgs/city-of-baker.html"),
              HasSubstr("Sector: City. 1 domain;"));
}

TEST(SiteTest, ANationalListKeepsTheIndexSmall) {
  std::vector<DomainResult> records;
  for (int i = 0; i < 5001; ++i) {
    records.push_back(
        GoodDomain(absl::StrCat("d", i, ".example"), "council", "mx.big.net"));
  }
  records[7].mutable_dmarc()->set_policy("none");  // the one to fix
  const auto pages = BuildSite(records);
  const std::string& index = pages.at("index.html");
  EXPECT_THAT(index, HasSubstr("The 5000 of 5001 organisations"));
  EXPECT_THAT(index, HasSubstr(">d7.example</a>"));
  // The sector's page ranks them all.
  const std::string& sector = pages.at("sectors/council.html");
  EXPECT_THAT(sector, HasSubstr("5001 organisations"));
}

TEST(SiteTest, HostileNamesAreEscapedAndStayInTheirFolder) {
  const auto pages = BuildSite(Records());
  for (const auto& [path, html] : pages) {
    EXPECT_THAT(html, Not(HasSubstr("<script>alert"))) << path;
    EXPECT_FALSE(absl::StrContains(path, "..")) << path;
  }
  EXPECT_EQ(Slug("<script>alert(1)</script>../.."),
            "-script-alert-1---script-.--.-");
  EXPECT_EQ(Slug("Council of X"), "council-of-x");
  EXPECT_EQ(Slug("xn--mnchen-3ya.council.sim"), "xn--mnchen-3ya.council.sim");
  EXPECT_EQ(Slug(""), "-");
  EXPECT_EQ(Slug(".."), "--");
  EXPECT_EQ(Slug(std::string(300, 'a')).size(), 100u);
}

}  // namespace
}  // namespace mxscan::report_card
