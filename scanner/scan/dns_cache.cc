#include "scanner/scan/dns_cache.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "scanner/scan/second_chance.h"

namespace mxscan::scan {
namespace {

std::string CacheName(absl::string_view name) {
  absl::ConsumeSuffix(&name, ".");
  return absl::StrCat(absl::AsciiStrToLower(name), ".");
}

}  // namespace

DnsCache::DnsCache(uv_loop_t* loop, checks::DnsSource& upstream,
                   DnsCacheOptions options)
    : loop_(loop), upstream_(upstream), options_(options) {
  uv_idle_init(loop_, deliverer_.get());
  deliverer_.MarkInitialized();
  deliverer_.get()->data = this;
}

DnsCache::~DnsCache() = default;

int64_t DnsCache::TtlMs(const dns::LookupResult& result) const {
  uint32_t ttl;
  if (result.status == dns::LookupStatus::kNoError && !result.answers.empty()) {
    ttl = options_.max_ttl_s;
    for (const dns::Answer& a : result.answers) ttl = std::min(ttl, a.ttl);
  } else if (result.status == dns::LookupStatus::kNoError ||
             result.status == dns::LookupStatus::kNxDomain) {
    ttl = options_.negative_ttl_s;
  } else {
    ttl = options_.failure_ttl_s;
  }
  return static_cast<int64_t>(std::min(ttl, options_.max_ttl_s)) * 1000;
}

void DnsCache::Lookup(absl::string_view name, uint16_t type, Callback done) {
  thread_.Check("DnsCache");
  ++stats_.lookups;
  Key key{CacheName(name), type};
  auto [it, inserted] = entries_.try_emplace(key);
  Entry& entry = it->second;
  if (!inserted) {
    if (!entry.answered) {
      ++stats_.coalesced;
      entry.waiters.push_back(std::move(done));
      return;
    }
    if (entry.expires_ms > static_cast<int64_t>(uv_now(loop_))) {
      ++stats_.hits;
      entry.referenced = true;
      Deliver(entry.result, std::move(done));
      return;
    }
    entry.answered = false;  // expired: ask again
    entry.result.reset();
  } else {
    order_.push_back(key);
  }
  ++stats_.misses;
  entry.waiters.push_back(std::move(done));
  upstream_.LookupOwned(key.first, type, [this, key](dns::LookupResult result) {
    OnAnswer(key, std::move(result));
  });
  Evict();
}

void DnsCache::OnAnswer(const Key& key, dns::LookupResult result) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  Entry& entry = it->second;
  auto shared = std::make_shared<const dns::LookupResult>(std::move(result));
  entry.answered = true;
  entry.expires_ms = static_cast<int64_t>(uv_now(loop_)) + TtlMs(*shared);
  entry.result = shared;
  std::vector<Callback> waiters = std::move(entry.waiters);
  entry.waiters.clear();
  // `entry` may be evicted by lookups the callbacks make: use copies.
  for (Callback& waiter : waiters) waiter(*shared);
}

void DnsCache::Deliver(std::shared_ptr<const dns::LookupResult> result,
                       Callback done) {
  ready_.emplace_back(std::move(result), std::move(done));
  if (ready_.size() > 1) return;
  uv_idle_start(deliverer_.get(), [](uv_idle_t* h) {
    auto* self = static_cast<DnsCache*>(h->data);
    uv_idle_stop(h);
    auto ready = std::move(self->ready_);
    self->ready_.clear();
    for (auto& [result, done] : ready) done(*result);
  });
}

void DnsCache::Evict() {
  EvictSecondChance(options_.max_entries, entries_, order_);
}

}  // namespace mxscan::scan
