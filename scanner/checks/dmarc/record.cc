#include "scanner/checks/dmarc/record.h"

#include <string>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "scanner/checks/tag_list.h"

namespace mxscan::checks::dmarc {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

absl::string_view TrimWsp(absl::string_view s) {
  while (!s.empty() && IsWsp(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsWsp(s.back())) s.remove_suffix(1);
  return s;
}

void SkipWsp(absl::string_view* s) {
  while (!s->empty() && IsWsp(s->front())) s->remove_prefix(1);
}

// ConsumeVersion consumes `"v" *WSP "=" *WSP` and returns whether it was
// there.
bool ConsumeVersionTag(absl::string_view* s) {
  if (s->empty() || absl::ascii_tolower(s->front()) != 'v') return false;
  s->remove_prefix(1);
  SkipWsp(s);
  if (s->empty() || s->front() != '=') return false;
  s->remove_prefix(1);
  SkipWsp(s);
  return true;
}

bool AllAlpha(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isalpha(c)) return false;
  }
  return true;
}

std::optional<DmarcPolicy> PolicyFromText(absl::string_view v) {
  if (absl::EqualsIgnoreCase(v, "none")) return DmarcPolicy::kNone;
  if (absl::EqualsIgnoreCase(v, "quarantine")) return DmarcPolicy::kQuarantine;
  if (absl::EqualsIgnoreCase(v, "reject")) return DmarcPolicy::kReject;
  return std::nullopt;
}

// Keyword of RFC 5321 (Ldh-str): what an rf entry must look like.
bool IsKeyword(absl::string_view s) {
  if (s.empty() || !absl::ascii_isalnum(s.front()) ||
      !absl::ascii_isalnum(s.back())) {
    return false;
  }
  for (char c : s) {
    if (!absl::ascii_isalnum(c) && c != '-') return false;
  }
  return true;
}

enum class TagId {
  kP,
  kSp,
  kNp,
  kAdkim,
  kAspf,
  kPsd,
  kT,
  kFo,
  kRua,
  kRuf,
  kPct,
  kRf,
  kRi,
  kV,
  kUnknown
};

TagId TagFromName(absl::string_view lower) {
  static constexpr std::pair<const char*, TagId> kTags[] = {
      {"p", TagId::kP},         {"sp", TagId::kSp},     {"np", TagId::kNp},
      {"adkim", TagId::kAdkim}, {"aspf", TagId::kAspf}, {"psd", TagId::kPsd},
      {"t", TagId::kT},         {"fo", TagId::kFo},     {"rua", TagId::kRua},
      {"ruf", TagId::kRuf},     {"pct", TagId::kPct},   {"rf", TagId::kRf},
      {"ri", TagId::kRi},       {"v", TagId::kV},
  };
  for (const auto& [name, tag] : kTags) {
    if (lower == name) return tag;
  }
  return TagId::kUnknown;
}

// PctValue: a pct tag's value, 1*3DIGIT from 0 to 100 (RFC 7489 section
// 6.3), or nullopt.
std::optional<uint32_t> PctValue(absl::string_view value) {
  uint32_t pct = 0;
  const bool digits = !value.empty() && value.size() <= 3 &&
                      absl::c_all_of(value, absl::ascii_isdigit);
  if (!digits || !absl::SimpleAtoi(value, &pct) || pct > 100) {
    return std::nullopt;
  }
  return pct;
}

// The tag-list of RFC 7489 section 6.4 and RFC 9989: WSP only; any name
// and value, judged tag by tag (unknown names are ignored); names without
// case.
constexpr TagListSyntax kDmarcSyntax = {
    /*cr_lf_are_space=*/false, /*is_name=*/nullptr, /*is_value=*/nullptr,
    /*names_ignore_case=*/true};

// Parser walks the tag list once; one instance per record.
class Parser {
 public:
  explicit Parser(DmarcProfile profile) : profile_(profile) {}

  DmarcParse Run(absl::string_view text);

