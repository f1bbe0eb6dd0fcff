#ifndef MXSCAN_SCANNER_SCAN_PROVIDER_GATE_H_
#define MXSCAN_SCANNER_SCAN_PROVIDER_GATE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "scanner/base/token_bucket.h"

namespace mxscan::scan {

// Politeness per provider: on top of the per-address cap, a budget of SMTP
// sessions at once and of new connections per second for each group of
// mail servers that one operator runs: the organisational domain of the
// MX host ("org:provider.example") and the network of its address
// ("net:192.0.2.0/24", "net:2001:db8:1:2::/48"... as /24 and /48), so that
// a sector whose thousands of domains sit on one provider's few hundred
// addresses costs that provider a steady trickle. Every connection a probe
// makes (the census's and the capped handshakes included) takes a token
// of each of its groups. Pure: the caller supplies the clock (ms). Memory
// holds the groups with a session open or a token owed (and, until the
// next sweep, a few that had). Used on one loop's thread.
class ProviderGate {
 public:
  // 0 for either: no limit of that kind.
  ProviderGate(int sessions_per_group, double connections_per_s_per_group);

  bool enabled() const { return sessions_ > 0 || rate_ > 0; }

  // The groups of a server: its address's network and, when known, its
  // host's organisational domain.
  static std::vector<std::string> GroupsOf(absl::string_view ip,
                                           absl::string_view org_domain);

  // TryStartSession opens a session in every group of `groups` and takes a
  // connection token of each, or does nothing and says false when one of
  // them is full or out of tokens.
  bool TryStartSession(const std::vector<std::string>& groups, int64_t now_ms);
  // TryConnect takes a connection token of each group for one more
  // connection of an open session (false, and nothing taken, when one
  // has none).
  bool TryConnect(const std::vector<std::string>& groups, int64_t now_ms);
  void EndSession(const std::vector<std::string>& groups, int64_t now_ms);
  // When a token may be there for each group (0: now).
  int64_t MsUntilConnect(const std::vector<std::string>& groups,
                         int64_t now_ms);

  // The most sessions one group had open at once so far.
  int peak_sessions() const { return peak_; }
  size_t groups() const { return groups_.size(); }

 private:
  struct Group {
    int sessions = 0;
    base::TokenBucket tokens;
  };
  Group& GroupNamed(const std::string& name, int64_t now_ms);
  bool HasToken(Group& group, int64_t now_ms);
  void Forget(const std::string& name, int64_t now_ms);
  // Drops every group that a new one would equal (now and then, so that
  // groups whose last token was taken long ago do not pile up).
  void Sweep(int64_t now_ms);

  int sessions_;
  double rate_;
  std::map<std::string, Group> groups_;
  int peak_ = 0;
  uint64_t calls_ = 0;
};

}  // namespace mxscan::scan

#endif  // MXSCAN_SCANNER_SCAN_PROVIDER_GATE_H_
