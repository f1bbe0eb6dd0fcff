#include "scanner/scan/mx_host_scan.h"

#include <arpa/inet.h>

#include <memory>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "scanner/dns/dnssec_status.h"
#include "scanner/dns/lookup_output.h"
#include "scanner/dns/rdata.h"
#include "scanner/dns/rr_type.h"
#include "scanner/scan/probe_cache.h"
#include "scanner/tls/dane.h"

namespace mxscan::scan {
namespace {

namespace rr = ::mxscan::dns::rr_type;
using dns::LookupResult;
using dns::LookupStatus;

bool IsIpLiteral(const std::string& host) {
  in6_addr v6;
  in_addr v4;
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 ||
         inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

}  // namespace

MxHostScan::MxHostScan(ScanContext& context, MxHost* host, bool implicit_mx,
                       absl::AnyInvocable<void()> resolved)
    : context_(context),
      host_(host),
      implicit_mx_(implicit_mx),
      resolved_(std::move(resolved)) {}

void MxHostScan::Start() {
  if (IsIpLiteral(host_->host())) {
    context_.Finding(absl::StrCat("MX host ", host_->host(),
                                  " is an IP address, not a host name"));
    host_->set_address_status(ERROR);
    return;
  }
  const std::string fqdn = absl::StrCat(host_->host(), ".");
  context_.Ask(fqdn, rr::kA, [this](const LookupResult& r) { OnAddresses(r); });
  context_.Ask(fqdn, rr::kAaaa,
               [this](const LookupResult& r) { OnAddresses(r); });
  context_.Ask(absl::StrCat("_25._tcp.", fqdn), rr::kTlsa,
               [this](const LookupResult& r) { OnTlsa(r); });
}

void MxHostScan::OnAddresses(const LookupResult& r) {
  if (!r.cname_chain.empty() && !host_->is_cname()) {
    host_->set_is_cname(true);
    if (!implicit_mx_) {
      context_.Finding(absl::StrCat("MX host ", host_->host(),
                                    " is a CNAME (RFC 5321 section 5.1)"));
    }
  }
  for (const dns::Answer& a : r.answers) {
    const dns::AddressData* address = a.As<dns::AddressData>();
    if (a.type == r.type && address != nullptr) {
      host_->add_addresses()->set_ip(address->ToString());
    }
  }
  (r.type == rr::kA ? a_status_ : aaaa_status_) = r.status;
  if (++address_answers_ == 2) OnBothAddressAnswers();
}

// An MX host resolves if either family has an address; otherwise the A
// answer's status says why (or the AAAA one's, if A was NODATA). A failed
// question of either family is the status even when the other gave
// addresses: the host's address list is then incomplete.
void MxHostScan::OnBothAddressAnswers() {
  LookupStatus status = LookupStatus::kNoError;
  if (host_->addresses_size() == 0) {
    status = a_status_ != LookupStatus::kNoError ? a_status_ : aaaa_status_;
    context_.Finding(absl::StrCat("MX host ", host_->host(),
                                  " has no address (",
                                  dns::LookupStatusName(status), ")"));
  } else if (dns::IsFailure(a_status_) || dns::IsFailure(aaaa_status_)) {
    status = dns::IsFailure(a_status_) ? a_status_ : aaaa_status_;
    context_.Finding(absl::StrCat(
        "MX host ", host_->host(), ": the ",
        dns::IsFailure(a_status_) ? "A" : "AAAA", " lookup failed (",
        dns::LookupStatusName(status), "): its addresses may be incomplete"));
  }
  host_->set_address_status(dns::ToProtoStatus(status));
  Probe();
  probes_started_ = true;
  MaybeCheckDane();
  resolved_();
}

// --- SMTP probes (STARTTLS, certificate) ---
void MxHostScan::Probe() {
  const ScanServices* services = context_.services();
  if (services == nullptr || services->probes == nullptr) return;
  chains_.resize(host_->addresses_size());
  for (int j = 0; j < host_->addresses_size(); ++j) {
    if (!context_.options().probe_ipv6 &&
        absl::StrContains(host_->addresses(j).ip(), ':')) {
      continue;  // --no-ipv6: not probed, not unreachable
    }
    context_.Hold();
    ++probes_outstanding_;
    services->probes->Probe(
        host_->addresses(j).ip(), host_->host(),
        [this, j](std::shared_ptr<const ProbeRecord> record) {
          *host_->mutable_addresses(j)->mutable_smtp() = record->probe;
          chains_[j] = record->chain_der;
          --probes_outstanding_;
          MaybeCheckDane();
          context_.Release();
        });
  }
}

void MxHostScan::OnTlsa(const LookupResult& r) {
  tlsa_answered_ = true;
  const ScanOptions& options = context_.options();
  Tlsa* tlsa = host_->mutable_tlsa();
  tlsa->set_matched_record(-1);  // set per address by the DANE check
  tlsa->set_dns_status(dns::ToProtoStatus(r.status));
  tlsa->set_authenticated(r.authenticated);
  tlsa->set_dnssec_status(dns::ToProtoDnssecStatus(
      dns::DnssecStatusOf(r, options.resolver_validates)));
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
  MaybeCheckDane();
}

// --- DANE (RFC 7672), once the TLSA answer and every probe are in ---
// The TLSA answer may come before the host's addresses, and so before any
// probe has started.
void MxHostScan::MaybeCheckDane() {
  if (!tlsa_answered_ || !probes_started_ || probes_outstanding_ > 0 ||
      dane_checked_) {
    return;
  }
  dane_checked_ = true;
  const Tlsa& tlsa = host_->tlsa();
  if (tlsa.records_size() == 0) return;
  int valid = 0, with_tls = 0;
  for (int j = 0; j < host_->addresses_size(); ++j) {
    // Only addresses that completed a handshake (never create an empty
    // probe record: that would read as a failed connection).
    if (!host_->addresses(j).has_smtp() ||
        !host_->addresses(j).smtp().has_tls()) {
      continue;
    }
    SmtpProbe* smtp = host_->mutable_addresses(j)->mutable_smtp();
    ++with_tls;
    tls::DaneVerdict verdict = tls::CheckDane(tlsa, chains_[j], host_->host(),
                                              context_.options().scan_time_s);
    Tlsa* probe_tlsa = smtp->mutable_tlsa();
    *probe_tlsa = tlsa;
    tls::FillDane(verdict, probe_tlsa);
    if (verdict.valid) ++valid;
  }
  host_->mutable_tlsa()->set_dane_valid(with_tls > 0 && valid == with_tls);
}

}  // namespace mxscan::scan
