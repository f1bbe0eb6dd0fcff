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

Result FromQualifier(Qualifier qualifier) {
  switch (qualifier) {
    case Qualifier::kPass:
      return Result::kPass;
    case Qualifier::kFail:
      return Result::kFail;
    case Qualifier::kSoftFail:
      return Result::kSoftFail;
    case Qualifier::kNeutral:
      return Result::kNeutral;
  }
  return Result::kNeutral;
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

bool IsAscii(absl::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x7f;
  });
}

bool InsideInclude(const Via& via) {
  return std::any_of(via.begin(), via.end(), [](const std::string& step) {
    return absl::StartsWith(step, "include:");
  });
}

// ChooseValidatedName picks the %{p} value for `domain` (RFC 7208 section
// 7.3): `domain` itself if validated, else a validated subdomain of it,
// else the first validated name, else "unknown".
std::string ChooseValidatedName(const std::vector<std::string>& names,
                                absl::string_view domain) {
  const std::string wanted = CanonicalName(domain);
  for (const std::string& name : names) {
    if (name == wanted) return name;
  }
  for (const std::string& name : names) {
    if (IsSameOrSubdomain(name, wanted)) return name;
  }
  if (!names.empty()) return names.front();
  return "unknown";
}

// The SPF record found at one name.
struct Fetched {
  enum class Kind { kMissing, kFailure, kNone, kMultiple, kInvalid, kOk };
  Kind kind = Kind::kMissing;
  dns::LookupStatus status = dns::LookupStatus::kError;
  bool void_answer = false;  // NXDOMAIN or no TXT records at all
  // With TXT records: how SPF reads them (owned by the answer cache).
  const SpfTxt* txt = nullptr;

  const std::vector<std::string>& texts() const { return txt->records; }
};

// One check_host() invocation: the top <domain>, an include's or a
// redirect's.
struct Frame {
  std::string domain;             // raw octets, no trailing dot
  Via via;                        // "include:x", "redirect=y" that led here
  bool wants_explanation = true;  // false inside include (RFC 7208 6.2)
};

// What a frame concludes. For the posture, `all` is the effective "all"
// ("-all": the record's own, else its redirect target's; "" if none).
struct FrameOutcome {
  Result result = Result::kNeutral;
  std::string mechanism;
  std::string error;
  std::string explanation;
  std::string all;
  bool pending = false;  // stopped at a question not answered yet
};

FrameOutcome ErrorOutcome(Result result, std::string error) {
  FrameOutcome outcome;
  outcome.result = result;
  outcome.error = std::move(error);
  return outcome;
}

FrameOutcome PendingOutcome() {
  FrameOutcome outcome;
  outcome.pending = true;
  return outcome;
}

enum class Match { kMatch, kNoMatch, kTempError, kPermError, kPending };

// What evaluating one mechanism gives.
struct MatchOutcome {
  Match match = Match::kNoMatch;
  std::string error;      // for the errors: the full message
  std::string mechanism;  // for an include that matched: the inner decider
};

MatchOutcome Matching(Match match) {
  MatchOutcome outcome;
  outcome.match = match;
  return outcome;
}

// Walker is one pass of the evaluator, in one of its two modes. The
// differences between them are where a receiver's view and the posture's
// part: who matches (a client, or nobody but "all"), what an error does
// (ends the evaluation, or is reported and the walk goes on), which
// macros can be expanded, and what the posture adds (warnings, the record
// chain, loops, the limits summed up at the end).
class Walker {
 public:
  enum class Mode { kCheckHost, kPosture };

  Walker(Mode mode, const AnswerCache& cache, const CheckHostLimits& rfc,
         int max_terms)
      : mode_(mode), cache_(cache), rfc_(rfc), max_terms_(max_terms) {}

  CheckHostPass CheckHost(const CheckHostRequest& request) {
    ip_ = request.ip.Unmapped();
    const size_t at = request.sender.rfind('@');
    if (at == std::string::npos) {
      values_.sender_domain = request.sender;
    } else {
      values_.local_part = request.sender.substr(0, at);
      values_.sender_domain = request.sender.substr(at + 1);
    }
    // RFC 7208 section 4.3: a sender without local-part is postmaster.
    if (values_.local_part.empty()) values_.local_part = "postmaster";
    values_.sender =
        absl::StrCat(values_.local_part, "@", values_.sender_domain);
    values_.ip = ip_;
    values_.helo = request.helo;
    values_.receiver = request.receiver;
    values_.timestamp = request.timestamp;

    // Only the trailing dot goes: truncation is for macro expansions, an
    // over-long <domain> is malformed (RFC 7208 section 4.3).
    Frame top;
    top.domain = std::string(absl::StripSuffix(request.domain, "."));
    FrameOutcome outcome = CheckDomain(top);
    CheckHostPass pass;
    pass.missing = std::move(missing_);
    if (outcome.pending) return pass;
    pass.result.result = outcome.result;
    pass.result.explanation = std::move(outcome.explanation);
    pass.result.mechanism = std::move(outcome.mechanism);
    pass.result.error = std::move(outcome.error);
    pass.result.dns_lookups = lookups_;
    pass.result.void_lookups = voids_;
    return pass;
  }

