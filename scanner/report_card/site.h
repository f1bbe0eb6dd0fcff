#ifndef MXSCAN_SCANNER_REPORT_CARD_SITE_H_
#define MXSCAN_SCANNER_REPORT_CARD_SITE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/report_card/card.h"
#include "scanner/stats/aggregate.h"
#include "scanner/stats/domain_summary.h"
#include "scanner/stats/trend.h"

namespace mxscan::report_card {

// A static site of the scan's report cards, to publish as it is: no
// server, nothing loaded from the network, readable without its small
// inline script (which only sorts and filters tables). Pages:
//   index.html               the scan, headline figures, the sectors, every
//                            organisation ranked by the share of controls
//                            its domains meet (past 5,000 organisations,
//                            the 5,000 that meet the fewest)
//   sectors/<slug>.html      a sector's organisations
//   orgs/<slug>.html         an organisation's domains against the controls,
//                            and the fix for every failure
//   domains/<slug>.html      a domain's card: controls, fixes, evidence
//   trend.html               with earlier scans: every headline metric per
//                            sector over the scans, line charts
//   report.html              every metric per sector with charts (the
//                            report of `mxscan stats --format html`)
//   controls.html            what each control checks: the definitions of
//                            its metrics (scanner/stats/METRICS.md)
//   site.css, site.js        the style and the sorting script, shared
// With the scan before this one (AddPrevious), each organisation's page
// says what changed since: the controls each domain gained and lost, the
// domains new to the list and those gone from it.
// Pure: pages go to a sink as (relative path, HTML). Memory holds a small
// row per domain (its control states, and those of the previous scan),
// never its record or page.

struct SiteOptions {
  std::string title = "Email security of the sector";
  // Where the figures come from (stats::ProvenanceLines).
  std::vector<std::string> provenance;
  // This scan in the trend: its label (directories or scan id) and when it
  // started (RFC 3339, "" when unknown).
  std::string scan_label;
  std::string scan_when;
  // The previous scan's label, for "since the previous scan".
  std::string previous_label;
};

using PageSink =
    std::function<void(const std::string& path, const std::string& html)>;

class SiteBuilder {
 public:
  SiteBuilder(SiteOptions options, PageSink sink);

  // Add writes the domain's page and remembers its row. `org_domain` is
  // the organisation's name when the record has none (the domain's
  // registrable domain).
  void Add(const DomainResult& result, const stats::DomainSummary& summary,
           const std::string& org_domain);
  // AddPrevious remembers a domain of the previous scan (its control
  // states and organisation); call it for all of them before Finish.
  void AddPrevious(const DomainResult& result,
                   const stats::DomainSummary& summary,
                   const std::string& org_domain);
  // Finish writes the index, sector and organisation pages; `aggregate`
  // holds the figures of every domain added. `earlier`: the figures of the
  // scans before this one (any order: they are put in time order), for
  // the index's trend and trend.html; none, no trend.
  void Finish(const stats::Aggregate& aggregate,
              std::vector<stats::TrendScan> earlier = {});

  uint64_t pages() const { return pages_; }
  uint64_t bytes() const { return bytes_; }

 private:
  struct DomainRow {
    std::string domain;
    std::string page;  // domains/<slug>.html
    std::vector<ControlState> states;
    // "title: fix" of each failed control, and the record when derivable.
    std::vector<std::pair<std::string, std::string>> fixes;
    int passed = 0;
    int applicable = 0;
  };
  struct PreviousDomain {
    std::string organisation;
    std::vector<ControlState> states;
    int passed = 0;
    int applicable = 0;
  };
  struct Organisation {
    std::string name;
    // The sectors of its domains (one organisation can be in several: a
    // city and its election office).
    std::set<std::string> sectors;
    std::string page;  // orgs/<slug>.html
    std::vector<DomainRow> domains;
    int passed = 0;
    int applicable = 0;
    // Who its domains depend on: organisational domains per kind ("mail"
    // for MX providers, then stats::Dependencies() keys), and how many of
    // its domains host their own mail.
    std::map<std::string, std::set<std::string>> providers;
    size_t self_hosted = 0;
  };

  void Write(const std::string& path, const std::string& html);
  std::string Unique(const std::string& folder, absl::string_view name);
  std::string OrganisationTable(const std::vector<const Organisation*>& orgs,
                                const std::string& to_root) const;
  // The "since the previous scan" section of an organisation's page;
  // `gone`: its domains of the previous scan that this one lacks.
  std::string ChangesSincePrevious(const Organisation& org,
                                   const std::vector<std::string>& gone) const;
  // The organisation's page.
  std::string OrganisationPage(const Organisation& org,
                               const std::vector<std::string>& gone) const;
  // controls.html: each control and the definitions of its metrics.
  std::string ControlsPage() const;
  // The index's "over time" section (and trend.html) when there are
  // earlier scans.
  std::string OverTime(const stats::Aggregate& aggregate,
                       std::vector<stats::TrendScan> earlier);

  SiteOptions options_;
  PageSink sink_;
  // The controls (key, title, metric; no state), from the first card.
  std::vector<ControlResult> controls_;
  // By name, case folded: "Baker County" and "BAKER COUNTY" are one (the
  // first spelling seen is shown).
  std::map<std::string, Organisation> organisations_;
  std::map<std::string, PreviousDomain> previous_;     // by domain
  std::map<std::string, int> slugs_;  // "folder/slug" -> times used
  uint64_t pages_ = 0;
  uint64_t bytes_ = 0;
};

// Slug: a file name for `name`: lowercase ASCII letters, digits, '.', '-'
// (anything else, a leading '.' and the second of two dots become '-'), at
// most 100 bytes; "-" when nothing is left.
std::string Slug(absl::string_view name);

}  // namespace mxscan::report_card

#endif  // MXSCAN_SCANNER_REPORT_CARD_SITE_H_
