#include "scanner/report_card/card.h"

#include <algorithm>
#include <cstring>
#include <ctime>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "scanner/base/json.h"
#include "scanner/stats/metrics.h"
#include "scanner/stats/server_facts.h"

namespace mxscan::report_card {
namespace {

using stats::Metric;

// The controls, their definitions (METRICS.md keys) and fix templates: the
// one place the remediation text lives.
struct ControlInfo {
  const char* key;
  const char* title;
  const char* metric;
};
constexpr ControlInfo kMailSetup = {"mail_setup", "MX or null MX",
                                    "mx_present, null_mx"};
constexpr ControlInfo kStarttls = {"starttls", "STARTTLS on every MX",
                                   "starttls_all_mx"};
constexpr ControlInfo kTls12 = {"tls12", "TLS 1.2 or later",
                                "tls12_plus_all_mx"};
constexpr ControlInfo kCertificates = {"certificates", "Valid certificates",
                                       "valid_cert_all_mx"};
constexpr ControlInfo kSpf = {"spf", "SPF valid and -all", "spf_hardfail"};
constexpr ControlInfo kDmarc = {"dmarc", "DMARC enforced", "dmarc_enforced"};
constexpr ControlInfo kMtaSts = {"mta_sts", "MTA-STS effective",
                                 "mta_sts_effective"};
constexpr ControlInfo kTlsRpt = {"tls_rpt", "TLS-RPT", "tls_rpt_present"};
constexpr ControlInfo kDane = {"dane", "DANE effective", "dane_effective"};
constexpr ControlInfo kDnssec = {"dnssec", "DNSSEC", "dnssec"};
constexpr ControlInfo kDkim = {"dkim", "DKIM key found", "dkim_key_found"};

ControlResult Make(const ControlInfo& info, ControlState state, std::string why,
                   std::string fix = "", std::string record = "") {
  ControlResult c;
  c.key = info.key;
  c.title = info.title;
  c.metric = info.metric;
  c.state = state;
  c.why = std::move(why);
  if (state == ControlState::kFail) {
    c.fix = std::move(fix);
    c.record = std::move(record);
  }
  return c;
}

ControlState PassOrFail(bool pass) {
  return pass ? ControlState::kPass : ControlState::kFail;
}

// The answering servers that fail `bad`, as "host (address)".
template <typename Predicate>
std::vector<std::string> ServersWhere(const DomainResult& r, Predicate bad) {
  std::vector<std::string> out;
  for (const MxHost& host : r.mx()) {
    for (const MxAddress& a : host.addresses()) {
      if (stats::Answered(a) && bad(host, a.smtp())) {
        out.push_back(absl::StrCat(host.host(), " (", a.ip(), ")"));
      }
    }
  }
  return out;
}

std::string CertificateProblem(const TlsInfo& tls) {
  std::vector<std::string> problems;
  if (tls.cert_expired()) problems.push_back("expired");
  if (!tls.cert_trusted() && !tls.cert_expired())
    problems.push_back("untrusted");
  if (!tls.hostname_match()) problems.push_back("not valid for the host name");
  if (!tls.verify_error().empty()) problems.push_back(tls.verify_error());
  return absl::StrJoin(problems, ", ");
}

// A report address for a domain whose DMARC record has none, to be
// replaced with one its owners read.
std::string PlaceholderRua(absl::string_view domain) {
  return absl::StrCat("mailto:dmarc-reports@", domain);
}

// The DMARC record that keeps what works (rua, ruf, alignment) and
// enforces: p=quarantine (reject if it already was), no pct, no t=y. A
// record without a report address gets one: enforcing blind loses the
// reports that show what enforcement blocks.
std::string EnforcingDmarcRecord(const DmarcResult& d,
                                 absl::string_view domain) {
  const std::string policy =
      absl::AsciiStrToLower(d.policy()) == "reject" ? "reject" : "quarantine";
  std::string record = absl::StrCat("v=DMARC1; p=", policy);
  absl::StrAppend(
      &record, "; rua=",
      d.rua_size() > 0 ? absl::StrJoin(d.rua(), ",") : PlaceholderRua(domain));
  if (d.ruf_size() > 0) {
    absl::StrAppend(&record, "; ruf=", absl::StrJoin(d.ruf(), ","));
  }
  if (d.adkim() == "s") absl::StrAppend(&record, "; adkim=s");
  if (d.aspf() == "s") absl::StrAppend(&record, "; aspf=s");
  return record;
}

// SPF with its final all made -all (or -all added to a record without
// one and without redirect), when the record is otherwise sound.
std::string HardfailSpf(const std::string& record) {
  for (const char* soft : {" ~all", " ?all", " +all", " all"}) {
    if (absl::EndsWithIgnoreCase(record, soft)) {
      return absl::StrCat(record.substr(0, record.size() - strlen(soft)),
                          " -all");
    }
  }
  const std::string lower = absl::AsciiStrToLower(record);
  if (!absl::StrContains(lower, "all") &&
      !absl::StrContains(lower, "redirect=")) {
    return absl::StrCat(record, " -all");
  }
  return "";
}

}  // namespace

const char* ControlStateName(ControlState state) {
  switch (state) {
    case ControlState::kPass:
      return "pass";
    case ControlState::kFail:
      return "fail";
    case ControlState::kNotApplicable:
      return "not applicable";
    case ControlState::kNotMeasured:
      return "not measured";
  }
  return "not measured";
}

Card BuildCard(const DomainResult& r, const stats::DomainSummary& s) {
  Card card;
  card.domain = r.domain();
  card.organization = r.organization();
  card.sector = r.sector();
  const std::string& d = r.domain();
  const bool no_mail = stats::ReceivesNoMail(r);
  const bool exists = r.status() == DomainResult::OK;
  auto& controls = card.controls;

  // Mail set-up: an MX, or a null MX for a domain that takes no mail.
  if (!exists) {
    controls.push_back(
        Make(kMailSetup, ControlState::kNotMeasured,
             absl::StrCat("the domain's DNS answered ",
                          DomainResult::Status_Name(r.status()))));
  } else if (s.Has(Metric::kMxPresent) || s.Has(Metric::kNullMx)) {
    controls.push_back(Make(kMailSetup, ControlState::kPass,
                            s.Has(Metric::kNullMx) ? "null MX: takes no mail"
                                                   : "MX records published"));
  } else {
    controls.push_back(Make(
        kMailSetup, ControlState::kFail,
        "no MX record: senders deliver to the domain's own address records",
        no_mail ? "The domain takes no mail: say so with a null MX (RFC 7505)."
                : "Publish MX records for the hosts that receive the "
                  "domain's mail.",
        no_mail ? absl::StrCat(d, ". IN MX 0 .") : ""));
  }

  // Transport: only where mail is received, only when probed.
  const bool probed = s.tls_category != "not probed";
  auto transport = [&](const ControlInfo& info, Metric metric,
                       std::vector<std::string> failing, std::string fix) {
    if (no_mail || !exists || s.tls_category == "no mail server") {
      controls.push_back(Make(info, ControlState::kNotApplicable,
                              "the domain receives no mail"));
    } else if (!probed || !s.Has(Metric::kSmtpReachable)) {
      controls.push_back(
          Make(info, ControlState::kNotMeasured,
               probed ? "no mail server answered" : "mail servers not probed"));
    } else {
      const bool pass = s.Has(metric);
      std::string why = "every answering mail server";
      if (!pass) {
        why = failing.empty()
                  ? "a server without STARTTLS cannot meet it (see STARTTLS)"
                  : absl::StrCat("failing: ", absl::StrJoin(failing, "; "));
      }
      controls.push_back(
          Make(info, PassOrFail(pass), std::move(why), std::move(fix)));
    }
  };
  transport(kStarttls, Metric::kStarttlsAllMx,
            ServersWhere(r, [](const MxHost&,
                               const SmtpProbe& p) { return !p.has_tls(); }),
            "Offer STARTTLS with a certificate on every server listed "
            "(RFC 3207): without it mail to them travels in plain text.");
  transport(kTls12, Metric::kTls12PlusAllMx,
            ServersWhere(r,
                         [](const MxHost&, const SmtpProbe& p) {
                           return p.has_tls() &&
                                  p.tls().version() != "TLSv1.2" &&
                                  p.tls().version() != "TLSv1.3";
                         }),
            "Allow TLS 1.2 and 1.3 only (RFC 8996 deprecates 1.0 and 1.1); "
            "servers without STARTTLS need it first.");
  transport(
      kCertificates, Metric::kValidCertAllMx,
      [&] {
        std::vector<std::string> out;
        for (const MxHost& host : r.mx()) {
          for (const MxAddress& a : host.addresses()) {
            if (!stats::Answered(a) || !a.smtp().has_tls()) continue;
            const TlsInfo& tls = a.smtp().tls();
            if (stats::CertificateValid(tls)) continue;
            out.push_back(
                absl::StrCat(host.host(), ": ", CertificateProblem(tls)));
          }
        }
        return out;
      }(),
      "Install a certificate from a public CA, valid for the MX host "
      "name and not expired, with its intermediates (RFC 6125; MTA-STS "
      "and many senders require it).");

  // SPF.
  const SpfResult& spf = r.spf();
  if (!exists) {
    controls.push_back(Make(kSpf, ControlState::kNotMeasured, "no DNS answer"));
  } else if (s.Has(Metric::kSpfHardfail)) {
    controls.push_back(Make(kSpf, ControlState::kPass, spf.record()));
  } else if (!spf.present() && spf.lookalikes_size() > 0) {
    // A record meant as SPF but not one: receivers see no SPF at all.
    const std::string& lookalike = spf.lookalikes(0);
    const size_t meant_at = lookalike.rfind(" (meant: ");
    std::string meant;
    if (meant_at != std::string::npos && absl::EndsWith(lookalike, ")")) {
      meant = lookalike.substr(meant_at + 9, lookalike.size() - meant_at - 10);
    }
    controls.push_back(Make(
        kSpf, ControlState::kFail, absl::StrCat("no SPF record: ", lookalike),
        "Receivers ignore a record that does not start with \"v=spf1\" "
        "and a space (RFC 7208 section 4.5): publish it in the SPF syntax.",
        meant.empty() ? "" : absl::StrCat(d, ". IN TXT \"", meant, "\"")));
  } else if (!spf.present()) {
    controls.push_back(Make(
        kSpf, ControlState::kFail, "no SPF record",
        no_mail ? "The domain sends no mail: publish an SPF record that "
                  "allows no host."
                : "Publish one SPF record listing every service that sends "
                  "for the domain, ending with -all (RFC 7208).",
        no_mail ? absl::StrCat(d, ". IN TXT \"v=spf1 -all\"") : ""));
  } else if (!spf.valid()) {
    controls.push_back(Make(
        kSpf, ControlState::kFail,
        absl::StrCat(spf.record(), " — ", absl::StrJoin(spf.errors(), "; ")),
        "Correct the record: receivers treat an invalid SPF record as a "
        "permanent error (RFC 7208 section 2.6.7)."));
  } else {
    const std::string hard = HardfailSpf(spf.record());
    controls.push_back(Make(
        kSpf, ControlState::kFail,
        spf.all().empty()
            ? absl::StrCat(spf.record(),
                           " has no all (the default result is neutral)")
            : absl::StrCat(spf.record(), " ends ", spf.all()),
        "End the record with -all once every sender is listed: ~all and ?all "
        "let forged mail through.",
        hard.empty() ? "" : absl::StrCat(d, ". IN TXT \"", hard, "\"")));
  }

  // DMARC.
  const DmarcResult& dmarc = r.dmarc();
  if (!exists && r.status() != DomainResult::NXDOMAIN) {
    controls.push_back(
        Make(kDmarc, ControlState::kNotMeasured, "no DNS answer"));
  } else if (s.Has(Metric::kDmarcEnforced)) {
    controls.push_back(Make(kDmarc, ControlState::kPass, dmarc.record()));
  } else if (!dmarc.present()) {
    controls.push_back(Make(
        kDmarc, ControlState::kFail, "no DMARC record applies",
        no_mail ? "Reject all mail claiming to come from the domain."
                : "Publish a DMARC record: start with p=none and a report "
                  "address to see who sends as the domain, then enforce "
                  "(p=quarantine, then p=reject). Replace the report "
                  "address with one you read.",
        no_mail
            ? absl::StrCat("_dmarc.", d, ". IN TXT \"v=DMARC1; p=reject\"")
            : absl::StrCat("_dmarc.", d, ". IN TXT \"v=DMARC1; p=none; rua=",
                           PlaceholderRua(d), "\"")));
  } else {
    std::vector<std::string> weak;
    if (dmarc.policy().empty()) weak.push_back("no usable policy");
    if (absl::AsciiStrToLower(dmarc.policy()) == "none")
      weak.push_back("p=none");
    if (dmarc.t() == "y") weak.push_back("t=y (testing)");
    if (dmarc.has_pct_tag() && dmarc.pct_tag() < 100) {
      weak.push_back(absl::StrCat("pct=", dmarc.pct_tag()));
    }
    if (weak.empty())
      weak.push_back("the subdomain policy (sp) does not enforce");
    controls.push_back(Make(
        kDmarc, ControlState::kFail,
        absl::StrCat(dmarc.record(), " — ", absl::StrJoin(weak, ", ")),
        dmarc.rua_size() > 0
            ? "Move the policy on to enforcement for all mail, keeping the "
              "report addresses: p=quarantine (then reject), without pct or "
              "t=y."
            : "Move the policy on to enforcement for all mail: p=quarantine "
              "(then reject), without pct or t=y. The record asks for no "
              "reports: add a report address you read (rua), and read the "
              "reports for a while before enforcing.",
        dmarc.inherited()
            ? ""
            : absl::StrCat("_dmarc.", d, ". IN TXT \"",
                           EnforcingDmarcRecord(dmarc, d), "\"")));
  }

  // MTA-STS.
  const MtaStsResult& sts = r.mta_sts();
  if (no_mail || !exists) {
    controls.push_back(Make(kMtaSts, ControlState::kNotApplicable,
                            "the domain receives no mail"));
  } else if (s.Has(Metric::kMtaStsEffective)) {
    controls.push_back(
        Make(kMtaSts, ControlState::kPass, "enforce, every MX covered"));
  } else if (!sts.txt_present()) {
    std::vector<std::string> hosts;
    for (const MxHost& host : r.mx()) hosts.push_back(host.host());
    const bool certs_ready = s.Has(Metric::kValidCertAllMx);
    // The id only has to change with the policy: the scan's time makes the
    // card the same each time it is built.
    std::time_t when =
        r.scan_started_at() > 0
            ? static_cast<std::time_t>(r.scan_started_at() / 1000)
            : std::time(nullptr);
    char id[32];
    std::strftime(id, sizeof(id), "%Y%m%d%H%M%S", std::gmtime(&when));
    std::string policy = "version: STSv1\nmode: testing\n";
    for (const std::string& h : hosts)
      absl::StrAppend(&policy, "mx: ", h, "\n");
    absl::StrAppend(&policy, "max_age: 86400\n");
    controls.push_back(Make(
        kMtaSts, ControlState::kFail, "no MTA-STS policy",
        certs_ready
            ? absl::StrCat("Every MX already presents a valid certificate: "
                           "publish the TXT record and serve the policy at "
                           "https://mta-sts.",
                           d,
                           "/.well-known/mta-sts.txt (RFC 8461), in testing "
                           "mode first, then mode: enforce.")
            : "Give every MX a valid certificate first, then publish an "
              "MTA-STS policy (RFC 8461).",
        certs_ready ? absl::StrCat("_mta-sts.", d, ". IN TXT \"v=STSv1; id=",
                                   id, "\"\n", policy)
                    : ""));
  } else {
    std::vector<std::string> why;
    if (!sts.policy_fetched()) why.push_back("the policy could not be fetched");
    if (sts.policy_fetched() && sts.mode() != "enforce") {
      why.push_back(absl::StrCat("mode ", sts.mode()));
    }
    for (const std::string& h : sts.mx_not_covered()) {
      why.push_back(absl::StrCat(h, " is not in the policy's mx lines"));
    }
    if (!s.Has(Metric::kValidCertAllMx)) why.push_back("invalid certificates");
    controls.push_back(Make(
        kMtaSts, ControlState::kFail, absl::StrJoin(why, "; "),
        "Serve the policy over HTTPS with a valid certificate, list every MX "
        "host in it, fix the certificates, then set mode: enforce."));
  }

  // TLS-RPT.
  if (no_mail || !exists) {
    controls.push_back(Make(kTlsRpt, ControlState::kNotApplicable,
                            "the domain receives no mail"));
  } else {
    controls.push_back(
        Make(kTlsRpt, PassOrFail(s.Has(Metric::kTlsRptPresent)),
             s.Has(Metric::kTlsRptPresent) ? r.tls_rpt().record()
                                           : "no TLS-RPT record",
             "Publish a TLS-RPT record to receive reports of failed TLS "
             "deliveries (RFC 8460). Replace the address with one you read.",
             absl::StrCat("_smtp._tls.", d,
                          ". IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@", d,
                          "\"")));
  }

  // DANE and DNSSEC need a validating resolver.
  if (no_mail || !exists) {
    controls.push_back(Make(kDane, ControlState::kNotApplicable,
                            "the domain receives no mail"));
  } else if (s.DnssecNotValidated()) {
    controls.push_back(
        Make(kDane, ControlState::kNotMeasured,
             "scanned through a resolver that does not validate"));
  } else {
    std::string record;
    for (const MxHost& host : r.mx()) {
      for (const MxAddress& a : host.addresses()) {
        if (!a.smtp().has_tls() ||
            a.smtp().tls().cert_chain_sha256_size() == 0) {
          continue;
        }
        record = absl::StrCat("_25._tcp.", host.host(), ". IN TLSA 3 0 1 ",
                              a.smtp().tls().cert_chain_sha256(0));
        break;
      }
      if (!record.empty()) break;
    }
    controls.push_back(Make(
        kDane, PassOrFail(s.Has(Metric::kDaneEffective)),
        s.Has(Metric::kDaneEffective) ? "every MX authenticated by DANE"
                                      : "no usable, secure TLSA on every MX",
        "Sign the MX hosts' zones with DNSSEC and publish TLSA records for "
        "each (RFC 7672). The record below pins the first MX's current "
        "certificate (3 0 1); a 3 1 1 record of its public key survives "
        "renewals that keep the key.",
        record));
  }
  if (!exists) {
    controls.push_back(
        Make(kDnssec, ControlState::kNotMeasured, "no DNS answer"));
  } else if (s.DnssecNotValidated()) {
    controls.push_back(
        Make(kDnssec, ControlState::kNotMeasured,
             "scanned through a resolver that does not validate"));
  } else {
    controls.push_back(Make(
        kDnssec, PassOrFail(s.Has(Metric::kDnssec)),
        s.Has(Metric::kDnssec)
            ? "the MX answer validated"
            : absl::StrCat("DNSSEC status ",
                           DnssecStatus_Name(r.dnssec_status()),
                           r.dnssec_detail().empty()
                               ? ""
                               : absl::StrCat(" (", r.dnssec_detail(), ")")),
        "Sign the zone and publish its DS record at the parent (ask the "
        "registrar)."));
  }

  // DKIM.
  if (no_mail || !exists) {
    controls.push_back(
        Make(kDkim, ControlState::kNotApplicable, "the domain sends no mail"));
  } else {
    std::vector<std::string> selectors;
    for (const DkimKey& k : r.dkim()) {
      if (k.valid() && !k.revoked()) selectors.push_back(k.selector());
    }
    controls.push_back(Make(
        kDkim, PassOrFail(!selectors.empty()),
        selectors.empty()
            ? "no key under the selectors asked"
            : absl::StrCat("selectors: ", absl::StrJoin(selectors, ", ")),
        "Sign outgoing mail with DKIM (RFC 6376) and publish each sending "
        "service's key; the scan asks common selectors only, so a key under "
        "another selector is not seen."));
  }

  for (const ControlResult& c : controls) {
    if (c.state == ControlState::kPass) ++card.passed;
    if (c.state == ControlState::kPass || c.state == ControlState::kFail) {
      ++card.applicable;
    }
  }

  // Evidence.
  for (const MxHost& host : r.mx()) {
    if (host.addresses_size() == 0) {
      card.evidence.push_back(absl::StrCat("MX ", host.preference(), " ",
                                           host.host(), ": no address"));
    }
    for (const MxAddress& a : host.addresses()) {
      const SmtpProbe& p = a.smtp();
      std::string line = absl::StrCat("MX ", host.preference(), " ",
                                      host.host(), " (", a.ip(), "): ");
      if (!a.has_smtp()) {
        absl::StrAppend(&line, "not probed");
      } else if (!stats::Answered(a)) {
        absl::StrAppend(
            &line, "no answer",
            p.has_error() ? absl::StrCat(" (", p.error().message(), ")") : "");
      } else if (!p.has_tls()) {
        absl::StrAppend(
            &line, "banner ", p.banner_code(),
            p.starttls_offered() ? ", STARTTLS failed" : ", no STARTTLS");
      } else {
        absl::StrAppend(
            &line, p.tls().version(), " ", p.tls().cipher(),
            stats::CertificateValid(p.tls())
                ? ", certificate valid"
                : absl::StrCat(", certificate ", CertificateProblem(p.tls())));
      }
      if (!p.software().empty() && p.software() != "unknown") {
        absl::StrAppend(&line, ", ", p.software());
      }
      card.evidence.push_back(std::move(line));
    }
  }
  if (spf.present())
    card.evidence.push_back(absl::StrCat("SPF: ", spf.record()));
  if (dmarc.present()) {
    card.evidence.push_back(
        absl::StrCat("DMARC (", dmarc.inherited() ? "inherited from " : "at ",
                     dmarc.record_domain().empty() ? d : dmarc.record_domain(),
                     "): ", dmarc.record()));
  }
  if (sts.txt_present()) {
    card.evidence.push_back(absl::StrCat("MTA-STS: ", sts.record(),
                                         sts.mode().empty() ? "" : ", mode ",
                                         sts.mode()));
  }
  return card;
}

std::string RenderCardText(const Card& card) {
  std::string out = absl::StrCat(card.domain);
  if (!card.organization.empty())
    absl::StrAppend(&out, " — ", card.organization);
  if (!card.sector.empty()) absl::StrAppend(&out, " (", card.sector, ")");
  absl::StrAppend(&out, "\n", card.passed, " of ", card.applicable,
                  " applicable controls met\n\n");
  for (const ControlResult& c : card.controls) {
    const char* mark = c.state == ControlState::kPass          ? "PASS"
                       : c.state == ControlState::kFail        ? "FAIL"
                       : c.state == ControlState::kNotMeasured ? "n/m "
                                                               : "n/a ";
    absl::StrAppend(&out, "  [", mark, "] ", c.title, ": ", c.why, "\n");
    if (!c.fix.empty()) absl::StrAppend(&out, "         fix: ", c.fix, "\n");
    if (!c.record.empty()) {
      for (absl::string_view line : absl::StrSplit(c.record, '\n')) {
        if (!line.empty()) absl::StrAppend(&out, "           ", line, "\n");
      }
    }
  }
  absl::StrAppend(&out, "\nevidence:\n");
  for (const std::string& e : card.evidence)
    absl::StrAppend(&out, "  ", e, "\n");
  absl::StrAppend(
      &out, "\n(definitions: scanner/stats/METRICS.md; n/m: not measured)\n");
  return out;
}

std::string RenderCardJson(const Card& card) {
  std::string out;
  // Appends `"name":"value"`, after a comma unless first in its object.
  auto field = [&out](const char* name, absl::string_view value,
                      bool first = false) {
    absl::StrAppend(&out, first ? "" : ",", "\"", name, "\":");
    base::AppendJsonString(value, &out);
  };
  out.push_back('{');
  field("domain", card.domain, /*first=*/true);
  field("organization", card.organization);
  field("sector", card.sector);
  absl::StrAppend(&out, ",\"passed\":", card.passed, ",\"applicable\":",
                  card.applicable, ",\"controls\":[");
  for (size_t i = 0; i < card.controls.size(); ++i) {
    const ControlResult& c = card.controls[i];
    out.append(i > 0 ? ",{" : "{");
    field("key", c.key, /*first=*/true);
    field("title", c.title);
    field("metric", c.metric);
    field("state", ControlStateName(c.state));
    field("why", c.why);
    field("fix", c.fix);
    field("record", c.record);
    out.push_back('}');
  }
  out.append("],\"evidence\":[");
  for (size_t i = 0; i < card.evidence.size(); ++i) {
    if (i > 0) out.push_back(',');
    base::AppendJsonString(card.evidence[i], &out);
  }
  out.append("]}\n");
  return out;
}

}  // namespace mxscan::report_card
