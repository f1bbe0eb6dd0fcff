#include "scanner/scan/probe_cache.h"

#include <uv.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "scanner/core/event_loop.h"
#include "scanner/scan/blocklist.h"
#include "scanner/tls/tls_client.h"
#include "scanner/tls/trust_store.h"
#include "scanner/tls/verdict_cache.h"

namespace mxscan::scan {
namespace {

// The value of a set-up step that must not fail.
template <typename T>
T Must(absl::StatusOr<T> result) {
  if (!result.ok()) {
    ADD_FAILURE() << result.status();
    std::abort();
  }
  return *std::move(result);
}

// A server on 127.0.0.1 that greets every connection with "554 no
// service" and closes it: a probe that ends at once, without TLS.
class RefusingServer {
 public:
  explicit RefusingServer(uv_loop_t* loop) : server_(new uv_tcp_t) {
    uv_tcp_init(loop, server_);
    sockaddr_in address;
    uv_ip4_addr("127.0.0.1", 0, &address);
    uv_tcp_bind(server_, reinterpret_cast<const sockaddr*>(&address), 0);
    uv_listen(reinterpret_cast<uv_stream_t*>(server_), 64,
              [](uv_stream_t* server, int status) {
                if (status != 0) return;
                auto* client = new uv_tcp_t;
                uv_tcp_init(server->loop, client);
                if (uv_accept(server, reinterpret_cast<uv_stream_t*>(client)) != 0) {
                  uv_close(reinterpret_cast<uv_handle_t*>(client), Free);
                  return;
                }
                static char greeting[] = "554 no service\r\n";
                auto* write = new uv_write_t;
                write->data = client;
                uv_buf_t buf = uv_buf_init(greeting, sizeof(greeting) - 1);
                uv_write(write, reinterpret_cast<uv_stream_t*>(client), &buf, 1,
                         [](uv_write_t* w, int) {
                           uv_close(static_cast<uv_handle_t*>(w->data), Free);
                           delete w;
                         });
              });
    sockaddr_storage bound;
    int length = sizeof(bound);
    uv_tcp_getsockname(server_, reinterpret_cast<sockaddr*>(&bound), &length);
    port_ = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  }
  // The handle is freed by its close callback, when the loop runs again.
  ~RefusingServer() { uv_close(reinterpret_cast<uv_handle_t*>(server_), Free); }
  int port() const { return port_; }

 private:
  static void Free(uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); }
  uv_tcp_t* server_;
  int port_ = 0;
};

class ProbeCacheTest : public ::testing::Test {
 protected:
  ProbeCacheTest()
      : context_(Must(tls::ClientContext::Create(tls::ClientContextOptions()))),
        verdicts_(Must(tls::TrustStore::LoadFile(tls::kDefaultCaFile))),
        blocklist_(Must(Blocklist::Parse("192.0.2.0/24\n"))) {}

  // Probes (ip, host) and runs the loop until the answer is in; returns
  // whether a new probe was made (not a stored answer).
  bool ProbeOnce(ProbeCache& cache, const std::string& ip,
                 const std::string& host) {
    const uint64_t before = cache.stats().hits;
    bool done = false;
    cache.Probe(ip, host, [&](std::shared_ptr<const ProbeRecord>) { done = true; });
    while (!done) uv_run(loop_.get(), UV_RUN_ONCE);
    return cache.stats().hits == before;
  }

  core::EventLoop loop_;
  std::unique_ptr<tls::ClientContext> context_;
  tls::VerdictCache verdicts_;
  Blocklist blocklist_;
};

// Finished probes are kept up to max_entries: memory does not grow with
// the number of addresses scanned. One used again and again (a provider's
// MX, shared by many domains) stays; one used once goes.
TEST_F(ProbeCacheTest, KeepsAtMostMaxEntriesAndTheSharedOnesStay) {
  ProbeCacheOptions options;
  options.max_entries = 4;
  options.blocklist = &blocklist_;  // blocked probes finish without I/O
  ProbeCache cache(loop_.get(), options, *context_, verdicts_);
  EXPECT_TRUE(ProbeOnce(cache, "192.0.2.200", "once.example"));
  EXPECT_TRUE(ProbeOnce(cache, "192.0.2.100", "mx.provider.example"));
  for (int i = 1; i <= 50; ++i) {
    EXPECT_TRUE(ProbeOnce(cache, absl::StrCat("192.0.2.", i), "self.example"));
    EXPECT_FALSE(ProbeOnce(cache, "192.0.2.100", "mx.provider.example"));
    EXPECT_LE(cache.size(), options.max_entries);
  }
  EXPECT_EQ(cache.stats().hits, 50u);
  EXPECT_TRUE(ProbeOnce(cache, "192.0.2.200", "once.example"));  // evicted
  EXPECT_EQ(cache.stats().blocked, 53u);
}

// The per-address bookkeeping (politeness) is dropped once an address is
// idle, unless it deferred us.
TEST_F(ProbeCacheTest, ForgetsIdleAddresses) {
  RefusingServer server(loop_.get());
  ProbeCacheOptions options;
  options.smtp_port = server.port();
  options.max_entries = 2;
  options.probe.connect_timeout_ms = 5000;
  options.probe.reply_timeout_ms = 5000;
  options.probe.total_timeout_ms = 10000;
  ProbeCache cache(loop_.get(), options, *context_, verdicts_);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(
        ProbeOnce(cache, "127.0.0.1", absl::StrCat("mx", i, ".example")));
  }
  EXPECT_EQ(cache.stats().probes, 5u);
  EXPECT_LE(cache.size(), 2u);
  EXPECT_EQ(cache.addresses(), 0u);
  EXPECT_EQ(cache.active(), 0u);
}

}  // namespace
}  // namespace mxscan::scan