  WalkOutcome Posture(absl::string_view domain) {
    const std::string top_name(absl::StripSuffix(domain, "."));
    values_.sender_domain = top_name;
    mxscan::SpfResult& r = posture_.result;
    if (!IsWellFormedDomain(top_name)) {
      r.add_errors(absl::StrCat("malformed domain \"",
                                absl::CHexEscape(top_name), "\""));
      return std::move(posture_);
    }
    const Fetched top = Fetch(top_name);
    if (top.kind == Fetched::Kind::kMissing) return Finished();
    if (top.txt != nullptr) {
      for (const std::string& lookalike : top.txt->lookalikes) {
        r.add_lookalikes(lookalike);
        r.add_warnings(absl::StrCat(
            "a TXT record meant as SPF is not one (receivers ignore it): ",
            lookalike));
      }
    }
    r.set_dns_status(ToDnsStatus(top.status));
    if (top.kind != Fetched::Kind::kFailure &&
        top.kind != Fetched::Kind::kNone) {
      r.set_present(true);
      r.set_record(top.texts().front());
      ListRecords(top_name, top.texts());
    }
    switch (top.kind) {
      case Fetched::Kind::kFailure:
        // Never "no record": the answer is unknown (RFC 7208 4.4).
        r.add_errors(
            absl::StrCat("temperror: TXT lookup of ", top_name,
                         " failed: ", dns::LookupStatusName(top.status)));
        break;
      case Fetched::Kind::kMultiple:
        r.add_errors(absl::StrCat("permerror: ", top.texts().size(),
                                  " SPF records at ", top_name,
                                  " (exactly one is allowed)"));
        break;
      case Fetched::Kind::kInvalid:
        r.add_errors(
            absl::StrCat("permerror: invalid record: ", top.txt->parse_error));
        break;
      case Fetched::Kind::kOk: {
        Frame frame;
        frame.domain = top_name;
        path_ = {CanonicalName(top_name)};
        r.set_all(EvaluateRecord(frame, *top.txt->record).all);
        r.set_permits_nothing(top.txt->record->PermitsNothing());
        break;
      }
      case Fetched::Kind::kNone:
      case Fetched::Kind::kMissing:
        break;
    }
    SumUpLimits();
    return Finished();
  }

 private:
  bool posture() const { return mode_ == Mode::kPosture; }

  const dns::LookupResult* Need(const Question& question) {
    const dns::LookupResult* answer = cache_.Find(question);
    if (answer == nullptr) missing_.insert(question);
    return answer;
  }

  void Error(const Via& via, absl::string_view term, absl::string_view why) {
    posture_.result.add_errors(Located(via, term, why));
  }
  void Warning(const Via& via, absl::string_view term, absl::string_view why) {
    if (posture()) posture_.result.add_warnings(Located(via, term, why));
  }

  // TermError is a temperror or permerror of one term: it ends a
  // check_host() evaluation; the posture reports it, prefixed with the
  // result a receiver would return, and walks on.
  MatchOutcome TermError(const Frame& frame, absl::string_view term, Match kind,
                         absl::string_view why) {
    const char* name = kind == Match::kTempError ? "temperror" : "permerror";
    if (posture()) {
      Error(frame.via, term, absl::StrCat(name, ": ", why));
      return MatchOutcome{};
    }
    MatchOutcome outcome = Matching(kind);
    outcome.error = Located(frame.via, term, why);
    return outcome;
  }

  // CountTerm counts a DNS-querying term. False past the limit of
  // check_host() (a permerror there); the posture counts on, to report
  // the total, and is false only once its own budget is spent.
  bool CountTerm(const Via& via, absl::string_view term) {
    ++lookups_;
    if (lookups_ == rfc_.dns_mechanisms + 1) {
      over_lookups_at_ = Chain(via, term);
    }
    if (!posture()) return lookups_ <= rfc_.dns_mechanisms;
    if (lookups_ > max_terms_ && !stopped_) {
      stopped_ = true;
      posture_.result.add_warnings(
          absl::StrCat("policy tree too large: the walk stopped after ",
                       max_terms_, " DNS lookups"));
    }
    return !stopped_;
  }

  // CountVoid counts a void lookup; false past the limit of check_host().
  bool CountVoid(const Via& via, absl::string_view term) {
    ++voids_;
    if (voids_ == rfc_.void_lookups + 1) over_voids_at_ = Chain(via, term);
    return posture() || voids_ <= rfc_.void_lookups;
  }

