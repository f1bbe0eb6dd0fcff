#include "scanner/stats/metrics.h"

namespace mxscan::stats {

const std::array<MetricInfo, kMetricCount>& Metrics() {
  static const std::array<MetricInfo, kMetricCount> kMetrics = {{
      {Metric::kMxPresent, "mx_present", "MX"},
      {Metric::kNullMx, "null_mx", "null MX"},
      {Metric::kImplicitMx, "implicit_mx", "implicit MX"},
      {Metric::kSmtpReachable, "smtp_reachable", "SMTP reachable"},
      {Metric::kStarttlsAllMx, "starttls_all_mx", "STARTTLS all MX"},
      {Metric::kTls12PlusAllMx, "tls12_plus_all_mx", "TLS 1.2+ all MX"},
      {Metric::kValidCertAllMx, "valid_cert_all_mx", "valid cert all MX"},
      {Metric::kDanePublished, "dane_published", "DANE TLSA"},
      {Metric::kDaneValid, "dane_valid", "DANE valid"},
      {Metric::kDaneEffective, "dane_effective", "DANE effective"},
      {Metric::kSpfPresent, "spf_present", "SPF"},
      {Metric::kSpfValid, "spf_valid", "SPF valid"},
      {Metric::kSpfHardfail, "spf_hardfail", "SPF -all"},
      {Metric::kDmarcPresent, "dmarc_present", "DMARC"},
      {Metric::kDmarcValid, "dmarc_valid", "DMARC valid"},
      {Metric::kDmarcReject, "dmarc_reject", "DMARC reject"},
      {Metric::kDmarcQuarantine, "dmarc_quarantine", "DMARC quarantine"},
      {Metric::kDmarcNone, "dmarc_none", "DMARC none"},
      {Metric::kDmarcEnforced, "dmarc_enforced", "DMARC enforced"},
      {Metric::kDmarcRejectFull, "dmarc_reject_full", "DMARC reject (full)"},
      {Metric::kMtaStsEnforce, "mta_sts_enforce", "MTA-STS enforce"},
      {Metric::kMtaStsTesting, "mta_sts_testing", "MTA-STS testing"},
      {Metric::kMtaStsEffective, "mta_sts_effective", "MTA-STS effective"},
      {Metric::kTlsRptPresent, "tls_rpt_present", "TLS-RPT"},
      {Metric::kDkimKeyFound, "dkim_key_found", "DKIM key"},
      {Metric::kBimiPresent, "bimi_present", "BIMI"},
      {Metric::kDnssec, "dnssec", "DNSSEC"},
      {Metric::kNoMailLocked, "no_mail_locked", "no-mail locked"},
      {Metric::kMxIpv6, "mx_ipv6", "IPv6 all MX"},
      {Metric::kSmtpReachableIpv6, "smtp_reachable_ipv6",
       "SMTP reachable over IPv6"},
      {Metric::kSmtpReachableIpv4, "smtp_reachable_ipv4",
       "IPv4: SMTP reachable", MetricGroup::kAddressFamily},
      {Metric::kStarttlsAllMxIpv4, "starttls_all_mx_ipv4",
       "IPv4: STARTTLS all MX", MetricGroup::kAddressFamily},
      {Metric::kTls12PlusAllMxIpv4, "tls12_plus_all_mx_ipv4",
       "IPv4: TLS 1.2+ all MX", MetricGroup::kAddressFamily},
      {Metric::kValidCertAllMxIpv4, "valid_cert_all_mx_ipv4",
       "IPv4: valid cert all MX", MetricGroup::kAddressFamily},
      {Metric::kDaneValidIpv4, "dane_valid_ipv4", "IPv4: DANE valid",
       MetricGroup::kAddressFamily},
      {Metric::kIpv6Probed, "ipv6_probed", "IPv6: probed",
       MetricGroup::kAddressFamily},
      {Metric::kStarttlsAllMxIpv6, "starttls_all_mx_ipv6",
       "IPv6: STARTTLS all MX", MetricGroup::kAddressFamily},
      {Metric::kTls12PlusAllMxIpv6, "tls12_plus_all_mx_ipv6",
       "IPv6: TLS 1.2+ all MX", MetricGroup::kAddressFamily},
      {Metric::kValidCertAllMxIpv6, "valid_cert_all_mx_ipv6",
       "IPv6: valid cert all MX", MetricGroup::kAddressFamily},
      {Metric::kDaneValidIpv6, "dane_valid_ipv6", "IPv6: DANE valid",
       MetricGroup::kAddressFamily},
      {Metric::kIpv6WeakerThanIpv4, "ipv6_weaker_than_ipv4",
       "IPv6 weaker than IPv4", MetricGroup::kAddressFamily},
      {Metric::kSctAllMx, "sct_all_mx", "Certificate Transparency (SCTs)",
       MetricGroup::kCertificate},
      {Metric::kOcspStapledAllMx, "ocsp_stapled_all_mx", "OCSP stapled",
       MetricGroup::kCertificate},
      {Metric::kPqProbed, "pq_probed", "post-quantum: probed",
       MetricGroup::kCertificate},
      {Metric::kPqHybridAllMx, "pq_hybrid_all_mx",
       "post-quantum key exchange all MX", MetricGroup::kCertificate},
      {Metric::kTlsCensusProbed, "tls_census_probed", "TLS census: probed",
       MetricGroup::kCertificate},
      {Metric::kTlsClassGoodAllMx, "tls_class_good_all_mx",
       "TLS census: good all MX", MetricGroup::kCertificate},
      {Metric::kTlsClassSufficientAllMx, "tls_class_sufficient_all_mx",
       "TLS census: sufficient or good all MX", MetricGroup::kCertificate},
      {Metric::kTlsVersionsProbed, "tls_versions_probed",
       "TLS versions: probed", MetricGroup::kCertificate},
      {Metric::kTls10AcceptedAnyMx, "tls10_accepted_any_mx",
       "TLS 1.0 accepted by some MX", MetricGroup::kCertificate},
      {Metric::kTls11AcceptedAnyMx, "tls11_accepted_any_mx",
       "TLS 1.1 accepted by some MX", MetricGroup::kCertificate},
  }};
  return kMetrics;
}

std::vector<MetricInfo> MetricsOf(MetricGroup group) {
  std::vector<MetricInfo> out;
  for (const MetricInfo& m : Metrics()) {
    if (m.group == group) out.push_back(m);
  }
  return out;
}

std::vector<MetricInfo> AddressFamilyMetrics() {
  std::vector<MetricInfo> out = {
      Metrics()[static_cast<size_t>(Metric::kMxIpv6)],
      Metrics()[static_cast<size_t>(Metric::kSmtpReachableIpv6)]};
  for (const MetricInfo& m : MetricsOf(MetricGroup::kAddressFamily)) {
    out.push_back(m);
  }
  return out;
}

const MetricInfo* FindMetric(absl::string_view key) {
  for (const MetricInfo& info : Metrics()) {
    if (info.key == key) return &info;
  }
  return nullptr;
}

}  // namespace mxscan::stats