 private:
  bool Rfc9989() const { return profile_ == DmarcProfile::kRfc9989; }
  void Error(std::string message) { out_.errors.push_back(std::move(message)); }
  void Warn(std::string message) {
    out_.warnings.push_back(std::move(message));
  }

  bool CheckVersion(absl::string_view text);
  void OneTag(const TagSpec& spec, int position);
  // A value of a tag RFC 7489 does not know: kept if valid, never an error.
  void LegacyIgnoredTagNote(absl::string_view name);
  std::optional<DmarcPolicy> ParsePolicy(absl::string_view name,
                                         absl::string_view value,
                                         bool* invalid);
  void ParseFo(absl::string_view value);
  void ParseUris(absl::string_view name, absl::string_view value,
                 std::vector<ReportUri>* out);
  void ParsePct(absl::string_view value);
  void ParseRi(absl::string_view value);
  void ParseRf(absl::string_view value);
  void Finish();

  const DmarcProfile profile_;
  DmarcParse out_;
  int p_position_ = -1;
  bool p_invalid_ = false;
  bool sp_invalid_ = false;
  bool np_invalid_ = false;
};

bool Parser::CheckVersion(absl::string_view text) {
  if (StartsWithDmarcVersion(text)) return true;
  absl::string_view rest = text;
  std::string why;
  if (TrimWsp(text).empty()) {
    why = "empty record";
  } else if (!ConsumeVersionTag(&rest)) {
    why = LooksLikeDmarcRecord(text)
              ? "white space before the v tag"
              : "the record must start with the tag v=DMARC1";
  } else {
    const absl::string_view value = rest.substr(0, rest.find(';'));
    if (absl::StartsWith(value, "DMARC1") && value.size() > 6 &&
        IsWsp(value[6])) {
      why = "';' missing after v=DMARC1";
    } else if (absl::EqualsIgnoreCase(TrimWsp(value), "DMARC1")) {
      why = "the v value is case-sensitive: it must be DMARC1";
    } else {
      why = absl::StrCat("the v value must be DMARC1, not '", TrimWsp(value),
                         "'");
    }
  }
  Error(absl::StrCat("not a DMARC record (receivers ignore it): ", why));
  return false;
}

DmarcParse Parser::Run(absl::string_view text) {
  if (!CheckVersion(text)) return std::move(out_);
  out_.is_dmarc = true;
  const LexedTagList lexed = LexTagList(text, kDmarcSyntax);
  // The first tag-spec is the v tag CheckVersion has read.
  int position = 0;
  bool empty_noted = false;
  for (size_t i = 1; i < lexed.specs.size(); ++i) {
    const TagSpec& spec = lexed.specs[i];
    if (spec.kind == TagSpec::Kind::kEmpty) {
      if (!empty_noted) Warn("empty tag (\";;\") ignored");
      empty_noted = true;
    } else if (spec.kind == TagSpec::Kind::kNoEquals) {
      Error(absl::StrCat("malformed tag '", spec.text, "': no '='"));
      ++position;
    } else {
      OneTag(spec, position++);
    }
  }
  Finish();
  return std::move(out_);
}

