#include "scanner/scan/mta_sts_policy_fetch.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "scanner/checks/mta_sts/result.h"
#include "scanner/core/socket_address.h"
#include "scanner/dns/lookup.h"
#include "scanner/dns/rdata.h"
#include "scanner/dns/rr_type.h"
#include "scanner/scan/blocklist.h"
#include "scanner/tls/certificate_judge.h"
#include "scanner/tls/verdict_cache.h"

namespace mxscan::scan {
namespace {

namespace rr = ::mxscan::dns::rr_type;
using dns::LookupResult;

// The first address of an A or AAAA answer; "" without one.
std::string FirstAddress(const LookupResult& r) {
  for (const dns::Answer& a : r.answers) {
    const dns::AddressData* address = a.As<dns::AddressData>();
    if (address != nullptr) return address->ToString();
  }
  return "";
}

}  // namespace

MtaStsPolicyFetch::MtaStsPolicyFetch(ScanContext& context, std::string domain,
                                     DomainResult* result)
    : context_(context),
      host_(absl::StrCat("mta-sts.", domain)),
      result_(result) {}

void MtaStsPolicyFetch::OnTxtRecord() {
  txt_read_ = true;
  MaybeStart();
}

void MtaStsPolicyFetch::OnMxHostsResolved() {
  mx_hosts_resolved_ = true;
  MaybeStart();
}

void MtaStsPolicyFetch::MaybeStart() {
  const ScanServices* services = context_.services();
  if (services == nullptr || services->tls == nullptr || started_ ||
      !txt_read_ || !result_->mta_sts().txt_present() || !mx_hosts_resolved_) {
    return;
  }
  started_ = true;
  const bool ipv6 = context_.options().probe_ipv6;
  // Over IPv4 when the host has an IPv4 address, else over IPv6 (as a
  // sending MTA with both would reach it one way or the other).
  context_.Ask(
      absl::StrCat(host_, "."), rr::kA, [this, ipv6](const LookupResult& a) {
        NoteHostCname(a);
        const std::string ip4 = FirstAddress(a);
        if (!ip4.empty() || !ipv6) {
          Fetch(ip4, absl::StrCat("A ", dns::LookupStatusName(a.status),
                                  ipv6 ? "" : "; IPv6 off: --no-ipv6"));
          return;
        }
        context_.Ask(absl::StrCat(host_, "."), rr::kAaaa,
                     [this, a_status = a.status](const LookupResult& aaaa) {
                       NoteHostCname(aaaa);
                       Fetch(FirstAddress(aaaa),
                             absl::StrCat("A ", dns::LookupStatusName(a_status),
                                          ", AAAA ",
                                          dns::LookupStatusName(aaaa.status)));
                     });
      });
}

// A policy host that is a CNAME is hosted by whoever owns its target.
void MtaStsPolicyFetch::NoteHostCname(const LookupResult& r) {
  const std::string target = dns::CnameTarget(r);
  if (!target.empty()) {
    result_->mutable_mta_sts()->set_policy_host_cname(target);
  }
}

void MtaStsPolicyFetch::Fetch(const std::string& ip,
                              absl::string_view dns_status) {
  MtaStsResult* sts = result_->mutable_mta_sts();
  if (ip.empty()) {
    sts->add_errors(
        absl::StrCat("policy: ", host_, " has no address (", dns_status, ")"));
    return;
  }
  const ScanOptions& options = context_.options();
  if (options.blocklist != nullptr && options.blocklist->Contains(ip)) {
    sts->add_errors(absl::StrCat("policy: ", host_, " (", ip,
                                 ") is on the blocklist: not contacted"));
    return;
  }
  const absl::StatusOr<sockaddr_storage> address =
      core::SocketAddress(ip, options.https_port);
  if (!address.ok()) {
    sts->add_errors(absl::StrCat("policy: ", address.status().message()));
    return;
  }
  https::FetchOptions fetch;
  fetch.timeout_ms = options.https_timeout_ms;
  const ScanServices* services = context_.services();
  context_.Hold();
  https::FetchHttps(services->loop,
                    reinterpret_cast<const sockaddr*>(&*address), host_,
                    "/.well-known/mta-sts.txt", *services->tls, fetch,
                    [this](https::FetchResult fetched) {
                      OnPolicy(std::move(fetched));
                      context_.Release();
                    });
}

void MtaStsPolicyFetch::OnPolicy(https::FetchResult fetched) {
  MtaStsResult* sts = result_->mutable_mta_sts();
  if (!fetched.status.ok()) {
    sts->add_errors(absl::StrCat("policy: ", fetched.status.message()));
    return;
  }
  // The policy host's certificate must be valid for its name (RFC 8461
  // section 3.3): otherwise the policy must not be used.
  std::shared_ptr<const tls::CertificateVerdict> verdict =
      context_.services()->verdicts->Judge(fetched.tls.chain_der, host_,
                                           context_.options().scan_time_s);
  if (!verdict->trusted || !verdict->hostname_match) {
    sts->add_errors(absl::StrCat(
        "policy: certificate of ", host_, " not valid: ",
        !verdict->trusted ? verdict->verify_error : "name mismatch"));
    return;
  }
  if (fetched.http_status != 200) {
    sts->add_errors(absl::StrCat("policy: HTTP status ", fetched.http_status));
    return;
  }
  if (!absl::StartsWithIgnoreCase(fetched.content_type, "text/plain")) {
    sts->add_warnings(absl::StrCat("policy: media type \"",
                                   fetched.content_type, "\", not text/plain"));
  }
  std::vector<std::string> hosts;
  for (const MxHost& mx : result_->mx()) hosts.push_back(mx.host());
  checks::mta_sts::FillMtaStsPolicy(fetched.body, hosts, sts);
}

}  // namespace mxscan::scan