  // VoidOrLimit is what a void answer to a mechanism's question gives.
  MatchOutcome VoidOrLimit(const Frame& frame, absl::string_view term) {
    if (CountVoid(frame.via, term)) return MatchOutcome{};
    return TermError(frame, term, Match::kPermError,
                     absl::StrCat("more than ", rfc_.void_lookups,
                                  " void lookups (RFC 7208 section 4.6.4)"));
  }

  MatchOutcome LookupFailed(const Frame& frame, absl::string_view term,
                            uint16_t type, absl::string_view name,
                            const dns::LookupResult& answer) {
    return TermError(
        frame, term, Match::kTempError,
        absl::StrCat(dns::RrTypeName(type), " lookup of ", name,
                     " failed: ", dns::LookupStatusName(answer.status)));
  }

  Fetched Fetch(const std::string& domain) {
    Fetched f;
    const Question question = MakeQuestion(domain, dns::rr_type::kTxt);
    const dns::LookupResult* answer = Need(question);
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
    f.txt = &cache_.SpfTxtOf(question);
    if (f.txt->records.empty()) {
      f.kind = Fetched::Kind::kNone;
    } else if (f.txt->records.size() > 1) {
      f.kind = Fetched::Kind::kMultiple;
    } else if (f.txt->record.has_value()) {
      f.kind = Fetched::Kind::kOk;
    } else {
      f.kind = Fetched::Kind::kInvalid;
    }
    return f;
  }

  void ListRecords(const std::string& domain,
                   const std::vector<std::string>& texts) {
    if (!listed_.insert(CanonicalName(domain)).second) return;
    for (const std::string& text : texts) {
      posture_.result.add_chain(absl::StrCat(domain, ": ", text));
    }
  }

  // ValidatedNames are the names of <ip> that resolve back to it (RFC 7208
  // section 5.5), for ptr and %{p}: computed once per pass; nullptr while
  // answers are missing.
  struct ValidatedNames {
    AnswerKind ptr_answer = AnswerKind::kVoid;
    std::vector<std::string> names;  // canonical, in PTR answer order
  };
  const ValidatedNames* Names() {
    if (names_.has_value()) return &*names_;
    const dns::LookupResult* ptr =
        Need(NameQuestion(ip_.ReverseName(), dns::rr_type::kPtr));
    if (ptr == nullptr) return nullptr;
    ValidatedNames names;
    // A failed PTR lookup is no error for SPF: ptr then does not match
    // and %{p} is "unknown".
    names.ptr_answer = Classify(*ptr, dns::rr_type::kPtr);
    if (names.ptr_answer == AnswerKind::kRecords) {
      std::vector<std::string> candidates = PtrNames(*ptr);
      if (candidates.size() > static_cast<size_t>(rfc_.ptr_names)) {
        candidates.resize(rfc_.ptr_names);
      }
      std::vector<const dns::LookupResult*> addresses;
      for (const std::string& candidate : candidates) {
        addresses.push_back(Need(NameQuestion(candidate, AddressType(ip_))));
      }
      if (std::find(addresses.begin(), addresses.end(), nullptr) !=
          addresses.end()) {
        return nullptr;
      }
      for (size_t i = 0; i < candidates.size(); ++i) {
        const std::vector<IpAddress> found = Addresses(*addresses[i]);
        if (std::find(found.begin(), found.end(), ip_) != found.end()) {
          names.names.push_back(CanonicalName(candidates[i]));
        }
      }
    }
    names_ = std::move(names);
    return &*names_;
  }

  // Expand expands `macro` for `frame`; nullopt while %{p} waits for
  // answers.
  std::optional<std::string> Expand(const Frame& frame,
                                    const MacroString& macro) {
    MacroValues values = values_;
    values.domain = frame.domain;
    if (macro.UsesLetter('p')) {
      const ValidatedNames* names = Names();
      if (names == nullptr) return std::nullopt;
      values.validated_name = ChooseValidatedName(names->names, frame.domain);
    }
    return ExpandMacroString(macro, values);
  }

  // Target is the name a term points to: its domain-spec expanded, else
  // <domain>. check_host() expands every macro (nullopt and *pending while
  // %{p} waits for answers). The posture knows only %{d} and %{o} (the
  // analysed domain) and follows nothing else, nor a name no query can
  // carry: nullopt with a warning.
  std::optional<std::string> Target(const Frame& frame,
                                    const std::optional<DomainSpec>& spec,
                                    absl::string_view term, bool* pending) {
    if (!spec.has_value()) return TargetName(frame.domain);
    if (posture()) {
      for (const MacroPart& part : spec->macro.parts) {
        if (part.kind == MacroPart::Kind::kMacro && part.letter != 'd' &&
            part.letter != 'o') {
          Warning(
              frame.via, term,
              absl::StrCat("depends on the sender or the client address "
                           "(%{",
                           std::string(1, part.letter), "}): not followed"));
          return std::nullopt;
        }
      }
    }
    std::optional<std::string> expanded = Expand(frame, spec->macro);
    if (!expanded.has_value()) {
      *pending = true;
      return std::nullopt;
    }
    std::string target = TargetName(*expanded);
    if (posture() && !IsQueryableName(target)) {
      Warning(frame.via, term,
              absl::StrCat("expands to \"", absl::CHexEscape(target),
                           "\", which is no usable DNS name: matches "
                           "nothing"));
      return std::nullopt;
    }
    return target;
  }

