#include "scanner/checks/dmarc/discovery.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "scanner/checks/dmarc/question_cache.h"
#include "scanner/checks/dmarc/result_fields.h"
#include "scanner/checks/dmarc/tree_walk.h"
#include "scanner/dns/lookup_output.h"
#include "scanner/dns/name.h"
#include "scanner/dns/rr_type.h"

namespace mxscan::checks::dmarc {
namespace {

using dns::LookupResult;
using dns::LookupStatus;

// Answered: the DNS said something definite (records, NODATA, NXDOMAIN).
bool Answered(const LookupResult& r) {
  return r.status == LookupStatus::kNoError ||
         r.status == LookupStatus::kNxDomain;
}

std::string Failure(absl::string_view name, const LookupResult& r) {
  std::string why = dns::LookupStatusName(r.status);
  if (!r.error.empty() && r.error != why) absl::StrAppend(&why, ": ", r.error);
  return absl::StrCat("TXT lookup of ", name, " failed (", why, ")");
}

// The TXT records of one _dmarc name: the DMARC Policy Records, and the
// records that try to be one but do not start with v=DMARC1.
struct DmarcTxt {
  std::vector<std::string> records;
  std::vector<std::string> lookalikes;
};

DmarcTxt ReadDmarcTxt(const LookupResult& r) {
  DmarcTxt out;
  for (std::string& text : dns::TxtRecords(r)) {
    if (StartsWithDmarcVersion(text)) {
      out.records.push_back(std::move(text));
    } else if (LooksLikeDmarcRecord(text)) {
      out.lookalikes.push_back(std::move(text));
    }
  }
  return out;
}

// Discovery is the state of one DiscoverDmarc call. It owns itself through
// the shared_ptrs its pending callbacks hold, and goes away after the last.
class Discovery : public std::enable_shared_from_this<Discovery> {
 public:
  Discovery(DnsSource& dns, std::string domain,
            const DmarcDiscoveryOptions& options, DmarcDiscoveryCallback done)
      : cache_(dns),
        domain_(std::move(domain)),
        options_(options),
        done_(std::move(done)) {}

  void Start();

 private:
  // One DNS Tree Walk (RFC 9989 section 4.10) from `start`.
  struct Walk {
    std::string start;
    std::vector<std::string> targets;
    size_t next = 0;
    bool for_domain = false;  // report what the levels hold
    std::vector<TreeWalkRecord> found;
    std::vector<std::string> texts;  // the record of each `found`
    std::optional<LookupResult> failure;
    size_t failed_at = 0;
    absl::AnyInvocable<void(Walk&)> done;
  };
  enum class Authorization { kInternal, kAuthorized, kUnauthorized, kUnknown };

  bool Rfc9989() const { return options_.profile == DmarcProfile::kRfc9989; }
  void Error(std::string message) { result_.add_errors(std::move(message)); }
  void Warn(std::string message) { result_.add_warnings(std::move(message)); }

  void RunWalk(std::string start, bool for_domain,
               absl::AnyInvocable<void(Walk&)> done);
  void WalkStep(std::shared_ptr<Walk> walk);
  void OnWalkAnswer(const std::shared_ptr<Walk>& walk, const LookupResult& r);
  void DecideRfc9989(Walk& walk);

  void OnOwnAnswerRfc7489(const LookupResult& r);
  void OnOrgAnswerRfc7489(const LookupResult& r);

  // ReportLevel notes what the TXT set of "_dmarc." + `name` holds that
  // receivers discard; `own`: the asked domain's own name.
  void ReportLevel(absl::string_view name, const DmarcTxt& txt, bool own);
  void OwnLookupFailed(const LookupResult& r);
  void Apply(const std::string& record_domain, const std::string& text,
             bool inherited);

  void CheckReportDestinations();
  void CheckHost(const std::string& host);
  void AskAuthorization(const std::string& host);
  void HostDone();
  void ListUnauthorized();
  void Finish();

