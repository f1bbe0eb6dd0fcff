#include "scanner/cli/explain_command.h"

#include <cstdio>
#include <optional>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "scanner/cli/common_flags.h"
#include "scanner/cli/org_domain_flag.h"
#include "scanner/cli/scan_source.h"
#include "scanner/report_card/card.h"
#include "scanner/stats/domain_summary.h"

ABSL_DECLARE_FLAG(std::string, from);
ABSL_DECLARE_FLAG(std::string, scan_id);

namespace mxscan::cli {
namespace {

int Fail(absl::string_view message, int code) {
  std::fprintf(stderr, "mxscan explain: %s\n", std::string(message).c_str());
  return code;
}

}  // namespace

int RunExplainCommand(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    return Fail("name one domain: mxscan explain DOMAIN --from DIR", 2);
  }
  const std::string domain = absl::AsciiStrToLower(
      absl::StripSuffix(absl::StripAsciiWhitespace(args[0]), "."));
  const std::string format = absl::GetFlag(FLAGS_format) == "jsonl"
                                 ? "text"
                                 : absl::GetFlag(FLAGS_format);
  if (format != "text" && format != "json") {
    return Fail("--format must be text or json", 2);
  }
  const std::string from = absl::GetFlag(FLAGS_from);
  if (from.empty()) {
    return Fail("--from names the scan's result directories or database", 2);
  }
  absl::StatusOr<ScanSource> scan =
      ScanSource{absl::StrSplit(from, ',', absl::SkipEmpty())};
  if (IsDatabaseUrl(from))
    scan = DatabaseScan(from, absl::GetFlag(FLAGS_scan_id));
  if (!scan.ok()) return Fail(scan.status().message(), 1);
  absl::StatusOr<stats::OrgDomainOf> org_of = OrgDomainOfFromFlags();
  if (!org_of.ok()) return Fail(org_of.status().message(), 1);
  std::optional<DomainResult> record;
  absl::Status read = ForEachRecord(
      *scan,
      [&](const DomainResult& r) {
        if (!record) record = r;
      },
      nullptr, domain);
  if (!read.ok()) return Fail(read.message(), 1);
  if (!record) return Fail(absl::StrCat(domain, " is not in ", from), 1);
  const report_card::Card card =
      report_card::BuildCard(*record, stats::SummarizeDomain(*record, *org_of));
  const std::string text = format == "json" ? report_card::RenderCardJson(card)
                                            : report_card::RenderCardText(card);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace mxscan::cli
