#ifndef MXSCAN_TOOLS_FARM_POLICY_SERVER_H_
#define MXSCAN_TOOLS_FARM_POLICY_SERVER_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tools/farm/behaviours.h"
#include "tools/farm/conversation.h"

namespace mxscan::farm {

// PolicyStore says what the MTA-STS policy server serves: the body of
// https://mta-sts.<domain>/.well-known/mta-sts.txt is the file <dir>/<domain>
// (read at each request, so a test may change it), and the behaviour of
// each policy host comes from the behaviours file (behaviours.h). Lives on
// the farm's thread; immutable after construction.
class PolicyStore {
 public:
  static constexpr size_t kMaxBody = 4 * 1024 * 1024;

  PolicyStore(std::string dir, std::map<std::string, HttpsSite> sites)
      : dir_(std::move(dir)), sites_(std::move(sites)) {}

  // The policy body of `domain` ("dept.gov.sim"), or nullopt when the
  // directory has none (or the name could escape the directory).
  std::optional<std::string> Body(absl::string_view domain) const;
  // The behaviour of policy host `host` (lowercase); kValid by default.
  HttpsSite Site(absl::string_view host) const;
  const std::map<std::string, HttpsSite>& sites() const { return sites_; }

 private:
  std::string dir_;
  std::map<std::string, HttpsSite> sites_;
};

// PolicyExchange is one HTTPS request and its answer on the policy server,
// without I/O (the connection runs TLS). The host is the TLS SNI, or the
// Host header when the client sent no SNI:
//   GET /.well-known/mta-sts.txt on mta-sts.<domain> with a body file
//                                   200 text/plain, the body
//   another path, or no body file   404
//   another method                  405
//   a request head over kMaxHead    431
// and per host behaviour: redirect (301 to another path), huge (200 with a
// body of exactly kHugeBody bytes: the policy, then lines of 'x'),
// slow (every answer after delay_ms), expired (only the certificate
// differs). One request per connection (Connection: close). Lives on the
// thread of its connection; `store` must outlive it.
class PolicyExchange : public Conversation {
 public:
  static constexpr size_t kMaxHead = 16 * 1024;
  static constexpr size_t kHugeBody = 1024 * 1024;
  static constexpr char kPath[] = "/.well-known/mta-sts.txt";

  explicit PolicyExchange(const PolicyStore& store) : store_(store) {}

  Step Start() override { return Step(); }
  Step OnBytes(absl::string_view bytes) override;
  Step OnTimer() override;
  Step OnDrained() override { return Step(); }
  Step OnTlsEstablished(absl::string_view server_name) override;

 private:
  Step Answer();
  std::string ResponseFor(const std::vector<absl::string_view>& request,
                          const std::string& host,
                          HttpsBehaviour behaviour) const;

  const PolicyStore& store_;
  std::string server_name_;
  std::string head_;
  bool answered_ = false;
  std::string delayed_;  // the answer a slow host sends later
};

}  // namespace mxscan::farm

#endif  // MXSCAN_TOOLS_FARM_POLICY_SERVER_H_
