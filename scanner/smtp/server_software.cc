#include "scanner/smtp/server_software.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace mxscan::smtp {
namespace {

struct Pattern {
  const char* family;
  // Any of these in the banner or the EHLO greeting.
  std::vector<const char*> texts;
  // Any of these as the suffix of the host name (banner or EHLO domain).
  std::vector<const char*> host_suffixes;
};

const std::vector<Pattern>& Patterns() {
  static const std::vector<Pattern>* const kPatterns = new std::vector<Pattern>{
      {"Microsoft Exchange Online", {}, {".outlook.com", ".office365.com"}},
      {"Microsoft Exchange",
       {"microsoft esmtp mail service", "microsoft smtp server",
        "microsoft exchange"},
       {}},
      {"Google", {"mx.google.com", "smtp.gmail.com", "gsmtp"}, {".google.com"}},
      {"Postfix", {"postfix"}, {}},
      {"Exim", {"exim"}, {}},
      {"Sendmail", {"sendmail"}, {}},
      {"Cisco Secure Email", {"ironport", "cisco"}, {}},
      {"Proofpoint", {"proofpoint"}, {".pphosted.com"}},
      {"Mimecast", {"mimecast"}, {".mimecast.com"}},
      {"Barracuda", {"barracuda"}, {}},
      {"Fortinet FortiMail", {"fortimail"}, {}},
      {"Sophos", {"sophos"}, {}},
      {"Trend Micro", {"trend micro"}, {".tmes.trendmicro.com"}},
      {"OpenSMTPD", {"opensmtpd"}, {}},
      {"Haraka", {"haraka"}, {}},
      {"qmail", {"qmail"}, {}},
      {"hMailServer", {"hmailserver"}, {}},
      {"MDaemon", {"mdaemon"}, {}},
      {"Kerio Connect", {"kerio"}, {}},
      {"IceWarp", {"icewarp"}, {}},
      {"CommuniGate Pro", {"communigate"}, {}},
      {"HCL Domino", {"domino"}, {}},
      {"Zimbra", {"zimbra"}, {}},
      {"Amazon SES", {"amazonses", "amazon ses"}, {".amazonaws.com"}},
      {"Yahoo", {"yahoo.com esmtp"}, {".yahoodns.net"}},
      {"Zoho", {"zoho"}, {".zoho.com", ".zoho.eu"}},
      {"Fastmail", {}, {".messagingengine.com"}},
  };
  return *kPatterns;
}

// The host name a banner starts with ("220 mx.example.org ESMTP ...": the
// caller passes the text after the code).
std::string FirstWord(absl::string_view text) {
  text = absl::StripLeadingAsciiWhitespace(text);
  return absl::AsciiStrToLower(text.substr(0, text.find_first_of(" \r\n")));
}

}  // namespace

std::string ServerSoftware(absl::string_view banner,
                           absl::string_view ehlo_greeting,
                           absl::string_view ehlo_host) {
  const std::string text =
      absl::AsciiStrToLower(absl::StrCat(banner, "\n", ehlo_greeting));
  const std::string hosts[] = {
      absl::StrCat(".", absl::StripSuffix(FirstWord(banner), ".")),
      absl::StrCat(".",
                   absl::StripSuffix(absl::AsciiStrToLower(ehlo_host), "."))};
  for (const Pattern& p : Patterns()) {
    for (const char* needle : p.texts) {
      if (absl::StrContains(text, needle)) return p.family;
    }
    for (const char* suffix : p.host_suffixes) {
      for (const std::string& host : hosts) {
        if (host.size() > 1 && absl::EndsWith(host, suffix)) return p.family;
      }
    }
  }
  return "unknown";
}

const std::vector<std::string>& ServerSoftwareFamilies() {
  static const std::vector<std::string>* const kFamilies = [] {
    auto* families = new std::vector<std::string>;
    for (const Pattern& p : Patterns()) families->push_back(p.family);
    families->push_back("unknown");
    return families;
  }();
  return *kFamilies;
}

}  // namespace mxscan::smtp
