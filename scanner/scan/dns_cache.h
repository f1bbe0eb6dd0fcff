#ifndef MXSCAN_SCANNER_SCAN_DNS_CACHE_H_
#define MXSCAN_SCANNER_SCAN_DNS_CACHE_H_

#include <uv.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "absl/strings/string_view.h"
#include "scanner/checks/dns_source.h"
#include "scanner/core/loop_thread.h"
#include "scanner/core/uv_handle.h"
#include "scanner/dns/lookup.h"

namespace mxscan::scan {

struct DnsCacheOptions {
  // Entries kept at most (a few hundred bytes each). Eviction is "second
  // chance": the oldest entry goes unless it was used since it was last
  // considered, so that shared provider records stay while the many
  // per-domain ones (each asked once) pass through.
  size_t max_entries = 100000;
  // Answers are kept for their smallest TTL, at most this long.
  uint32_t max_ttl_s = 3600;
  // NXDOMAIN and NODATA (the SOA minimum is not tracked).
  uint32_t negative_ttl_s = 300;
  // TIMEOUT, SERVFAIL and other failures: long enough that thousands of
  // domains sharing a broken provider record do not each retry it (one
  // question per name every few seconds), short enough that one lost or
  // failed answer on a flaky path does not mark every domain sharing the
  // name for a minute (60 s did: one SERVFAIL of _dmarc.<zone> left the
  // DMARC of 156 domains unknown in the hostile-network test).
  uint32_t failure_ttl_s = 5;
};

struct DnsCacheStats {
  uint64_t lookups = 0;    // questions asked of the cache
  uint64_t hits = 0;       // answered from a stored answer
  uint64_t coalesced = 0;  // joined a question already in flight
  uint64_t misses = 0;     // sent to the DNS client
};

// DnsCache is the scan-wide DNS source of one worker loop: it answers
// repeated questions from memory (respecting TTLs) and coalesces identical
// questions in flight into one query, so that each distinct question is
// asked once however many domains need it (thousands include the same
// provider SPF record or share MX hosts). Questions it cannot answer go to
// `upstream` (the DNS client, see ClientDnsSource). Callbacks always come
// from the loop, never from inside Lookup(). Lives on the thread of its
// loop; `upstream` must outlive it.
class DnsCache : public checks::DnsSource {
 public:
  DnsCache(uv_loop_t* loop, checks::DnsSource& upstream,
           DnsCacheOptions options);
  ~DnsCache() override;

  void Lookup(absl::string_view name, uint16_t type, Callback done) override;

  const DnsCacheStats& stats() const { return stats_; }
  size_t size() const { return entries_.size(); }

 private:
  core::LoopThread thread_;  // every call comes from this loop
  using Key = std::pair<std::string, uint16_t>;
  struct Entry {
    bool answered = false;
    bool referenced = false;  // used since eviction last looked at it
    int64_t expires_ms = 0;
    std::shared_ptr<const dns::LookupResult> result;
    std::vector<Callback> waiters;
  };

  void OnAnswer(const Key& key, dns::LookupResult result);
  void Deliver(std::shared_ptr<const dns::LookupResult> result, Callback done);
  void Evict();
  int64_t TtlMs(const dns::LookupResult& result) const;

  uv_loop_t* loop_;
  checks::DnsSource& upstream_;
  DnsCacheOptions options_;
  absl::node_hash_map<Key, Entry> entries_;
  std::deque<Key> order_;  // insertion order, for eviction
  // Answers from memory are delivered from an idle callback.
  core::UvHandle<uv_idle_t> deliverer_;
  std::vector<std::pair<std::shared_ptr<const dns::LookupResult>, Callback>>
      ready_;
  DnsCacheStats stats_;
};

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_DNS_CACHE_H_
