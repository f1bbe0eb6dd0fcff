#ifndef MXSCAN_SCANNER_TLS_VERDICT_CACHE_H_
#define MXSCAN_SCANNER_TLS_VERDICT_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "scanner/tls/certificate_judge.h"
#include "scanner/tls/trust_store.h"

namespace mxscan::tls {

// VerdictCache remembers certificate verdicts by (SHA-256 of the whole
// chain, host name), so that the chain a big provider serves to thousands
// of customer domains is judged once per MX name, not once per handshake.
// Host names are compared as RFC 6125 does (case and one trailing dot
// ignored). A verdict also depends on the time: pass one time per scan
// (its start); a lookup at another time judges again and replaces the
// entry. Bounded: the least recently used entry goes when `capacity` is
// reached. Chains it has no verdict for are judged with an IssuerCache
// of its own (certificate_judge.h), with its own bounds: a new leaf under
// an intermediate seen before costs the leaf's work alone.
//
// Thread-compatible: one cache per worker loop, used from its thread only
// (the trust store it reads is shared by all).
class VerdictCache {
 public:
  static constexpr size_t kDefaultCapacity = 4096;

  // `trust` must not be null. A capacity of 0 caches no verdict.
  explicit VerdictCache(std::shared_ptr<const TrustStore> trust,
                        size_t capacity = kDefaultCapacity);

  VerdictCache(const VerdictCache&) = delete;
  VerdictCache& operator=(const VerdictCache&) = delete;

  // Judge returns the verdict of JudgeCertificateChain for these
  // arguments, from the cache when it holds one. Never null; the verdict
  // stays valid for as long as the caller keeps the pointer, even if the
  // cache drops it meanwhile.
  std::shared_ptr<const CertificateVerdict> Judge(
      absl::Span<const std::string> chain_der, absl::string_view host,
      int64_t scan_time);

  size_t size() const { return index_.size(); }
  size_t capacity() const { return capacity_; }
  // Lookups answered from the cache, and chains judged.
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }
  // What judging the misses shared.
  const IssuerCache& issuers() const { return issuers_; }

 private:
  struct Entry {
    std::string key;
    int64_t scan_time;
    std::shared_ptr<const CertificateVerdict> verdict;
  };
  using Lru = std::list<Entry>;  // most recently used first

  std::shared_ptr<const TrustStore> trust_;
  size_t capacity_;
  Lru lru_;
  absl::flat_hash_map<std::string, Lru::iterator> index_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
  IssuerCache issuers_;
};

}  // namespace mxscan::tls

#endif  // MXSCAN_SCANNER_TLS_VERDICT_CACHE_H_
