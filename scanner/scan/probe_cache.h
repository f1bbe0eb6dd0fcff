#ifndef MXSCAN_SCANNER_SCAN_PROBE_CACHE_H_
#define MXSCAN_SCANNER_SCAN_PROBE_CACHE_H_

#include <uv.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/base/token_bucket.h"
#include "scanner/core/loop_thread.h"
#include "scanner/core/uv_handle.h"
#include "scanner/probe/smtp_probe.h"
#include "scanner/scan/blocklist.h"
#include "scanner/scan/provider_gate.h"
#include "scanner/tls/census.h"
#include "scanner/tls/tls_client.h"
#include "scanner/tls/verdict_cache.h"

namespace mxscan::scan {

struct ProbeCacheOptions {
  int smtp_port = 25;
  probe::SmtpProbeOptions probe;
  // Sessions at once per server address (politeness).
  int per_host_concurrency = 2;
  // New connections per second from this worker; 0 = no limit.
  double connection_rate = 0;
  // Finished probes kept at most (a few KiB each, the certificate chain
  // included). Eviction is "second chance", as in the DNS cache: the
  // oldest goes unless it was used since it was last considered, so that
  // a provider's addresses, which thousands of domains share, stay while
  // the many self-hosted ones (each probed for one domain) pass through.
  // Memory then does not grow with the input.
  size_t max_entries = 10000;
  // Retries of a probe the server deferred (4xx), with doubling back-off.
  int deferred_retries = 2;
  int deferred_backoff_ms = 2000;
  // Certificates are judged as of this time (the scan's start).
  int64_t scan_time_s = 0;
  const Blocklist* blocklist = nullptr;
  // Extra handshakes capped at TLS 1.0, 1.1, 1.2 (in that order) after a
  // successful probe, to find the oldest version a server accepts. Each
  // needs a context whose newest version is that one; empty: off.
  std::vector<const tls::ClientContext*> capped_contexts;
  // The post-quantum selection probe (TlsInfo.pq_selection): one more
  // connection to each address that negotiated TLS 1.3.
  bool pq_selection = false;
  // The TLS census (TlsInfo.census): at most TlsCensus::kMaxHandshakes
  // more connections to each address that completed a handshake, one at
  // a time.
  bool tls_census = false;
  // Politeness per provider (provider_gate.h): sessions at once and new
  // connections per second per organisational domain of the MX host and
  // per /24 or /48 of its address; 0 = no limit. Every connection counts,
  // the extra handshakes above included.
  int per_provider_sessions = 0;
  double per_provider_rate = 0;
  // The organisational domain of a host name ("" for none); needed with
  // the budget above. Thread-safe.
  std::function<std::string(absl::string_view)> org_domain_of;
};

// ProbeRecord is one (address, SNI name) probe's outcome: the SmtpProbe of
// the result schema, with its certificate chain judged, and the chain
// itself (for DANE and for storing each certificate once).
struct ProbeRecord {
  SmtpProbe probe;
  std::vector<std::string> chain_der;
};

struct ProbeCacheStats {
  uint64_t requests = 0;
  uint64_t hits = 0;
  uint64_t coalesced = 0;
  uint64_t probes = 0;   // sessions run, retries included
  uint64_t blocked = 0;  // refused by the blocklist
  uint64_t deferred_retries = 0;
  uint64_t pq_selection_probes = 0;  // among `probes`
  uint64_t census_probes = 0;        // among `probes`
  // Connections that waited for their provider's budget.
  uint64_t provider_waits = 0;
  // The most sessions one provider or network had at once.
  int provider_peak_sessions = 0;
};

// ProbeCache runs the SMTP probes of one worker loop: a big provider's MX
// address is probed once per SNI name per scan however many domains use
// it (answers are shared, requests in flight coalesced; at most
// max_entries finished ones are kept, see ProbeCacheOptions); at most
// per_host_concurrency sessions run per address at once (fewer once the
// address defers us); connections start no faster than connection_rate;
// blocklisted addresses are never contacted. Callbacks come from the loop,
// never from inside Probe(). Lives on its loop's thread; `context` and
// `verdicts` must outlive it.
class ProbeCache {
 public:
  using Callback = absl::AnyInvocable<void(std::shared_ptr<const ProbeRecord>)>;

  ProbeCache(uv_loop_t* loop, ProbeCacheOptions options,
             const tls::ClientContext& context, tls::VerdictCache& verdicts);
  ~ProbeCache();

  // Called once per probe that completed a handshake, with its chain and
  // verdict (to store each distinct certificate once per scan).
  using ChainSink =
      absl::AnyInvocable<void(const std::vector<std::string>& chain_der,
                              const tls::CertificateVerdict& verdict)>;
  void set_chain_sink(ChainSink sink) { chain_sink_ = std::move(sink); }

