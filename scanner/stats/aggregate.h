#ifndef MXSCAN_SCANNER_STATS_AGGREGATE_H_
#define MXSCAN_SCANNER_STATS_AGGREGATE_H_

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "scanner/stats/domain_summary.h"
#include "scanner/stats/metrics.h"

namespace mxscan::stats {

// Counts over a set of domains. Every field is a sum, so tallies of
// disjoint sets merge into the tally of their union exactly.
struct Tally {
  uint64_t domains = 0;
  std::array<uint64_t, kMetricCount> metrics{};
  // Domains per TLS category / certificate problem / verification error.
  std::map<std::string, uint64_t> tls_categories;
  // Domains per DNSSEC status of their MX answer.
  std::map<std::string, uint64_t> dnssec_statuses;
  // Domains per strict-sender outcome (StrictSenderOutcomes()).
  std::map<std::string, uint64_t> strict_sender;
  std::map<std::string, uint64_t> cert_problems;
  std::map<std::string, uint64_t> verify_errors;
  // Domains per mail server software family (a domain counts once per
  // family among its answering servers).
  std::map<std::string, uint64_t> software;
  // Domains per mail provider (at most kMaxProviders distinct; later
  // newcomers are counted under kOtherProviders).
  absl::flat_hash_map<std::string, uint64_t> providers;
  uint64_t self_hosted = 0;
  // Domains per organisation they depend on, per Dependencies() kind
  // (bounded like providers).
  std::array<absl::flat_hash_map<std::string, uint64_t>, kDependencyKinds>
      dependencies;

  uint64_t Count(Metric m) const { return metrics[static_cast<size_t>(m)]; }
  // Domains whose mail a strict sender would not deliver.
  uint64_t WouldNotDeliverCount() const;
  void Add(const DomainSummary& summary);
  void Merge(const Tally& other);
  // The `n` providers with the most domains, most first (ties by name).
  std::vector<std::pair<std::string, uint64_t>> TopProviders(size_t n) const;
  // The same for the organisations of one dependency kind.
  std::vector<std::pair<std::string, uint64_t>> TopDependencies(size_t kind,
                                                                size_t n) const;
};

// The leaf keys of the sector's mail servers, and which organisations' MX
// hosts present each (key reuse: the same key on unrelated servers, a
// shared hosting key or an appliance's default one). Memory grows with the
// distinct keys, never past kMaxLeafKeys keys of kMaxKeyOrganisations
// organisations each.
class LeafKeys {
 public:
  struct Use {
    // The first kMaxKeyOrganisations by name: whatever the order domains
    // and shards come in, the same ones.
    std::set<std::string> organisations;
    uint64_t domains = 0;
  };
  // Adds one domain's DomainSummary::leaf_keys ("SPKI ORG" each).
  void AddDomain(const std::vector<std::string>& entries);
  void Merge(const LeafKeys& other);
  // Keys presented by MX hosts of more than one organisation.
  uint64_t SharedCount() const;
  // The `n` shared keys with the most organisations, then domains.
  std::vector<std::pair<std::string, const Use*>> TopShared(size_t n) const;
  uint64_t untracked() const { return untracked_; }

 private:
  void AddUse(const std::string& key, const Use& use);
  absl::flat_hash_map<std::string, Use> keys_;
  uint64_t untracked_ = 0;  // domain keys seen after the cap
};

inline constexpr size_t kMaxProviders = 100000;
inline constexpr size_t kMaxLeafKeys = 200000;
inline constexpr size_t kMaxKeyOrganisations = 100;
inline constexpr char kOtherProviders[] = "(other providers)";

// The statistics of a scan: overall and per sector. Memory grows with the
// number of sectors and providers, never with the number of domains.
class Aggregate {
 public:
  // A record without a sector is counted under this name.
  static constexpr char kNoSector[] = "(no sector)";

  void Add(const DomainSummary& summary);
  void Merge(const Aggregate& other);

  const Tally& overall() const { return overall_; }
  const std::map<std::string, Tally>& sectors() const { return sectors_; }
  // Over all domains (not per sector).
  const LeafKeys& leaf_keys() const { return leaf_keys_; }

 private:
  Tally overall_;
  LeafKeys leaf_keys_;
  std::map<std::string, Tally> sectors_;
};

}  // namespace mxscan::stats

#endif  // MXSCAN_SCANNER_STATS_AGGREGATE_H_
