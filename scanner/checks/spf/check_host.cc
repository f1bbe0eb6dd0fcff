#include "scanner/checks/spf/check_host.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "scanner/checks/spf/dns_answers.h"
#include "scanner/checks/spf/domain_name.h"
#include "scanner/checks/spf/host_addresses.h"
#include "scanner/checks/spf/macro.h"
#include "scanner/checks/spf/record.h"
#include "scanner/checks/spf/txt_record.h"
#include "scanner/checks/spf/validated_names.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::checks::spf {
namespace {

using dns::LookupResult;

enum class Match { kMatch, kNoMatch, kTempError, kPermError };

// MatchOutcome is what evaluating one mechanism gives.
struct MatchOutcome {
  Match match = Match::kNoMatch;
  std::string error;      // for the errors: the full message
  std::string mechanism;  // for an include that matched: the inner decider
};

// Outcome is the result of one check_host() invocation: the top one, an
// include's or a redirect's.
struct Outcome {
  Result result = Result::kNeutral;
  std::string explanation;
  std::string mechanism;
  std::string error;
};

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

Outcome ErrorOutcome(Result result, std::string error) {
  Outcome outcome;
  outcome.result = result;
  outcome.error = std::move(error);
  return outcome;
}

MatchOutcome MatchError(Match match, std::string error) {
  MatchOutcome outcome;
  outcome.match = match;
  outcome.error = std::move(error);
  return outcome;
}

bool IsAscii(absl::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) > 0x7f) return false;
  }
  return true;
}

// Evaluation is one check_host() run, from the first TXT question to the
// result. It lives in a shared_ptr held by every pending DNS callback, so it
// survives as long as the source may still answer; frames of nested
// include/redirect evaluations are shared the same way. Single-threaded: it
// lives on the thread of its DnsSource.
class Evaluation : public std::enable_shared_from_this<Evaluation> {
 public:
  Evaluation(DnsSource& source, CheckHostRequest request,
             absl::AnyInvocable<void(CheckHostResult)> done)
      : source_(source), request_(std::move(request)), done_(std::move(done)) {
    ip_ = request_.ip.Unmapped();
    const size_t at = request_.sender.rfind('@');
    if (at == std::string::npos) {
      sender_domain_ = request_.sender;
    } else {
      local_part_ = request_.sender.substr(0, at);
      sender_domain_ = request_.sender.substr(at + 1);
    }
    // RFC 7208 section 4.3: a sender without local-part is postmaster.
    if (local_part_.empty()) local_part_ = "postmaster";
    sender_ = absl::StrCat(local_part_, "@", sender_domain_);
  }

  void Start() {
    auto self = shared_from_this();
    // Only the trailing dot goes: truncation is for macro expansions, an
    // over-long <domain> is malformed (RFC 7208 section 4.3).
    CheckDomain(std::string(absl::StripSuffix(request_.domain, ".")), {},
                /*wants_explanation=*/true, [self](Outcome outcome) {
                  CheckHostResult result;
                  result.result = outcome.result;
                  result.explanation = std::move(outcome.explanation);
                  result.mechanism = std::move(outcome.mechanism);
                  result.error = std::move(outcome.error);
                  result.dns_lookups = self->dns_terms_;
                  result.void_lookups = self->void_lookups_;
                  self->done_(std::move(result));
                });
  }

 private:
  // Frame is one check_host() invocation over one <domain>.
  struct Frame {
    std::string domain;             // raw octets, no trailing dot
    std::vector<std::string> via;   // "include:x", "redirect=y" that led here
    bool wants_explanation = true;  // false inside include (RFC 7208 6.2)
    Record record;
    size_t next = 0;  // index of the directive being evaluated
    absl::AnyInvocable<void(Outcome)> done;
  };
  using FramePtr = std::shared_ptr<Frame>;
  using MatchDone = absl::AnyInvocable<void(MatchOutcome)>;

