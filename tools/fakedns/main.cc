// misbehaving_dns_server: the DNS server of mxscan's tests and benchmarks
// (behaviours in misbehaving_dns_server.h). Listens on loopback only.
//
//   misbehaving_dns_server --port N [--address 127.0.0.1] [--delay-ms MS]
//                          [--port-file FILE]
//
// Runs until SIGTERM/SIGINT.

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "scanner/core/event_loop.h"
#include "scanner/core/uv_handle.h"
#include "tools/fakedns/misbehaving_dns_server.h"

int main(int argc, char** argv) {
  mxscan::fakedns::MisbehavingDnsServer::Options options;
  std::string port_file;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--port") {
      options.port = std::atoi(value);
    } else if (flag == "--address") {
      options.address = value;
    } else if (flag == "--delay-ms") {
      options.delay_ms = std::atoi(value);
    } else if (flag == "--port-file") {
      port_file = value;
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (options.address.rfind("127.", 0) != 0 && options.address != "::1") {
    std::fprintf(stderr, "refusing to listen on a non-loopback address\n");
    return 2;
  }
  mxscan::core::EventLoop loop;
  auto server =
      mxscan::fakedns::MisbehavingDnsServer::Start(loop.get(), options);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", std::string(server.status().message()).c_str());
    return 1;
  }
  if (!port_file.empty()) {
    std::ofstream(port_file) << (*server)->port() << "\n";
  }
  std::fprintf(stderr, "misbehaving_dns_server listening on %s port %d\n",
               options.address.c_str(), (*server)->port());
  mxscan::core::UvHandle<uv_signal_t> sigterm, sigint;
  auto stop = [](uv_signal_t* h, int) {
    uv_stop(static_cast<uv_loop_t*>(h->data));
  };
  uv_signal_init(loop.get(), sigterm.get());
  sigterm.MarkInitialized();
  sigterm.get()->data = loop.get();
  uv_signal_start(sigterm.get(), stop, SIGTERM);
  uv_signal_init(loop.get(), sigint.get());
  sigint.MarkInitialized();
  sigint.get()->data = loop.get();
  uv_signal_start(sigint.get(), stop, SIGINT);
  loop.Run();
  std::fprintf(stderr, "misbehaving_dns_server: %llu UDP, %llu TCP queries\n",
               static_cast<unsigned long long>((*server)->udp_queries()),
               static_cast<unsigned long long>((*server)->tcp_queries()));
  server->reset();
  return 0;
}
