#include "scanner/scan/domain_scan.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "scanner/checks/bimi/result.h"
#include "scanner/checks/dkim/result.h"
#include "scanner/checks/dmarc/discovery.h"
#include "scanner/checks/mta_sts/result.h"
#include "scanner/checks/spf/analysis.h"
#include "scanner/checks/tls_rpt/result.h"
#include "scanner/dns/dnssec_status.h"
#include "scanner/dns/extended_error.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/lookup_output.h"
#include "scanner/dns/rdata.h"
#include "scanner/dns/rr_type.h"
#include "scanner/scan/mta_sts_policy_fetch.h"
#include "scanner/scan/mx_host_scan.h"
#include "scanner/scan/scan_context.h"
#include "scanner/scan/txt_records.h"

namespace mxscan::scan {
namespace {

namespace rr = ::mxscan::dns::rr_type;
using dns::LookupResult;
using dns::LookupStatus;
using dns::TxtRecords;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

DomainResult::Status DomainStatusFor(LookupStatus status) {
  switch (status) {
    case LookupStatus::kNoError:
      return DomainResult::OK;
    case LookupStatus::kNxDomain:
      return DomainResult::NXDOMAIN;
    case LookupStatus::kServFail:
    case LookupStatus::kRefused:
      return DomainResult::SERVFAIL;
    case LookupStatus::kTimeout:
      return DomainResult::TIMEOUT;
    case LookupStatus::kError:
      return DomainResult::ERROR;
  }
  return DomainResult::ERROR;
}

std::string WithoutDot(absl::string_view name) {
  absl::ConsumeSuffix(&name, ".");
  return std::string(name);
}

// The Error.kind of a failed question: "timeout", "servfail", "refused",
// "malformed" (answers that did not parse) or "error" (other rcodes, CNAME
// loops, local errors).
const char* DnsFailureKind(const LookupResult& r) {
  switch (r.status) {
    case LookupStatus::kTimeout:
      return "timeout";
    case LookupStatus::kServFail:
      return "servfail";
    case LookupStatus::kRefused:
      return "refused";
    default:
      return absl::StartsWith(r.error, "malformed") ? "malformed" : "error";
  }
}

// DomainScan composes one domain's scan, top to bottom: the MX answer
// (then one MxHostScan per MX host: addresses, probes, TLSA, DANE), SPF,
// DMARC (once the MX answer says whether the domain exists), the TXT
// records of MTA-STS, TLS-RPT and BIMI, the MTA-STS policy (MtaStsPolicy-
// Fetch, once its TXT record and every MX host are known) and the DKIM
// selectors. It is the ScanContext of its parts: every question goes
// through Ask() (SPF and DMARC through `questions_`), a question that
// fails (TIMEOUT, SERVFAIL, REFUSED, ERROR) is listed once in the record's
// errors (stage DNS, with its kind), whichever part asked it: a check
// whose answer is missing never reads as "no record"; the record is
// finished when nothing is asked or held any more. Owns itself; lives on
// the thread of its DNS source.
class DomainScan : public ScanContext {
 public:
  DomainScan(checks::DnsSource& dns, const ScanOptions& options,
             const ScanServices* services, DomainInput input,
             absl::AnyInvocable<void(DomainResult)> done)
      : dns_(dns),
        options_(options),
        services_(services),
        input_(std::move(input)),
        done_(std::move(done)),
        questions_(*this),
        policy_(*this, input_.domain, &result_) {}

  void Run() {
    started_ms_ = NowMs();
    result_.set_domain(input_.domain);
    result_.set_sector(input_.sector);
    result_.set_organization(input_.organization);
    result_.set_scan_started_at(
        options_.fixed_start_ms ? options_.fixed_start_ms : started_ms_);
    if (!input_.error.ok()) {
      result_.set_status(DomainResult::ERROR);
      Error* error = result_.add_errors();
      error->set_stage(INPUT);
      error->set_message(std::string(input_.error.message()));
      error->set_kind(absl::IsFailedPrecondition(input_.error) ? "blocked"
                                                               : "invalid");
      Finish();
      return;
    }
    fqdn_ = absl::StrCat(input_.domain, ".");
    ++pending_;  // held until every check has been started
    Ask(fqdn_, rr::kMx, [this](const LookupResult& r) { OnMx(r); });
    StartSpf();
    StartTxtChecks();
    StartDkim();
    Release();
  }

 private:
  // The DnsSource given to the checks that ask on their own (SPF, DMARC).
  class Questions : public checks::DnsSource {
   public:
    explicit Questions(DomainScan& scan) : scan_(scan) {}
    void Lookup(absl::string_view name, uint16_t type, Callback done) override {
      scan_.Ask(name, type, std::move(done));
    }

   private:
    DomainScan& scan_;
  };

