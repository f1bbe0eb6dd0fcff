#include "scanner/checks/spf/policy_walk.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "scanner/checks/spf/dns_answers.h"
#include "scanner/checks/spf/domain_name.h"
#include "scanner/checks/spf/macro.h"
#include "scanner/checks/spf/record.h"
#include "scanner/checks/spf/txt_record.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/rdata.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::checks::spf {
namespace {

using Via = std::vector<std::string>;

mxscan::DnsStatus ToDnsStatus(dns::LookupStatus status) {
  switch (status) {
    case dns::LookupStatus::kNoError:
      return mxscan::NOERROR;
    case dns::LookupStatus::kNxDomain:
      return mxscan::NXDOMAIN;
    case dns::LookupStatus::kServFail:
      return mxscan::SERVFAIL;
    case dns::LookupStatus::kRefused:
      return mxscan::REFUSED;
    case dns::LookupStatus::kTimeout:
      return mxscan::TIMEOUT;
    case dns::LookupStatus::kError:
      return mxscan::ERROR;
  }
  return mxscan::ERROR;
}

// "include:a > a:x" for a term reached through `via`.
std::string Chain(const Via& via, absl::string_view term) {
  std::vector<absl::string_view> parts(via.begin(), via.end());
  if (!term.empty()) parts.push_back(term);
  return absl::StrJoin(parts, " > ");
}

// "include:a > a:x: why", or just "why" at the top.
std::string Located(const Via& via, absl::string_view term,
                    absl::string_view why) {
  const std::string chain = Chain(via, term);
  if (chain.empty()) return std::string(why);
  return absl::StrCat(chain, ": ", why);
}

std::string Ordinal(int n) {
  const int tens = n % 100;
  const char* suffix = "th";
  if (tens < 11 || tens > 13) {
    switch (n % 10) {
      case 1:
        suffix = "st";
        break;
      case 2:
        suffix = "nd";
        break;
      case 3:
        suffix = "rd";
        break;
      default:
        break;
    }
  }
  return absl::StrCat(n, suffix);
}

// The SPF record found at one name.
struct Fetched {
  enum class Kind { kMissing, kFailure, kNone, kMultiple, kInvalid, kOk };
  Kind kind = Kind::kMissing;
  dns::LookupStatus status = dns::LookupStatus::kError;
  bool void_answer = false;        // NXDOMAIN or no TXT records at all
  std::vector<std::string> texts;  // the v=spf1 records, printable
  // TXT records meant as SPF but not SPF: "record: why", printable.
  std::vector<std::string> lookalikes;
  std::string parse_error;
  Record record;
};

class PolicyWalker {
 public:
  PolicyWalker(absl::string_view domain, const AnswerCache& cache,
               const WalkLimits& limits)
      : top_(absl::StripSuffix(domain, ".")), cache_(cache), limits_(limits) {}

  WalkOutcome Run() {
    mxscan::SpfResult& r = out_.result;
    if (!IsWellFormedDomain(top_)) {
      r.add_errors(
          absl::StrCat("malformed domain \"", absl::CHexEscape(top_), "\""));
      return std::move(out_);
    }
    const Fetched top = Fetch(top_);
    if (top.kind == Fetched::Kind::kMissing) return std::move(out_);
    for (const std::string& lookalike : top.lookalikes) {
      r.add_lookalikes(lookalike);
      r.add_warnings(absl::StrCat(
          "a TXT record meant as SPF is not one (receivers ignore it): ",
          lookalike));
    }
    r.set_dns_status(ToDnsStatus(top.status));
    switch (top.kind) {
      case Fetched::Kind::kFailure:
        // Never "no record": the answer is unknown (RFC 7208 4.4).
        r.add_errors(
            absl::StrCat("temperror: TXT lookup of ", top_,
                         " failed: ", dns::LookupStatusName(top.status)));
        break;
      case Fetched::Kind::kNone:
        break;
      case Fetched::Kind::kMultiple:
        r.set_present(true);
        r.set_record(top.texts.front());
        ListRecords(top_, top.texts);
        r.add_errors(absl::StrCat("permerror: ", top.texts.size(),
                                  " SPF records at ", top_,
                                  " (exactly one is allowed)"));
        break;
      case Fetched::Kind::kInvalid:
        r.set_present(true);
        r.set_record(top.texts.front());
        ListRecords(top_, top.texts);
        r.add_errors(
            absl::StrCat("permerror: invalid record: ", top.parse_error));
        break;
      case Fetched::Kind::kOk: {
        r.set_present(true);
        r.set_record(top.texts.front());
        ListRecords(top_, top.texts);
        std::vector<std::string> path = {CanonicalName(top_)};
        r.set_all(WalkRecord(top.record, top_, {}, &path));
        r.set_permits_nothing(top.record.PermitsNothing());
        break;
      }
      case Fetched::Kind::kMissing:
        break;
    }
    Finish();
    return std::move(out_);
  }