  // Message naming the chain and the term: "include:a > a:x: why".
  static std::string Message(const Frame& frame, absl::string_view term,
                             absl::string_view why) {
    std::vector<absl::string_view> parts(frame.via.begin(), frame.via.end());
    if (!term.empty()) parts.push_back(term);
    if (parts.empty()) return std::string(why);
    return absl::StrCat(absl::StrJoin(parts, " > "), ": ", why);
  }

  static std::string Where(const Frame& frame, absl::string_view term) {
    std::vector<absl::string_view> parts(frame.via.begin(), frame.via.end());
    parts.push_back(term);
    return absl::StrJoin(parts, " > ");
  }

  MacroValues ValuesFor(const Frame& frame) const {
    MacroValues values;
    values.sender = sender_;
    values.local_part = local_part_;
    values.sender_domain = sender_domain_;
    values.domain = frame.domain;
    values.ip = ip_;
    values.helo = request_.helo;
    values.receiver = request_.receiver;
    values.timestamp = request_.timestamp;
    if (names_ready_) {
      values.validated_name = ChooseValidatedName(names_.names, frame.domain);
    }
    return values;
  }

  // True while within the limit of DNS-querying terms.
  bool CountDnsTerm() { return ++dns_terms_ <= request_.limits.dns_mechanisms; }
  // True while within the void lookup limit.
  bool CountVoid() { return ++void_lookups_ <= request_.limits.void_lookups; }

  // Expand runs `done` with the expansion of `macro` for `frame`, once the
  // validated names are known if %{p} needs them.
  void Expand(FramePtr frame, const MacroString& macro,
              absl::AnyInvocable<void(std::string)> done) {
    if (!macro.UsesLetter('p') || names_ready_) {
      done(ExpandMacroString(macro, ValuesFor(*frame)));
      return;
    }
    auto self = shared_from_this();
    WithValidatedNames([self, frame, macro,
                        done = std::move(done)](const ValidatedNames&) mutable {
      done(ExpandMacroString(macro, self->ValuesFor(*frame)));
    });
  }

  // WithValidatedNames runs `done` once the validated names of <ip> are
  // known; they are resolved once per evaluation.
  void WithValidatedNames(
      absl::AnyInvocable<void(const ValidatedNames&)> done) {
    if (names_ready_) {
      done(names_);
      return;
    }
    names_waiters_.push_back(std::move(done));
    if (names_started_) return;
    names_started_ = true;
    auto self = shared_from_this();
    ResolveValidatedNames(source_, ip_, request_.limits.ptr_names,
                          [self](ValidatedNames names) {
                            self->names_ = std::move(names);
                            self->names_ready_ = true;
                            auto waiters = std::move(self->names_waiters_);
                            self->names_waiters_.clear();
                            for (auto& waiter : waiters) waiter(self->names_);
                          });
  }

  // CheckDomain is check_host() on `domain` (RFC 7208 sections 4.3-4.7).
  void CheckDomain(std::string domain, std::vector<std::string> via,
                   bool wants_explanation,
                   absl::AnyInvocable<void(Outcome)> done) {
    auto frame = std::make_shared<Frame>();
    frame->domain = std::move(domain);
    frame->via = std::move(via);
    frame->wants_explanation = wants_explanation;
    frame->done = std::move(done);
    if (!IsWellFormedDomain(frame->domain)) {
      frame->done(ErrorOutcome(
          Result::kNone,
          Message(*frame, "",
                  absl::StrCat("malformed domain \"",
                               absl::CHexEscape(frame->domain), "\""))));
      return;
    }
    auto self = shared_from_this();
    source_.Lookup(PresentationName(frame->domain), dns::rr_type::kTxt,
                   [self, frame](const LookupResult& answer) {
                     self->OnRecords(frame, answer);
                   });
  }

