#include "scanner/stats/domain_summary.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "scanner/stats/server_facts.h"
#include "scanner/stats/strict_sender.h"
#include "scanner/tls/tls_version.h"

namespace mxscan::stats {
namespace {

constexpr char kNotProbed[] = "not probed";
constexpr char kNoMailServer[] = "no mail server";
constexpr char kUnreachable[] = "unreachable";
constexpr char kNoTls[] = "no TLS";

using ::mxscan::tls::TlsVersionRank;

void AddDistinct(std::vector<std::string>* list, std::string value) {
  if (std::find(list->begin(), list->end(), value) == list->end()) {
    list->push_back(std::move(value));
  }
}

// Which mail server addresses a count covers.
enum class Family { kAny, kIpv4, kIpv6 };

bool InFamily(const MxAddress& address, Family family) {
  if (family == Family::kAny) return true;
  const bool ipv6 = address.ip().find(':') != std::string::npos;
  return ipv6 == (family == Family::kIpv6);
}

// The mail servers of one address family (or all), by what they did.
struct ServerCounts {
  int addresses = 0, probed = 0, answered = 0, with_tls = 0, tls12 = 0,
      valid_cert = 0, dane_valid = 0, with_scts = 0, ocsp_stapled = 0;
};

ServerCounts CountServers(const DomainResult& r, Family family) {
  ServerCounts c;
  for (const MxHost& host : r.mx()) {
    for (const MxAddress& address : host.addresses()) {
      if (!InFamily(address, family)) continue;
      ++c.addresses;
      if (address.has_smtp()) ++c.probed;
      if (!Answered(address)) continue;
      ++c.answered;
      const SmtpProbe& smtp = address.smtp();
      if (smtp.tlsa().dane_valid()) ++c.dane_valid;
      if (!smtp.has_tls()) continue;
      ++c.with_tls;
      if (TlsVersionRank(smtp.tls().version()) >= 3) ++c.tls12;
      if (CertificateValid(smtp.tls())) ++c.valid_cert;
      if (smtp.tls().embedded_sct_count() + smtp.tls().tls_sct_count() > 0) {
        ++c.with_scts;
      }
      if (smtp.tls().ocsp_stapled()) ++c.ocsp_stapled;
    }
  }
  return c;
}

// The metrics a set of mail servers earns (METRICS.md), per family.
struct ServerMetrics {
  Metric reachable, starttls_all, tls12_all, valid_cert_all, dane_valid;
};
constexpr ServerMetrics kAllServers = {
    Metric::kSmtpReachable, Metric::kStarttlsAllMx, Metric::kTls12PlusAllMx,
    Metric::kValidCertAllMx, Metric::kDaneValid};
constexpr ServerMetrics kIpv4Servers = {
    Metric::kSmtpReachableIpv4, Metric::kStarttlsAllMxIpv4,
    Metric::kTls12PlusAllMxIpv4, Metric::kValidCertAllMxIpv4,
    Metric::kDaneValidIpv4};
constexpr ServerMetrics kIpv6Servers = {
    Metric::kSmtpReachableIpv6, Metric::kStarttlsAllMxIpv6,
    Metric::kTls12PlusAllMxIpv6, Metric::kValidCertAllMxIpv6,
    Metric::kDaneValidIpv6};

void SetServerMetrics(const ServerCounts& c, const ServerMetrics& m,
                      DomainSummary* s) {
  if (c.answered == 0) return;
  s->Set(m.reachable);
  if (c.with_tls == c.answered) s->Set(m.starttls_all);
  if (c.tls12 == c.answered) s->Set(m.tls12_all);
  if (c.valid_cert == c.answered) s->Set(m.valid_cert_all);
  if (c.dane_valid == c.answered) s->Set(m.dane_valid);
}

// Every MX host has an IPv6 address.
bool EveryMxHostHasIpv6(const DomainResult& r) {
  if (r.mx_size() == 0) return false;
  for (const MxHost& host : r.mx()) {
    bool ipv6 = false;
    for (const MxAddress& address : host.addresses()) {
      ipv6 = ipv6 || InFamily(address, Family::kIpv6);
    }
    if (!ipv6) return false;
  }
  return true;
}

// The TLS facts of the answering servers that completed a handshake.
std::vector<const TlsInfo*> AnsweredTls(const DomainResult& r) {
  std::vector<const TlsInfo*> out;
  for (const MxHost& host : r.mx()) {
    for (const MxAddress& address : host.addresses()) {
      if (Answered(address) && address.smtp().has_tls()) {
        out.push_back(&address.smtp().tls());
      }
    }
  }
  return out;
}

// The post-quantum selection probe (TlsInfo.pq_selection): a server
// without TLS 1.3 was not probed and counts as not selecting a hybrid.
void SummarizeKeyExchange(const std::vector<const TlsInfo*>& servers,
                          DomainSummary* s) {
  size_t hybrid = 0;
  bool probed = false;
  for (const TlsInfo* tls : servers) {
    probed = probed || tls->pq_selection().probed();
    hybrid += tls->pq_selection().hybrid() ? 1 : 0;
  }
  if (probed) s->Set(Metric::kPqProbed);
  if (s->Has(Metric::kStarttlsAllMx) && !servers.empty() &&
      hybrid == servers.size()) {
    s->Set(Metric::kPqHybridAllMx);
  }
}

// The versions its answering servers accept (TlsInfo.versions_accepted,
// listed only when the capped handshakes ran).
void SummarizeVersionsAccepted(const std::vector<const TlsInfo*>& servers,
                               DomainSummary* s) {
  for (const TlsInfo* tls : servers) {
    if (tls->versions_accepted().empty()) continue;
    s->Set(Metric::kTlsVersionsProbed);
    for (const std::string& version : tls->versions_accepted()) {
      if (version == "TLSv1") s->Set(Metric::kTls10AcceptedAnyMx);
      if (version == "TLSv1.1") s->Set(Metric::kTls11AcceptedAnyMx);
    }
  }
}

// The TLS census (TlsInfo.census): the domain's servers at their worst
// class; a server without a census (it failed) counts as not good.
void SummarizeTlsCensus(const std::vector<const TlsInfo*>& servers,
                        DomainSummary* s) {
  size_t good = 0;
  size_t sufficient = 0;
  bool probed = false;
  for (const TlsInfo* tls : servers) {
    const std::string& klass = tls->census().tls_class();
    probed = probed || tls->census().probed();
    good += klass == "good" ? 1 : 0;
    sufficient += klass == "good" || klass == "sufficient" ? 1 : 0;
  }
  if (!probed) return;
  s->Set(Metric::kTlsCensusProbed);
  if (!s->Has(Metric::kStarttlsAllMx) || servers.empty()) return;
  if (good == servers.size()) s->Set(Metric::kTlsClassGoodAllMx);
  if (sufficient == servers.size()) s->Set(Metric::kTlsClassSufficientAllMx);
}

void SummarizeMailServers(const DomainResult& r, DomainSummary* s) {
  std::string weakest;
  for (const MxHost& host : r.mx()) {
    if (host.tlsa().authenticated() && host.tlsa().records_size() > 0) {
      s->Set(Metric::kDanePublished);
    }
    for (const MxAddress& address : host.addresses()) {
      if (!Answered(address)) continue;
      const SmtpProbe& smtp = address.smtp();
      if (!smtp.software().empty()) AddDistinct(&s->software, smtp.software());
      if (!smtp.has_tls()) continue;
      const TlsInfo& tls = smtp.tls();
      if (weakest.empty() ||
          TlsVersionRank(tls.version()) < TlsVersionRank(weakest)) {
        weakest = tls.version().empty() ? "unknown" : tls.version();
      }
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
  const ServerCounts all = CountServers(r, Family::kAny);
  if (all.addresses == 0) {
    s->tls_category = kNoMailServer;
  } else if (all.probed == 0) {
    s->tls_category = kNotProbed;
  } else if (all.answered == 0) {
    s->tls_category = kUnreachable;
  } else if (all.with_tls < all.answered) {
    s->tls_category = kNoTls;
  } else {
    s->tls_category = weakest;
  }
  SetServerMetrics(all, kAllServers, s);
  if (s->Has(Metric::kStarttlsAllMx)) {
    if (all.with_scts == all.answered) s->Set(Metric::kSctAllMx);
    if (all.ocsp_stapled == all.answered) s->Set(Metric::kOcspStapledAllMx);
  }
  const std::vector<const TlsInfo*> servers = AnsweredTls(r);
  SummarizeKeyExchange(servers, s);
  SummarizeVersionsAccepted(servers, s);
  SummarizeTlsCensus(servers, s);

  // The same over each address family, and where IPv6 falls short.
  SetServerMetrics(CountServers(r, Family::kIpv4), kIpv4Servers, s);
  const ServerCounts ipv6 = CountServers(r, Family::kIpv6);
  SetServerMetrics(ipv6, kIpv6Servers, s);
  if (EveryMxHostHasIpv6(r)) s->Set(Metric::kMxIpv6);
  if (ipv6.probed > 0) {
    s->Set(Metric::kIpv6Probed);
    if (s->Has(Metric::kStarttlsAllMxIpv4) &&
        s->Has(Metric::kValidCertAllMxIpv4) &&
        !(s->Has(Metric::kStarttlsAllMxIpv6) &&
          s->Has(Metric::kValidCertAllMxIpv6))) {
      s->Set(Metric::kIpv6WeakerThanIpv4);
    }
  }
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

void SummarizeLeafKeys(const DomainResult& r, const OrgDomainOf& org_of,
                       DomainSummary* s) {
  for (const MxHost& host : r.mx()) {
    for (const MxAddress& address : host.addresses()) {
      if (!Answered(address) || !address.smtp().has_tls()) continue;
      const std::string& key = address.smtp().tls().leaf_spki_sha256();
      if (key.empty()) continue;
      const std::string org = org_of(host.host());
      AddDistinct(&s->leaf_keys,
                  absl::StrCat(key, " ", org.empty() ? host.host() : org));
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
  for (const DkimKey& key : r.dkim()) add(3, key.cname_target());
  add(4, r.mta_sts().policy_host_cname());
}

}  // namespace

const std::array<DependencyKind, kDependencyKinds>& Dependencies() {
  static const std::array<DependencyKind, kDependencyKinds> kKinds = {{
      {"spf_include", "SPF includes (who may send as the domain)"},
      {"dmarc_reports", "DMARC report destinations"},
      {"tls_reports", "TLS-RPT report destinations"},
      {"dkim_keys", "DKIM keys published by another (selector CNAMEs)"},
      {"mta_sts_host", "MTA-STS policy hosts (CNAMEs)"},
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
  SummarizeLeafKeys(r, org_domain_of, &s);
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
