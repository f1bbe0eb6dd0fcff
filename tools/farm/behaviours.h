#ifndef MXSCAN_TOOLS_FARM_BEHAVIOURS_H_
#define MXSCAN_TOOLS_FARM_BEHAVIOURS_H_

// The farm's configuration: which SMTP behaviour each loopback address has,
// and which HTTPS behaviour each MTA-STS policy host has. Read from the
// JSON file given with --behaviours:
//
//   {
//     "127.1.2.3": {"behaviour": "valid", "names": ["mx1.dept.gov.sim"]},
//     "::ffff:127.1.2.4": {"behaviour": "slow_banner",
//                          "host": "mx2.gov.sim", "delay_ms": 5000},
//     "mta-sts.dept.gov.sim": {"behaviour": "redirect"}
//   }
//
// Keys are either a loopback address (127.0.0.0/8; ::ffff:127.x.y.z, which
// is the same IPv4 address reached from an IPv6 socket; ::1) carrying an
// SMTP behaviour, or an MTA-STS policy host name ("mta-sts.<domain>")
// carrying an HTTPS behaviour. Entry fields:
//   behaviour  required; one of the names below
//   names      the MX host names the server presents (banner, certificate)
//   host       one name, as tools/sim/gen_sector.py writes it; merged
//              into `names`
//   delay_ms   for slow_banner and slow (default 3000); delay_s also works
//   addresses  policy hosts only: extra loopback addresses on which the
//              HTTPS listener also accepts (127.0.0.1 always)
// Other fields are ignored. Unknown behaviours, non-loopback addresses and
// malformed entries are errors.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mxscan::farm {

enum class SmtpBehaviour {
  kValid,
  kNoStarttls,
  kStarttlsRefused,
  kTls10Only,
  kExpired,
  kSelfSigned,
  kWrongName,
  kMissingIntermediate,
  kMultilineBanner,
  kDefer421,
  kSlowBanner,
  kSilent,
  kEndlessLine,
  kHugeReply,
  kGarbageTls,
  kResetHandshake,
  kEhlo502,
  kStarttlsInjection,
  kTlsAnyVersion,  // TLS 1.0 to 1.3, as Exim's defaults take
};

enum class HttpsBehaviour { kValid, kRedirect, kExpired, kHuge, kSlow };

// The JSON spelling of a behaviour ("no_starttls"), and back.
absl::string_view SmtpBehaviourName(SmtpBehaviour behaviour);
absl::StatusOr<SmtpBehaviour> ParseSmtpBehaviour(absl::string_view name);
absl::string_view HttpsBehaviourName(HttpsBehaviour behaviour);
absl::StatusOr<HttpsBehaviour> ParseHttpsBehaviour(absl::string_view name);

constexpr int64_t kDefaultDelayMs = 3000;

// One SMTP server of the farm.
struct SmtpSite {
  std::string address;  // canonical listen address: "127.1.2.3", "::1"
  SmtpBehaviour behaviour = SmtpBehaviour::kValid;
  std::vector<std::string> names;  // MX host names, lowercase; never empty
  int64_t delay_ms = kDefaultDelayMs;

  // The name of the banner and EHLO greeting (the first name).
  const std::string& name() const { return names.front(); }
};

// One MTA-STS policy host ("mta-sts.<domain>") with a non-default
// behaviour. Hosts without an entry behave as kValid.
struct HttpsSite {
  std::string host;  // lowercase
  HttpsBehaviour behaviour = HttpsBehaviour::kValid;
  int64_t delay_ms = kDefaultDelayMs;
  std::vector<std::string> addresses;  // canonical loopback addresses
};

struct FarmConfig {
  std::vector<SmtpSite> smtp;              // one per distinct address
  std::map<std::string, HttpsSite> https;  // by host
};

// The name an address-keyed entry falls back to when it names no host.
inline constexpr char kFallbackName[] = "mx.farm.sim";

// CanonicalLoopbackAddress maps "127.1.2.3", "::ffff:127.1.2.3" (the same
// IPv4 address) and "::1" to the address to listen on; anything that is
// not loopback is InvalidArgument.
absl::StatusOr<std::string> CanonicalLoopbackAddress(absl::string_view text);

// ParseBehaviours reads the --behaviours JSON (see above).
absl::StatusOr<FarmConfig> ParseBehaviours(absl::string_view json);

}  // namespace mxscan::farm

#endif  // MXSCAN_TOOLS_FARM_BEHAVIOURS_H_