  void OnRecords(FramePtr frame, const LookupResult& answer) {
    const std::string& domain = frame->domain;
    switch (Classify(answer, dns::rr_type::kTxt)) {
      case AnswerKind::kFailure:
        frame->done(ErrorOutcome(
            Result::kTempError,
            Message(*frame, "",
                    absl::StrCat("TXT lookup of ", domain, " failed: ",
                                 dns::LookupStatusName(answer.status)))));
        return;
      case AnswerKind::kVoid:
        // An include or redirect target that does not exist is a void
        // lookup too; the missing record decides the result anyway.
        if (!frame->via.empty()) ++void_lookups_;
        frame->done(ErrorOutcome(
            Result::kNone,
            Message(*frame, "",
                    absl::StrCat("no SPF record at ", domain, " (",
                                 answer.status == dns::LookupStatus::kNxDomain
                                     ? "NXDOMAIN"
                                     : "no TXT records",
                                 ")"))));
        return;
      case AnswerKind::kRecords:
        break;
    }
    const std::vector<std::string> records =
        SpfRecords(dns::TxtRecords(answer));
    if (records.empty()) {
      frame->done(ErrorOutcome(
          Result::kNone,
          Message(*frame, "", absl::StrCat("no SPF record at ", domain))));
      return;
    }
    if (records.size() > 1) {
      frame->done(ErrorOutcome(
          Result::kPermError,
          Message(*frame, "",
                  absl::StrCat(records.size(), " SPF records at ", domain,
                               " (exactly one is allowed)"))));
      return;
    }
    absl::StatusOr<Record> record = ParseRecord(records.front());
    if (!record.ok()) {
      frame->done(
          ErrorOutcome(Result::kPermError,
                       Message(*frame, "",
                               absl::StrCat("SPF record at ", domain, ": ",
                                            record.status().message()))));
      return;
    }
    frame->record = *std::move(record);
    Continue(std::move(frame));
  }

  // Continue evaluates the directives from frame->next on, in order, until
  // one matches or must wait for DNS (RFC 7208 section 4.6).
  void Continue(FramePtr frame) {
    const std::vector<Directive>& directives = frame->record.directives;
    while (frame->next < directives.size()) {
      const Directive& directive = directives[frame->next];
      if (CountsAsDnsLookup(directive.kind)) {
        if (!CountDnsTerm()) {
          frame->done(ErrorOutcome(
              Result::kPermError,
              Message(*frame, directive.text,
                      absl::StrCat("more than ", request_.limits.dns_mechanisms,
                                   " DNS-querying terms (RFC 7208 section "
                                   "4.6.4)"))));
          return;
        }
        auto self = shared_from_this();
        StartMechanism(frame, directive, [self, frame](MatchOutcome outcome) {
          self->OnMatch(frame, std::move(outcome));
        });
        return;
      }
      bool matched = directive.kind == MechanismKind::kAll;
      if (directive.kind == MechanismKind::kIp4) {
        matched = ip_.InNetwork(directive.network, directive.ip4_prefix);
      } else if (directive.kind == MechanismKind::kIp6) {
        matched = ip_.InNetwork(directive.network, directive.ip6_prefix);
      }
      if (matched) {
        Matched(frame, Where(*frame, directive.text));
        return;
      }
      ++frame->next;
    }
    // No directive matched: redirect= if any (it cannot coexist with a
    // reached "all"), else the default result (RFC 7208 section 4.7).
    if (frame->record.redirect.has_value()) {
      FollowRedirect(std::move(frame));
      return;
    }
    frame->done(Outcome{});
  }

  void OnMatch(FramePtr frame, MatchOutcome outcome) {
    switch (outcome.match) {
      case Match::kMatch: {
        std::string where =
            outcome.mechanism.empty()
                ? Where(*frame, frame->record.directives[frame->next].text)
                : std::move(outcome.mechanism);
        Matched(std::move(frame), std::move(where));
        return;
      }
      case Match::kNoMatch:
        ++frame->next;
        Continue(std::move(frame));
        return;
      case Match::kTempError:
        frame->done(ErrorOutcome(Result::kTempError, std::move(outcome.error)));
        return;
      case Match::kPermError:
        frame->done(ErrorOutcome(Result::kPermError, std::move(outcome.error)));
        return;
    }
  }

