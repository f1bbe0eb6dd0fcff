#include "scanner/checks/mta_sts/policy.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "scanner/checks/mta_sts/mx_pattern.h"
#include "scanner/checks/mta_sts/txt_fields.h"
#include "scanner/checks/mta_sts/utf8.h"
#include "scanner/checks/quote.h"

namespace mxscan::checks::mta_sts {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

// sts-policy-ext-value: VCHAR or non-ASCII UTF-8, with single spaces (not
// tabs) allowed inside. The body is already known to be UTF-8.
bool IsPolicyExtValue(absl::string_view value) {
  if (value.empty()) return false;
  for (const char c : value) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  return value.front() != ' ' && value.back() != ' ';
}

class PolicyParser {
 public:
  explicit PolicyParser(MtaStsPolicy* out) : out_(out) {}

  void Line(absl::string_view line, size_t number);
  void Finish();

 private:
  void Error(size_t number, absl::string_view message) {
    out_->errors.push_back(absl::StrCat("line ", number, ": ", message));
  }
  // Returns false (and reports it) if `key` was seen before.
  bool FirstTime(absl::string_view key, size_t number) {
    if (seen_.insert(std::string(key)).second) return true;
    Error(number, absl::StrCat(key, " appears more than once"));
    return false;
  }
  void Version(absl::string_view value, size_t number);
  void Mode(absl::string_view value, size_t number);
  void MaxAge(absl::string_view value, size_t number);
  void Mx(absl::string_view value, size_t number);
  void Extension(absl::string_view key, absl::string_view value, size_t number);

  MtaStsPolicy* out_;
  absl::flat_hash_set<std::string> seen_;  // keys met so far
  absl::flat_hash_set<std::string> mx_lower_;
};

void PolicyParser::Line(absl::string_view line, size_t number) {
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) {
    Error(number,
          absl::StrCat(QuoteForMessage(line), " is not \"key: value\""));
    return;
  }
  const absl::string_view key = line.substr(0, colon);
  absl::string_view value = line.substr(colon + 1);
  while (!value.empty() && IsWsp(value.front())) value.remove_prefix(1);
  while (!value.empty() && IsWsp(value.back())) value.remove_suffix(1);

  if (!IsTxtExtName(key)) {
    const bool spaced = key.find_first_of(" \t") != absl::string_view::npos;
    Error(number,
          absl::StrCat(
              "invalid key ", QuoteForMessage(key),
              spaced ? " (no whitespace before a key or its \":\")" : ""));
    return;
  }
  if (key == "version") return Version(value, number);
  if (key == "mode") return Mode(value, number);
  if (key == "max_age") return MaxAge(value, number);
  if (key == "mx") return Mx(value, number);
  Extension(key, value, number);
}

void PolicyParser::Version(absl::string_view value, size_t number) {
  if (!FirstTime("version", number)) return;
  if (value != "STSv1") {
    Error(number, absl::StrCat("version is ", QuoteForMessage(value),
                               ", expected \"STSv1\""));
    return;
  }
  out_->version = std::string(value);
}

void PolicyParser::Mode(absl::string_view value, size_t number) {
  if (!FirstTime("mode", number)) return;
  if (value != "enforce" && value != "testing" && value != "none") {
    Error(number, absl::StrCat("mode is ", QuoteForMessage(value),
                               ", expected enforce, testing or none"));
    return;
  }
  out_->mode = std::string(value);
}

void PolicyParser::MaxAge(absl::string_view value, size_t number) {
  if (!FirstTime("max_age", number)) return;
  const bool digits =
      !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      });
  if (!digits) {
    Error(number, absl::StrCat("max_age ", QuoteForMessage(value),
                               " is not a non-negative integer"));
    return;
  }
  if (value.size() > 10) {  // sts-policy-max-age-value = 1*10(DIGIT)
    Error(number, "max_age has more than 10 digits");
    return;
  }
  uint64_t seconds = 0;
  if (!absl::SimpleAtoi(value, &seconds) || seconds > kMaxPolicyMaxAge) {
    Error(number, absl::StrCat("max_age ", value, " exceeds the maximum ",
                               kMaxPolicyMaxAge, " (one year)"));
    return;
  }
  out_->has_max_age = true;
  out_->max_age = seconds;
}

void PolicyParser::Mx(absl::string_view value, size_t number) {
  seen_.insert("mx");
  if (value.empty()) {
    Error(number, "mx has an empty value");
    return;
  }
  if (!IsValidMxPattern(value)) {
    Error(number,
          absl::StrCat("mx ", QuoteForMessage(value),
                       " is not a host name or \"*.\" and a host name "
                       "(ASCII letters, digits, inner hyphens; A-labels "
                       "for IDNs; no trailing dot)"));
    return;
  }
  if (!mx_lower_.insert(absl::AsciiStrToLower(value)).second) {
    out_->warnings.push_back(
        absl::StrCat("line ", number, ": mx ", value, " is repeated"));
  }
  out_->mx.push_back(std::string(value));
}

void PolicyParser::Extension(absl::string_view key, absl::string_view value,
                             size_t number) {
  for (absl::string_view known : {"version", "mode", "max_age", "mx"}) {
    if (absl::EqualsIgnoreCase(key, known)) {
      out_->warnings.push_back(absl::StrCat("line ", number, ": ", key,
                                            " is an extension, not ", known,
                                            ": keys are case-sensitive"));
    }
  }
  if (!IsPolicyExtValue(value)) {
    Error(number,
          absl::StrCat("extension ", key, " has ",
                       value.empty() ? "an empty value"
                                     : absl::StrCat("an invalid value ",
                                                    QuoteForMessage(value))));
    return;
  }
  out_->extensions.emplace_back(std::string(key), std::string(value));
}

void PolicyParser::Finish() {
  for (absl::string_view key : {"version", "mode", "max_age"}) {
    if (!seen_.contains(key)) {
      out_->errors.push_back(absl::StrCat("missing ", key));
    }
  }
  if ((out_->mode == "enforce" || out_->mode == "testing") &&
      !seen_.contains("mx")) {
    out_->errors.push_back(
        absl::StrCat("missing mx: mode ", out_->mode, " needs at least one"));
  }
}

}  // namespace

MtaStsPolicy ParseMtaStsPolicy(absl::string_view body) {
  MtaStsPolicy out;
  if (body.size() > kMaxPolicyBytes) {
    out.errors.push_back(absl::StrCat("policy is ", body.size(),
                                      " bytes, over the limit of ",
                                      kMaxPolicyBytes));
    return out;
  }
  if (const size_t bad = FirstInvalidUtf8(body);
      bad != absl::string_view::npos) {
    out.errors.push_back(absl::StrCat("policy is not UTF-8 (byte ", bad, ")"));
    return out;
  }

  PolicyParser parser(&out);
  size_t number = 0;
  size_t first_blank = 0;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find('\n', pos);
    if (end == absl::string_view::npos) end = body.size();
    absl::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    absl::ConsumeSuffix(&line, "\r");
    if (line.find('\r') != absl::string_view::npos) {
      out.errors.push_back(
          absl::StrCat("line ", number,
                       ": carriage return inside a line (lines end "
                       "with LF or CRLF)"));
      continue;
    }
    if (line.empty()) {
      if (first_blank == 0) first_blank = number;
      continue;
    }
    parser.Line(line, number);
  }
  if (first_blank != 0) {
    out.warnings.push_back(
        absl::StrCat("blank lines ignored (first at line ", first_blank, ")"));
  }
  parser.Finish();
  return out;
}

}  // namespace mxscan::checks::mta_sts
