#ifndef MXSCAN_SCANNER_CLI_COMMON_FLAGS_H_
#define MXSCAN_SCANNER_CLI_COMMON_FLAGS_H_

#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "scanner/dns/client.h"
#include "scanner/smtp/ehlo_name.h"

// Flags shared by the mxscan commands (DESIGN.md's command-line contract).
ABSL_DECLARE_FLAG(std::string, input);
ABSL_DECLARE_FLAG(std::string, output);
ABSL_DECLARE_FLAG(std::string, format);
ABSL_DECLARE_FLAG(std::vector<std::string>, resolver);
ABSL_DECLARE_FLAG(int, concurrency);
ABSL_DECLARE_FLAG(double, rate);
ABSL_DECLARE_FLAG(int, timeout_ms);
ABSL_DECLARE_FLAG(int, retries);
ABSL_DECLARE_FLAG(int, workers);
ABSL_DECLARE_FLAG(bool, no_progress);
ABSL_DECLARE_FLAG(std::string, ca_file);
ABSL_DECLARE_FLAG(std::string, ehlo_name);
ABSL_DECLARE_FLAG(std::string, psl_file);

namespace mxscan::cli {

// RepeatedFlagValues returns every value given for `--name` in argv
// ("--name=a", "--name a", comma-separated lists), in order; absl keeps
// only the last occurrence of a flag, but --resolver is repeatable.
std::vector<std::string> RepeatedFlagValues(int argc, char** argv,
                                            const std::string& name);

// DnsClientOptionsFromFlags builds the DNS client options (resolvers from
// `resolvers`, else /etc/resolv.conf) shared by `dns` and `scan`.
absl::StatusOr<dns::ClientOptions> DnsClientOptionsFromFlags(
    const std::vector<std::string>& resolvers, int workers);

// WorkerCount is --workers, or one per core.
int WorkerCount();

// ConcurrencyFromFlags is --concurrency, or 1,000 per worker when it is 0;
// out of 1..1000000 it is an error naming the flag.
absl::StatusOr<int> ConcurrencyFromFlags(int workers);

// EhloNameFromFlags is --ehlo-name, or else the machine's fully qualified
// name (smtp::ChooseEhloName over the host name, /etc/mailname and
// /etc/hosts); when it has none, the warning is printed on stderr as
// `command`'s.
smtp::EhloNameChoice EhloNameFromFlags(const char* command);

}  // namespace mxscan::cli

#endif  // MXSCAN_SCANNER_CLI_COMMON_FLAGS_H_