  // CheckDomain is check_host() on frame.domain (RFC 7208 sections
  // 4.3-4.7), the top <domain> or an include or redirect target.
  FrameOutcome CheckDomain(const Frame& frame) {
    const std::string& domain = frame.domain;
    if (!IsWellFormedDomain(domain)) {
      return ErrorOutcome(
          Result::kNone, Located(frame.via, "",
                                 absl::StrCat("malformed domain \"",
                                              absl::CHexEscape(domain), "\"")));
    }
    const Fetched f = Fetch(domain);
    std::string why;
    switch (f.kind) {
      case Fetched::Kind::kMissing:
        return PendingOutcome();
      case Fetched::Kind::kFailure:
        return ErrorOutcome(
            Result::kTempError,
            Located(frame.via, "",
                    absl::StrCat("TXT lookup of ", domain, " failed: ",
                                 dns::LookupStatusName(f.status))));
      case Fetched::Kind::kNone:
        why = absl::StrCat("no SPF record at ", domain);
        if (f.void_answer) {
          // An include or redirect target that does not exist is a void
          // lookup too; the missing record decides the result anyway.
          if (!frame.via.empty()) CountVoid(frame.via, "");
          absl::StrAppend(&why, " (",
                          f.status == dns::LookupStatus::kNxDomain
                              ? "NXDOMAIN"
                              : "no TXT records",
                          ")");
        }
        return ErrorOutcome(Result::kNone, Located(frame.via, "", why));
      case Fetched::Kind::kMultiple:
        return ErrorOutcome(
            Result::kPermError,
            Located(frame.via, "",
                    absl::StrCat(f.texts().size(), " SPF records at ", domain,
                                 " (exactly one is allowed)")));
      case Fetched::Kind::kInvalid:
        return ErrorOutcome(Result::kPermError,
                            Located(frame.via, "",
                                    absl::StrCat("SPF record at ", domain, ": ",
                                                 f.txt->parse_error)));
      case Fetched::Kind::kOk:
        break;
    }
    return EvaluateRecord(frame, *f.txt->record);
  }

  // VisitTarget is the posture's visit of an include or redirect target:
  // problems with its record are reported and the walk goes on.
  FrameOutcome VisitTarget(const Frame& frame) {
    const std::string& domain = frame.domain;
    const Fetched f = Fetch(domain);
    switch (f.kind) {
      case Fetched::Kind::kMissing:
        return PendingOutcome();
      case Fetched::Kind::kFailure:
        Error(frame.via, "",
              absl::StrCat("temperror: TXT lookup of ", domain,
                           " failed: ", dns::LookupStatusName(f.status)));
        return FrameOutcome{};
      case Fetched::Kind::kNone:
        if (f.void_answer) CountVoid(frame.via, "");
        Error(frame.via, "", "no SPF record");
        return FrameOutcome{};
      case Fetched::Kind::kMultiple:
        ListRecords(domain, f.texts());
        Error(frame.via, "",
              absl::StrCat(f.texts().size(),
                           " SPF records (exactly one is allowed)"));
        return FrameOutcome{};
      case Fetched::Kind::kInvalid:
        ListRecords(domain, f.texts());
        Error(frame.via, "",
              absl::StrCat("invalid record: ", f.txt->parse_error));
        return FrameOutcome{};
      case Fetched::Kind::kOk:
        break;
    }
    ListRecords(domain, f.texts());
    path_.push_back(CanonicalName(domain));
    FrameOutcome outcome = EvaluateRecord(frame, *f.txt->record);
    path_.pop_back();
    return outcome;
  }

  // Follow evaluates the target of an include or redirect: `kind` is
  // "include:" or "redirect=".
  FrameOutcome Follow(const Frame& frame, absl::string_view kind,
                      const std::string& target, bool wants_explanation) {
    Frame next;
    next.domain = target;
    next.via = frame.via;
    next.via.push_back(absl::StrCat(kind, target));
    next.wants_explanation = wants_explanation;
    if (!posture()) return CheckDomain(next);
    const std::string canonical = CanonicalName(target);
    if (std::find(path_.begin(), path_.end(), canonical) != path_.end()) {
      std::vector<std::string> loop = path_;
      loop.push_back(canonical);
      Error(next.via, "",
            absl::StrCat(absl::StripSuffix(absl::StripSuffix(kind, ":"), "="),
                         " loop (", absl::StrJoin(loop, " > "), ")"));
      return FrameOutcome{};
    }
    return VisitTarget(next);
  }

