#include "scanner/scan/scan_worker.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "scanner/results/valid_utf8.h"
#include "scanner/scan/domain_scan.h"

namespace mxscan::scan {
namespace {

// Buffered records reach the kernel at least once a second, so that a
// killed scan loses at most the last second's records (--resume scans
// them again).
constexpr uint64_t kFlushIntervalMs = 1000;

// Certificate files are rotated sooner than record files: they are few.
constexpr uint64_t kMaxCertificateFileBytes = 64ull << 20;

}  // namespace

absl::StatusOr<std::unique_ptr<ScanWorker>> ScanWorker::Create(
    core::Worker& worker, const ScanWorkerConfig& config, ScanCounts& counts) {
  absl::StatusOr<std::unique_ptr<dns::Client>> client =
      dns::Client::Create(worker.loop(), *config.client);
  if (!client.ok()) return client.status();
  absl::StatusOr<std::unique_ptr<results::ResultWriter>> records =
      results::ResultWriter::Open(
          config.output,
          absl::StrCat("part-", config.run_id, "-w", worker.index()));
  if (!records.ok()) return records.status();
  std::unique_ptr<ScanWorker> scan_worker(new ScanWorker(
      worker.loop(), *std::move(client), *std::move(records), config, counts));
  if (config.probe != nullptr) {
    absl::StatusOr<std::unique_ptr<results::ResultWriter>> certificates =
        results::ResultWriter::Open(
            config.output,
            absl::StrCat("certificates-", config.run_id, "-w", worker.index()),
            kMaxCertificateFileBytes, ".certs");
    if (!certificates.ok()) return certificates.status();
    scan_worker->certificates_ = *std::move(certificates);
    scan_worker->StartProbing(*config.probe);
  }
  scan_worker->StartFlushTimer();
  return scan_worker;
}

ScanWorker::ScanWorker(uv_loop_t* loop, std::unique_ptr<dns::Client> client,
                       std::unique_ptr<results::ResultWriter> records,
                       const ScanWorkerConfig& config, ScanCounts& counts)
    : loop_(loop),
      config_(config),
      counts_(counts),
      client_(std::move(client)),
      client_source_(*client_),
      cache_(std::make_unique<DnsCache>(loop, client_source_, config.cache)),
      records_(std::move(records)) {
  services_.loop = loop;
}

void ScanWorker::StartProbing(const ProbeSettings& probe) {
  tls_ = *tls::ClientContext::Create(tls::ClientContextOptions());
  verdicts_ = std::make_unique<tls::VerdictCache>(probe.trust);
  ProbeCacheOptions probes = probe.probes;
  if (probe.probe_tls_versions) {
    for (uint16_t version : {TLS1_VERSION, TLS1_1_VERSION, TLS1_2_VERSION}) {
      tls::ClientContextOptions capped;
      capped.max_version = version;
      capped_.push_back(*tls::ClientContext::Create(capped));
      probes.capped_contexts.push_back(capped_.back().get());
    }
  }
  probes_ =
      std::make_unique<ProbeCache>(loop_, std::move(probes), *tls_, *verdicts_);
  services_.tls = tls_.get();
  services_.verdicts = verdicts_.get();
  services_.probes = probes_.get();
  probes_->set_chain_sink([this](const std::vector<std::string>& chain,
                                 const tls::CertificateVerdict& verdict) {
    StoreCertificates(chain, verdict);
  });
}

void ScanWorker::StartFlushTimer() {
  if (uv_timer_init(loop_, flush_timer_.get()) != 0) return;
  flush_timer_.MarkInitialized();
  flush_timer_.get()->data = this;
  uv_timer_start(
      flush_timer_.get(),
      [](uv_timer_t* timer) {
        static_cast<ScanWorker*>(timer->data)->FlushWriters();
      },
      kFlushIntervalMs, kFlushIntervalMs);
  uv_unref(flush_timer_.as_handle());  // never keeps the loop alive
}

void ScanWorker::Process(DomainInput input,
                         absl::AnyInvocable<void(bool)> done) {
  thread_.Check("ScanWorker");
  StartDomainScan(
      *cache_, *config_.options, &services_, std::move(input),
      [this, done = std::move(done)](DomainResult result) mutable {
        counts_.by_status[std::min<int>(result.status(), 5)].fetch_add(1);
        results::MakeStringsValidUtf8(&result);
        FlushCertificates();
        Keep(records_->Write(result));
        done(result.status() != DomainResult::OK);
      });
}

absl::Status ScanWorker::Finish() {
  thread_.Check("ScanWorker");
  flush_timer_.Reset();
  FlushCertificates();
  Keep(records_->Close());
  if (certificates_) Keep(certificates_->Close());
  const DnsCacheStats& stats = cache_->stats();
  counts_.questions.fetch_add(stats.lookups);
  counts_.cache_hits.fetch_add(stats.hits);
  counts_.coalesced.fetch_add(stats.coalesced);
  counts_.queries.fetch_add(client_->stats().sent);
  counts_.query_timeouts.fetch_add(client_->stats().timeouts);
  counts_.late_answers.fetch_add(client_->stats().late_answers);
  counts_.unmatched_answers.fetch_add(client_->stats().unexpected);
  counts_.records.fetch_add(records_->records());
  if (probes_) {
    counts_.probes.fetch_add(probes_->stats().probes);
    counts_.probe_requests.fetch_add(probes_->stats().requests);
    counts_.pq_selection_probes.fetch_add(probes_->stats().pq_selection_probes);
    counts_.census_probes.fetch_add(probes_->stats().census_probes);
    counts_.provider_waits.fetch_add(probes_->stats().provider_waits);
  }
  probes_.reset();
  verdicts_.reset();
  capped_.clear();
  tls_.reset();
  cache_.reset();
  client_.reset();
  return status_;
}

void ScanWorker::StoreCertificates(const std::vector<std::string>& chain,
                                   const tls::CertificateVerdict& verdict) {
  if (!certificates_) return;
  google::protobuf::RepeatedPtrField<Certificate> certificates;
  tls::FillCertificates(verdict, chain, &certificates);
  for (Certificate& certificate : certificates) {
    if (!stored_certificates_.insert(certificate.sha256()).second) continue;
    results::MakeStringsValidUtf8(&certificate);
    Keep(certificates_->Write(certificate));
    certificates_pending_ = true;
  }
}

// A record must never reach the disk before the certificates it names:
// after a kill -9 its domain counts as done and would not be scanned
// again to store them.
void ScanWorker::FlushCertificates() {
  if (!certificates_pending_) return;
  Keep(certificates_->Flush());
  certificates_pending_ = false;
}

void ScanWorker::FlushWriters() {
  FlushCertificates();
  Keep(records_->Flush());
}

// The first error is the worker's: after it no new item starts anywhere.
void ScanWorker::Keep(const absl::Status& status) {
  if (!status.ok() && status_.ok()) status_ = status;
}

}  // namespace mxscan::scan