  // Matched ends the frame with the qualifier of the current directive,
  // adding the exp= explanation to a fail (RFC 7208 section 6.2).
  void Matched(FramePtr frame, std::string where) {
    Outcome outcome;
    outcome.result =
        FromQualifier(frame->record.directives[frame->next].qualifier);
    outcome.mechanism = std::move(where);
    if (outcome.result != Result::kFail || !frame->wants_explanation ||
        !frame->record.explanation.has_value()) {
      frame->done(std::move(outcome));
      return;
    }
    Explain(frame, [frame, outcome = std::move(outcome)](
                       std::string explanation) mutable {
      outcome.explanation = std::move(explanation);
      frame->done(std::move(outcome));
    });
  }

  void FollowRedirect(FramePtr frame) {
    const DomainSpec& spec = *frame->record.redirect;
    const std::string term = absl::StrCat("redirect=", spec.text);
    if (!CountDnsTerm()) {
      frame->done(ErrorOutcome(
          Result::kPermError,
          Message(*frame, term,
                  absl::StrCat("more than ", request_.limits.dns_mechanisms,
                               " DNS-querying terms (RFC 7208 section "
                               "4.6.4)"))));
      return;
    }
    auto self = shared_from_this();
    Expand(frame, spec.macro, [self, frame](std::string expanded) {
      std::string target = TargetName(expanded);
      std::vector<std::string> via = frame->via;
      via.push_back(absl::StrCat("redirect=", target));
      self->CheckDomain(std::move(target), std::move(via),
                        frame->wants_explanation, [frame](Outcome outcome) {
                          // RFC 7208 section 6.1: none becomes permerror.
                          if (outcome.result == Result::kNone) {
                            outcome.result = Result::kPermError;
                          }
                          frame->done(std::move(outcome));
                        });
    });
  }

  // StartMechanism evaluates one DNS-querying mechanism.
  void StartMechanism(FramePtr frame, const Directive& directive,
                      MatchDone done) {
    if (directive.kind == MechanismKind::kInclude) {
      MatchInclude(std::move(frame), directive, std::move(done));
      return;
    }
    const MechanismKind kind = directive.kind;
    auto self = shared_from_this();
    auto with_target = [self, frame, kind,
                        done = std::move(done)](std::string expanded) mutable {
      std::string target = TargetName(expanded);
      // A name no query can carry (empty or long labels) matches nothing
      // (RFC 7208 section 4.8 and the test suite's reading of it).
      if (!IsQueryableName(target)) {
        done(MatchOutcome{});
        return;
      }
      switch (kind) {
        case MechanismKind::kA:
          self->MatchA(frame, std::move(target), std::move(done));
          return;
        case MechanismKind::kMx:
          self->MatchMx(frame, std::move(target), std::move(done));
          return;
        case MechanismKind::kPtr:
          self->MatchPtr(frame, std::move(target), std::move(done));
          return;
        default:
          self->MatchExists(frame, std::move(target), std::move(done));
          return;
      }
    };
    if (directive.domain_spec.has_value()) {
      Expand(frame, directive.domain_spec->macro, std::move(with_target));
    } else {
      with_target(frame->domain);
    }
  }

  const Directive& Current(const Frame& frame) const {
    return frame.record.directives[frame.next];
  }

  // VoidOrLimit is the outcome of a void answer to a mechanism's question.
  MatchOutcome VoidOrLimit(const Frame& frame) {
    if (CountVoid()) return MatchOutcome{};
    return MatchError(
        Match::kPermError,
        Message(frame, Current(frame).text,
                absl::StrCat("more than ", request_.limits.void_lookups,
                             " void lookups (RFC 7208 section 4.6.4)")));
  }

  MatchOutcome LookupFailed(const Frame& frame, absl::string_view type,
                            absl::string_view name,
                            const LookupResult& answer) {
    return MatchError(
        Match::kTempError,
        Message(frame, Current(frame).text,
                absl::StrCat(type, " lookup of ", name, " failed: ",
                             dns::LookupStatusName(answer.status))));
  }

