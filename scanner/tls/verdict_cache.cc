#include "scanner/tls/verdict_cache.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "scanner/tls/digest.h"

namespace mxscan::tls {
namespace {

// The digest has a fixed length, so no separator is needed.
std::string CacheKey(absl::Span<const std::string> chain_der,
                     absl::string_view host) {
  if (absl::EndsWith(host, ".")) host.remove_suffix(1);
  return absl::StrCat(ChainDigest(chain_der), absl::AsciiStrToLower(host));
}

}  // namespace

VerdictCache::VerdictCache(std::shared_ptr<const TrustStore> trust,
                           size_t capacity)
    : trust_(std::move(trust)), capacity_(capacity) {}

std::shared_ptr<const CertificateVerdict> VerdictCache::Judge(
    absl::Span<const std::string> chain_der, absl::string_view host,
    int64_t scan_time) {
  std::string key = CacheKey(chain_der, host);
  if (auto it = index_.find(key); it != index_.end()) {
    if (it->second->scan_time == scan_time) {
      ++hits_;
      lru_.splice(lru_.begin(), lru_, it->second);
      return it->second->verdict;
    }
    lru_.erase(it->second);
    index_.erase(it);
  }
  ++misses_;
  auto verdict = std::make_shared<const CertificateVerdict>(
      JudgeCertificateChain(*trust_, chain_der, host, scan_time, &issuers_));
  if (capacity_ == 0) return verdict;
  if (index_.size() >= capacity_) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
  lru_.push_front(Entry{key, scan_time, verdict});
  index_.emplace(std::move(key), lru_.begin());
  return verdict;
}

}  // namespace mxscan::tls
