#include "scanner/checks/bimi/record.h"

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "scanner/checks/quote.h"
#include "scanner/checks/tag_list.h"
#include "scanner/checks/tls_rpt/uri.h"

namespace mxscan::checks::bimi {
namespace {

using ::mxscan::checks::tls_rpt::IsFqdnHost;
using ::mxscan::checks::tls_rpt::ParseUri;
using ::mxscan::checks::tls_rpt::Uri;

absl::string_view Trim(absl::string_view s) {
  return absl::StripAsciiWhitespace(s);
}

// Returns the lower-cased suffix of the last path segment ("svg" for
// "/logo.SVG"), or "" when it has none.
std::string PathSuffix(absl::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash != absl::string_view::npos) path.remove_prefix(slash + 1);
  const size_t dot = path.rfind('.');
  if (dot == absl::string_view::npos) return "";
  return absl::AsciiStrToLower(path.substr(dot + 1));
}

// Parses an HTTPS URI with a fully qualified host; on failure also adds an
// error naming `tag` to `out`.
absl::StatusOr<Uri> ParseHttpsUri(absl::string_view tag, absl::string_view text,
                                  BimiRecord* out) {
  absl::StatusOr<Uri> uri = ParseUri(text);
  std::string problem;
  if (!uri.ok()) {
    problem = std::string(uri.status().message());
  } else if (uri->scheme != "https") {
    problem = "must be an https: URI";
  } else if (!uri->has_authority || !IsFqdnHost(uri->host)) {
    problem = "needs a fully qualified host name";
  }
  if (problem.empty()) return uri;
  out->errors.push_back(
      absl::StrCat(tag, "=", QuoteForMessage(text), ": ", problem));
  return absl::InvalidArgumentError(problem);
}

void ParseLocation(const TagSpec& tag, BimiRecord* out) {
  if (tag.value.empty()) return;
  const std::vector<absl::string_view> items = absl::StrSplit(tag.value, ',');
  if (items.size() > 1) {
    out->warnings.push_back(
        "l= lists several URIs; the current draft allows one (the first "
        "is used)");
  }
  for (absl::string_view item : items) {
    item = Trim(item);
    if (item.empty()) {
      out->errors.push_back("l= has an empty URI in its list");
      continue;
    }
    absl::StatusOr<Uri> uri = ParseHttpsUri("l", item, out);
    if (!uri.ok()) continue;
    const std::string suffix = PathSuffix(uri->path);
    if (suffix == "svg" || suffix == "svgz") {
      out->locations.push_back(std::string(item));
      continue;
    }
    // Another image format's suffix is a permanent error (section 4.3.2);
    // a URI without one may still serve SVG.
    for (absl::string_view image : {"png", "jpg", "jpeg", "gif", "bmp", "webp",
                                    "ico", "tif", "tiff", "avif"}) {
      if (suffix == image) {
        out->errors.push_back(
            absl::StrCat("l=", QuoteForMessage(item), ": a .", suffix,
                         " indicator; only SVG (.svg, .svgz) is allowed"));
        return;
      }
    }
    out->warnings.push_back(
        absl::StrCat("l=", QuoteForMessage(item), " does not end in .svg"));
    out->locations.push_back(std::string(item));
  }
}

void ParseAuthority(const TagSpec& tag, BimiRecord* out) {
  if (tag.value.empty()) return;
  if (tag.value.find(',') != std::string::npos) {
    out->errors.push_back("a= must be a single URI");
    return;
  }
  absl::StatusOr<Uri> uri = ParseHttpsUri("a", tag.value, out);
  if (!uri.ok()) return;
  if (PathSuffix(uri->path) != "pem") {
    out->warnings.push_back(absl::StrCat(
        "a=", QuoteForMessage(tag.value),
        " does not end in .pem (a mark certificate is served as PEM)"));
  }
  out->authority = tag.value;
}

}  // namespace

BimiRecord ParseBimiRecord(absl::string_view record) {
  BimiRecord out;
  TagList list = ParseTagList(record);
  out.errors = std::move(list.errors);
  out.warnings = std::move(list.warnings);

  if (list.tags.empty() || list.tags.front().name != "v") {
    out.errors.push_back("record does not begin with v=BIMI1");
    return out;
  }
  if (list.tags.front().value != "BIMI1") {
    out.errors.push_back(
        absl::StrCat("v=", QuoteForMessage(list.tags.front().value),
                     ", expected BIMI1 (exactly)"));
    return out;
  }

  const TagSpec* l = list.FindTag("l");
  if (l == nullptr) {
    out.errors.push_back("missing l= tag (it may be empty, not absent)");
  } else {
    ParseLocation(*l, &out);
  }
  const TagSpec* a = list.FindTag("a");
  if (a != nullptr) ParseAuthority(*a, &out);
  out.declined =
      l != nullptr && l->value.empty() && (a == nullptr || a->value.empty());

  if (const TagSpec* lps = list.FindTag("lps")) {
    if (lps->value == "true") {
      out.local_part_selectors = true;
    } else if (lps->value != "false") {
      out.errors.push_back(absl::StrCat("lps=", QuoteForMessage(lps->value),
                                        ", expected true or false"));
    }
  }
  if (const TagSpec* avp = list.FindTag("avp")) {
    if (avp->value == "brand" || avp->value == "personal") {
      out.avatar_preference = avp->value;
    } else {
      out.warnings.push_back(absl::StrCat("avp=", QuoteForMessage(avp->value),
                                          " is ignored (brand or personal)"));
    }
  }
  return out;
}

}  // namespace mxscan::checks::bimi