void Parser::OneTag(const TagSpec& spec, int position) {
  const absl::string_view name = spec.name;
  const absl::string_view value = spec.value;
  const std::string lower = absl::AsciiStrToLower(name);
  const TagId tag = AllAlpha(name) ? TagFromName(lower) : TagId::kUnknown;
  if (tag == TagId::kUnknown) {
    Warn(absl::StrCat("unknown DMARC tag '", name, "' ignored"));
    return;
  }
  const bool removed = Rfc9989() && (tag == TagId::kPct || tag == TagId::kRf ||
                                     tag == TagId::kRi);
  if (spec.repeated) {
    if (removed) return;  // ignored anyway; noted once below
    Error(absl::StrCat("duplicate tag '", lower, "' (only the first counts)"));
    return;
  }
  if (removed) {
    Warn(absl::StrCat(lower, " tag was removed in RFC 9989; ignored"));
    if (tag == TagId::kPct) out_.record.pct_tag = PctValue(value);
    return;
  }
  const bool known_to_profile =
      Rfc9989() ||
      !(tag == TagId::kNp || tag == TagId::kPsd || tag == TagId::kT);
  if (!known_to_profile) LegacyIgnoredTagNote(lower);

  DmarcRecord& r = out_.record;
  switch (tag) {
    case TagId::kP:
      p_position_ = position;
      r.p = ParsePolicy("p", value, &p_invalid_);
      break;
    case TagId::kSp:
      r.sp = ParsePolicy("sp", value, &sp_invalid_);
      break;
    case TagId::kNp: {
      bool invalid = false;
      r.np = ParsePolicy("np", value, &invalid);
      np_invalid_ = invalid && known_to_profile;
      break;
    }
    case TagId::kAdkim:
    case TagId::kAspf: {
      std::optional<DmarcAlignment>& field =
          tag == TagId::kAdkim ? r.adkim : r.aspf;
      if (absl::EqualsIgnoreCase(value, "r")) {
        field = DmarcAlignment::kRelaxed;
      } else if (absl::EqualsIgnoreCase(value, "s")) {
        field = DmarcAlignment::kStrict;
      } else {
        Error(absl::StrCat("invalid ", lower, " value '", value,
                           "' (expected r or s)"));
      }
      break;
    }
    case TagId::kPsd:
      if (absl::EqualsIgnoreCase(value, "y")) {
        r.psd = DmarcPsd::kYes;
      } else if (absl::EqualsIgnoreCase(value, "n")) {
        r.psd = DmarcPsd::kNo;
      } else if (absl::EqualsIgnoreCase(value, "u")) {
        r.psd = DmarcPsd::kUnknown;
      } else {
        (known_to_profile ? out_.errors : out_.warnings)
            .push_back(absl::StrCat("invalid psd value '", value,
                                    "' (expected y, n or u)"));
      }
      break;
    case TagId::kT:
      if (absl::EqualsIgnoreCase(value, "y")) {
        r.t = true;
      } else if (absl::EqualsIgnoreCase(value, "n")) {
        r.t = false;
      } else {
        (known_to_profile ? out_.errors : out_.warnings)
            .push_back(absl::StrCat("invalid t value '", value,
                                    "' (expected y or n)"));
      }
      break;
    case TagId::kFo:
      ParseFo(value);
      break;
    case TagId::kRua:
      r.has_rua_tag = true;
      ParseUris("rua", value, &r.rua);
      break;
    case TagId::kRuf:
      r.has_ruf_tag = true;
      ParseUris("ruf", value, &r.ruf);
      break;
    case TagId::kPct:
      ParsePct(value);
      break;
    case TagId::kRi:
      ParseRi(value);
      break;
    case TagId::kRf:
      ParseRf(value);
      break;
    case TagId::kV:
    case TagId::kUnknown:
      break;  // v is the first tag, so a second v is a repeat above
  }
}

void Parser::LegacyIgnoredTagNote(absl::string_view name) {
  Warn(absl::StrCat(name,
                    " tag is not part of RFC 7489 (it comes from RFC 9989); "
                    "RFC 7489 receivers ignore it"));
}

std::optional<DmarcPolicy> Parser::ParsePolicy(absl::string_view name,
                                               absl::string_view value,
                                               bool* invalid) {
  std::optional<DmarcPolicy> policy = PolicyFromText(value);
  if (!policy) {
    *invalid = true;
    const bool legacy_np = name == "np" && !Rfc9989();
    (legacy_np ? out_.warnings : out_.errors)
        .push_back(absl::StrCat("invalid ", name, " value '", value,
                                "' (expected none, quarantine or reject)"));
  }
  return policy;
}