  // include: a recursive check_host() whose pass matches (RFC 7208 5.2).
  // In the posture it never matches: the walk judges the rest.
  MatchOutcome MatchInclude(const Frame& frame, const Directive& d) {
    bool pending = false;
    const std::optional<std::string> target =
        Target(frame, d.domain_spec, d.text, &pending);
    if (pending) return Matching(Match::kPending);
    if (!target.has_value()) return MatchOutcome{};
    FrameOutcome inner =
        Follow(frame, "include:", *target, /*wants_explanation=*/false);
    if (inner.pending) return Matching(Match::kPending);
    if (posture()) return MatchOutcome{};
    MatchOutcome outcome;
    switch (inner.result) {
      case Result::kPass:
        outcome.match = Match::kMatch;
        outcome.mechanism = std::move(inner.mechanism);
        break;
      case Result::kFail:
      case Result::kSoftFail:
      case Result::kNeutral:
        break;
      case Result::kTempError:
        outcome.match = Match::kTempError;
        outcome.error = std::move(inner.error);
        break;
      case Result::kPermError:
      case Result::kNone:
        outcome.match = Match::kPermError;
        outcome.error = std::move(inner.error);
        break;
    }
    return outcome;
  }

  // a: any address of the target in the client's network (RFC 7208 5.3).
  // The posture asks A and AAAA: it is void only when both are.
  MatchOutcome MatchA(const Frame& frame, const Directive& d,
                      const std::string& target) {
    if (posture()) {
      const dns::LookupResult* a = Need(MakeQuestion(target, dns::rr_type::kA));
      const dns::LookupResult* aaaa =
          Need(MakeQuestion(target, dns::rr_type::kAaaa));
      if (a == nullptr || aaaa == nullptr) return MatchOutcome{};
      const AnswerKind a_kind = Classify(*a, dns::rr_type::kA);
      const AnswerKind aaaa_kind = Classify(*aaaa, dns::rr_type::kAaaa);
      if (a_kind == AnswerKind::kFailure) {
        return LookupFailed(frame, d.text, dns::rr_type::kA, target, *a);
      }
      if (aaaa_kind == AnswerKind::kFailure) {
        return LookupFailed(frame, d.text, dns::rr_type::kAaaa, target, *aaaa);
      }
      if (a_kind == AnswerKind::kVoid && aaaa_kind == AnswerKind::kVoid) {
        Warning(frame.via, d.text,
                absl::StrCat(target, " has no address: a void lookup"));
        return VoidOrLimit(frame, d.text);
      }
      if (a_kind == AnswerKind::kVoid) {
        Warning(frame.via, d.text,
                absl::StrCat(target,
                             " has no A record: a void lookup for IPv4 "
                             "clients"));
      }
      return MatchOutcome{};
    }
    const uint16_t type = AddressType(ip_);
    const dns::LookupResult* answer = Need(MakeQuestion(target, type));
    if (answer == nullptr) return Matching(Match::kPending);
    switch (Classify(*answer, type)) {
      case AnswerKind::kFailure:
        return LookupFailed(frame, d.text, type, target, *answer);
      case AnswerKind::kVoid:
        return VoidOrLimit(frame, d.text);
      case AnswerKind::kRecords:
        break;
    }
    for (const IpAddress& address : Addresses(*answer)) {
      if (ip_.InNetwork(address, Prefix(d))) return Matching(Match::kMatch);
    }
    return MatchOutcome{};
  }

  // mx: the addresses of the target's MX hosts (RFC 7208 5.4), all asked
  // at once. The posture asks only the MX records.
  MatchOutcome MatchMx(const Frame& frame, const Directive& d,
                       const std::string& target) {
    const dns::LookupResult* mx = Need(MakeQuestion(target, dns::rr_type::kMx));
    if (mx == nullptr) return Matching(Match::kPending);
    switch (Classify(*mx, dns::rr_type::kMx)) {
      case AnswerKind::kFailure:
        return LookupFailed(frame, d.text, dns::rr_type::kMx, target, *mx);
      case AnswerKind::kVoid:
        Warning(frame.via, d.text,
                absl::StrCat(target, " has no MX records: a void lookup"));
        return VoidOrLimit(frame, d.text);
      case AnswerKind::kRecords:
        break;
    }
    const std::vector<std::string> names = MxNames(*mx);
    if (names.size() > static_cast<size_t>(rfc_.mx_names)) {
      return TermError(
          frame, d.text, Match::kPermError,
          absl::StrCat(names.size(), " MX records, more than ", rfc_.mx_names,
                       " (RFC 7208 section 4.6.4)"));
    }
    // A null MX ("0 .") names no host.
    std::vector<std::string> hosts;
    for (const std::string& name : names) {
      if (name != ".") hosts.push_back(name);
    }
    if (posture()) {
      if (hosts.empty()) {
        Warning(frame.via, d.text,
                absl::StrCat(target, " has a null MX: matches no host"));
      }
      return MatchOutcome{};
    }
    const uint16_t type = AddressType(ip_);
    std::vector<const dns::LookupResult*> answers;
    for (const std::string& host : hosts) {
      answers.push_back(Need(NameQuestion(host, type)));
    }
    if (std::find(answers.begin(), answers.end(), nullptr) != answers.end()) {
      return Matching(Match::kPending);
    }
    // A match anywhere wins; else a failed lookup is a temperror.
    const dns::LookupResult* failed = nullptr;
    size_t failed_host = 0;
    for (size_t i = 0; i < hosts.size(); ++i) {
      for (const IpAddress& address : Addresses(*answers[i])) {
        if (ip_.InNetwork(address, Prefix(d))) return Matching(Match::kMatch);
      }
      if (failed == nullptr &&
          Classify(*answers[i], type) == AnswerKind::kFailure) {
        failed = answers[i];
        failed_host = i;
      }
    }
    if (failed == nullptr) return MatchOutcome{};
    return LookupFailed(frame, d.text, type, hosts[failed_host], *failed);
  }