  void Ask(absl::string_view name, uint16_t type, Handler handler) override {
    ++pending_;
    dns_.Lookup(name, type,
                [this, type, name = std::string(name),
                 handler = std::move(handler)](const LookupResult& r) mutable {
                  if (dns::IsFailure(r.status)) RecordDnsFailure(name, type, r);
                  handler(r);
                  Release();
                });
  }

  // Once per question: "TXT _dmarc.example.org: TIMEOUT: no answer ...".
  void RecordDnsFailure(absl::string_view name, uint16_t type,
                        const LookupResult& r) {
    const std::string question =
        absl::StrCat(dns::RrTypeName(type), " ", WithoutDot(name), ":");
    for (const Error& e : result_.errors()) {
      if (e.stage() == DNS && absl::StartsWith(e.message(), question)) return;
    }
    const char* status = dns::LookupStatusName(r.status);
    Error* error = result_.add_errors();
    error->set_stage(DNS);
    error->set_code(std::max(r.rcode, 0));
    const bool bogus = dns::DnssecStatusOf(r, options_.resolver_validates) ==
                       dns::DnssecStatus::kBogus;
    error->set_kind(bogus ? "dnssec_bogus" : DnsFailureKind(r));
    for (const dns::ExtendedError& e : dns::ExtendedErrors(r.edns_options)) {
      error->add_extended_errors(dns::Describe(e));
    }
    error->set_message(absl::StrCat(question, " ", status,
                                    r.error.empty() || r.error == status
                                        ? ""
                                        : absl::StrCat(": ", r.error)));
  }

  void Hold() override { ++pending_; }
  void Release() override {
    if (--pending_ == 0) Finish();
  }
  void Finding(std::string text) override {
    result_.add_findings(std::move(text));
  }
  const ScanOptions& options() const override { return options_; }
  const ScanServices* services() const override { return services_; }

  void Finish() {
    result_.set_scan_duration_ms(NowMs() - started_ms_);
    auto done = std::move(done_);
    DomainResult result = std::move(result_);
    delete this;
    done(std::move(result));
  }

  // --- MX (RFC 5321 section 5.1, RFC 7505) ---
  void OnMx(const LookupResult& r) {
    StartDmarc(r.status != LookupStatus::kNxDomain);
    result_.set_mx_status(dns::ToProtoStatus(r.status));
    result_.set_status(DomainStatusFor(r.status));
    result_.set_dnssec(r.status == LookupStatus::kNoError && r.authenticated);
    result_.set_dnssec_status(dns::ToProtoDnssecStatus(
        dns::DnssecStatusOf(r, options_.resolver_validates)));
    result_.set_dnssec_detail(dns::DnssecDetail(r));
    if (r.status != LookupStatus::kNoError) return;  // a failure: in errors
    struct Mx {
      uint32_t preference;
      std::string host;
    };
    std::vector<Mx> hosts;
    bool null_mx = false;
    for (const dns::Answer& a : r.answers) {
      const dns::MxData* record = a.As<dns::MxData>();
      if (record == nullptr) continue;  // the CNAMEs of the chain
      if (record->exchange == ".") {
        null_mx = true;
        continue;
      }
      hosts.push_back({record->preference, WithoutDot(record->exchange)});
    }
    if (null_mx) {
      result_.set_null_mx(true);
      if (!hosts.empty()) {
        Finding("null MX together with other MX records (RFC 7505 section 3)");
      } else {
        return;  // the domain accepts no mail
      }
    }
    if (hosts.empty()) {
      // No MX: mail goes to the domain's own addresses (RFC 5321 5.1).
      result_.set_implicit_mx(true);
      hosts.push_back({0, input_.domain});
    }
    std::sort(hosts.begin(), hosts.end(), [](const Mx& a, const Mx& b) {
      return std::tie(a.preference, a.host) < std::tie(b.preference, b.host);
    });
    std::vector<std::string> seen;
    for (const Mx& mx : hosts) {
      if (std::find(seen.begin(), seen.end(), mx.host) != seen.end()) continue;
      seen.push_back(mx.host);
      MxHost* host = result_.add_mx();
      host->set_host(mx.host);
      host->set_preference(mx.preference);
    }
    for (int i = 0; i < result_.mx_size(); ++i) {
      hosts_.push_back(std::make_unique<MxHostScan>(
          *this, result_.mutable_mx(i), result_.implicit_mx(), [this] {
            if (++mx_hosts_resolved_ == result_.mx_size()) {
              policy_.OnMxHostsResolved();
            }
          }));
    }
    for (const std::unique_ptr<MxHostScan>& host : hosts_) host->Start();
  }

  // --- SPF (RFC 7208) ---
  void StartSpf() {
    ++pending_;
    checks::spf::AnalyzeSpf(questions_, fqdn_, [this](SpfResult result) {
      *result_.mutable_spf() = std::move(result);
      Release();
    });
  }

