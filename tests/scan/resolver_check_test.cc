// The validation check before a scan, against the project's misbehaving
// DNS server on a thread of its own (its "secure-" names answer with AD).

#include "scanner/scan/resolver_check.h"

#include <thread>

#include "gtest/gtest.h"
#include "scanner/core/event_loop.h"
#include "scanner/dns/resolver_address.h"
#include "tools/fakedns/misbehaving_dns_server.h"

namespace mxscan::scan {
namespace {

TEST(ResolverCheckTest, ValidatingNotValidatingAndSilent) {
  core::EventLoop server_loop;
  auto server = fakedns::MisbehavingDnsServer::Start(server_loop.get(), {});
  ASSERT_TRUE(server.ok()) << server.status();
  // uv_stop is not thread-safe; an async handle stops the loop on its own
  // thread.
  uv_async_t stop;
  uv_async_init(server_loop.get(), &stop,
                [](uv_async_t* handle) { uv_stop(handle->loop); });
  std::thread thread([&] { server_loop.Run(); });

  dns::ClientOptions options;
  options.timeout_ms = 200;
  options.retries = 0;
  const std::string port = std::to_string((*server)->port());
  options.resolvers.push_back(*dns::ParseResolverAddress("127.0.0.1:" + port));
  EXPECT_TRUE(CheckResolvers(options, "secure-1.example")[0].validating);
  const std::vector<ResolverValidation> plain =
      CheckResolvers(options, "ok-1.example");
  EXPECT_FALSE(plain[0].validating);
  EXPECT_EQ(plain[0].validation, "not validating");
  EXPECT_EQ(plain[0].address, "127.0.0.1:" + port);
  EXPECT_EQ(CheckResolvers(options, "drop-1.example")[0].validation,
            "not validating (TIMEOUT)");

  uv_async_send(&stop);
  thread.join();
  uv_close(reinterpret_cast<uv_handle_t*>(&stop), nullptr);
  server->reset();
  uv_run(server_loop.get(), UV_RUN_NOWAIT);
}

}  // namespace
}  // namespace mxscan::scan