 private:
  const dns::LookupResult* Need(absl::string_view raw_name, uint16_t type) {
    const Question question = MakeQuestion(raw_name, type);
    const dns::LookupResult* answer = cache_.Find(question);
    if (answer == nullptr) out_.missing.insert(question);
    return answer;
  }

  void Error(const Via& via, absl::string_view term, absl::string_view why) {
    out_.result.add_errors(Located(via, term, why));
  }
  void Warning(const Via& via, absl::string_view term, absl::string_view why) {
    out_.result.add_warnings(Located(via, term, why));
  }

  Fetched Fetch(const std::string& domain) {
    Fetched f;
    const dns::LookupResult* answer = Need(domain, dns::rr_type::kTxt);
    if (answer == nullptr) return f;
    f.status = answer->status;
    switch (Classify(*answer, dns::rr_type::kTxt)) {
      case AnswerKind::kFailure:
        f.kind = Fetched::Kind::kFailure;
        return f;
      case AnswerKind::kVoid:
        f.kind = Fetched::Kind::kNone;
        f.void_answer = true;
        return f;
      case AnswerKind::kRecords:
        break;
    }
    for (const std::string& text : dns::TxtRecords(*answer)) {
      std::optional<SpfLookalike> lookalike = FindSpfLookalike(text);
      if (!lookalike.has_value()) continue;
      f.lookalikes.push_back(
          absl::StrCat(dns::PrintableOctets(text), ": ", lookalike->why,
                       lookalike->meant.empty() ? "" : " (meant: ",
                       dns::PrintableOctets(lookalike->meant),
                       lookalike->meant.empty() ? "" : ")"));
    }
    const std::vector<std::string> records =
        SpfRecords(dns::TxtRecords(*answer));
    for (const std::string& record : records) {
      f.texts.push_back(dns::PrintableOctets(record));
    }
    if (records.empty()) {
      f.kind = Fetched::Kind::kNone;
    } else if (records.size() > 1) {
      f.kind = Fetched::Kind::kMultiple;
    } else {
      absl::StatusOr<Record> record = ParseRecord(records.front());
      if (record.ok()) {
        f.kind = Fetched::Kind::kOk;
        f.record = *std::move(record);
      } else {
        f.kind = Fetched::Kind::kInvalid;
        f.parse_error = std::string(record.status().message());
      }
    }
    return f;
  }

  void ListRecords(const std::string& domain,
                   const std::vector<std::string>& texts) {
    if (!listed_.insert(CanonicalName(domain)).second) return;
    for (const std::string& text : texts) {
      out_.result.add_chain(absl::StrCat(domain, ": ", text));
    }
  }

  // CountTerm counts a DNS-querying term; false once the walk's own budget
  // is spent (then the walk stops descending).
  bool CountTerm(const Via& via, absl::string_view term) {
    ++lookups_;
    if (lookups_ == limits_.rfc.dns_mechanisms + 1) {
      over_lookups_at_ = Chain(via, term);
    }
    if (lookups_ > limits_.max_terms && !stopped_) {
      stopped_ = true;
      out_.result.add_warnings(
          absl::StrCat("policy tree too large: the walk stopped after ",
                       limits_.max_terms, " DNS lookups"));
    }
    return !stopped_;
  }