  // --- DMARC (RFC 9989, or RFC 7489 with --dmarc-profile) ---
  // Started once the MX answer tells whether the domain exists: for a
  // name that does not, the np policy applies.
  void StartDmarc(bool domain_exists) {
    checks::dmarc::DmarcDiscoveryOptions dmarc;
    dmarc.profile = options_.dmarc_rules == DmarcRules::kRfc7489
                        ? checks::dmarc::DmarcProfile::kRfc7489
                        : checks::dmarc::DmarcProfile::kRfc9989;
    dmarc.psl = options_.psl;
    dmarc.domain_exists = domain_exists;
    ++pending_;
    absl::Status s = checks::dmarc::DiscoverDmarc(
        questions_, input_.domain, dmarc, [this](DmarcResult result) {
          *result_.mutable_dmarc() = std::move(result);
          Release();
        });
    if (!s.ok()) {
      result_.mutable_dmarc()->add_errors(std::string(s.message()));
      Release();
    }
  }

  // --- MTA-STS (RFC 8461), TLS-RPT (RFC 8460), BIMI ---
  void StartTxtChecks() {
    Ask(absl::StrCat("_mta-sts.", fqdn_), rr::kTxt,
        [this](const LookupResult& r) {
          MtaStsResult* sts = result_.mutable_mta_sts();
          sts->set_dns_status(dns::ToProtoStatus(r.status));
          checks::mta_sts::FillMtaStsRecordFromTxt(TxtRecords(r), sts);
          policy_.OnTxtRecord();
        });
    Ask(absl::StrCat("_smtp._tls.", fqdn_), rr::kTxt,
        [this](const LookupResult& r) {
          TlsRptResult* rpt = result_.mutable_tls_rpt();
          rpt->set_dns_status(dns::ToProtoStatus(r.status));
          checks::tls_rpt::FillTlsRptResultFromTxt(TxtRecords(r), rpt);
        });
    Ask(absl::StrCat("default._bimi.", fqdn_), rr::kTxt,
        [this](const LookupResult& r) {
          BimiResult* bimi = result_.mutable_bimi();
          bimi->set_dns_status(dns::ToProtoStatus(r.status));
          checks::bimi::FillBimiResultFromTxt(TxtRecords(r), bimi);
        });
  }

  // --- DKIM key records (RFC 6376 section 3.6.2.1, RFC 8020) ---
  // The selectors are asked only if _domainkey.<domain> exists: an
  // NXDOMAIN there proves that no key exists below it (RFC 8020), and
  // spares a score of questions for every domain without DKIM.
  void StartDkim() {
    Ask(absl::StrCat("_domainkey.", fqdn_), rr::kTxt,
        [this](const LookupResult& r) {
          if (r.status == LookupStatus::kNxDomain) {
            result_.set_dkim_no_keys(true);
            return;
          }
          for (const std::string& selector : options_.dkim_selectors) {
            AskDkimSelector(selector);
          }
        });
  }

  void AskDkimSelector(const std::string& selector) {
    Ask(absl::StrCat(selector, "._domainkey.", fqdn_), rr::kTxt,
        [this, selector](const LookupResult& r) {
          if (r.status != LookupStatus::kNoError) {
            if (r.status != LookupStatus::kNxDomain) {
              Finding(absl::StrCat("DKIM selector ", selector, ": ",
                                   dns::LookupStatusName(r.status)));
            }
            return;
          }
          const std::string target = dns::CnameTarget(r);
          for (const std::string& text : TxtRecords(r)) {
            if (!LooksLikeDkimKey(text)) continue;
            DkimKey* key = result_.add_dkim();
            checks::dkim::FillDkimKey(selector, text, key);
            key->set_dns_status(NOERROR);
            key->set_cname_target(target);
          }
        });
  }

  checks::DnsSource& dns_;
  const ScanOptions& options_;
  const ScanServices* services_;
  DomainInput input_;
  absl::AnyInvocable<void(DomainResult)> done_;
  Questions questions_;
  std::string fqdn_;
  DomainResult result_;
  int pending_ = 0;
  int64_t started_ms_ = 0;
  // One per MX host, in record order; started once all exist.
  std::vector<std::unique_ptr<MxHostScan>> hosts_;
  int mx_hosts_resolved_ = 0;
  MtaStsPolicyFetch policy_;
};

}  // namespace

void StartDomainScan(checks::DnsSource& dns, const ScanOptions& options,
                     const ScanServices* services, DomainInput input,
                     absl::AnyInvocable<void(DomainResult)> done) {
  (new DomainScan(dns, options, services, std::move(input), std::move(done)))
      ->Run();
}

}  // namespace mxscan::scan