  // ptr: a validated name of <ip> in the target domain (RFC 7208 5.5).
  MatchOutcome MatchPtr(const Frame& frame, const Directive& d,
                        const std::string& target) {
    const ValidatedNames* names = Names();
    if (names == nullptr) return Matching(Match::kPending);
    // A failed PTR lookup makes ptr not match; only void answers count.
    if (names->ptr_answer == AnswerKind::kVoid) {
      MatchOutcome outcome = VoidOrLimit(frame, d.text);
      if (outcome.match != Match::kNoMatch) return outcome;
    }
    for (const std::string& name : names->names) {
      if (IsSameOrSubdomain(name, target)) return Matching(Match::kMatch);
    }
    return MatchOutcome{};
  }

  // exists: any A record at the target, whatever the client's family
  // (RFC 7208 5.7). Matches nobody in the posture.
  MatchOutcome MatchExists(const Frame& frame, const Directive& d,
                           const std::string& target) {
    const dns::LookupResult* a = Need(MakeQuestion(target, dns::rr_type::kA));
    if (a == nullptr) return Matching(Match::kPending);
    switch (Classify(*a, dns::rr_type::kA)) {
      case AnswerKind::kFailure:
        return LookupFailed(frame, d.text, dns::rr_type::kA, target, *a);
      case AnswerKind::kVoid:
        return VoidOrLimit(frame, d.text);
      case AnswerKind::kRecords:
        break;
    }
    return posture() ? MatchOutcome{} : Matching(Match::kMatch);
  }

  int Prefix(const Directive& d) const {
    return ip_.is_ip6() ? d.ip6_prefix : d.ip4_prefix;
  }

  // MatchDirective evaluates one directive (its DNS term already counted).
  MatchOutcome MatchDirective(const Frame& frame, const Directive& d) {
    switch (d.kind) {
      case MechanismKind::kAll:
        return Matching(Match::kMatch);
      case MechanismKind::kIp4:
        return !posture() && ip_.InNetwork(d.network, d.ip4_prefix)
                   ? Matching(Match::kMatch)
                   : MatchOutcome{};
      case MechanismKind::kIp6:
        return !posture() && ip_.InNetwork(d.network, d.ip6_prefix)
                   ? Matching(Match::kMatch)
                   : MatchOutcome{};
      case MechanismKind::kInclude:
        return MatchInclude(frame, d);
      case MechanismKind::kPtr:
        if (posture()) {
          Warning(frame.via, d.text,
                  "ptr SHOULD NOT be used (RFC 7208 section 5.5): slow, "
                  "unreliable, skipped by some receivers");
          return MatchOutcome{};
        }
        break;
      case MechanismKind::kA:
      case MechanismKind::kMx:
      case MechanismKind::kExists:
        break;
    }
    bool pending = false;
    const std::optional<std::string> target =
        Target(frame, d.domain_spec, d.text, &pending);
    if (pending) return Matching(Match::kPending);
    // A name no query can carry (empty or long labels) matches nothing
    // (RFC 7208 section 4.8 and the test suite's reading of it).
    if (!target.has_value() || !IsQueryableName(*target)) {
      return MatchOutcome{};
    }
    switch (d.kind) {
      case MechanismKind::kA:
        return MatchA(frame, d, *target);
      case MechanismKind::kMx:
        return MatchMx(frame, d, *target);
      case MechanismKind::kPtr:
        return MatchPtr(frame, d, *target);
      default:
        return MatchExists(frame, d, *target);
    }
  }

