#ifndef MXSCAN_SCANNER_STATS_SERVER_FACTS_H_
#define MXSCAN_SCANNER_STATS_SERVER_FACTS_H_

#include "proto/mxscan.pb.h"

namespace mxscan::stats {

// Facts about one mail server or MX host that several statistics share
// (scanner/stats/METRICS.md defines them).

// Answered: the session got a 2xx greeting. Connect failures, timeouts,
// 4xx/5xx greetings, deferrals and blocklisted addresses do not answer.
bool Answered(const MxAddress& address);

// CertificateValid: the chain validates to the CA file, the leaf is valid
// for the MX host name and not expired (what MTA-STS requires).
bool CertificateValid(const TlsInfo& tls);

// UsableForSmtp: a TLSA record RFC 7672 section 3.1 lets SMTP use: usage
// DANE-TA(2) or DANE-EE(3), selector 0 or 1, matching type 0, 1 or 2.
bool UsableForSmtp(const TlsaRecord& record);

// HasUsableSecureTlsa: the host's TLSA RRset was DNSSEC-authenticated and
// holds a record usable for SMTP: a sender that enforces DANE must
// authenticate the host with it (RFC 7672 section 2.2).
bool HasUsableSecureTlsa(const MxHost& host);

// ReceivesNoMail: the domain takes no mail: it does not exist, it has a
// null MX and no other MX record, or no MX record and no A or AAAA record
// for its name (both address questions answered, none failed).
bool ReceivesNoMail(const DomainResult& result);

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_SERVER_FACTS_H_