  void CountVoid(const Via& via, absl::string_view term) {
    ++voids_;
    if (voids_ == limits_.rfc.void_lookups + 1) {
      over_voids_at_ = Chain(via, term);
    }
  }

  // Target is the name a term's domain-spec points to when it can be
  // followed without a sender: only %{d} and %{o} (the analysed domain)
  // are known. nullopt, with a warning, otherwise.
  std::optional<std::string> Target(const std::optional<DomainSpec>& spec,
                                    const std::string& domain, const Via& via,
                                    absl::string_view term) {
    if (!spec.has_value()) return domain;
    for (const MacroPart& part : spec->macro.parts) {
      if (part.kind == MacroPart::Kind::kMacro && part.letter != 'd' &&
          part.letter != 'o') {
        Warning(via, term,
                absl::StrCat("depends on the sender or the client address "
                             "(%{",
                             std::string(1, part.letter), "}): not followed"));
        return std::nullopt;
      }
    }
    MacroValues values;
    values.domain = domain;
    values.sender_domain = top_;
    const std::string target =
        TargetName(ExpandMacroString(spec->macro, values));
    if (!IsQueryableName(target)) {
      Warning(via, term,
              absl::StrCat("expands to \"", absl::CHexEscape(target),
                           "\", which is no usable DNS name: matches "
                           "nothing"));
      return std::nullopt;
    }
    return target;
  }

  // VisitTarget judges the record an include or redirect points to and
  // returns its effective "all" ("" if none).
  std::string VisitTarget(const std::string& domain, const Via& via,
                          std::vector<std::string>* path) {
    const Fetched f = Fetch(domain);
    switch (f.kind) {
      case Fetched::Kind::kMissing:
        return "";
      case Fetched::Kind::kFailure:
        Error(via, "",
              absl::StrCat("temperror: TXT lookup of ", domain,
                           " failed: ", dns::LookupStatusName(f.status)));
        return "";
      case Fetched::Kind::kNone:
        if (f.void_answer) CountVoid(via, "");
        Error(via, "", "no SPF record");
        return "";
      case Fetched::Kind::kMultiple:
        ListRecords(domain, f.texts);
        Error(via, "",
              absl::StrCat(f.texts.size(),
                           " SPF records (exactly one is allowed)"));
        return "";
      case Fetched::Kind::kInvalid:
        ListRecords(domain, f.texts);
        Error(via, "", absl::StrCat("invalid record: ", f.parse_error));
        return "";
      case Fetched::Kind::kOk:
        break;
    }
    ListRecords(domain, f.texts);
    path->push_back(CanonicalName(domain));
    std::string all = WalkRecord(f.record, domain, via, path);
    path->pop_back();
    return all;
  }

  // Follow handles include and redirect: loop check, then the visit.
  std::string Follow(absl::string_view kind, const std::string& target,
                     const Via& via, std::vector<std::string>* path) {
    Via next = via;
    next.push_back(absl::StrCat(kind, target));
    const std::string canonical = CanonicalName(target);
    if (std::find(path->begin(), path->end(), canonical) != path->end()) {
      std::vector<std::string> loop = *path;
      loop.push_back(canonical);
      Error(next, "",
            absl::StrCat(absl::StripSuffix(absl::StripSuffix(kind, ":"), "="),
                         " loop (", absl::StrJoin(loop, " > "), ")"));
      return "";
    }
    return VisitTarget(target, next, path);
  }

