#ifndef MXSCAN_SCANNER_SCAN_SCAN_WORKER_H_
#define MXSCAN_SCANNER_SCAN_SCAN_WORKER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/mxscan.pb.h"
#include "scanner/core/loop_thread.h"
#include "scanner/core/pipeline.h"
#include "scanner/core/uv_handle.h"
#include "scanner/core/worker.h"
#include "scanner/dns/client.h"
#include "scanner/results/result_writer.h"
#include "scanner/scan/client_dns_source.h"
#include "scanner/scan/dns_cache.h"
#include "scanner/scan/domain_input.h"
#include "scanner/scan/probe_cache.h"
#include "scanner/scan/scan_options.h"
#include "scanner/tls/certificate_judge.h"
#include "scanner/tls/tls_client.h"
#include "scanner/tls/trust_store.h"
#include "scanner/tls/verdict_cache.h"

namespace mxscan::scan {

// ProbeSettings: what every worker's SMTP probing and MTA-STS fetching
// share, read-only.
struct ProbeSettings {
  std::shared_ptr<const tls::TrustStore> trust;
  ProbeCacheOptions probes;
  // Extra handshakes capped at TLS 1.2, 1.1 and 1.0 (--probe-tls-versions,
  // --tls-census).
  bool probe_tls_versions = false;
};

// ScanWorkerConfig is what each worker is built from; shared, read-only,
// it outlives the workers.
struct ScanWorkerConfig {
  const dns::ClientOptions* client = nullptr;
  DnsCacheOptions cache;
  const ScanOptions* options = nullptr;
  const ProbeSettings* probe = nullptr;  // null: no SMTP, no MTA-STS fetch
  std::string output;                    // the result directory
  std::string run_id;                    // names this run's files
};

// ScanCounts are the scan-wide counts the workers add theirs to when they
// finish (the records by status as they go). Thread-safe.
struct ScanCounts {
  std::atomic<uint64_t> by_status[6] = {};
  std::atomic<uint64_t> questions{0};
  std::atomic<uint64_t> cache_hits{0};
  std::atomic<uint64_t> coalesced{0};
  std::atomic<uint64_t> queries{0};
  std::atomic<uint64_t> query_timeouts{0};
  // Answers taken that came after their attempt had timed out (the
  // question was still open, retried).
  std::atomic<uint64_t> late_answers{0};
  // Datagrams that answered no query in flight: mostly answers to a
  // question that had ended (a retry's answer came first, or the last
  // attempt timed out).
  std::atomic<uint64_t> unmatched_answers{0};
  std::atomic<uint64_t> records{0};
  std::atomic<uint64_t> probes{0};
  std::atomic<uint64_t> probe_requests{0};
  std::atomic<uint64_t> pq_selection_probes{0};
  std::atomic<uint64_t> census_probes{0};
  std::atomic<uint64_t> provider_waits{0};
};

// ScanWorker scans the domains routed to one worker loop: its own DNS
// client and cache (every domain of the worker shares them), its own TLS
// contexts, verdict and probe caches (no locks between loops), its own
// result files (records, and each distinct certificate once). Created on
// its loop's thread, used there only (checked).
class ScanWorker : public core::PipelineJob<DomainInput> {
 public:
  static absl::StatusOr<std::unique_ptr<ScanWorker>> Create(
      core::Worker& worker, const ScanWorkerConfig& config, ScanCounts& counts);

  void Process(DomainInput input, absl::AnyInvocable<void(bool)> done) override;
  absl::Status FatalError() const override { return status_; }
  absl::Status Finish() override;

 private:
  ScanWorker(uv_loop_t* loop, std::unique_ptr<dns::Client> client,
             std::unique_ptr<results::ResultWriter> records,
             const ScanWorkerConfig& config, ScanCounts& counts);
  void StartProbing(const ProbeSettings& probe);
  void StartFlushTimer();
  void StoreCertificates(const std::vector<std::string>& chain,
                         const tls::CertificateVerdict& verdict);
  void FlushCertificates();
  void FlushWriters();
  void Keep(const absl::Status& status);

  core::LoopThread thread_;
  uv_loop_t* loop_;
  const ScanWorkerConfig& config_;
  ScanCounts& counts_;
  std::unique_ptr<dns::Client> client_;
  ClientDnsSource client_source_;
  std::unique_ptr<DnsCache> cache_;
  std::unique_ptr<results::ResultWriter> records_;
  // Certificates go to their own files, each distinct one once per
  // worker: a big provider's chain would otherwise be repeated in
  // thousands of records (which carry the SHA-256 only).
  std::unique_ptr<results::ResultWriter> certificates_;
  absl::flat_hash_set<std::string> stored_certificates_;
  bool certificates_pending_ = false;  // written, not handed to the kernel
  core::UvHandle<uv_timer_t> flush_timer_;
  std::unique_ptr<tls::ClientContext> tls_;
  std::vector<std::unique_ptr<tls::ClientContext>> capped_;
  std::unique_ptr<tls::VerdictCache> verdicts_;
  std::unique_ptr<ProbeCache> probes_;
  ScanServices services_;
  absl::Status status_;
};

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_SCAN_WORKER_H_
