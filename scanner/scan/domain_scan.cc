#include "scanner/scan/domain_scan.h"

#include <arpa/inet.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "scanner/checks/bimi/result.h"
#include "scanner/checks/dkim/result.h"
#include "scanner/checks/dmarc/discovery.h"
#include "scanner/checks/mta_sts/result.h"
#include "scanner/checks/spf/analysis.h"
#include "scanner/checks/tls_rpt/result.h"
#include "scanner/core/socket_address.h"
#include "scanner/dns/dnssec_status.h"
#include "scanner/dns/extended_error.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/lookup_output.h"
#include "scanner/dns/rdata.h"
#include "scanner/dns/rr_type.h"
#include "scanner/https/https_fetch.h"
#include "scanner/scan/blocklist.h"
#include "scanner/scan/probe_cache.h"
#include "scanner/scan/txt_records.h"
#include "scanner/tls/certificate_judge.h"
#include "scanner/tls/dane.h"
#include "scanner/tls/verdict_cache.h"

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

bool Failed(LookupStatus status) {
  return status != LookupStatus::kNoError && status != LookupStatus::kNxDomain;
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

bool IsIpLiteral(const std::string& host) {
  in6_addr v6;
  in_addr v4;
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 ||
         inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

// DomainScan is the state of one domain's DNS checks: each check asks its
// questions through Ask() (SPF and DMARC through `questions_`, which calls
// Ask()), and the record is finished when the last answer has been handled.
// A question that fails (TIMEOUT, SERVFAIL, REFUSED, ERROR) is listed in
// the record's errors (stage DNS, with its kind), whichever check asked
// it: a check whose answer is missing never reads as "no record". Owns
// itself; lives on the thread of its DNS source.
class DomainScan {
 public:
  DomainScan(checks::DnsSource& dns, const ScanOptions& options,
             const ScanServices* services, DomainInput input,
             absl::AnyInvocable<void(DomainResult)> done)
      : dns_(dns),
        options_(options),
        services_(services),
        input_(std::move(input)),
        done_(std::move(done)),
        questions_(*this) {}

  void Run() {
    started_ms_ = NowMs();
    result_.set_domain(input_.domain);
    result_.set_sector(input_.sector);
    result_.set_organization(input_.organization);
    result_.set_scan_started_at(options_.fixed_start_ms ? options_.fixed_start_ms
                                                        : started_ms_);
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
  using Handler = absl::AnyInvocable<void(const LookupResult&)>;

  // The DnsSource given to the checks that ask on their own (SPF, DMARC).
  class Questions : public checks::DnsSource {
   public:
    explicit Questions(DomainScan& scan) : scan_(scan) {}
    void Lookup(absl::string_view name, uint16_t type,
                Callback done) override {
      scan_.Ask(name, type, std::move(done));
    }

   private:
    DomainScan& scan_;
  };

  void Ask(absl::string_view name, uint16_t type, Handler handler) {
    ++pending_;
    dns_.Lookup(name, type,
                [this, type, name = std::string(name),
                 handler = std::move(handler)](const LookupResult& r) mutable {
                  if (Failed(r.status)) RecordDnsFailure(name, type, r);
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

  void Release() {
    if (--pending_ == 0) Finish();
  }

  void Finish() {
    result_.set_scan_duration_ms(NowMs() - started_ms_);
    auto done = std::move(done_);
    DomainResult result = std::move(result_);
    delete this;
    done(std::move(result));
  }

  void Finding(std::string text) { result_.add_findings(std::move(text)); }

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
    mx_hosts_known_ = true;
    for (int i = 0; i < result_.mx_size(); ++i) ScanMxHost(i);
  }

  void ScanMxHost(int index) {
    const std::string host = result_.mx(index).host();
    if (IsIpLiteral(host)) {
      Finding(absl::StrCat("MX host ", host,
                           " is an IP address, not a host name"));
      result_.mutable_mx(index)->set_address_status(ERROR);
      return;
    }
    const std::string fqdn = absl::StrCat(host, ".");
    auto addresses = [this, index](const LookupResult& r) {
      MxHost* mx = result_.mutable_mx(index);
      if (!r.cname_chain.empty() && !mx->is_cname()) {
        mx->set_is_cname(true);
        if (!result_.implicit_mx()) {
          Finding(absl::StrCat("MX host ", mx->host(),
                               " is a CNAME (RFC 5321 section 5.1)"));
        }
      }
      for (const dns::Answer& a : r.answers) {
        const dns::AddressData* address = a.As<dns::AddressData>();
        if (a.type == r.type && address != nullptr) {
          mx->add_addresses()->set_ip(address->ToString());
        }
      }
      AddressLookups& lookups = address_lookups_[index];
      (r.type == rr::kA ? lookups.a : lookups.aaaa) = r.status;
      if (++lookups.answered == 2) OnMxHostAddresses(index);
    };
    address_lookups_.resize(result_.mx_size());
    host_probes_.resize(result_.mx_size());
    Ask(fqdn, rr::kA, addresses);
    Ask(fqdn, rr::kAaaa, addresses);
    Ask(absl::StrCat("_25._tcp.", fqdn), rr::kTlsa,
        [this, index](const LookupResult& r) { OnTlsa(index, r); });
  }

  // An MX host resolves if either family has an address; otherwise the
  // A answer's status says why (or the AAAA one's, if A was NODATA). A
  // failed question of either family is the status even when the other
  // gave addresses: the host's address list is then incomplete.
  void OnMxHostAddresses(int index) {
    MxHost* mx = result_.mutable_mx(index);
    const AddressLookups& lookups = address_lookups_[index];
    LookupStatus status = LookupStatus::kNoError;
    if (mx->addresses_size() == 0) {
      status = lookups.a != LookupStatus::kNoError ? lookups.a : lookups.aaaa;
      Finding(absl::StrCat("MX host ", mx->host(), " has no address (",
                           dns::LookupStatusName(status), ")"));
    } else if (Failed(lookups.a) || Failed(lookups.aaaa)) {
      status = Failed(lookups.a) ? lookups.a : lookups.aaaa;
      Finding(absl::StrCat("MX host ", mx->host(), ": the ",
                           Failed(lookups.a) ? "A" : "AAAA", " lookup failed (",
                           dns::LookupStatusName(status),
                           "): its addresses may be incomplete"));
    }
    mx->set_address_status(dns::ToProtoStatus(status));
    ProbeMxHost(index);
    host_probes_[index].probes_started = true;
    MaybeCheckDane(index);
    ++mx_hosts_resolved_;
    MaybeFetchMtaStsPolicy();
  }

  // --- SMTP probes (STARTTLS, certificate) and DANE (RFC 7672) ---
  void ProbeMxHost(int index) {
    if (services_ == nullptr || services_->probes == nullptr) return;
    MxHost* mx = result_.mutable_mx(index);
    HostProbes& host = host_probes_[index];
    host.chains.resize(mx->addresses_size());
    for (int j = 0; j < mx->addresses_size(); ++j) {
      if (!options_.probe_ipv6 &&
          absl::StrContains(mx->addresses(j).ip(), ':')) {
        continue;  // --no-ipv6: not probed, not unreachable
      }
      ++pending_;
      ++host.outstanding;
      services_->probes->Probe(
          mx->addresses(j).ip(), mx->host(),
          [this, index, j](std::shared_ptr<const ProbeRecord> record) {
            *result_.mutable_mx(index)->mutable_addresses(j)->mutable_smtp() =
                record->probe;
            host_probes_[index].chains[j] = record->chain_der;
            --host_probes_[index].outstanding;
            MaybeCheckDane(index);
            Release();
          });
    }
  }

  // Once the TLSA answer and every probe of the host are in.
  void MaybeCheckDane(int index) {
    HostProbes& host = host_probes_[index];
    // The TLSA answer may come before the host's addresses, and so before
    // any probe has started.
    if (!host.tlsa_done || !host.probes_started || host.outstanding > 0 ||
        host.dane_checked) {
      return;
    }
    host.dane_checked = true;
    MxHost* mx = result_.mutable_mx(index);
    const Tlsa& tlsa = mx->tlsa();
    if (tlsa.records_size() == 0) return;
    int valid = 0, with_tls = 0;
    for (int j = 0; j < mx->addresses_size(); ++j) {
      // Only addresses that completed a handshake (never create an empty
      // probe record: that would read as a failed connection).
      if (!mx->addresses(j).has_smtp() || !mx->addresses(j).smtp().has_tls()) {
        continue;
      }
      SmtpProbe* smtp = mx->mutable_addresses(j)->mutable_smtp();
      ++with_tls;
      tls::DaneVerdict verdict = tls::CheckDane(
          tlsa, host.chains[j], mx->host(), options_.scan_time_s);
      Tlsa* probe_tlsa = smtp->mutable_tlsa();
      *probe_tlsa = tlsa;
      tls::FillDane(verdict, probe_tlsa);
      if (verdict.valid) ++valid;
    }
    mx->mutable_tlsa()->set_dane_valid(with_tls > 0 && valid == with_tls);
  }

  void OnTlsa(int index, const LookupResult& r) {
    host_probes_[index].tlsa_done = true;
    OnTlsaRecords(index, r);
    MaybeCheckDane(index);
  }

  void OnTlsaRecords(int index, const LookupResult& r) {
    Tlsa* tlsa = result_.mutable_mx(index)->mutable_tlsa();
    tlsa->set_matched_record(-1);  // set per address by the DANE check
    tlsa->set_dns_status(dns::ToProtoStatus(r.status));
    tlsa->set_authenticated(r.authenticated);
    tlsa->set_dnssec_status(dns::ToProtoDnssecStatus(
        dns::DnssecStatusOf(r, options_.resolver_validates)));
    tlsa->set_dnssec_detail(dns::DnssecDetail(r));
    for (const dns::Answer& a : r.answers) {
      const dns::TlsaData* data = a.As<dns::TlsaData>();
      if (data == nullptr) continue;
      TlsaRecord* record = tlsa->add_records();
      record->set_usage(data->usage);
      record->set_selector(data->selector);
      record->set_matching_type(data->matching_type);
      record->set_data(absl::BytesToHexString(data->association));
    }
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
          mta_sts_txt_done_ = true;
          MaybeFetchMtaStsPolicy();
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

  // --- MTA-STS policy (RFC 8461 section 3.3) ---
  // Fetched once the TXT record says there is one and every MX host has
  // been resolved (the policy is checked against them).
  void MaybeFetchMtaStsPolicy() {
    if (services_ == nullptr || services_->tls == nullptr || policy_started_ ||
        !mta_sts_txt_done_ || !result_.mta_sts().txt_present() ||
        !mx_hosts_known_ || mx_hosts_resolved_ < result_.mx_size()) {
      return;
    }
    policy_started_ = true;
    const std::string host = absl::StrCat("mta-sts.", input_.domain);
    // Over IPv4 when the host has an IPv4 address, else over IPv6 (as a
    // sending MTA with both would reach it one way or the other).
    Ask(absl::StrCat(host, "."), rr::kA, [this, host](const LookupResult& a) {
      NoteMtaStsHostCname(a);
      const std::string ip4 = FirstAddress(a);
      if (!ip4.empty() || !options_.probe_ipv6) {
        FetchMtaStsPolicy(
            host, ip4,
            absl::StrCat("A ", dns::LookupStatusName(a.status),
                         options_.probe_ipv6 ? "" : "; IPv6 off: --no-ipv6"));
        return;
      }
      Ask(absl::StrCat(host, "."), rr::kAaaa,
          [this, host, a_status = a.status](const LookupResult& aaaa) {
            NoteMtaStsHostCname(aaaa);
            FetchMtaStsPolicy(
                host, FirstAddress(aaaa),
                absl::StrCat("A ", dns::LookupStatusName(a_status), ", AAAA ",
                             dns::LookupStatusName(aaaa.status)));
          });
    });
  }

  // A policy host that is a CNAME is hosted by whoever owns its target.
  void NoteMtaStsHostCname(const LookupResult& r) {
    const std::string target = CnameTarget(r);
    if (!target.empty()) {
      result_.mutable_mta_sts()->set_policy_host_cname(target);
    }
  }

  // The canonical name an answer's records were found at when the
  // question's name is a CNAME; "" otherwise.
  static std::string CnameTarget(const LookupResult& r) {
    if (r.cname_chain.empty()) return "";
    for (const dns::Answer& a : r.answers) {
      if (a.type != rr::kCname) {
        return std::string(absl::StripSuffix(a.name, "."));
      }
    }
    return "";
  }

  // The first address of an A or AAAA answer; "" without one.
  static std::string FirstAddress(const LookupResult& r) {
    for (const dns::Answer& a : r.answers) {
      const dns::AddressData* address = a.As<dns::AddressData>();
      if (address != nullptr) return address->ToString();
    }
    return "";
  }

  void FetchMtaStsPolicy(const std::string& host, const std::string& ip,
                         absl::string_view dns_status) {
    if (ip.empty()) {
      result_.mutable_mta_sts()->add_errors(
          absl::StrCat("policy: ", host, " has no address (", dns_status, ")"));
      return;
    }
    if (options_.blocklist != nullptr && options_.blocklist->Contains(ip)) {
      result_.mutable_mta_sts()->add_errors(absl::StrCat(
          "policy: ", host, " (", ip, ") is on the blocklist: not contacted"));
      return;
    }
    const absl::StatusOr<sockaddr_storage> address =
        core::SocketAddress(ip, options_.https_port);
    if (!address.ok()) {
      result_.mutable_mta_sts()->add_errors(
          absl::StrCat("policy: ", address.status().message()));
      return;
    }
    https::FetchOptions fetch;
    fetch.timeout_ms = options_.https_timeout_ms;
    ++pending_;
    https::FetchHttps(services_->loop,
                      reinterpret_cast<const sockaddr*>(&*address), host,
                      "/.well-known/mta-sts.txt", *services_->tls, fetch,
                      [this, host](https::FetchResult fetched) {
                        OnMtaStsPolicy(host, std::move(fetched));
                        Release();
                      });
  }

  void OnMtaStsPolicy(const std::string& host, https::FetchResult fetched) {
    MtaStsResult* sts = result_.mutable_mta_sts();
    if (!fetched.status.ok()) {
      sts->add_errors(absl::StrCat("policy: ", fetched.status.message()));
      return;
    }
    // The policy host's certificate must be valid for its name (RFC 8461
    // section 3.3): otherwise the policy must not be used.
    std::shared_ptr<const tls::CertificateVerdict> verdict =
        services_->verdicts->Judge(fetched.tls.chain_der, host,
                                   options_.scan_time_s);
    if (!verdict->trusted || !verdict->hostname_match) {
      sts->add_errors(absl::StrCat(
          "policy: certificate of ", host, " not valid: ",
          !verdict->trusted ? verdict->verify_error : "name mismatch"));
      return;
    }
    if (fetched.http_status != 200) {
      sts->add_errors(
          absl::StrCat("policy: HTTP status ", fetched.http_status));
      return;
    }
    if (!absl::StartsWithIgnoreCase(fetched.content_type, "text/plain")) {
      sts->add_warnings(absl::StrCat("policy: media type \"",
                                     fetched.content_type,
                                     "\", not text/plain"));
    }
    std::vector<std::string> hosts;
    for (const MxHost& mx : result_.mx()) hosts.push_back(mx.host());
    checks::mta_sts::FillMtaStsPolicy(fetched.body, hosts, sts);
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
          const std::string target = CnameTarget(r);
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
  struct AddressLookups {
    LookupStatus a = LookupStatus::kNoError;
    LookupStatus aaaa = LookupStatus::kNoError;
    int answered = 0;
  };
  std::vector<AddressLookups> address_lookups_;  // per MX host
  struct HostProbes {
    int outstanding = 0;
    bool probes_started = false;
    bool tlsa_done = false;
    bool dane_checked = false;
    std::vector<std::vector<std::string>> chains;  // per address
  };
  std::vector<HostProbes> host_probes_;  // per MX host
  bool mx_hosts_known_ = false;
  int mx_hosts_resolved_ = 0;
  bool mta_sts_txt_done_ = false;
  bool policy_started_ = false;
};

}  // namespace

void StartDomainScan(checks::DnsSource& dns, const ScanOptions& options,
                     const ScanServices* services, DomainInput input,
                     absl::AnyInvocable<void(DomainResult)> done) {
  (new DomainScan(dns, options, services, std::move(input), std::move(done)))
      ->Run();
}

}  // namespace mxscan::scan
