#include "scanner/checks/tls_rpt/record.h"

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "scanner/checks/mta_sts/txt_fields.h"
#include "scanner/checks/quote.h"
#include "scanner/checks/tag_list.h"
#include "scanner/checks/tls_rpt/uri.h"

namespace mxscan::checks::tls_rpt {
namespace {

using ::mxscan::checks::mta_sts::CheckExtensionField;
using ::mxscan::checks::mta_sts::SplitTxtFields;
using ::mxscan::checks::mta_sts::TxtFields;

constexpr absl::string_view kVersion = "v=TLSRPTv1";

absl::string_view TrimWsp(absl::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Returns why `text` is not a usable TLS-RPT report URI, or "" if it is.
std::string CheckReportUri(absl::string_view text) {
  absl::StatusOr<Uri> uri = ParseUri(text);
  if (!uri.ok()) return std::string(uri.status().message());
  if (text.find('!') != absl::string_view::npos) {
    return "\"!\" must be percent-encoded (RFC 8460)";
  }
  if (uri->scheme == "mailto") {
    // One addr-spec: commas are separators in rua, so one address per URI.
    const size_t at = uri->path.find('@');
    if (uri->has_authority || at == std::string::npos || at == 0 ||
        at + 1 == uri->path.size() ||
        uri->path.find('@', at + 1) != std::string::npos) {
      return "mailto: needs one address local@domain";
    }
    return "";
  }
  if (uri->scheme == "https") {
    if (!uri->has_authority || uri->host.empty()) return "https: needs a host";
    return "";
  }
  return absl::StrCat("scheme ", uri->scheme,
                      ": is not supported (mailto: or https:)");
}

void ParseRua(absl::string_view value, TlsRptRecord* out) {
  if (TrimWsp(value).empty()) {
    out->errors.push_back("rua= is empty");
    return;
  }
  int empty_items = 0;
  for (absl::string_view item : absl::StrSplit(value, ',')) {
    item = TrimWsp(item);
    if (item.empty()) {
      if (++empty_items == 1) {
        out->errors.push_back("rua= has an empty entry in its URI list");
      }
      continue;
    }
    const std::string problem = CheckReportUri(item);
    if (!problem.empty()) {
      out->errors.push_back(
          absl::StrCat("rua URI ", QuoteForMessage(item), ": ", problem));
      continue;
    }
    out->rua.push_back(std::string(item));
  }
}

}  // namespace

TlsRptRecord ParseTlsRptRecord(absl::string_view record) {
  TlsRptRecord out;
  TxtFields split = SplitTxtFields(record, kVersion);
  out.errors = std::move(split.errors);
  out.warnings = std::move(split.warnings);
  if (!split.version_ok) return out;

  int rua_fields = 0;
  for (const TagSpec& field : split.fields) {
    if (field.name == "rua") {
      if (++rua_fields == 2) {
        out.warnings.push_back(
            "several rua= fields: their URIs are combined, but some "
            "senders reject a repeated field; prefer one comma-separated "
            "rua=");
      }
      ParseRua(field.value, &out);
      continue;
    }
    CheckExtensionField(field, "rua", &out.extensions, &out.errors,
                        &out.warnings);
  }
  if (rua_fields == 0) out.errors.push_back("missing rua= field");
  return out;
}

bool IsTlsRptCandidate(absl::string_view txt) {
  if (!absl::ConsumePrefix(&txt, kVersion)) return false;
  return txt.empty() || txt.front() == ';' || txt.front() == ' ' ||
         txt.front() == '\t';
}

}  // namespace mxscan::checks::tls_rpt