  void WalkA(const Directive& d, const std::string& target, const Via& via) {
    const dns::LookupResult* a = Need(target, dns::rr_type::kA);
    const dns::LookupResult* aaaa = Need(target, dns::rr_type::kAaaa);
    if (a == nullptr || aaaa == nullptr) return;
    const AnswerKind a_kind = Classify(*a, dns::rr_type::kA);
    const AnswerKind aaaa_kind = Classify(*aaaa, dns::rr_type::kAaaa);
    if (a_kind == AnswerKind::kFailure || aaaa_kind == AnswerKind::kFailure) {
      const dns::LookupResult& failed =
          a_kind == AnswerKind::kFailure ? *a : *aaaa;
      Error(via, d.text,
            absl::StrCat("temperror: ", dns::RrTypeName(failed.type),
                         " lookup of ", target,
                         " failed: ", dns::LookupStatusName(failed.status)));
      return;
    }
    if (a_kind == AnswerKind::kVoid && aaaa_kind == AnswerKind::kVoid) {
      CountVoid(via, d.text);
      Warning(via, d.text,
              absl::StrCat(target, " has no address: a void lookup"));
    } else if (a_kind == AnswerKind::kVoid) {
      Warning(via, d.text,
              absl::StrCat(target,
                           " has no A record: a void lookup for IPv4 "
                           "clients"));
    }
  }

  void WalkMx(const Directive& d, const std::string& target, const Via& via) {
    const dns::LookupResult* mx = Need(target, dns::rr_type::kMx);
    if (mx == nullptr) return;
    switch (Classify(*mx, dns::rr_type::kMx)) {
      case AnswerKind::kFailure:
        Error(via, d.text,
              absl::StrCat("temperror: MX lookup of ", target,
                           " failed: ", dns::LookupStatusName(mx->status)));
        return;
      case AnswerKind::kVoid:
        CountVoid(via, d.text);
        Warning(via, d.text,
                absl::StrCat(target, " has no MX records: a void lookup"));
        return;
      case AnswerKind::kRecords:
        break;
    }
    const std::vector<std::string> names = MxNames(*mx);
    if (names.size() > static_cast<size_t>(limits_.rfc.mx_names)) {
      Error(via, d.text,
            absl::StrCat("permerror: ", names.size(), " MX records, more than ",
                         limits_.rfc.mx_names, " (RFC 7208 section 4.6.4)"));
    } else if (std::all_of(names.begin(), names.end(),
                           [](const std::string& n) { return n == "."; })) {
      Warning(via, d.text,
              absl::StrCat(target, " has a null MX: matches no host"));
    }
  }

  void WalkExists(const Directive& d, const std::string& target,
                  const Via& via) {
    const dns::LookupResult* a = Need(target, dns::rr_type::kA);
    if (a == nullptr) return;
    switch (Classify(*a, dns::rr_type::kA)) {
      case AnswerKind::kFailure:
        Error(via, d.text,
              absl::StrCat("temperror: A lookup of ", target,
                           " failed: ", dns::LookupStatusName(a->status)));
        return;
      case AnswerKind::kVoid:
        CountVoid(via, d.text);
        return;
      case AnswerKind::kRecords:
        return;
    }
  }

  static bool InsideInclude(const Via& via) {
    for (const std::string& step : via) {
      if (absl::StartsWith(step, "include:")) return true;
    }
    return false;
  }

  void WalkExplanation(const Record& record, const std::string& domain,
                       const Via& via) {
    const std::string term = absl::StrCat("exp=", record.explanation->text);
    const std::optional<std::string> target =
        Target(record.explanation, domain, via, term);
    if (!target.has_value()) return;
    const dns::LookupResult* txt = Need(*target, dns::rr_type::kTxt);
    if (txt == nullptr) return;
    if (Classify(*txt, dns::rr_type::kTxt) != AnswerKind::kRecords ||
        dns::TxtRecords(*txt).size() != 1) {
      Warning(via, term,
              "no single TXT record there: receivers ignore the explanation");
    }
  }

