#ifndef MXSCAN_SCANNER_SMTP_SERVER_SOFTWARE_H_
#define MXSCAN_SCANNER_SMTP_SERVER_SOFTWARE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace mxscan::smtp {

// The mail server software family, told from what the server says of
// itself: the banner (220 greeting), the EHLO greeting and its host name.
// Pure; a documented table of patterns, first match wins, matched without
// case:
//
//   family                      pattern (in the banner unless said)
//   Microsoft Exchange Online   host name ending in .outlook.com or
//                               .office365.com (checked first)
//   Microsoft Exchange          "Microsoft ESMTP MAIL Service",
//                               "Microsoft SMTP Server", "Microsoft Exchange"
//   Google                      "mx.google.com", "smtp.gmail.com", "gsmtp"
//   Postfix                     "Postfix"
//   Exim                        "Exim"
//   Sendmail                    "Sendmail"
//   Cisco Secure Email          "IronPort", "Cisco"
//   Proofpoint                  "Proofpoint", host name in pphosted.com
//   Mimecast                    "Mimecast", host name in mimecast.com
//   Barracuda                   "Barracuda"
//   Fortinet FortiMail          "FortiMail"
//   Sophos                      "Sophos"
//   Trend Micro                 "Trend Micro", host name in tmes.trendmicro
//   OpenSMTPD                   "OpenSMTPD"
//   Haraka                      "Haraka"
//   qmail                       "qmail"
//   hMailServer                 "hMailServer"
//   MDaemon                     "MDaemon"
//   Kerio Connect               "Kerio"
//   IceWarp                     "IceWarp"
//   CommuniGate Pro             "CommuniGate"
//   HCL Domino                  "Domino"
//   Zimbra                      "Zimbra"
//   Amazon SES                  "amazonses", "Amazon SES"
//   Yahoo                       "yahoo.com ESMTP", host name in yahoodns.net
//   Zoho                        "Zoho"
//   Fastmail                    host name in messagingengine.com
//   unknown                     none of these (banners often say nothing)
//
// A banner can lie or be rewritten by a gateway: this is what the server
// presents itself as, not proof of what runs it.
std::string ServerSoftware(absl::string_view banner,
                           absl::string_view ehlo_greeting,
                           absl::string_view ehlo_host);

// Every family ServerSoftware can return, "unknown" last.
const std::vector<std::string>& ServerSoftwareFamilies();

}  // namespace mxscan::smtp

#endif  // MXSCAN_SCANNER_SMTP_SERVER_SOFTWARE_H_
