#ifndef MXSCAN_SCANNER_REPORT_CARD_SITE_H_
#define MXSCAN_SCANNER_REPORT_CARD_SITE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/report_card/card.h"
#include "scanner/stats/aggregate.h"
#include "scanner/stats/domain_summary.h"

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
//   site.css, site.js        the style and the sorting script, shared
// Pure: pages go to a sink as (relative path, HTML). Memory holds a small
// row per domain (its control states), never its record or page.

struct SiteOptions {
  std::string title = "Email security of the sector";
  // Where the figures come from (stats::ProvenanceLines).
  std::vector<std::string> provenance;
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
  // Finish writes the index, sector and organisation pages; `aggregate`
  // holds the figures of every domain added.
  void Finish(const stats::Aggregate& aggregate);

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
  struct Organisation {
    std::string name;
    std::string sector;
    std::string page;  // orgs/<slug>.html
    std::vector<DomainRow> domains;
    int passed = 0;
    int applicable = 0;
  };

  void Write(const std::string& path, const std::string& html);
  std::string Unique(const std::string& folder, absl::string_view name);
  std::string OrganisationTable(const std::vector<const Organisation*>& orgs,
                                const std::string& to_root) const;

  SiteOptions options_;
  PageSink sink_;
  std::vector<std::string> control_titles_;            // from the first card
  std::map<std::string, Organisation> organisations_;  // by name
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