void Parser::ParseFo(absl::string_view value) {
  bool options[4] = {false, false, false, false};  // 0, 1, d, s
  static constexpr const char* kNames[4] = {"0", "1", "d", "s"};
  bool duplicate = false;
  for (absl::string_view item : absl::StrSplit(value, ':')) {
    item = TrimWsp(item);
    int index = -1;
    if (item.size() == 1) {
      const char c = absl::ascii_tolower(item[0]);
      index = c == '0' ? 0 : c == '1' ? 1 : c == 'd' ? 2 : c == 's' ? 3 : -1;
    }
    if (index < 0) {
      Error(absl::StrCat("invalid fo value '", value,
                         "' (expected 0, 1, d or s, separated by ':')"));
      return;
    }
    duplicate |= options[index];
    options[index] = true;
  }
  if (duplicate) Warn(absl::StrCat("fo value '", value, "' repeats an option"));
  if (Rfc9989() && options[0] && options[1]) {
    // RFC 9989's grammar makes them exclusive; receivers still understand
    // both, so this stays a warning (RFC 7489 allowed "0:1").
    Warn("fo options 0 and 1 are mutually exclusive in RFC 9989");
  }
  for (int i = 0; i < 4; ++i) {
    if (options[i]) out_.record.fo.push_back(kNames[i]);
  }
}

void Parser::ParseUris(absl::string_view name, absl::string_view value,
                       std::vector<ReportUri>* out) {
  if (value.empty()) {
    Error(absl::StrCat("empty ", name, " tag (it needs at least one URI)"));
    return;
  }
  for (absl::string_view element : absl::StrSplit(value, ',')) {
    std::vector<std::string> notes;
    absl::StatusOr<ReportUri> uri = ParseReportUri(element, &notes);
    for (std::string& note : notes) Warn(absl::StrCat(name, ": ", note));
    if (!uri.ok()) {
      Error(absl::StrCat("invalid ", name, " URI: ", uri.status().message()));
      continue;
    }
    if (uri->max_size_bytes && Rfc9989()) {
      Warn(absl::StrCat("size limit (`!size`) on ", name, " URI '", uri->uri,
                        "' is obsolete in RFC 9989; receivers ignore it"));
    }
    if (uri->scheme != "mailto") {
      Warn(absl::StrCat(name, " URI '", uri->uri,
                        "' is not mailto:, the only scheme receivers must "
                        "support"));
    }
    out->push_back(*std::move(uri));
  }
  if (out->size() > 2) {
    Warn(absl::StrCat("more than two ", name,
                      " URIs: many receivers send to the first two only"));
  }
}

void Parser::ParsePct(absl::string_view value) {
  const std::optional<uint32_t> valid = PctValue(value);
  if (!valid.has_value()) {
    Error(absl::StrCat("invalid pct value '", value,
                       "' (expected an integer from 0 to 100)"));
    return;
  }
  const uint32_t pct = *valid;
  out_.record.pct = pct;
  out_.record.pct_tag = pct;
  if (pct < 100) {
    Warn(absl::StrCat("pct=", pct, ": the policy applies to ", pct,
                      "% of failing mail only"));
  }
}

void Parser::ParseRi(absl::string_view value) {
  uint32_t ri = 0;
  if (value.empty() || !absl::c_all_of(value, absl::ascii_isdigit) ||
      !absl::SimpleAtoi(value, &ri)) {
    Error(absl::StrCat("invalid ri value '", value,
                       "' (expected a 32-bit unsigned integer)"));
    return;
  }
  out_.record.ri = ri;
}

void Parser::ParseRf(absl::string_view value) {
  std::vector<std::string> formats;
  for (absl::string_view item : absl::StrSplit(value, ':')) {
    item = TrimWsp(item);
    if (!IsKeyword(item)) {
      Error(absl::StrCat("invalid rf value '", value,
                         "' (expected report formats separated by ':')"));
      return;
    }
    formats.push_back(absl::AsciiStrToLower(item));
    if (formats.back() != "afrf") {
      Warn(absl::StrCat("unknown report format '", item, "' in rf"));
    }
  }
  out_.record.rf = std::move(formats);
}

