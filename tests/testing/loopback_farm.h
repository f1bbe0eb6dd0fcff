#ifndef MXSCAN_TESTS_TESTING_LOOPBACK_FARM_H_
#define MXSCAN_TESTS_TESTING_LOOPBACK_FARM_H_

#include <sys/socket.h>
#include <uv.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "scanner/core/event_loop.h"
#include "scanner/tls/tls_client.h"
#include "tools/farm/farm.h"

namespace mxscan::testing {

// LoopbackFarm runs the simulated sector's SMTP+HTTPS farm (tools/farm)
// on the test's own loop, so that the scanner's I/O code and its server
// take turns on one thread: no thread, no lock, and a deadline test can
// count on the server being silent rather than slow. Destroy it before
// the loop (the loop must run once more to free the handles).
class LoopbackFarm {
 public:
  // Start reads `behaviours` (tools/farm/behaviours.h: SMTP behaviours by
  // loopback address, "::1" included), writes `policies` (body by domain,
  // served at https://mta-sts.<domain>/.well-known/mta-sts.txt) into a
  // fresh folder under TEST_TMPDIR, and listens for HTTPS on every
  // address of `https_addresses`. Ports are free ones.
  static absl::StatusOr<std::unique_ptr<LoopbackFarm>> Start(
      uv_loop_t* loop, absl::string_view behaviours,
      const std::map<std::string, std::string>& policies,
      std::vector<std::string> https_addresses = {"127.0.0.1", "::1"});

  farm::Farm& farm() { return *farm_; }
  int smtp_port() const { return farm_->smtp_port(); }
  int https_port() const { return farm_->https_port(); }

  // Address is a socket address that passes for the `const sockaddr*`
  // the scanner's calls take.
  struct Address {
    // `ip` in IPv4 or IPv6 text; aborts the test when malformed.
    Address(const std::string& ip, int port);
    operator const sockaddr*() const {  // NOLINT: implicit on purpose
      return reinterpret_cast<const sockaddr*>(&storage);
    }
    sockaddr_storage storage;
  };

 private:
  LoopbackFarm() = default;
  std::unique_ptr<farm::Farm> farm_;
};

// LoopbackFarmTest is the fixture of the tests of the scanner's I/O
// adapters: a loop, a LoopbackFarm on it started in SetUp() with the
// given behaviours and policies, and a client TLS context that keeps
// sessions.
class LoopbackFarmTest : public ::testing::Test {
 protected:
  explicit LoopbackFarmTest(absl::string_view behaviours,
                            std::map<std::string, std::string> policies = {})
      : behaviours_(behaviours), policies_(std::move(policies)) {}

  void SetUp() override;
  void TearDown() override { farm_.reset(); }

  uv_loop_t* loop() { return loop_.get(); }
  // The farm's SMTP and HTTPS ports on `ip`.
  LoopbackFarm::Address Smtp(const std::string& ip) const {
    return LoopbackFarm::Address(ip, farm_->smtp_port());
  }
  LoopbackFarm::Address Https(const std::string& ip) const {
    return LoopbackFarm::Address(ip, farm_->https_port());
  }
  // RunUntil runs the loop until `done` holds.
  void RunUntil(const std::function<bool()>& done);
  // Await calls `start` with a completion callback (deadlines counting
  // from now), runs the loop until the callback has run, and returns what
  // it was given.
  template <typename Result, typename Start>
  Result Await(Start start) {
    std::optional<Result> result;
    uv_update_time(loop());
    start([&result](Result r) { result = std::move(r); });
    RunUntil([&] { return result.has_value(); });
    return *std::move(result);
  }

  core::EventLoop loop_;
  std::unique_ptr<LoopbackFarm> farm_;
  std::unique_ptr<tls::ClientContext> context_;

 private:
  std::string behaviours_;
  std::map<std::string, std::string> policies_;
};

}  // namespace mxscan::testing

#endif  // MXSCAN_TESTS_TESTING_LOOPBACK_FARM_H_
