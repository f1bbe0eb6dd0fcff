#include "tests/testing/loopback_farm.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "scanner/core/socket_address.h"

namespace mxscan::testing {

absl::StatusOr<std::unique_ptr<LoopbackFarm>> LoopbackFarm::Start(
    uv_loop_t* loop, absl::string_view behaviours,
    const std::map<std::string, std::string>& policies,
    std::vector<std::string> https_addresses) {
  // A peer's reset must not end the test binary.
  signal(SIGPIPE, SIG_IGN);
  absl::StatusOr<farm::FarmConfig> config = farm::ParseBehaviours(behaviours);
  if (!config.ok()) return config.status();
  static std::atomic<int> folders{0};
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir =
      absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/mta-sts.", getpid(), ".",
                   folders.fetch_add(1));
  if (mkdir(dir.c_str(), 0700) != 0) {
    return absl::InternalError(absl::StrCat("cannot make ", dir));
  }
  for (const auto& [domain, body] : policies) {
    std::ofstream(absl::StrCat(dir, "/", domain), std::ios::binary) << body;
  }
  farm::Farm::Options options;
  options.config = *std::move(config);
  options.mta_sts_dir = dir;
  options.https_addresses = std::move(https_addresses);
  absl::StatusOr<std::unique_ptr<farm::Farm>> farm =
      farm::Farm::Start(loop, std::move(options));
  if (!farm.ok()) return farm.status();
  std::unique_ptr<LoopbackFarm> self(new LoopbackFarm());
  self->farm_ = *std::move(farm);
  return self;
}

LoopbackFarm::Address::Address(const std::string& ip, int port) {
  absl::StatusOr<sockaddr_storage> address = core::SocketAddress(ip, port);
  if (!address.ok()) {
    std::fprintf(stderr, "bad test address %s: %s\n", ip.c_str(),
                 std::string(address.status().message()).c_str());
    std::abort();
  }
  storage = *address;
}

void LoopbackFarmTest::SetUp() {
  absl::StatusOr<std::unique_ptr<LoopbackFarm>> farm =
      LoopbackFarm::Start(loop(), behaviours_, policies_);
  ASSERT_TRUE(farm.ok()) << farm.status();
  farm_ = *std::move(farm);
  tls::ClientContextOptions options;
  options.session_cache = true;
  absl::StatusOr<std::unique_ptr<tls::ClientContext>> context =
      tls::ClientContext::Create(options);
  ASSERT_TRUE(context.ok()) << context.status();
  context_ = *std::move(context);
}

void LoopbackFarmTest::RunUntil(const std::function<bool()>& done) {
  while (!done()) uv_run(loop(), UV_RUN_ONCE);
}

}  // namespace mxscan::testing