void Parser::Finish() {
  DmarcRecord& r = out_.record;
  const bool valid_rua = !r.rua.empty();
  if (!r.p && !p_invalid_) {
    if (!valid_rua) {
      Error(
          "no p tag and no valid rua URI: receivers apply no DMARC "
          "processing");
    } else if (Rfc9989()) {
      Warn(
          "no p tag: treated as p=none (RFC 9989 section 4.7); RFC 7489 "
          "receivers require p");
    } else {
      Warn(
          "no p tag: treated as p=none because rua holds a valid URI "
          "(RFC 7489 section 6.6.3)");
    }
  } else if (r.p && p_position_ != 0) {
    if (Rfc9989()) {
      Warn(
          "p is not the tag right after v; RFC 7489 receivers require that "
          "order");
    } else {
      Error("p must be the tag right after v (RFC 7489 section 6.3)");
    }
  }

  const bool fallback = !r.p || sp_invalid_ || np_invalid_;
  if (fallback) {
    // Act as if the record said p=none, when there is somewhere to report.
    if (valid_rua) {
      out_.policy = out_.subdomain_policy = out_.nonexistent_policy =
          DmarcPolicy::kNone;
    }
  } else {
    out_.policy = *r.p;
    out_.subdomain_policy = r.sp.value_or(*r.p);
    out_.nonexistent_policy = Rfc9989() ? r.np.value_or(*out_.subdomain_policy)
                                        : *out_.subdomain_policy;
  }

  const bool enforcing = r.p && *r.p != DmarcPolicy::kNone;
  if (enforcing && r.sp == DmarcPolicy::kNone) {
    Warn(
        absl::StrCat("sp tag value of none leaves existing subdomains "
                     "unenforced while p=",
                     DmarcPolicyName(*r.p)));
  }
  if (enforcing && Rfc9989() && r.np == DmarcPolicy::kNone) {
    Warn(
        absl::StrCat("np tag value of none leaves non-existent subdomains "
                     "unenforced while p=",
                     DmarcPolicyName(*r.p)));
  }
  if (!r.has_rua_tag) {
    Warn("no rua tag: no aggregate reports will be sent");
  }
  if (!r.fo.empty() && !r.has_ruf_tag) {
    Warn("fo has no effect without a ruf tag");
  }
}

}  // namespace

const char* DmarcProfileName(DmarcProfile profile) {
  return profile == DmarcProfile::kRfc9989 ? "rfc9989" : "rfc7489";
}

const char* DmarcPolicyName(DmarcPolicy policy) {
  switch (policy) {
    case DmarcPolicy::kNone:
      return "none";
    case DmarcPolicy::kQuarantine:
      return "quarantine";
    case DmarcPolicy::kReject:
      return "reject";
  }
  return "none";
}

const char* DmarcAlignmentName(DmarcAlignment alignment) {
  return alignment == DmarcAlignment::kStrict ? "s" : "r";
}

const char* DmarcPsdName(DmarcPsd psd) {
  switch (psd) {
    case DmarcPsd::kYes:
      return "y";
    case DmarcPsd::kNo:
      return "n";
    case DmarcPsd::kUnknown:
      return "u";
  }
  return "u";
}

bool StartsWithDmarcVersion(absl::string_view text) {
  if (!ConsumeVersionTag(&text) || !absl::ConsumePrefix(&text, "DMARC1")) {
    return false;
  }
  SkipWsp(&text);
  return text.empty() || text.front() == ';';
}

bool LooksLikeDmarcRecord(absl::string_view text) {
  SkipWsp(&text);
  if (!ConsumeVersionTag(&text)) return false;
  return absl::StartsWithIgnoreCase(text, "dmarc");
}

DmarcParse ParseDmarcRecord(absl::string_view text, DmarcProfile profile) {
  return Parser(profile).Run(text);
}

}  // namespace mxscan::checks::dmarc