  // EvaluateRecord evaluates the directives of one record in order (RFC
  // 7208 section 4.6), then its redirect=, and its exp= for a fail.
  FrameOutcome EvaluateRecord(const Frame& frame, const Record& record) {
    FrameOutcome outcome;
    for (const Directive& d : record.directives) {
      if (stopped_) break;
      if (!outcome.all.empty()) {
        Warning(frame.via, d.text,
                "comes after \"all\" and is never evaluated (RFC 7208 "
                "section 5.1)");
        break;
      }
      if (CountsAsDnsLookup(d.kind) && !CountTerm(frame.via, d.text)) {
        if (posture()) break;
        return ErrorOutcome(
            Result::kPermError,
            Located(frame.via, d.text,
                    absl::StrCat("more than ", rfc_.dns_mechanisms,
                                 " DNS-querying terms (RFC 7208 section "
                                 "4.6.4)")));
      }
      MatchOutcome match = MatchDirective(frame, d);
      switch (match.match) {
        case Match::kPending:
          if (posture()) break;  // other branches can still be judged
          return PendingOutcome();
        case Match::kNoMatch:
          break;
        case Match::kTempError:
          return ErrorOutcome(Result::kTempError, std::move(match.error));
        case Match::kPermError:
          return ErrorOutcome(Result::kPermError, std::move(match.error));
        case Match::kMatch:
          if (posture()) {
            // Only "all" matches the posture's client.
            outcome.all = absl::StrCat(QualifierSymbol(d.qualifier), "all");
            break;
          }
          return Matched(frame, record, d,
                         match.mechanism.empty() ? Chain(frame.via, d.text)
                                                 : std::move(match.mechanism));
      }
    }
    if (posture()) {
      FollowRedirectForPosture(frame, record, &outcome);
      // Receivers only ever show the exp= of the top record or of a
      // redirect target (RFC 7208 section 6.2), never an included one's.
      if (record.explanation.has_value() && !InsideInclude(frame.via)) {
        CheckExplanationTarget(frame, record);
      }
      return outcome;
    }
    // No directive matched: redirect= if any (it cannot coexist with a
    // reached "all"), else the default result (RFC 7208 section 4.7).
    if (!record.redirect.has_value()) return outcome;
    const std::string term = absl::StrCat("redirect=", record.redirect->text);
    if (!CountTerm(frame.via, term)) {
      return ErrorOutcome(
          Result::kPermError,
          Located(frame.via, term,
                  absl::StrCat("more than ", rfc_.dns_mechanisms,
                               " DNS-querying terms (RFC 7208 section "
                               "4.6.4)")));
    }
    bool pending = false;
    const std::optional<std::string> target =
        Target(frame, record.redirect, term, &pending);
    if (pending) return PendingOutcome();
    FrameOutcome inner =
        Follow(frame, "redirect=", *target, frame.wants_explanation);
    // RFC 7208 section 6.1: none becomes permerror.
    if (inner.result == Result::kNone) inner.result = Result::kPermError;
    return inner;
  }

  void FollowRedirectForPosture(const Frame& frame, const Record& record,
                                FrameOutcome* outcome) {
    if (!record.redirect.has_value() || stopped_) return;
    const std::string term = absl::StrCat("redirect=", record.redirect->text);
    if (!outcome->all.empty() || record.HasAll()) {
      Warning(frame.via, term,
              "ignored: the record has an \"all\" mechanism (RFC 7208 "
              "section 6.1)");
      return;
    }
    if (!CountTerm(frame.via, term)) return;
    bool pending = false;
    const std::optional<std::string> target =
        Target(frame, record.redirect, term, &pending);
    if (!target.has_value()) return;
    outcome->all = Follow(frame, "redirect=", *target, true).all;
  }

  // The posture warns when exp= points to no single TXT record.
  void CheckExplanationTarget(const Frame& frame, const Record& record) {
    const std::string term = absl::StrCat("exp=", record.explanation->text);
    bool pending = false;
    const std::optional<std::string> target =
        Target(frame, record.explanation, term, &pending);
    if (!target.has_value()) return;
    const dns::LookupResult* txt =
        Need(MakeQuestion(*target, dns::rr_type::kTxt));
    if (txt == nullptr) return;
    if (Classify(*txt, dns::rr_type::kTxt) != AnswerKind::kRecords ||
        dns::TxtRecords(*txt).size() != 1) {
      Warning(frame.via, term,
              "no single TXT record there: receivers ignore the explanation");
    }
  }

  // Matched ends a check_host() frame with the qualifier of `d`, adding
  // the exp= explanation to a fail (RFC 7208 section 6.2).
  FrameOutcome Matched(const Frame& frame, const Record& record,
                       const Directive& d, std::string where) {
    FrameOutcome outcome;
    outcome.result = FromQualifier(d.qualifier);
    outcome.mechanism = std::move(where);
    if (outcome.result != Result::kFail || !frame.wants_explanation ||
        !record.explanation.has_value()) {
      return outcome;
    }
    std::optional<std::string> explanation = Explain(frame, record);
    if (!explanation.has_value()) return PendingOutcome();
    outcome.explanation = *std::move(explanation);
    return outcome;
  }

