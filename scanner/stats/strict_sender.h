#ifndef MXSCAN_SCANNER_STATS_STRICT_SENDER_H_
#define MXSCAN_SCANNER_STATS_STRICT_SENDER_H_

#include <string>
#include <vector>

#include "proto/mxscan.pb.h"

namespace mxscan::stats {

// What a sending MTA that enforces DANE (RFC 7672) and MTA-STS (RFC 8461)
// would do with mail to a domain today, from the domain's record
// (scanner/stats/METRICS.md, "What a strict sender would do"). Pure; a
// value per domain.

inline constexpr char kSenderNotMeasured[] = "not measured";
inline constexpr char kSenderUnreachable[] = "unreachable";
inline constexpr char kSenderNoMail[] = "no mail";
inline constexpr char kSenderDnssecBogus[] =
    "would not deliver: DNSSEC bogus";
inline constexpr char kSenderTlsaMismatch[] =
    "would not deliver: TLSA matches no certificate";
inline constexpr char kSenderDaneNoStarttls[] =
    "would not deliver: no STARTTLS on a DANE host";
inline constexpr char kSenderStsMxNotCovered[] =
    "would not deliver: MX not in the MTA-STS policy";
inline constexpr char kSenderStsBadCertificate[] =
    "would not deliver: invalid certificate under MTA-STS";
inline constexpr char kSenderStsNoStarttls[] =
    "would not deliver: no STARTTLS under MTA-STS";
inline constexpr char kSenderPlaintext[] = "plaintext";
inline constexpr char kSenderUnauthenticatedTls[] = "unauthenticated TLS";
inline constexpr char kSenderMtaSts[] = "authenticated by MTA-STS";
inline constexpr char kSenderDane[] = "authenticated by DANE";

// StrictSenderOutcomes: every outcome, in report order (worst first).
const std::vector<std::string>& StrictSenderOutcomes();

// WouldNotDeliver: the outcome is one of the "would not deliver" ones.
bool WouldNotDeliver(const std::string& outcome);

// StrictSenderOutcome is the outcome for one domain's record.
std::string StrictSenderOutcome(const DomainResult& result);

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_STRICT_SENDER_H_