  // Probe reports the probe of `ip` with SNI/hostname `host`.
  void Probe(const std::string& ip, const std::string& host, Callback done);

  const ProbeCacheStats& stats() const { return stats_; }
  size_t active() const { return active_total_; }
  // Probes held: finished, in flight or waiting.
  size_t size() const { return entries_.size(); }
  // Server addresses with a probe in flight or waiting, or deferring us.
  size_t addresses() const { return addresses_.size(); }

 private:
  core::LoopThread thread_;  // every call comes from this loop
  using Key = std::pair<std::string, std::string>;  // ip, host
  struct Entry {
    bool answered = false;
    bool referenced = false;  // used since eviction last looked at it
    std::shared_ptr<const ProbeRecord> record;
    std::vector<Callback> waiters;
    int retries_left = 0;
  };
  struct Address {
    int active = 0;
    int budget = 0;
    std::deque<Key> queued;
  };
  struct RetryTimer;

  void Schedule(const Key& key);
  void StartNext(const std::string& ip);
  void Run(const Key& key);
  void OnOutcome(const Key& key, probe::SmtpProbeOutcome outcome);
  // Runs the capped handshake number `step` (0: the newest cap below the
  // negotiated version) for a probe that succeeded, then the next, and
  // completes the probe when all are done: at most one per cap.
  void ProbeOlderVersions(const Key& key, std::shared_ptr<ProbeRecord> record,
                          size_t step);
  // Runs the post-quantum selection probe when asked for and the server
  // negotiated TLS 1.3, then the census.
  void ProbeGroupSelection(const Key& key, std::shared_ptr<ProbeRecord> record);
  // Runs the census's ClientHellos one after the other when asked for,
  // then releases the address's slot and completes.
  void RunCensus(const Key& key, std::shared_ptr<ProbeRecord> record,
                 std::shared_ptr<tls::TlsCensus> census);
  void Release(const Key& key, std::shared_ptr<ProbeRecord> record);
  void Finished(const Key& key, std::shared_ptr<ProbeRecord> record);
  void Complete(const Key& key, std::shared_ptr<const ProbeRecord> record);
  void Evict();
  // Forgets an address's bookkeeping once nothing runs or waits there and
  // it has not deferred us.
  void ForgetIfIdle(const std::string& ip);
  void Deliver(std::shared_ptr<const ProbeRecord> record, Callback done);
  void OnRateTimer();
  // Politeness per provider: the groups of a probe, running `connect`
  // once its groups have a connection token (an extra handshake of an
  // open session), closing a session, and retrying what waited.
  std::vector<std::string> GroupsOf(const Key& key) const;
  void WhenProviderAllows(const Key& key, absl::AnyInvocable<void()> connect);
  void EndProviderSession(const Key& key);
  void RetryProviderWaits();
  void ArmProviderTimer(int64_t wait_ms);

  uv_loop_t* loop_;
  ProbeCacheOptions options_;
  const tls::ClientContext& context_;
  tls::VerdictCache& verdicts_;
  absl::node_hash_map<Key, Entry> entries_;
  std::deque<Key> order_;  // insertion order, for eviction
  absl::flat_hash_map<std::string, Address> addresses_;
  base::TokenBucket rate_;
  core::UvHandle<uv_timer_t> rate_timer_;
  std::deque<Key> waiting_for_rate_;
  core::UvHandle<uv_idle_t> deliverer_;
  ProviderGate gate_;
  struct ProviderWaiter {
    std::vector<std::string> groups;  // GroupsOf its probe
    absl::AnyInvocable<void()> connect;
  };
  std::deque<ProviderWaiter> provider_waiters_;
  // Addresses whose next probe waits for its provider's budget, and the
  // probes that waited (counted once each when they start).
  absl::flat_hash_set<std::string> provider_blocked_;
  absl::flat_hash_set<Key> held_back_;
  core::UvHandle<uv_timer_t> provider_timer_;
  bool retrying_providers_ = false;
  bool retry_providers_again_ = false;
  std::vector<std::pair<std::shared_ptr<const ProbeRecord>, Callback>> ready_;
  std::vector<std::unique_ptr<RetryTimer>> retries_;
  size_t active_total_ = 0;
  ChainSink chain_sink_;
  ProbeCacheStats stats_;
};

// ProbeRecordFrom builds a record from a finished probe, judging its chain
// with `verdicts` (exposed for tests).
std::shared_ptr<ProbeRecord> ProbeRecordFrom(
    const probe::SmtpProbeOutcome& outcome, const std::string& host,
    tls::VerdictCache& verdicts, int64_t scan_time_s,
    std::shared_ptr<const tls::CertificateVerdict>* verdict_out = nullptr);

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_PROBE_CACHE_H_