  int Prefix(const Directive& directive) const {
    return ip_.is_ip6() ? directive.ip6_prefix : directive.ip4_prefix;
  }

  // a: any address of the target in the client's network (RFC 7208 5.3).
  void MatchA(FramePtr frame, std::string target, MatchDone done) {
    auto self = shared_from_this();
    const uint16_t type = AddressType(ip_);
    source_.Lookup(PresentationName(target), type,
                   [self, frame, target, type, done = std::move(done)](
                       const LookupResult& answer) mutable {
                     switch (Classify(answer, type)) {
                       case AnswerKind::kFailure:
                         done(self->LookupFailed(*frame, dns::RrTypeName(type),
                                                 target, answer));
                         return;
                       case AnswerKind::kVoid:
                         done(self->VoidOrLimit(*frame));
                         return;
                       case AnswerKind::kRecords:
                         break;
                     }
                     const int prefix = self->Prefix(self->Current(*frame));
                     for (const IpAddress& address : Addresses(answer)) {
                       if (self->ip_.InNetwork(address, prefix)) {
                         MatchOutcome outcome;
                         outcome.match = Match::kMatch;
                         done(std::move(outcome));
                         return;
                       }
                     }
                     done(MatchOutcome{});
                   });
  }

  // mx: the addresses of the target's MX hosts (RFC 7208 5.4).
  void MatchMx(FramePtr frame, std::string target, MatchDone done) {
    auto self = shared_from_this();
    source_.Lookup(
        PresentationName(target), dns::rr_type::kMx,
        [self, frame, target,
         done = std::move(done)](const LookupResult& answer) mutable {
          switch (Classify(answer, dns::rr_type::kMx)) {
            case AnswerKind::kFailure:
              done(self->LookupFailed(*frame, "MX", target, answer));
              return;
            case AnswerKind::kVoid:
              done(self->VoidOrLimit(*frame));
              return;
            case AnswerKind::kRecords:
              break;
          }
          self->MatchMxHosts(frame, MxNames(answer), std::move(done));
        });
  }

  void MatchMxHosts(FramePtr frame, std::vector<std::string> names,
                    MatchDone done) {
    if (names.size() > static_cast<size_t>(request_.limits.mx_names)) {
      done(MatchError(
          Match::kPermError,
          Message(*frame, Current(*frame).text,
                  absl::StrCat(names.size(), " MX records, more than ",
                               request_.limits.mx_names,
                               " (RFC 7208 section 4.6.4)"))));
      return;
    }
    // A null MX ("0 .") names no host.
    std::vector<std::string> hosts;
    for (std::string& name : names) {
      if (name != ".") hosts.push_back(std::move(name));
    }
    auto self = shared_from_this();
    MatchHostAddresses(
        source_, hosts, ip_, Prefix(Current(*frame)),
        [self, frame, done = std::move(done)](HostMatch match) mutable {
          // A match anywhere wins; else a failed lookup is a temperror.
          if (match.matched) {
            MatchOutcome outcome;
            outcome.match = Match::kMatch;
            done(std::move(outcome));
          } else if (!match.failure.empty()) {
            done(MatchError(
                Match::kTempError,
                Message(*frame, self->Current(*frame).text, match.failure)));
          } else {
            done(MatchOutcome{});
          }
        });
  }

  // ptr: a validated name of <ip> in the target domain (RFC 7208 5.5).
  void MatchPtr(FramePtr frame, std::string target, MatchDone done) {
    auto self = shared_from_this();
    WithValidatedNames([self, frame, target, done = std::move(done)](
                           const ValidatedNames& names) mutable {
      // A failed PTR lookup makes ptr not match; only void answers count.
      if (names.ptr_answer == AnswerKind::kVoid) {
        MatchOutcome outcome = self->VoidOrLimit(*frame);
        if (outcome.match != Match::kNoMatch) {
          done(std::move(outcome));
          return;
        }
      }
      for (const std::string& name : names.names) {
        if (IsSameOrSubdomain(name, target)) {
          MatchOutcome outcome;
          outcome.match = Match::kMatch;
          done(std::move(outcome));
          return;
        }
      }
      done(MatchOutcome{});
    });
  }

