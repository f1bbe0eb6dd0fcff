#include "scanner/scan/provider_gate.h"

#include <arpa/inet.h>

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace mxscan::scan {
namespace {

// "net:a.b.c.0/24" of an IPv4 address, "net:x:x:x::/48" of an IPv6 one
// (IPv4-mapped IPv6 as IPv4); "" when `ip` is neither.
std::string NetworkOf(absl::string_view ip) {
  const std::string text(ip);
  in6_addr v6{};
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    const auto* b = reinterpret_cast<const uint8_t*>(&v4);
    return absl::StrCat("net:", b[0], ".", b[1], ".", b[2], ".0/24");
  }
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return "";
  const uint8_t* b = v6.s6_addr;
  const bool mapped =
      std::all_of(b, b + 10, [](uint8_t x) { return x == 0; }) &&
      b[10] == 0xff && b[11] == 0xff;
  if (mapped)
    return absl::StrCat("net:", b[12], ".", b[13], ".", b[14], ".0/24");
  in6_addr prefix{};
  std::copy(b, b + 6, prefix.s6_addr);
  char out[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &prefix, out, sizeof(out));
  return absl::StrCat("net:", out, "/48");
}

}  // namespace

ProviderGate::ProviderGate(int sessions_per_group,
                           double connections_per_s_per_group)
    : sessions_(sessions_per_group), rate_(connections_per_s_per_group) {}

std::vector<std::string> ProviderGate::GroupsOf(absl::string_view ip,
                                                absl::string_view org_domain) {
  std::vector<std::string> groups;
  std::string network = NetworkOf(ip);
  if (!network.empty()) groups.push_back(std::move(network));
  if (!org_domain.empty()) groups.push_back(absl::StrCat("org:", org_domain));
  return groups;
}

ProviderGate::Group& ProviderGate::GroupNamed(const std::string& name,
                                              int64_t now_ms) {
  auto it = groups_.find(name);
  if (it == groups_.end()) {
    // A burst of one: a steady trickle, never a volley.
    it = groups_.emplace(name, Group{0, base::TokenBucket(rate_, 1, now_ms)})
             .first;
  }
  return it->second;
}

bool ProviderGate::HasToken(Group& group, int64_t now_ms) {
  return group.tokens.unlimited() || group.tokens.MsUntilAvailable(now_ms) == 0;
}

bool ProviderGate::TryStartSession(const std::vector<std::string>& groups,
                                   int64_t now_ms) {
  if (!enabled()) return true;
  if (++calls_ % 4096 == 0) Sweep(now_ms);
  for (const std::string& name : groups) {
    Group& group = GroupNamed(name, now_ms);
    if ((sessions_ > 0 && group.sessions >= sessions_) ||
        !HasToken(group, now_ms)) {
      Forget(name, now_ms);
      return false;
    }
  }
  for (const std::string& name : groups) {
    Group& group = GroupNamed(name, now_ms);
    group.tokens.TryTake(now_ms);
    peak_ = std::max(peak_, ++group.sessions);
  }
  return true;
}

bool ProviderGate::TryConnect(const std::vector<std::string>& groups,
                              int64_t now_ms) {
  if (!enabled()) return true;
  for (const std::string& name : groups) {
    if (!HasToken(GroupNamed(name, now_ms), now_ms)) return false;
  }
  for (const std::string& name : groups) {
    GroupNamed(name, now_ms).tokens.TryTake(now_ms);
  }
  return true;
}

void ProviderGate::EndSession(const std::vector<std::string>& groups,
                              int64_t now_ms) {
  if (!enabled()) return;
  for (const std::string& name : groups) {
    auto it = groups_.find(name);
    if (it == groups_.end()) continue;
    if (it->second.sessions > 0) --it->second.sessions;
    Forget(name, now_ms);
  }
}

int64_t ProviderGate::MsUntilConnect(const std::vector<std::string>& groups,
                                     int64_t now_ms) {
  int64_t wait = 0;
  for (const std::string& name : groups) {
    auto it = groups_.find(name);
    if (it == groups_.end()) continue;
    wait = std::max(wait, it->second.tokens.MsUntilAvailable(now_ms));
  }
  return wait;
}

void ProviderGate::Sweep(int64_t now_ms) {
  for (auto it = groups_.begin(); it != groups_.end();) {
    if (it->second.sessions == 0 && HasToken(it->second, now_ms)) {
      it = groups_.erase(it);
    } else {
      ++it;
    }
  }
}

void ProviderGate::Forget(const std::string& name, int64_t now_ms) {
  // A group with no session and a full bucket is what a new one would be.
  auto it = groups_.find(name);
  if (it != groups_.end() && it->second.sessions == 0 &&
      HasToken(it->second, now_ms)) {
    groups_.erase(it);
  }
}

}  // namespace mxscan::scan
