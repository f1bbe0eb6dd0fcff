#include "scanner/stats/domain_summary.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "scanner/stats/server_facts.h"
#include "scanner/stats/strict_sender.h"

namespace mxscan::stats {
namespace {

constexpr char kNotProbed[] = "not probed";
constexpr char kNoMailServer[] = "no mail server";
constexpr char kUnreachable[] = "unreachable";
constexpr char kNoTls[] = "no TLS";

// Lower is weaker; unknown versions sort first.
int VersionRank(absl::string_view version) {
  if (version == "TLSv1") return 1;
  if (version == "TLSv1.1") return 2;
  if (version == "TLSv1.2") return 3;
  if (version == "TLSv1.3") return 4;
  return 0;
}

void AddDistinct(std::vector<std::string>* list, std::string value) {
  if (std::find(list->begin(), list->end(), value) == list->end()) {
    list->push_back(std::move(value));
  }
}

void SummarizeMailServers(const DomainResult& r, DomainSummary* s) {
  int addresses = 0, probed = 0, answered = 0, with_tls = 0, tls12 = 0,
      valid_cert = 0, dane_valid = 0;
  std::string weakest;
  for (const MxHost& host : r.mx()) {
    if (host.tlsa().authenticated() && host.tlsa().records_size() > 0) {
      s->Set(Metric::kDanePublished);
    }
    for (const MxAddress& address : host.addresses()) {
      ++addresses;
      if (address.has_smtp()) ++probed;
      if (!Answered(address)) continue;
      ++answered;
      const SmtpProbe& smtp = address.smtp();
      if (smtp.tlsa().dane_valid()) ++dane_valid;
      if (!smtp.software().empty()) AddDistinct(&s->software, smtp.software());
      if (!smtp.has_tls()) continue;
      ++with_tls;
      const TlsInfo& tls = smtp.tls();
      if (weakest.empty() ||
          VersionRank(tls.version()) < VersionRank(weakest)) {
        weakest = tls.version().empty() ? "unknown" : tls.version();
      }
      if (VersionRank(tls.version()) >= 3) ++tls12;
      if (CertificateValid(tls)) ++valid_cert;
      if (tls.cert_expired()) AddDistinct(&s->cert_problems, "expired");
      if (!tls.cert_trusted() && !tls.cert_expired()) {
        AddDistinct(&s->cert_problems, "untrusted");
      }
      if (!tls.hostname_match()) {
        AddDistinct(&s->cert_problems, "name_mismatch");
      }
      if (!tls.verify_error().empty()) {
        AddDistinct(&s->verify_errors, tls.verify_error());
      }
    }
  }
  if (addresses == 0) {
    s->tls_category = kNoMailServer;
  } else if (probed == 0) {
    s->tls_category = kNotProbed;
  } else if (answered == 0) {
    s->tls_category = kUnreachable;
  } else if (with_tls < answered) {
    s->tls_category = kNoTls;
  } else {
    s->tls_category = weakest;
  }
  if (answered == 0) return;
  s->Set(Metric::kSmtpReachable);
  if (with_tls == answered) s->Set(Metric::kStarttlsAllMx);
  if (tls12 == answered) s->Set(Metric::kTls12PlusAllMx);
  if (valid_cert == answered) s->Set(Metric::kValidCertAllMx);
  if (dane_valid == answered) s->Set(Metric::kDaneValid);
}

// Every MX host has a DNSSEC-authenticated TLSA RRset with a usable record.
bool EveryMxHostHasUsableTlsa(const DomainResult& r) {
  if (r.mx_size() == 0) return false;
  for (const MxHost& host : r.mx()) {
    if (!HasUsableSecureTlsa(host)) return false;
  }
  return true;
}

std::string WithoutDot(absl::string_view name) {
  return absl::AsciiStrToLower(absl::StripSuffix(name, "."));
}

// How a DMARC policy that applies to the domain is carried out: the
// policy is honoured in full only at pct=100 (or without pct) and outside
// testing mode; for an organisational domain (its own record) the
// subdomain policy, sp or else p, must enforce as well.
struct DmarcEnforcement {
  bool enforced = false;     // reject or quarantine, fully
  bool reject_full = false;  // reject, fully
};

DmarcEnforcement DmarcEnforcementOf(const DomainResult& r) {
  const DmarcResult& dmarc = r.dmarc();
  DmarcEnforcement out;
  if (!dmarc.present()) return out;
  const std::string policy = absl::AsciiStrToLower(dmarc.policy());
  if (policy != "reject" && policy != "quarantine") return out;
  if (absl::AsciiStrToLower(dmarc.t()) == "y") return out;
  if (dmarc.has_pct_tag() && dmarc.pct_tag() < 100) return out;
  std::string subdomains = policy;
  const bool org_domain =
      !dmarc.inherited() && !dmarc.org_domain().empty() &&
      WithoutDot(dmarc.org_domain()) == WithoutDot(r.domain());
  if (org_domain && !dmarc.subdomain_policy().empty()) {
    subdomains = absl::AsciiStrToLower(dmarc.subdomain_policy());
  }
  if (subdomains != "reject" && subdomains != "quarantine") return out;
  out.enforced = true;
  out.reject_full = policy == "reject" && subdomains == "reject";
  return out;
}

void SummarizeProviders(const DomainResult& r, const OrgDomainOf& org_of,
                        DomainSummary* s) {
  if (r.implicit_mx()) return;
  const std::string own = org_of(r.domain());
  for (const MxHost& host : r.mx()) {
    std::string provider = org_of(host.host());
    if (provider.empty()) continue;
    if (!own.empty() && provider == own) {
      s->self_hosted = true;
    } else {
      AddDistinct(&s->providers, std::move(provider));
    }
  }
}

// The host of a report URI ("mailto:r@host", "https://host/path").
std::string UriHost(absl::string_view uri) {
  if (absl::ConsumePrefix(&uri, "mailto:")) {
    const size_t at = uri.rfind('@');
    uri = at == absl::string_view::npos ? "" : uri.substr(at + 1);
    uri = uri.substr(0, uri.find('!'));  // a size limit: "r@host!10m"
  } else if (absl::ConsumePrefix(&uri, "https://") ||
             absl::ConsumePrefix(&uri, "http://")) {
    uri = uri.substr(0, uri.find_first_of("/:?"));
  } else {
    return "";
  }
  return absl::AsciiStrToLower(uri);
}

void SummarizeDependencies(const DomainResult& r, const OrgDomainOf& org_of,
                           DomainSummary* s) {
  const std::string own = org_of(r.domain());
  auto add = [&](size_t kind, absl::string_view host) {
    if (host.empty()) return;
    std::string org = org_of(absl::StripSuffix(host, "."));
    if (org.empty() || org == own) return;
    AddDistinct(&s->dependencies[kind], std::move(org));
  };
  // The SPF chain lists "domain: record" for every record fetched; the
  // first is the domain's own.
  for (int i = 1; i < r.spf().chain_size(); ++i) {
    const std::string& entry = r.spf().chain(i);
    add(0, absl::string_view(entry).substr(0, entry.find(':')));
  }
  for (const std::string& uri : r.dmarc().rua()) add(1, UriHost(uri));
  for (const std::string& uri : r.dmarc().ruf()) add(1, UriHost(uri));
  for (const std::string& uri : r.tls_rpt().rua()) add(2, UriHost(uri));
}

}  // namespace

const std::array<DependencyKind, 3>& Dependencies() {
  static const std::array<DependencyKind, 3> kKinds = {{
      {"spf_include", "SPF includes (who may send as the domain)"},
      {"dmarc_reports", "DMARC report destinations"},
      {"tls_reports", "TLS-RPT report destinations"},
  }};
  return kKinds;
}

const std::vector<std::string>& TlsVersionCategories() {
  static const std::vector<std::string> kCategories = {
      kNotProbed, kNoMailServer, kUnreachable, kNoTls, "unknown",
      "TLSv1",    "TLSv1.1",     "TLSv1.2",    "TLSv1.3"};
  return kCategories;
}

DomainSummary SummarizeDomain(const DomainResult& r,
                              const OrgDomainOf& org_domain_of) {
  DomainSummary s;
  s.domain = r.domain();
  s.sector = r.sector();
  if (r.mx_size() > 0 && !r.implicit_mx()) s.Set(Metric::kMxPresent);
  if (r.null_mx()) s.Set(Metric::kNullMx);
  if (r.implicit_mx()) s.Set(Metric::kImplicitMx);
  SummarizeMailServers(r, &s);
  SummarizeProviders(r, org_domain_of, &s);
  SummarizeDependencies(r, org_domain_of, &s);

  const SpfResult& spf = r.spf();
  if (spf.present()) s.Set(Metric::kSpfPresent);
  if (spf.present() && spf.valid()) {
    s.Set(Metric::kSpfValid);
    if (spf.all() == "-all") s.Set(Metric::kSpfHardfail);
  }
  const DmarcResult& dmarc = r.dmarc();
  if (dmarc.present()) s.Set(Metric::kDmarcPresent);
  if (dmarc.present() && dmarc.valid()) {
    s.Set(Metric::kDmarcValid);
    const std::string policy = absl::AsciiStrToLower(dmarc.policy());
    if (policy == "reject") s.Set(Metric::kDmarcReject);
    if (policy == "quarantine") s.Set(Metric::kDmarcQuarantine);
    if (policy == "none") s.Set(Metric::kDmarcNone);
  }
  const MtaStsResult& sts = r.mta_sts();
  if (sts.txt_present() && sts.policy_fetched()) {
    if (sts.mode() == "enforce") s.Set(Metric::kMtaStsEnforce);
    if (sts.mode() == "testing") s.Set(Metric::kMtaStsTesting);
  }
  if (r.tls_rpt().present()) s.Set(Metric::kTlsRptPresent);
  for (const DkimKey& key : r.dkim()) {
    if (key.valid() && !key.revoked()) s.Set(Metric::kDkimKeyFound);
  }
  if (r.bimi().present()) s.Set(Metric::kBimiPresent);
  if (r.dnssec()) s.Set(Metric::kDnssec);

  s.strict_sender = StrictSenderOutcome(r);
  s.dnssec_not_validated = r.dnssec_status() == NOT_VALIDATED;
  if (r.dnssec_status() != DNSSEC_STATUS_UNSPECIFIED) {
    s.dnssec_status = DnssecStatus_Name(r.dnssec_status());
  }
  const DmarcEnforcement enforcement = DmarcEnforcementOf(r);
  if (enforcement.enforced) s.Set(Metric::kDmarcEnforced);
  if (enforcement.reject_full) s.Set(Metric::kDmarcRejectFull);
  if (s.Has(Metric::kMtaStsEnforce) && sts.mx_not_covered_size() == 0 &&
      s.Has(Metric::kStarttlsAllMx) && s.Has(Metric::kValidCertAllMx)) {
    s.Set(Metric::kMtaStsEffective);
  }
  if (s.Has(Metric::kDaneValid) && EveryMxHostHasUsableTlsa(r)) {
    s.Set(Metric::kDaneEffective);
  }
  if (ReceivesNoMail(r) && s.Has(Metric::kSpfHardfail) &&
      spf.permits_nothing() && enforcement.reject_full) {
    s.Set(Metric::kNoMailLocked);
  }
  return s;
}

}  // namespace mxscan::stats