  // WalkRecord visits the terms of one record and returns its effective
  // "all" (its own, else its redirect target's; "" if none applies).
  std::string WalkRecord(const Record& record, const std::string& domain,
                         const Via& via, std::vector<std::string>* path) {
    std::string all;
    for (size_t i = 0; i < record.directives.size() && !stopped_; ++i) {
      const Directive& d = record.directives[i];
      if (!all.empty()) {
        Warning(via, d.text,
                "comes after \"all\" and is never evaluated (RFC 7208 "
                "section 5.1)");
        break;
      }
      if (CountsAsDnsLookup(d.kind) && !CountTerm(via, d.text)) break;
      switch (d.kind) {
        case MechanismKind::kAll:
          all = absl::StrCat(QualifierSymbol(d.qualifier), "all");
          break;
        case MechanismKind::kIp4:
        case MechanismKind::kIp6:
          break;
        case MechanismKind::kPtr:
          Warning(via, d.text,
                  "ptr SHOULD NOT be used (RFC 7208 section 5.5): slow, "
                  "unreliable, skipped by some receivers");
          break;
        case MechanismKind::kInclude: {
          std::optional<std::string> target =
              Target(d.domain_spec, domain, via, d.text);
          if (target.has_value()) Follow("include:", *target, via, path);
          break;
        }
        case MechanismKind::kA:
        case MechanismKind::kMx:
        case MechanismKind::kExists: {
          std::optional<std::string> target =
              Target(d.domain_spec, domain, via, d.text);
          if (!target.has_value()) break;
          if (d.kind == MechanismKind::kA) WalkA(d, *target, via);
          if (d.kind == MechanismKind::kMx) WalkMx(d, *target, via);
          if (d.kind == MechanismKind::kExists) WalkExists(d, *target, via);
          break;
        }
      }
    }
    if (record.redirect.has_value() && !stopped_) {
      const std::string term = absl::StrCat("redirect=", record.redirect->text);
      if (!all.empty() || record.HasAll()) {
        Warning(via, term,
                "ignored: the record has an \"all\" mechanism (RFC 7208 "
                "section 6.1)");
      } else if (CountTerm(via, term)) {
        std::optional<std::string> target =
            Target(record.redirect, domain, via, term);
        if (target.has_value()) all = Follow("redirect=", *target, via, path);
      }
    }
    // Receivers only ever show the exp= of the top record or of a
    // redirect target (RFC 7208 section 6.2), never an included one's.
    if (record.explanation.has_value() && !InsideInclude(via)) {
      WalkExplanation(record, domain, via);
    }
    return all;
  }

  void Finish() {
    mxscan::SpfResult& r = out_.result;
    r.set_dns_lookups(lookups_);
    r.set_void_lookups(voids_);
    if (lookups_ > limits_.rfc.dns_mechanisms) {
      r.add_errors(absl::StrCat(
          "permerror: ", lookups_, " DNS lookups, more than the ",
          limits_.rfc.dns_mechanisms, " allowed (RFC 7208 section 4.6.4); the ",
          Ordinal(limits_.rfc.dns_mechanisms + 1), " is ", over_lookups_at_));
    }
    if (voids_ > limits_.rfc.void_lookups) {
      r.add_errors(absl::StrCat(
          "permerror: ", voids_, " void lookups, more than the ",
          limits_.rfc.void_lookups, " allowed (RFC 7208 section 4.6.4); the ",
          Ordinal(limits_.rfc.void_lookups + 1), " is ", over_voids_at_));
    }
    r.set_valid(r.present() && r.errors_size() == 0);
  }

  const std::string top_;
  const AnswerCache& cache_;
  const WalkLimits limits_;
  WalkOutcome out_;
  int lookups_ = 0;
  int voids_ = 0;
  bool stopped_ = false;
  std::string over_lookups_at_;
  std::string over_voids_at_;
  std::set<std::string> listed_;  // domains already in `chain`
};

}  // namespace

WalkOutcome WalkPolicy(absl::string_view domain, const AnswerCache& cache,
                       const WalkLimits& limits) {
  return PolicyWalker(domain, cache, limits).Run();
}

}  // namespace mxscan::checks::spf