  QuestionCache cache_;
  const std::string domain_;
  const DmarcDiscoveryOptions options_;
  DmarcDiscoveryCallback done_;
  mxscan::DmarcResult result_;
  std::optional<DmarcParse> applied_;  // the record that applies
  // The Organizational Domain of the record that applies, which report
  // destinations are compared with (RFC 9989 only).
  std::string policy_org_domain_;
  absl::flat_hash_map<std::string, Authorization> hosts_;
  int pending_hosts_ = 0;
  bool finished_ = false;
};

void Discovery::Start() {
  result_.set_profile(DmarcProfileName(options_.profile));
  if (Rfc9989()) {
    RunWalk(domain_, /*for_domain=*/true,
            [this](Walk& walk) { DecideRfc9989(walk); });
    return;
  }
  result_.set_org_domain(options_.psl->OrganizationalDomain(domain_));
  cache_.Ask(absl::StrCat("_dmarc.", domain_), dns::rr_type::kTxt,
             [self = shared_from_this()](const LookupResult& r) {
               self->OnOwnAnswerRfc7489(r);
             });
}

void Discovery::RunWalk(std::string start, bool for_domain,
                        absl::AnyInvocable<void(Walk&)> done) {
  auto walk = std::make_shared<Walk>();
  walk->targets = TreeWalkTargets(start);
  walk->start = std::move(start);
  walk->for_domain = for_domain;
  walk->done = std::move(done);
  WalkStep(std::move(walk));
}

void Discovery::WalkStep(std::shared_ptr<Walk> walk) {
  const std::string name = absl::StrCat("_dmarc.", walk->targets[walk->next]);
  cache_.Ask(name, dns::rr_type::kTxt,
             [self = shared_from_this(), walk](const LookupResult& r) {
               self->OnWalkAnswer(walk, r);
             });
}

void Discovery::OnWalkAnswer(const std::shared_ptr<Walk>& walk,
                             const LookupResult& r) {
  const size_t level = walk->next;
  const std::string& target = walk->targets[level];
  if (walk->for_domain && level == 0) {
    result_.set_dns_status(dns::ToProtoStatus(r.status));
  }
  bool stop = false;
  if (!Answered(r)) {
    walk->failure = r;
    walk->failed_at = level;
    stop = true;
  } else {
    DmarcTxt txt = ReadDmarcTxt(r);
    if (walk->for_domain) ReportLevel(target, txt, level == 0);
    if (txt.records.size() == 1) {
      const DmarcParse parse =
          ParseDmarcRecord(txt.records[0], DmarcProfile::kRfc9989);
      walk->found.push_back(TreeWalkRecord{target, parse.record.Psd()});
      walk->texts.push_back(std::move(txt.records[0]));
      stop = TreeWalkStopsAt(walk->found.back());
    }
  }
  if (!stop && ++walk->next < walk->targets.size()) {
    WalkStep(walk);
    return;
  }
  auto done = std::move(walk->done);
  done(*walk);
}

void Discovery::ReportLevel(absl::string_view name, const DmarcTxt& txt,
                            bool own) {
  if (own) {
    for (const std::string& text : txt.lookalikes) {
      const DmarcParse parse = ParseDmarcRecord(text, options_.profile);
      Error(absl::StrCat("TXT record at _dmarc.", name, " is ignored: ",
                         parse.errors.empty() ? "" : parse.errors.front(),
                         ": \"", text, "\""));
    }
    if (!txt.records.empty()) result_.set_present(true);
  }
  if (txt.records.size() > 1) {
    std::string message =
        absl::StrCat(txt.records.size(), " DMARC records at _dmarc.", name,
                     ": receivers discard them all");
    if (own) {
      Error(std::move(message));
    } else {
      Warn(std::move(message));
    }
  }
}

void Discovery::OwnLookupFailed(const LookupResult& r) {
  result_.set_dns_status(dns::ToProtoStatus(r.status));
  Error(absl::StrCat(Failure(absl::StrCat("_dmarc.", domain_), r),
                     ": the DMARC policy is unknown (a failed lookup is not "
                     "\"no record\")"));
}

void Discovery::DecideRfc9989(Walk& walk) {
  if (walk.failure && walk.failed_at == 0) {
    OwnLookupFailed(*walk.failure);
    Finish();
    return;
  }
  const bool own = !walk.found.empty() && walk.found[0].domain == domain_;
  if (walk.failure) {
    const std::string failure = Failure(
        absl::StrCat("_dmarc.", walk.targets[walk.failed_at]), *walk.failure);
    if (!own) {
      // The policy could have come from that name: it is unknown.
      result_.set_dns_status(dns::ToProtoStatus(walk.failure->status));
      Error(absl::StrCat(failure, ": the inherited DMARC policy is unknown"));
      Finish();
      return;
    }
    Warn(absl::StrCat(failure, ": the organisational domain is unknown"));
  } else {
    result_.set_org_domain(SelectOrganizationalDomain(domain_, walk.found));
  }
  policy_org_domain_ =
      result_.org_domain().empty() ? domain_ : result_.org_domain();
  if (own) {
    Apply(domain_, walk.texts[0], /*inherited=*/false);
  } else {
    // The Organizational Domain's record, else the PSD's (psd=y).
    int chosen = -1;
    for (size_t i = 0; i < walk.found.size(); ++i) {
      if (walk.found[i].domain == result_.org_domain()) {
        chosen = static_cast<int>(i);
      }
    }
    for (size_t i = 0; chosen < 0 && i < walk.found.size(); ++i) {
      if (walk.found[i].psd == DmarcPsd::kYes) chosen = static_cast<int>(i);
    }
    if (chosen >= 0) {
      Apply(walk.found[chosen].domain, walk.texts[chosen], /*inherited=*/true);
      // A PSD's record belongs to the PSD's organisation, not the domain's.
      policy_org_domain_ = walk.found[chosen].domain;
    }
  }
  CheckReportDestinations();
}

void Discovery::OnOwnAnswerRfc7489(const LookupResult& r) {
  result_.set_dns_status(dns::ToProtoStatus(r.status));
  if (!Answered(r)) {
    OwnLookupFailed(r);
    Finish();
    return;
  }
  const DmarcTxt txt = ReadDmarcTxt(r);
  ReportLevel(domain_, txt, /*own=*/true);
  policy_org_domain_ = result_.org_domain();
  if (txt.records.size() > 1) {
    Error(
        "with several DMARC records, DMARC processing does not apply "
        "(RFC 7489 section 6.6.3)");
    Finish();
  } else if (txt.records.size() == 1) {
    Apply(domain_, txt.records[0], /*inherited=*/false);
    CheckReportDestinations();
  } else if (result_.org_domain().empty() || result_.org_domain() == domain_) {
    Finish();
  } else {
    cache_.Ask(absl::StrCat("_dmarc.", result_.org_domain()),
               dns::rr_type::kTxt,
               [self = shared_from_this()](const LookupResult& r) {
                 self->OnOrgAnswerRfc7489(r);
               });
  }
}

void Discovery::OnOrgAnswerRfc7489(const LookupResult& r) {
  const std::string name = absl::StrCat("_dmarc.", result_.org_domain());
  if (!Answered(r)) {
    result_.set_dns_status(dns::ToProtoStatus(r.status));
    Error(absl::StrCat(Failure(name, r),
                       ": the inherited DMARC policy is unknown"));
    Finish();
    return;
  }
  const DmarcTxt txt = ReadDmarcTxt(r);
  if (txt.records.size() > 1) {
    Error(absl::StrCat(txt.records.size(), " DMARC records at ", name,
                       ": DMARC processing does not apply (RFC 7489 section "
                       "6.6.3)"));
    Finish();
  } else if (txt.records.size() == 1) {
    Apply(result_.org_domain(), txt.records[0], /*inherited=*/true);
    CheckReportDestinations();
  } else {
    Finish();
  }
}

void Discovery::Apply(const std::string& record_domain, const std::string& text,
                      bool inherited) {
  DmarcParse parse = ParseDmarcRecord(text, options_.profile);
  result_.set_present(true);
  result_.set_record(text);
  result_.set_record_domain(record_domain);
  result_.set_inherited(inherited);
  FillRecordFields(parse, options_.profile, &result_);
  std::optional<DmarcPolicy> policy = parse.policy;
  if (inherited) {
    policy = options_.domain_exists == false ? parse.nonexistent_policy
                                             : parse.subdomain_policy;
  }
  result_.set_policy(policy ? DmarcPolicyName(*policy) : "");
  // Findings about a parent's record say where they come from.
  const std::string prefix =
      inherited ? absl::StrCat("_dmarc.", record_domain, ": ") : "";
  for (const std::string& e : parse.errors) Error(prefix + e);
  for (const std::string& w : parse.warnings) Warn(prefix + w);
  applied_ = std::move(parse);
}

void Discovery::CheckReportDestinations() {
  if (!applied_ || !options_.check_report_authorization) {
    Finish();
    return;
  }
  // The starter token keeps answers that come at once (from the cache) from
  // finishing before every host has been started.
  pending_hosts_ = 1;
  for (const auto* list : {&applied_->record.rua, &applied_->record.ruf}) {
    for (const ReportUri& uri : *list) {
      if (uri.scheme != "mailto" || uri.host.empty()) continue;
      if (!hosts_.try_emplace(uri.host, Authorization::kInternal).second) {
        continue;
      }
      ++pending_hosts_;
      CheckHost(uri.host);
    }
  }
  HostDone();
}

void Discovery::CheckHost(const std::string& host) {
  if (!Rfc9989()) {
    const std::string host_org = options_.psl->OrganizationalDomain(host);
    if (host_org !=
        options_.psl->OrganizationalDomain(result_.record_domain())) {
      AskAuthorization(host);
    } else {
      HostDone();
    }
    return;
  }
  const std::string& org = policy_org_domain_;
  if (host == org) {
    HostDone();
  } else if (!IsSameOrSubdomain(host, org)) {
    AskAuthorization(host);
  } else {
    // A name below the Organizational Domain may still be an
    // Organizational Domain of its own (psd=n): walk from it.
    RunWalk(host, /*for_domain=*/false, [this, host](Walk& walk) {
      if (walk.failure) {
        hosts_[host] = Authorization::kUnknown;
        Warn(absl::StrCat(
            Failure(absl::StrCat("_dmarc.", walk.targets[walk.failed_at]),
                    *walk.failure),
            ": cannot tell whether report host ", host, " is external"));
        HostDone();
      } else if (SelectOrganizationalDomain(host, walk.found) !=
                 policy_org_domain_) {
        AskAuthorization(host);
      } else {
        HostDone();
      }
    });
  }
}

void Discovery::AskAuthorization(const std::string& host) {
  const std::string name =
      absl::StrCat(result_.record_domain(), "._report._dmarc.", host);
  cache_.Ask(
      name, dns::rr_type::kTxt,
      [self = shared_from_this(), host, name](const LookupResult& r) {
        Authorization& state = self->hosts_[host];
        if (!Answered(r)) {
          state = Authorization::kUnknown;
          self->Warn(absl::StrCat(
              Failure(name, r), ": cannot tell whether report host ", host,
              " accepts reports for ", self->result_.record_domain()));
        } else {
          state = ReadDmarcTxt(r).records.empty() ? Authorization::kUnauthorized
                                                  : Authorization::kAuthorized;
        }
        self->HostDone();
      });
}

void Discovery::HostDone() {
  if (--pending_hosts_ > 0) return;
  ListUnauthorized();
  Finish();
}

void Discovery::ListUnauthorized() {
  absl::flat_hash_set<std::string> listed;
  for (const auto* list : {&applied_->record.rua, &applied_->record.ruf}) {
    for (const ReportUri& uri : *list) {
      auto it = hosts_.find(uri.host);
      if (uri.scheme != "mailto" || it == hosts_.end() ||
          it->second != Authorization::kUnauthorized ||
          !listed.insert(uri.uri).second) {
        continue;
      }
      result_.add_unauthorized_destinations(uri.uri);
      Warn(absl::StrCat("report destination ", uri.uri,
                        " is in another organisational domain and has not "
                        "authorised it: no v=DMARC1 record at ",
                        result_.record_domain(), "._report._dmarc.", uri.host,
                        ", so receivers send it no reports"));
    }
  }
}

void Discovery::Finish() {
  if (finished_) return;
  finished_ = true;
  result_.set_valid(result_.present() && result_.errors().empty());
  auto done = std::move(done_);
  done(std::move(result_));
}

}  // namespace

absl::Status DiscoverDmarc(DnsSource& dns, absl::string_view domain,
                           const DmarcDiscoveryOptions& options,
                           DmarcDiscoveryCallback done) {
  if (options.profile == DmarcProfile::kRfc7489 && options.psl == nullptr) {
    return absl::FailedPreconditionError(
        "RFC 7489 DMARC discovery needs a Public Suffix List");
  }
  absl::StatusOr<std::string> name = dns::NormalizeName(domain);
  if (!name.ok()) return name.status();
  absl::string_view canonical = *name;
  absl::ConsumeSuffix(&canonical, ".");
  if (canonical.empty() || absl::StrContains(canonical, '\\')) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a domain name for DMARC: ", domain));
  }
  auto discovery = std::make_shared<Discovery>(dns, std::string(canonical),
                                               options, std::move(done));
  discovery->Start();
  return absl::OkStatus();
}

}  // namespace mxscan::checks::dmarc
