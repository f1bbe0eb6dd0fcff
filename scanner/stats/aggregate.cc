#include "scanner/stats/aggregate.h"

#include <algorithm>
#include <iterator>

#include "scanner/stats/strict_sender.h"

namespace mxscan::stats {
namespace {

void AddProvider(absl::flat_hash_map<std::string, uint64_t>* providers,
                 const std::string& name, uint64_t n) {
  auto it = providers->find(name);
  if (it != providers->end()) {
    it->second += n;
  } else if (providers->size() < kMaxProviders) {
    providers->emplace(name, n);
  } else {
    (*providers)[kOtherProviders] += n;
  }
}

template <typename Map>
void MergeCounts(const Map& from, Map* into) {
  for (const auto& [name, n] : from) (*into)[name] += n;
}

// The `n` names with the most domains, most first (ties by name).
std::vector<std::pair<std::string, uint64_t>> Top(
    const absl::flat_hash_map<std::string, uint64_t>& counts, size_t n) {
  std::vector<std::pair<std::string, uint64_t>> top(counts.begin(),
                                                    counts.end());
  auto more = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  if (top.size() > n) {
    std::partial_sort(top.begin(), top.begin() + n, top.end(), more);
    top.resize(n);
  } else {
    std::sort(top.begin(), top.end(), more);
  }
  return top;
}

}  // namespace

void Tally::Add(const DomainSummary& s) {
  ++domains;
  for (size_t i = 0; i < kMetricCount; ++i) {
    if (s.metrics.test(i)) ++metrics[i];
  }
  if (!s.tls_category.empty()) ++tls_categories[s.tls_category];
  if (!s.strict_sender.empty()) ++strict_sender[s.strict_sender];
  if (!s.dnssec_status.empty()) ++dnssec_statuses[s.dnssec_status];
  for (const std::string& p : s.cert_problems) ++cert_problems[p];
  for (const std::string& e : s.verify_errors) ++verify_errors[e];
  for (const std::string& f : s.software) ++software[f];
  for (const std::string& p : s.providers) AddProvider(&providers, p, 1);
  for (size_t k = 0; k < dependencies.size(); ++k) {
    for (const std::string& p : s.dependencies[k]) {
      AddProvider(&dependencies[k], p, 1);
    }
  }
  if (s.self_hosted) ++self_hosted;
}

uint64_t Tally::WouldNotDeliverCount() const {
  uint64_t n = 0;
  for (const auto& [outcome, count] : strict_sender) {
    if (WouldNotDeliver(outcome)) n += count;
  }
  return n;
}

void Tally::Merge(const Tally& other) {
  domains += other.domains;
  for (size_t i = 0; i < kMetricCount; ++i) metrics[i] += other.metrics[i];
  MergeCounts(other.tls_categories, &tls_categories);
  MergeCounts(other.strict_sender, &strict_sender);
  MergeCounts(other.dnssec_statuses, &dnssec_statuses);
  MergeCounts(other.cert_problems, &cert_problems);
  MergeCounts(other.verify_errors, &verify_errors);
  MergeCounts(other.software, &software);
  for (const auto& [name, n] : other.providers) {
    AddProvider(&providers, name, n);
  }
  for (size_t k = 0; k < dependencies.size(); ++k) {
    for (const auto& [name, n] : other.dependencies[k]) {
      AddProvider(&dependencies[k], name, n);
    }
  }
  self_hosted += other.self_hosted;
}

std::vector<std::pair<std::string, uint64_t>> Tally::TopProviders(
    size_t n) const {
  return Top(providers, n);
}

std::vector<std::pair<std::string, uint64_t>> Tally::TopDependencies(
    size_t kind, size_t n) const {
  return Top(dependencies[kind], n);
}

void LeafKeys::AddUse(const std::string& key, const Use& use) {
  auto it = keys_.find(key);
  if (it == keys_.end()) {
    if (keys_.size() >= kMaxLeafKeys) {
      untracked_ += use.domains;
      return;
    }
    it = keys_.emplace(key, Use()).first;
  }
  it->second.domains += use.domains;
  std::set<std::string>& orgs = it->second.organisations;
  orgs.insert(use.organisations.begin(), use.organisations.end());
  while (orgs.size() > kMaxKeyOrganisations) orgs.erase(std::prev(orgs.end()));
}

void LeafKeys::AddDomain(const std::vector<std::string>& entries) {
  absl::flat_hash_map<std::string, Use> uses;  // the domain counts once
  for (absl::string_view entry : entries) {
    const size_t space = entry.find(' ');
    Use& use = uses[entry.substr(0, space)];
    use.domains = 1;
    use.organisations.insert(std::string(entry.substr(space + 1)));
  }
  for (const auto& [key, use] : uses) AddUse(key, use);
}

void LeafKeys::Merge(const LeafKeys& other) {
  for (const auto& [key, use] : other.keys_) AddUse(key, use);
  untracked_ += other.untracked_;
}

uint64_t LeafKeys::SharedCount() const {
  uint64_t n = 0;
  for (const auto& [key, use] : keys_) n += use.organisations.size() > 1;
  return n;
}

std::vector<std::pair<std::string, const LeafKeys::Use*>> LeafKeys::TopShared(
    size_t n) const {
  std::vector<std::pair<std::string, const Use*>> top;
  for (const auto& [key, use] : keys_) {
    if (use.organisations.size() > 1) top.emplace_back(key, &use);
  }
  auto more = [](const auto& a, const auto& b) {
    if (a.second->organisations.size() != b.second->organisations.size()) {
      return a.second->organisations.size() > b.second->organisations.size();
    }
    if (a.second->domains != b.second->domains) {
      return a.second->domains > b.second->domains;
    }
    return a.first < b.first;
  };
  std::sort(top.begin(), top.end(), more);
  if (top.size() > n) top.resize(n);
  return top;
}

void Aggregate::Add(const DomainSummary& summary) {
  overall_.Add(summary);
  leaf_keys_.AddDomain(summary.leaf_keys);
  sectors_[summary.sector.empty() ? kNoSector : summary.sector].Add(summary);
}

void Aggregate::Merge(const Aggregate& other) {
  overall_.Merge(other.overall_);
  leaf_keys_.Merge(other.leaf_keys_);
  for (const auto& [name, tally] : other.sectors_) {
    sectors_[name].Merge(tally);
  }
}

}  // namespace mxscan::stats