  // Explain computes the exp= explanation of a failing frame, or "" when
  // anything goes wrong (RFC 7208 section 6.2: then there is none);
  // nullopt while answers are missing.
  std::optional<std::string> Explain(const Frame& frame, const Record& record) {
    const std::optional<std::string> expanded =
        Expand(frame, record.explanation->macro);
    if (!expanded.has_value()) return std::nullopt;
    const std::string target = TargetName(*expanded);
    if (!IsQueryableName(target)) return "";
    const dns::LookupResult* answer =
        Need(MakeQuestion(target, dns::rr_type::kTxt));
    if (answer == nullptr) return std::nullopt;
    const std::vector<std::string> texts = dns::TxtRecords(*answer);
    if (Classify(*answer, dns::rr_type::kTxt) != AnswerKind::kRecords ||
        texts.size() != 1 || !IsAscii(texts.front())) {
      return "";
    }
    absl::StatusOr<MacroString> macro =
        ParseMacroString(texts.front(), MacroSyntax::kExplanation);
    if (!macro.ok()) return "";
    return Expand(frame, *macro);
  }

  // SumUpLimits reports, for the posture, the limits a receiver would
  // have stopped at, naming the term that went over.
  void SumUpLimits() {
    mxscan::SpfResult& r = posture_.result;
    r.set_dns_lookups(lookups_);
    r.set_void_lookups(voids_);
    if (lookups_ > rfc_.dns_mechanisms) {
      r.add_errors(absl::StrCat(
          "permerror: ", lookups_, " DNS lookups, more than the ",
          rfc_.dns_mechanisms, " allowed (RFC 7208 section 4.6.4); the ",
          Ordinal(rfc_.dns_mechanisms + 1), " is ", over_lookups_at_));
    }
    if (voids_ > rfc_.void_lookups) {
      r.add_errors(absl::StrCat(
          "permerror: ", voids_, " void lookups, more than the ",
          rfc_.void_lookups, " allowed (RFC 7208 section 4.6.4); the ",
          Ordinal(rfc_.void_lookups + 1), " is ", over_voids_at_));
    }
    r.set_valid(r.present() && r.errors_size() == 0);
  }

  WalkOutcome Finished() {
    posture_.missing = std::move(missing_);
    return std::move(posture_);
  }

  const Mode mode_;
  const AnswerCache& cache_;
  const CheckHostLimits rfc_;
  const int max_terms_;
  std::set<Question> missing_;
  // The client's values for the macros; the posture knows only %{o}.
  MacroValues values_;
  IpAddress ip_;
  std::optional<ValidatedNames> names_;
  int lookups_ = 0;
  int voids_ = 0;
  std::string over_lookups_at_;
  std::string over_voids_at_;
  // The posture's own state.
  WalkOutcome posture_;
  bool stopped_ = false;
  std::vector<std::string> path_;  // canonical names of the records above
  std::set<std::string> listed_;   // domains already in `chain`
};

}  // namespace

const char* ResultName(Result result) {
  switch (result) {
    case Result::kNone:
      return "none";
    case Result::kNeutral:
      return "neutral";
    case Result::kPass:
      return "pass";
    case Result::kFail:
      return "fail";
    case Result::kSoftFail:
      return "softfail";
    case Result::kTempError:
      return "temperror";
    case Result::kPermError:
      return "permerror";
  }
  return "permerror";
}

CheckHostRequest CheckHostRequest::ForMailFrom(const IpAddress& ip,
                                               absl::string_view mail_from,
                                               absl::string_view helo) {
  if (mail_from.empty()) return ForHelo(ip, helo);
  CheckHostRequest request;
  request.ip = ip;
  request.helo = std::string(helo);
  const size_t at = mail_from.rfind('@');
  absl::string_view local =
      at == absl::string_view::npos ? "" : mail_from.substr(0, at);
  absl::string_view domain =
      at == absl::string_view::npos ? mail_from : mail_from.substr(at + 1);
  request.domain = std::string(domain);
  request.sender =
      absl::StrCat(local.empty() ? "postmaster" : local, "@", domain);
  return request;
}

CheckHostRequest CheckHostRequest::ForHelo(const IpAddress& ip,
                                           absl::string_view helo) {
  CheckHostRequest request;
  request.ip = ip;
  request.helo = std::string(helo);
  request.domain = std::string(helo);
  request.sender = absl::StrCat("postmaster@", helo);
  return request;
}

CheckHostPass EvaluateCheckHost(const CheckHostRequest& request,
                                const AnswerCache& cache) {
  return Walker(Walker::Mode::kCheckHost, cache, request.limits,
                /*max_terms=*/0)
      .CheckHost(request);
}

WalkOutcome WalkPolicy(absl::string_view domain, const AnswerCache& cache,
                       const WalkLimits& limits) {
  return Walker(Walker::Mode::kPosture, cache, limits.rfc, limits.max_terms)
      .Posture(domain);
}

}  // namespace mxscan::checks::spf