  // exists: any A record at the target, whatever the client's family
  // (RFC 7208 5.7).
  void MatchExists(FramePtr frame, std::string target, MatchDone done) {
    auto self = shared_from_this();
    source_.Lookup(PresentationName(target), dns::rr_type::kA,
                   [self, frame, target, done = std::move(done)](
                       const LookupResult& answer) mutable {
                     switch (Classify(answer, dns::rr_type::kA)) {
                       case AnswerKind::kFailure:
                         done(self->LookupFailed(*frame, "A", target, answer));
                         return;
                       case AnswerKind::kVoid:
                         done(self->VoidOrLimit(*frame));
                         return;
                       case AnswerKind::kRecords: {
                         MatchOutcome outcome;
                         outcome.match = Match::kMatch;
                         done(std::move(outcome));
                         return;
                       }
                     }
                   });
  }

  // include: a recursive check_host() whose pass matches (RFC 7208 5.2).
  void MatchInclude(FramePtr frame, const Directive& directive,
                    MatchDone done) {
    auto self = shared_from_this();
    Expand(frame, directive.domain_spec->macro,
           [self, frame, done = std::move(done)](std::string expanded) mutable {
             std::string target = TargetName(expanded);
             std::vector<std::string> via = frame->via;
             via.push_back(absl::StrCat("include:", target));
             self->CheckDomain(
                 std::move(target), std::move(via),
                 /*wants_explanation=*/false,
                 [done = std::move(done)](Outcome inner) mutable {
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
                       outcome = MatchError(Match::kTempError,
                                            std::move(inner.error));
                       break;
                     case Result::kPermError:
                     case Result::kNone:
                       outcome = MatchError(Match::kPermError,
                                            std::move(inner.error));
                       break;
                   }
                   done(std::move(outcome));
                 });
           });
  }

  // Explain computes the exp= explanation of a failing frame, or "" when
  // anything goes wrong (RFC 7208 section 6.2: then there is none).
  void Explain(FramePtr frame, absl::AnyInvocable<void(std::string)> done) {
    auto self = shared_from_this();
    Expand(frame, frame->record.explanation->macro,
           [self, frame, done = std::move(done)](std::string expanded) mutable {
             const std::string target = TargetName(expanded);
             if (!IsQueryableName(target)) {
               done("");
               return;
             }
             self->source_.Lookup(
                 PresentationName(target), dns::rr_type::kTxt,
                 [self, frame,
                  done = std::move(done)](const LookupResult& answer) mutable {
                   const std::vector<std::string> texts =
                       dns::TxtRecords(answer);
                   if (Classify(answer, dns::rr_type::kTxt) !=
                           AnswerKind::kRecords ||
                       texts.size() != 1 || !IsAscii(texts.front())) {
                     done("");
                     return;
                   }
                   absl::StatusOr<MacroString> macro = ParseMacroString(
                       texts.front(), MacroSyntax::kExplanation);
                   if (!macro.ok()) {
                     done("");
                     return;
                   }
                   self->Expand(frame, *macro, std::move(done));
                 });
           });
  }

  DnsSource& source_;
  CheckHostRequest request_;
  absl::AnyInvocable<void(CheckHostResult)> done_;
  IpAddress ip_;
  std::string sender_;
  std::string local_part_;
  std::string sender_domain_;
  int dns_terms_ = 0;
  int void_lookups_ = 0;
  // The validated names of <ip>, shared by ptr and %{p}.
  bool names_started_ = false;
  bool names_ready_ = false;
  ValidatedNames names_;
  std::vector<absl::AnyInvocable<void(const ValidatedNames&)>> names_waiters_;
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

void CheckHost(DnsSource& source, CheckHostRequest request,
               absl::AnyInvocable<void(CheckHostResult)> done) {
  auto evaluation =
      std::make_shared<Evaluation>(source, std::move(request), std::move(done));
  evaluation->Start();
}

}  // namespace mxscan::checks::spf
