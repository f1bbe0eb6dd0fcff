#include "scanner/report_card/site.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "scanner/stats/metric_definitions.h"
#include "scanner/stats/metrics.h"
#include "scanner/stats/report.h"
#include "scanner/stats/svg_chart.h"

namespace mxscan::report_card {
namespace {

using stats::HtmlEscape;

// Organisations listed on the index at most (SiteBuilder::Finish).
constexpr size_t kIndexOrganisations = 5000;

// Readable on screen and on paper; state is in words, colour only helps.
constexpr char kStyle[] = R"css(
body{font:15px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:72em;padding:0 1em;color:#111;background:#fff}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0;font-size:.93em}
th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#eee}th.sort{cursor:pointer}
.wide{overflow-x:auto}
td.num{text-align:right}
.pass{background:#dff0d8}.fail{background:#f8d7da;font-weight:bold}
.na{color:#555}.nm{color:#555;font-style:italic}
pre{background:#f4f4f4;padding:.4em;white-space:pre-wrap;word-break:break-all}
nav a{margin-right:1em}
input.filter{margin:.4em 0;padding:.2em .4em;width:20em}
@media print{nav,input.filter{display:none}body{max-width:none}}
)css";

// Sorts a table by the clicked column header (or Enter/Space on it:
// headers take the focus; numbers by data-v) and filters rows by the text
// typed above it. The pages read the same without it.
constexpr char kScript[] = R"js(
document.querySelectorAll('table.sortable').forEach(function(t){
 var f=document.createElement('input');f.className='filter';
 f.placeholder='Filter';f.setAttribute('aria-label','Filter the table');
 t.parentNode.insertBefore(f,t);
 f.addEventListener('input',function(){var q=f.value.toLowerCase();
  t.querySelectorAll('tbody tr').forEach(function(r){
   r.hidden=q&&r.textContent.toLowerCase().indexOf(q)<0;});});
 var hs=[].slice.call(t.tHead.rows[0].cells);
 hs.forEach(function(h,i){h.tabIndex=0;h.className='sort';
  function sort(){var b=t.tBodies[0],
   up=h.getAttribute('aria-sort')!=='ascending',rs=[].slice.call(b.rows);
   rs.sort(function(x,y){var a=x.cells[i],c=y.cells[i],
    p=a.dataset.v!==undefined?+a.dataset.v:a.textContent,
    q=c.dataset.v!==undefined?+c.dataset.v:c.textContent;
    return (p<q?-1:p>q?1:0)*(up?1:-1);});
   hs.forEach(function(o){o.removeAttribute('aria-sort');});
   h.setAttribute('aria-sort',up?'ascending':'descending');
   rs.forEach(function(r){b.appendChild(r);});}
  h.addEventListener('click',sort);
  h.addEventListener('keydown',function(e){
   if(e.key==='Enter'||e.key===' '){e.preventDefault();sort();}});});});
)js";

// Every page links the one style sheet and script beside the index
// (relative paths: the site opens from file:// as from a server).
std::string Page(absl::string_view title, absl::string_view to_root,
                 const std::string& body) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
      "<title>",
      HtmlEscape(title), "</title><link rel=\"stylesheet\" href=\"", to_root,
      "site.css\"></head><body><nav><a href=\"", to_root,
      "index.html\">Overview</a></nav><main>", body, "</main><script src=\"",
      to_root, "site.js\"></script></body></html>\n");
}

const char* StateClass(ControlState state) {
  switch (state) {
    case ControlState::kPass:
      return "pass";
    case ControlState::kFail:
      return "fail";
    case ControlState::kNotApplicable:
      return "na";
    case ControlState::kNotMeasured:
      return "nm";
  }
  return "";
}

// The state in words, a failure in capitals (readable without colour).
const char* StateText(ControlState state) {
  return state == ControlState::kFail ? "FAIL" : ControlStateName(state);
}

std::string Share(int passed, int applicable) {
  return applicable == 0
             ? "—"
             : absl::StrFormat("%.0f%% (%d of %d)", 100.0 * passed / applicable,
                               passed, applicable);
}

std::string ShareValue(int passed, int applicable) {
  return applicable == 0 ? "-1"
                         : absl::StrFormat("%.4f", 1.0 * passed / applicable);
}

std::string DomainPage(const Card& card, const std::string& org_page,
                       const std::string& org_name) {
  std::string body = absl::StrCat(
      "<h1>", HtmlEscape(card.domain), "</h1><p>Organisation: <a href=\"../",
      org_page, "\">", HtmlEscape(org_name), "</a>",
      card.sector.empty() ? ""
                          : absl::StrCat("; sector: ", HtmlEscape(card.sector)),
      "</p><p><strong>", card.passed, " of ", card.applicable,
      "</strong> applicable controls met.</p><h2>Controls</h2>"
      "<table><thead><tr><th scope=\"col\">control</th><th scope=\"col\">"
      "result</th><th scope=\"col\">what was found</th><th scope=\"col\">"
      "the fix</th></tr></thead><tbody>");
  for (const ControlResult& c : card.controls) {
    absl::StrAppend(&body, "<tr><th scope=\"row\"><a href=\"../controls.html#",
                    Slug(c.key), "\">", HtmlEscape(c.title), "</a>",
                    "</th><td class=\"", StateClass(c.state), "\">",
                    StateText(c.state), "</td><td>", HtmlEscape(c.why),
                    "</td><td>", HtmlEscape(c.fix));
    if (!c.record.empty()) {
      absl::StrAppend(&body, "<pre><code>", HtmlEscape(c.record),
                      "</code></pre>");
    }
    absl::StrAppend(&body, "</td></tr>");
  }
  absl::StrAppend(&body, "</tbody></table><h2>Evidence</h2><ul>");
  for (const std::string& line : card.evidence) {
    absl::StrAppend(&body, "<li>", HtmlEscape(line), "</li>");
  }
  absl::StrAppend(&body, "</ul>");
  return Page(card.domain, "../", body);
}

// The organisation a domain is listed under: the input's, else its
// registrable domain, else itself.
std::string OrganisationOf(const Card& card, const std::string& org_domain) {
  return !card.organization.empty() ? card.organization
         : !org_domain.empty()      ? org_domain
                                    : card.domain;
}

// The inline markdown of a METRICS.md definition: `code` spans, the rest
// escaped text.
std::string MarkdownToHtml(absl::string_view markdown) {
  std::string out;
  bool code = false;
  for (absl::string_view part : absl::StrSplit(markdown, '`')) {
    absl::StrAppend(&out, code ? "<code>" : "", HtmlEscape(part),
                    code ? "</code>" : "");
    code = !code;
  }
  return out;
}

// "Sector: X. " or "Sectors: X, Y. " ("" for none).
std::string SectorsText(const std::set<std::string>& sectors) {
  std::vector<std::string> named;
  for (const std::string& s : sectors) {
    if (!s.empty()) named.push_back(s);
  }
  if (named.empty()) return "";
  return absl::StrCat(named.size() == 1 ? "Sector: " : "Sectors: ",
                      HtmlEscape(absl::StrJoin(named, ", ")), ". ");
}

// "1 domain", "3 domains".
std::string Plural(size_t n, absl::string_view noun) {
  return absl::StrCat(n, " ", noun, n == 1 ? "" : "s");
}

// The headline figures of all domains as bars (those not measured left
// out: a bar would read 0%).
std::string HeadlineChart(const stats::Tally& overall) {
  std::vector<stats::Bar> bars;
  for (const stats::MetricInfo& m :
       stats::MetricsOf(stats::MetricGroup::kHeadline)) {
    if (stats::NotMeasured(overall, m.metric)) continue;
    bars.push_back({std::string(m.label),
                    stats::Percent(overall.Count(m.metric), overall.domains),
                    stats::FigureText(overall, m.metric)});
  }
  return stats::SvgBarChart("The headline figures, all domains", bars);
}

std::string PreviousShare(int passed, int applicable) {
  return applicable == 0
             ? "—"
             : absl::StrFormat("%.0f%%", 100.0 * passed / applicable);
}

}  // namespace

std::string Slug(absl::string_view name) {
  std::string slug;
  for (char c : name) {
    if (slug.size() >= 100) break;
    const char lower = absl::ascii_tolower(static_cast<unsigned char>(c));
    const bool dot =
        lower == '.' && (slug.empty() || slug.back() != '.');  // never ".."
    slug.push_back(absl::ascii_isalnum(static_cast<unsigned char>(lower)) ||
                           dot || lower == '-'
                       ? lower
                       : '-');
  }
  if (!slug.empty() && slug.front() == '.') slug.front() = '-';  // not hidden
  return slug.empty() ? "-" : slug;
}

SiteBuilder::SiteBuilder(SiteOptions options, PageSink sink)
    : options_(std::move(options)), sink_(std::move(sink)) {}

void SiteBuilder::Write(const std::string& path, const std::string& html) {
  ++pages_;
  bytes_ += html.size();
  sink_(path, html);
}

std::string SiteBuilder::Unique(const std::string& folder,
                                absl::string_view name) {
  const std::string slug = Slug(name);
  const int used = slugs_[absl::StrCat(folder, "/", slug)]++;
  return used == 0 ? absl::StrCat(folder, "/", slug, ".html")
                   : absl::StrCat(folder, "/", slug, "~", used, ".html");
}

void SiteBuilder::Add(const DomainResult& result,
                      const stats::DomainSummary& summary,
                      const std::string& org_domain) {
  const Card card = BuildCard(result, summary);
  if (controls_.empty()) {
    for (const ControlResult& c : card.controls) {
      ControlResult control;
      control.key = c.key;
      control.title = c.title;
      control.metric = c.metric;
      controls_.push_back(std::move(control));
    }
  }
  const std::string org_name = OrganisationOf(card, org_domain);
  Organisation& org = organisations_[absl::AsciiStrToLower(org_name)];
  if (org.page.empty()) {
    org.name = org_name;
    org.page = Unique("orgs", org_name);
  }
  org.sectors.insert(card.sector);
  DomainRow row;
  row.domain = card.domain;
  row.page = Unique("domains", card.domain);
  row.passed = card.passed;
  row.applicable = card.applicable;
  for (const ControlResult& c : card.controls) {
    row.states.push_back(c.state);
    if (c.state == ControlState::kFail) {
      row.fixes.emplace_back(absl::StrCat(c.title, ": ", c.fix), c.record);
    }
  }
  Write(row.page, DomainPage(card, org.page, org_name));
  org.passed += row.passed;
  org.applicable += row.applicable;
  org.domains.push_back(std::move(row));
  for (const std::string& provider : summary.providers) {
    org.providers["mail"].insert(provider);
  }
  for (size_t k = 0; k < summary.dependencies.size(); ++k) {
    for (const std::string& provider : summary.dependencies[k]) {
      org.providers[stats::Dependencies()[k].key].insert(provider);
    }
  }
  if (summary.self_hosted) ++org.self_hosted;
}

void SiteBuilder::AddPrevious(const DomainResult& result,
                              const stats::DomainSummary& summary,
                              const std::string& org_domain) {
  const Card card = BuildCard(result, summary);
  PreviousDomain& previous = previous_[card.domain];
  previous.organisation = OrganisationOf(card, org_domain);
  previous.states.clear();
  for (const ControlResult& c : card.controls) {
    previous.states.push_back(c.state);
  }
  previous.passed = card.passed;
  previous.applicable = card.applicable;
}

std::string SiteBuilder::ChangesSincePrevious(
    const Organisation& org, const std::vector<std::string>& gone) const {
  if (options_.previous_label.empty()) return "";
  std::string items;
  int passed_then = 0;
  int applicable_then = 0;
  int passed_now = 0;
  int applicable_now = 0;
  for (const DomainRow& d : org.domains) {
    auto before = previous_.find(d.domain);
    if (before == previous_.end()) {
      absl::StrAppend(&items, "<li><a href=\"../", d.page, "\">",
                      HtmlEscape(d.domain), "</a>: new in this scan</li>");
      continue;
    }
    passed_then += before->second.passed;
    applicable_then += before->second.applicable;
    passed_now += d.passed;
    applicable_now += d.applicable;
    std::vector<std::string> gained;
    std::vector<std::string> lost;
    for (size_t i = 0; i < d.states.size() &&
                       i < before->second.states.size() && i < controls_.size();
         ++i) {
      const ControlState was = before->second.states[i];
      const ControlState now = d.states[i];
      if (was == ControlState::kFail && now == ControlState::kPass) {
        gained.push_back(HtmlEscape(controls_[i].title));
      }
      if (was == ControlState::kPass && now == ControlState::kFail) {
        lost.push_back(HtmlEscape(controls_[i].title));
      }
    }
    if (gained.empty() && lost.empty()) continue;
    absl::StrAppend(&items, "<li><a href=\"../", d.page, "\">",
                    HtmlEscape(d.domain), "</a>:");
    if (!gained.empty()) {
      absl::StrAppend(&items, " gained ", absl::StrJoin(gained, ", "), ".");
    }
    if (!lost.empty()) {
      absl::StrAppend(&items, " <strong>lost</strong> ",
                      absl::StrJoin(lost, ", "), ".");
    }
    absl::StrAppend(&items, "</li>");
  }
  for (const std::string& domain : gone) {
    absl::StrAppend(&items, "<li>", HtmlEscape(domain),
                    ": in the previous scan, not in this one</li>");
  }
  std::string out = absl::StrCat(
      "<h2>Since the previous scan</h2><p>Compared with ",
      HtmlEscape(options_.previous_label), ", the domains in both scans meet ",
      PreviousShare(passed_now, applicable_now), " of their controls (",
      PreviousShare(passed_then, applicable_then), " then).</p>");
  absl::StrAppend(&out, items.empty() ? "<p>No control gained or lost.</p>"
                                      : absl::StrCat("<ul>", items, "</ul>"));
  return out;
}

std::string SiteBuilder::OrganisationTable(
    const std::vector<const Organisation*>& orgs,
    const std::string& to_root) const {
  std::string out =
      "<table class=\"sortable\"><thead><tr><th scope=\"col\">organisation"
      "</th><th scope=\"col\">sector</th><th scope=\"col\">domains</th>"
      "<th scope=\"col\">controls met</th></tr></thead><tbody>";
  for (const Organisation* o : orgs) {
    absl::StrAppend(&out, "<tr><td><a href=\"", to_root, o->page, "\">",
                    HtmlEscape(o->name), "</a></td><td>",
                    HtmlEscape(absl::StrJoin(o->sectors, ", ")),
                    "</td><td class=\"num\" data-v=\"", o->domains.size(),
                    "\">", o->domains.size(),
                    "</td><td class=\"num\" data-v=\"",
                    ShareValue(o->passed, o->applicable), "\">",
                    Share(o->passed, o->applicable), "</td></tr>");
  }
  absl::StrAppend(&out, "</tbody></table>");
  return out;
}

std::string SiteBuilder::OrganisationPage(
    const Organisation& org, const std::vector<std::string>& gone) const {
  std::string body = absl::StrCat(
      "<h1>", HtmlEscape(org.name), "</h1><p>", SectorsText(org.sectors),
      Plural(org.domains.size(), "domain"),
      "; controls met: ", Share(org.passed, org.applicable),
      ".</p><h2>Domains against the controls</h2><table class=\"sortable\">"
      "<thead><tr><th scope=\"col\">domain</th><th scope=\"col\">met</th>");
  for (const ControlResult& c : controls_) {
    absl::StrAppend(&body, "<th scope=\"col\"><a href=\"../controls.html#",
                    Slug(c.key), "\">", HtmlEscape(c.title), "</a></th>");
  }
  absl::StrAppend(&body, "</tr></thead><tbody>");
  for (const DomainRow& d : org.domains) {
    absl::StrAppend(&body, "<tr><th scope=\"row\"><a href=\"../", d.page, "\">",
                    HtmlEscape(d.domain),
                    "</a></th><td class=\"num\" data-v=\"",
                    ShareValue(d.passed, d.applicable), "\">",
                    Share(d.passed, d.applicable), "</td>");
    for (ControlState state : d.states) {
      absl::StrAppend(&body, "<td class=\"", StateClass(state), "\">",
                      StateText(state), "</td>");
    }
    absl::StrAppend(&body, "</tr>");
  }
  absl::StrAppend(&body, "</tbody></table>", ChangesSincePrevious(org, gone),
                  "<h2>What to fix</h2>");
  bool any = false;
  for (const DomainRow& d : org.domains) {
    if (d.fixes.empty()) continue;
    any = true;
    absl::StrAppend(&body, "<h3><a href=\"../", d.page, "\">",
                    HtmlEscape(d.domain), "</a></h3><ul>");
    for (const auto& [fix, record] : d.fixes) {
      absl::StrAppend(&body, "<li>", HtmlEscape(fix));
      if (!record.empty()) {
        absl::StrAppend(&body, "<pre><code>", HtmlEscape(record),
                        "</code></pre>");
      }
      absl::StrAppend(&body, "</li>");
    }
    absl::StrAppend(&body, "</ul>");
  }
  if (!any) absl::StrAppend(&body, "<p>Nothing: every control is met.</p>");
  absl::StrAppend(&body, "<h2>Who its domains depend on</h2><ul>");
  absl::StrAppend(
      &body, "<li>Mail received by: ",
      org.self_hosted > 0
          ? absl::StrCat("its own servers (", org.self_hosted, " domains)")
          : "",
      org.self_hosted > 0 && org.providers.count("mail") > 0 ? "; " : "");
  if (auto mail = org.providers.find("mail"); mail != org.providers.end()) {
    absl::StrAppend(&body, HtmlEscape(absl::StrJoin(mail->second, ", ")));
  } else if (org.self_hosted == 0) {
    absl::StrAppend(&body, "no mail provider found");
  }
  absl::StrAppend(&body, "</li>");
  for (const stats::DependencyKind& kind : stats::Dependencies()) {
    auto found = org.providers.find(kind.key);
    absl::StrAppend(&body, "<li>", HtmlEscape(kind.label), ": ",
                    found == org.providers.end()
                        ? "none"
                        : HtmlEscape(absl::StrJoin(found->second, ", ")),
                    "</li>");
  }
  absl::StrAppend(&body, "</ul>");
  return Page(org.name, "../", body);
}

std::string SiteBuilder::ControlsPage() const {
  std::string body =
      "<h1>The controls</h1><p>What each control checks. A control passes "
      "when the metric it rests on holds for the domain; the definitions "
      "are those of the figures (METRICS.md of mxscan).</p>";
  for (const ControlResult& c : controls_) {
    absl::StrAppend(&body, "<h2 id=\"", Slug(c.key), "\">", HtmlEscape(c.title),
                    "</h2><dl>");
    for (absl::string_view key : absl::StrSplit(c.metric, ", ")) {
      const std::string& definition = stats::MetricDefinition(key);
      absl::StrAppend(
          &body, "<dt><code>", HtmlEscape(key), "</code></dt><dd>",
          definition.empty() ? "(no definition)" : MarkdownToHtml(definition),
          "</dd>");
    }
    absl::StrAppend(&body, "</dl>");
  }
  return Page("The controls", "", body);
}

std::string SiteBuilder::OverTime(const stats::Aggregate& aggregate,
                                  std::vector<stats::TrendScan> earlier) {
  if (earlier.empty()) return "";
  earlier.push_back(
      {options_.scan_label.empty() ? "this scan" : options_.scan_label,
       options_.scan_when, aggregate});
  stats::OrderScans(&earlier);
  stats::ReportOptions trend_options;
  trend_options.title = absl::StrCat(options_.title, ": over time");
  // The report is self-contained; on the site it gets a way back.
  std::string trend = stats::RenderTrendHtml(earlier, trend_options);
  if (const size_t body = trend.find("<body>"); body != std::string::npos) {
    trend.insert(body + 6, "<nav><a href=\"index.html\">Overview</a></nav>");
  }
  Write("trend.html", trend);
  const std::vector<stats::MetricInfo> headline =
      stats::MetricsOf(stats::MetricGroup::kHeadline);
  std::string out = absl::StrCat(
      "<h2>Over time</h2><p>The headline figures of the ", earlier.size(),
      " scans, oldest first; <a href=\"trend.html\">every sector over "
      "time, with charts</a>.</p><div class=\"wide\"><table><thead><tr>"
      "<th scope=\"col\">scan"
      "</th><th scope=\"col\">started</th><th scope=\"col\">domains</th>");
  for (const stats::MetricInfo& m : headline) {
    absl::StrAppend(&out, "<th scope=\"col\">", HtmlEscape(m.label), "</th>");
  }
  absl::StrAppend(&out, "</tr></thead><tbody>");
  for (const stats::TrendScan& scan : earlier) {
    const stats::Tally& overall = scan.aggregate.overall();
    absl::StrAppend(&out, "<tr><th scope=\"row\">", HtmlEscape(scan.label),
                    "</th><td>", HtmlEscape(scan.when),
                    "</td><td class=\"num\">", overall.domains, "</td>");
    for (const stats::MetricInfo& m : headline) {
      absl::StrAppend(&out, "<td class=\"num\">",
                      HtmlEscape(stats::FigureText(overall, m.metric)),
                      "</td>");
    }
    absl::StrAppend(&out, "</tr>");
  }
  absl::StrAppend(&out, "</tbody></table></div>");
  return out;
}

void SiteBuilder::Finish(const stats::Aggregate& aggregate,
                         std::vector<stats::TrendScan> earlier) {
  // Organisations, best share first (ties by name); their domains by name,
  // whatever order the result files gave them in.
  std::vector<const Organisation*> ranked;
  for (auto& [name, org] : organisations_) {
    std::sort(org.domains.begin(), org.domains.end(),
              [](const DomainRow& a, const DomainRow& b) {
                return a.domain < b.domain;
              });
    ranked.push_back(&org);
  }
  auto share = [](const Organisation* o) {
    return o->applicable == 0 ? -1.0 : 1.0 * o->passed / o->applicable;
  };
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](const Organisation* a, const Organisation* b) {
                     return share(a) > share(b);
                   });

  // The previous scan's domains that this one lacks, by organisation.
  std::set<std::string> current;
  for (const auto& [name, org] : organisations_) {
    for (const DomainRow& d : org.domains) current.insert(d.domain);
  }
  std::map<std::string, std::vector<std::string>> gone;
  for (const auto& [domain, before] : previous_) {
    if (current.count(domain) == 0) {
      gone[absl::AsciiStrToLower(before.organisation)].push_back(domain);
    }
  }
  const std::vector<std::string> none;

  // One page per organisation: its domains against the controls, the fixes.
  for (const Organisation* o : ranked) {
    auto its_gone = gone.find(absl::AsciiStrToLower(o->name));
    Write(o->page, OrganisationPage(
                       *o, its_gone == gone.end() ? none : its_gone->second));
  }

  // One page per sector.
  std::map<std::string, std::vector<const Organisation*>> by_sector;
  for (const Organisation* o : ranked) {
    for (const std::string& sector : o->sectors) by_sector[sector].push_back(o);
  }
  std::map<std::string, std::string> sector_pages;
  for (const auto& [sector, orgs] : by_sector) {
    const std::string name = sector.empty() ? "(no sector)" : sector;
    const std::string page = Unique("sectors", name);
    sector_pages[sector] = page;
    Write(page,
          Page(name, "../",
               absl::StrCat("<h1>", HtmlEscape(name), "</h1><p>", orgs.size(),
                            " organisations, ranked by the share of "
                            "controls their domains meet.</p>",
                            OrganisationTable(orgs, "../"))));
  }

  // The index.
  const stats::Tally& overall = aggregate.overall();
  std::string body = absl::StrCat(
      "<h1>", HtmlEscape(options_.title), "</h1><p>", overall.domains,
      " domains, ", organisations_.size(), " organisations, ", by_sector.size(),
      " sectors. ", HtmlEscape(stats::StrictSenderHeadline(overall)),
      "</p><h2>Headline figures</h2><div class=\"wide\"><table>"
      "<thead><tr><th scope=\"col\">sector</th>"
      "<th scope=\"col\">domains</th>");
  const std::vector<stats::MetricInfo> headline =
      stats::MetricsOf(stats::MetricGroup::kHeadline);
  for (const stats::MetricInfo& m : headline) {
    absl::StrAppend(&body, "<th scope=\"col\">", HtmlEscape(m.label), "</th>");
  }
  absl::StrAppend(&body, "</tr></thead><tbody>");
  std::vector<std::pair<std::string, const stats::Tally*>> rows = {
      {"overall", &overall}};
  for (const auto& [name, tally] : aggregate.sectors()) {
    rows.emplace_back(name, &tally);
  }
  for (const auto& [name, tally] : rows) {
    auto page =
        sector_pages.find(name == stats::Aggregate::kNoSector ? "" : name);
    absl::StrAppend(&body, "<tr><th scope=\"row\">",
                    page != sector_pages.end() && name != "overall"
                        ? absl::StrCat("<a href=\"", page->second, "\">",
                                       HtmlEscape(name), "</a>")
                        : HtmlEscape(name),
                    "</th><td class=\"num\">", tally->domains, "</td>");
    for (const stats::MetricInfo& m : headline) {
      absl::StrAppend(&body, "<td class=\"num\">",
                      HtmlEscape(stats::FigureText(*tally, m.metric)), "</td>");
    }
    absl::StrAppend(&body, "</tr>");
  }
  absl::StrAppend(&body, "</tbody></table></div>", HeadlineChart(overall),
                  "<p><a href=\"report.html\">Every metric per sector, "
                  "with charts</a> (the sector report of mxscan stats).</p>",
                  OverTime(aggregate, std::move(earlier)),
                  "<h2>Who the sector depends on</h2><h3>Mail received by"
                  "</h3><ul>");
  const auto share_of = [&](uint64_t n) {
    return absl::StrCat(n, " domains (", stats::PercentText(n, overall.domains),
                        ")");
  };
  for (const auto& [provider, n] : overall.TopProviders(10)) {
    absl::StrAppend(&body, "<li>", HtmlEscape(provider), ": ", share_of(n),
                    "</li>");
  }
  absl::StrAppend(&body, "<li>self-hosted: ", share_of(overall.self_hosted),
                  "</li></ul>");
  for (size_t k = 0; k < stats::Dependencies().size(); ++k) {
    const auto top = overall.TopDependencies(k, 10);
    if (top.empty()) continue;
    absl::StrAppend(&body, "<h3>", HtmlEscape(stats::Dependencies()[k].label),
                    "</h3><ul>");
    for (const auto& [organisation, n] : top) {
      absl::StrAppend(&body, "<li>", HtmlEscape(organisation), ": ",
                      share_of(n), "</li>");
    }
    absl::StrAppend(&body, "</ul>");
  }
  absl::StrAppend(&body,
                  "<h2>Organisations</h2><p>Ranked by the "
                  "share of controls their domains meet (",
                  controls_.size(),
                  " controls, <a href=\"controls.html\">defined here</a>; "
                  "those that do not apply are not counted).");
  // A national list keeps the index small enough to open: past
  // kIndexOrganisations the index shows those with the most to fix, and
  // the sector pages rank them all.
  std::vector<const Organisation*> listed = ranked;
  if (listed.size() > kIndexOrganisations) {
    listed.assign(ranked.end() - kIndexOrganisations, ranked.end());
    absl::StrAppend(&body, " The ", kIndexOrganisations, " of ", ranked.size(),
                    " organisations that meet the fewest are listed here; "
                    "each sector's page ranks all of its own.");
  }
  absl::StrAppend(&body, "</p>", OrganisationTable(listed, ""),
                  "<h2>Provenance</h2><ul>");
  for (const std::string& line : options_.provenance) {
    absl::StrAppend(&body, "<li>", HtmlEscape(line), "</li>");
  }
  if (options_.provenance.empty()) {
    absl::StrAppend(&body,
                    "<li>No scan manifest: what produced these "
                    "results is not recorded.</li>");
  }
  absl::StrAppend(&body, "</ul>");
  Write("index.html", Page(options_.title, "", body));
  stats::ReportOptions report;
  report.title = options_.title;
  report.provenance = options_.provenance;
  std::string sector_report = stats::RenderHtml(aggregate, report);
  if (const size_t at = sector_report.find("<body>");
      at != std::string::npos) {
    sector_report.insert(at + 6,
                         "<nav><a href=\"index.html\">Overview</a></nav>");
  }
  Write("report.html", sector_report);
  Write("controls.html", ControlsPage());
  Write("site.css", kStyle);
  Write("site.js", kScript);
}

}  // namespace mxscan::report_card
