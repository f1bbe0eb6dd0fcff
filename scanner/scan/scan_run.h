#ifndef MXSCAN_SCANNER_SCAN_SCAN_RUN_H_
#define MXSCAN_SCANNER_SCAN_SCAN_RUN_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scanner/dns/client.h"
#include "scanner/results/shard.h"
#include "scanner/scan/blocklist.h"
#include "scanner/scan/dns_cache.h"
#include "scanner/scan/scan_options.h"
#include "scanner/scan/scan_worker.h"
#include "scanner/smtp/ehlo_name.h"

namespace mxscan::scan {

// ScanConfig is a whole scan: what `mxscan scan` makes of its flags. The
// objects `options` points to (the Public Suffix List, the blocklist)
// must outlive RunScan.
struct ScanConfig {
  ScanOptions options;
  dns::ClientOptions client;
  DnsCacheOptions cache;
  std::optional<ProbeSettings> probe;  // nullopt: --no-smtp
  smtp::EhloNameChoice ehlo;
  results::Shard shard;
  int workers = 1;
  int concurrency = 1000;  // domains in flight over all workers
  std::string input = "-";
  std::string output;
  bool resume = false;
  bool show_progress = false;
  // The zone whose DNSKEY a validating resolver answers with AD.
  std::string trust_anchor_zone = ".";
  // For the manifest: how the scan was asked for.
  std::vector<std::string> command_line;
  std::map<std::string, std::string> option_values;  // flag -> value
  std::string ca_file;
  std::string psl_file;
  std::string dmarc_profile;
};

// ScanSummary is what a finished (or interrupted) scan reports.
struct ScanSummary {
  bool interrupted = false;  // stopped by SIGINT/SIGTERM
};

// RunScan runs a scan from start to end: the checks before it (the EHLO
// name's DNS, whether each resolver validates: warnings on stderr), the
// output directory and its resume point, the manifest (before the first
// record and at the end), one ScanWorker per worker loop over the input,
// and the summary line on stderr. The error is FailedPrecondition when
// the output directory holds another scan and --resume was not given.
absl::StatusOr<ScanSummary> RunScan(const ScanConfig& config);

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_SCAN_RUN_H_
