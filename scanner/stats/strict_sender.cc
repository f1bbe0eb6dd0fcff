#include "scanner/stats/strict_sender.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/match.h"
#include "scanner/stats/server_facts.h"

namespace mxscan::stats {
namespace {

// The outcomes a host can give, best last; refusals carry their reason.
// Delivery outcomes rank by how well the mail is protected.
int Rank(const std::string& outcome) {
  const std::vector<std::string>& all = StrictSenderOutcomes();
  return static_cast<int>(std::find(all.begin(), all.end(), outcome) -
                          all.begin());
}

// What the sender does with one MX host: deliver (with how it is
// protected), refuse (with why), or nothing when no server of it answered.
std::optional<std::string> HostOutcome(const MxHost& host,
                                       const MtaStsResult& sts,
                                       bool sts_enforced) {
  // RFC 7672 section 2.2: a host whose TLSA RRset is bogus is not used.
  if (host.tlsa().dnssec_status() == BOGUS) {
    for (const MxAddress& address : host.addresses()) {
      if (Answered(address)) return std::string(kSenderDnssecBogus);
    }
    return std::nullopt;
  }
  const bool dane = HasUsableSecureTlsa(host);
  const bool sts_covers =
      std::find(sts.mx_not_covered().begin(), sts.mx_not_covered().end(),
                host.host()) == sts.mx_not_covered().end();
  std::optional<std::string> best;
  for (const MxAddress& address : host.addresses()) {
    if (!Answered(address)) continue;
    const SmtpProbe& smtp = address.smtp();
    std::string outcome;
    if (dane) {
      // RFC 7672 section 2.2: TLS is mandatory and must authenticate with
      // the TLSA records; MTA-STS does not apply (RFC 8461 section 2).
      if (!smtp.has_tls()) {
        outcome = kSenderDaneNoStarttls;
      } else if (!smtp.tlsa().dane_valid()) {
        outcome = kSenderTlsaMismatch;
      } else {
        outcome = kSenderDane;
      }
    } else if (sts_enforced) {
      // RFC 8461 section 5: the MX must match the policy, and the server
      // offer STARTTLS with a certificate valid for the MX host name.
      if (!sts_covers) {
        outcome = kSenderStsMxNotCovered;
      } else if (!smtp.has_tls()) {
        outcome = kSenderStsNoStarttls;
      } else if (!CertificateValid(smtp.tls())) {
        outcome = kSenderStsBadCertificate;
      } else {
        outcome = kSenderMtaSts;
      }
    } else {
      outcome = smtp.has_tls() ? kSenderUnauthenticatedTls : kSenderPlaintext;
    }
    // Among a host's servers the sender may land on any: the weakest
    // delivery counts; a refused server only when no server delivers.
    if (!best.has_value()) {
      best = outcome;
    } else if (WouldNotDeliver(*best) != WouldNotDeliver(outcome)) {
      if (WouldNotDeliver(*best)) best = outcome;
    } else if (Rank(outcome) < Rank(*best)) {
      best = outcome;
    }
  }
  return best;
}

}  // namespace

const std::vector<std::string>& StrictSenderOutcomes() {
  static const std::vector<std::string>* const kOutcomes =
      new std::vector<std::string>{
          kSenderNotMeasured,
          kSenderUnreachable,
          kSenderNoMail,
          kSenderDnssecBogus,
          kSenderTlsaMismatch,
          kSenderDaneNoStarttls,
          kSenderStsMxNotCovered,
          kSenderStsBadCertificate,
          kSenderStsNoStarttls,
          kSenderPlaintext,
          kSenderUnauthenticatedTls,
          kSenderMtaSts,
          kSenderDane,
      };
  return *kOutcomes;
}

bool WouldNotDeliver(const std::string& outcome) {
  return absl::StartsWith(outcome, "would not deliver");
}

std::string StrictSenderOutcome(const DomainResult& r) {
  // A bogus MX answer: a validating sender cannot learn where to deliver.
  if (r.dnssec_status() == BOGUS) return kSenderDnssecBogus;
  if (ReceivesNoMail(r)) return kSenderNoMail;
  if (r.status() != DomainResult::OK) return kSenderNotMeasured;
  const MtaStsResult& sts = r.mta_sts();
  const bool sts_enforced =
      sts.txt_present() && sts.policy_fetched() && sts.mode() == "enforce";
  bool probed = false;
  // RFC 5321 section 5.1: hosts in preference order; hosts of the same
  // preference in any order, so the weakest of that level counts. The
  // first level with a host that takes the mail decides; if every host
  // refuses, the most preferred refusal says why.
  std::vector<const MxHost*> hosts;
  for (const MxHost& host : r.mx()) hosts.push_back(&host);
  std::stable_sort(hosts.begin(), hosts.end(),
                   [](const MxHost* a, const MxHost* b) {
                     return a->preference() < b->preference();
                   });
  std::optional<std::string> first_refusal;
  for (size_t i = 0; i < hosts.size();) {
    const uint32_t preference = hosts[i]->preference();
    std::optional<std::string> level;
    for (; i < hosts.size() && hosts[i]->preference() == preference; ++i) {
      for (const MxAddress& a : hosts[i]->addresses()) {
        probed = probed || a.has_smtp();
      }
      std::optional<std::string> host =
          HostOutcome(*hosts[i], sts, sts_enforced);
      if (!host.has_value()) continue;
      if (WouldNotDeliver(*host)) {
        if (!first_refusal.has_value()) first_refusal = host;
        continue;
      }
      if (!level.has_value() || Rank(*host) < Rank(*level)) level = host;
    }
    if (level.has_value()) return *level;
  }
  if (first_refusal.has_value()) return *first_refusal;
  return probed ? kSenderUnreachable : kSenderNotMeasured;
}

}  // namespace mxscan::stats
