// smtp_farm: the SMTP+HTTPS server farm of mxscan's simulated sector
// (tools/farm/farm.h). Listens on loopback addresses only.
//
//   smtp_farm --behaviours FILE [--smtp-port N] [--https-port N]
//             [--mta-sts DIR] [--ca-out FILE] [--ready-file FILE]
//             [--https-address ADDR]... [--timeout-ms MS]
//             [--max-connections N] [--key-dir DIR] [--session-log FILE]
//             [--reply-delay MEDIAN_MS[:SIGMA[:MAX_MS]]] [--delay-seed N]
//
// --behaviours   the per-address JSON (tools/farm/behaviours.h)
// --smtp-port    SMTP port on every address (default 0: a free port)
// --https-port   HTTPS (MTA-STS policy) port (default 0: a free port)
// --mta-sts      DIR/<domain> is the policy body of mta-sts.<domain>
// --ca-out       where to write the farm's root CA (PEM), for --ca-file
// --ready-file   written once every socket listens: "smtp_port N",
//                "https_port N", "listeners N", "pid N", one per line
// --https-address  where the HTTPS port listens, repeatable (default
//                127.0.0.1), besides the policy hosts' "addresses"
// --timeout-ms   lifetime of every connection (default 60000)
// --max-connections  beyond this, new connections are closed at once
//                (default 10000, lowered to what the descriptor limit
//                leaves after the listeners)
// --session-log  FILE: a line per SMTP connection opened and closed,
//                "open|close MONOTONIC_MS ADDRESS" (politeness tests)
// --reply-delay  every SMTP greeting and reply comes this much later: a
//                log-normal draw with that median and sigma (of the log;
//                default 0: always the median), capped at MAX_MS
//                (tools/farm/latency.h); per greeting and per command,
//                deterministic per --delay-seed, address and connection
//                ordinal; HTTPS is not delayed (default: no delay)
// --delay-seed   the seed of the --reply-delay draws (default 0)
// --key-dir      DIR/intermediate.pem (P-256) and DIR/leaf.pem: fixed keys
//                for the intermediate CA and every leaf, so that TLSA
//                records can match them (default: fresh keys)
//
// The descriptor limit is raised to the hard limit first: every address
// is one listening socket. Runs until SIGTERM/SIGINT.

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "scanner/core/event_loop.h"
#include "scanner/core/uv_handle.h"
#include "tools/farm/behaviours.h"
#include "tools/farm/farm.h"
#include "tools/farm/latency.h"

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "smtp_farm: %s\n", message.c_str());
  return 1;
}

// Writes `contents` to `path` through a rename, so that a reader never
// sees half a file.
bool WriteAtomically(const std::string& path, const std::string& contents) {
  const std::string temporary = absl::StrCat(path, ".tmp.", getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << contents;
    if (!out.flush()) return false;
  }
  return std::rename(temporary.c_str(), path.c_str()) == 0;
}

// Raises the descriptor limit to the hard limit; returns the soft limit.
rlim_t RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

}  // namespace

int main(int argc, char** argv) {
  const auto started = std::chrono::steady_clock::now();
  mxscan::farm::Farm::Options options;
  std::string behaviours_file, ca_out, ready_file, key_dir;
  std::vector<std::string> https_addresses;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return Fail(absl::StrCat(flag, " needs a value"));
    const std::string value = argv[i + 1];
    int64_t number = 0;
    const bool numeric = absl::SimpleAtoi(value, &number) && number >= 0;
    if (flag == "--behaviours") {
      behaviours_file = value;
    } else if (flag == "--smtp-port" && numeric && number <= 65535) {
      options.smtp_port = static_cast<int>(number);
    } else if (flag == "--https-port" && numeric && number <= 65535) {
      options.https_port = static_cast<int>(number);
    } else if (flag == "--mta-sts") {
      options.mta_sts_dir = value;
    } else if (flag == "--ca-out") {
      ca_out = value;
    } else if (flag == "--ready-file") {
      ready_file = value;
    } else if (flag == "--https-address") {
      https_addresses.push_back(value);
    } else if (flag == "--timeout-ms" && numeric) {
      options.connection_timeout_ms = number;
    } else if (flag == "--key-dir") {
      key_dir = value;
    } else if (flag == "--session-log") {
      options.session_log = value;
    } else if (flag == "--reply-delay" &&
               mxscan::farm::LogNormalDelay::Parse(value,
                                                   &options.reply_delay)) {
    } else if (flag == "--delay-seed" && numeric) {
      options.delay_seed = static_cast<uint64_t>(number);
    } else if (flag == "--max-connections" && numeric && number > 0) {
      options.max_connections = static_cast<size_t>(number);
    } else {
      return Fail(absl::StrCat("bad flag or value: ", flag, " ", value));
    }
  }
  if (behaviours_file.empty()) return Fail("--behaviours FILE is required");
  if (!key_dir.empty()) {
    for (auto [name, key] :
         {std::pair{"intermediate.pem", &options.keys.intermediate},
          std::pair{"leaf.pem", &options.keys.leaf}}) {
      const std::string path = absl::StrCat(key_dir, "/", name);
      std::ifstream file(path, std::ios::binary);
      std::stringstream pem;
      pem << file.rdbuf();
      auto read = mxscan::certs::PrivateKey::FromPem(pem.str());
      if (!file || !read.ok()) {
        return Fail(absl::StrCat(
            "--key-dir: cannot read a key from ", path,
            file ? absl::StrCat(": ", read.status().message()) : ""));
      }
      *key = *std::move(read);
    }
  }
  if (!https_addresses.empty()) options.https_addresses = https_addresses;
  for (const std::string& address : options.https_addresses) {
    // Loopback only: anything else is refused before any socket exists.
    auto canonical = mxscan::farm::CanonicalLoopbackAddress(address);
    if (!canonical.ok()) return Fail(std::string(canonical.status().message()));
  }

  std::ifstream in(behaviours_file, std::ios::binary);
  if (!in) return Fail(absl::StrCat("cannot read ", behaviours_file));
  std::stringstream json;
  json << in.rdbuf();
  auto config = mxscan::farm::ParseBehaviours(json.str());
  if (!config.ok()) return Fail(std::string(config.status().message()));
  options.config = *std::move(config);

  // One descriptor per listening address, plus the connections.
  const size_t listeners = options.config.smtp.size() +
                           options.https_addresses.size() +
                           options.config.https.size();
  const rlim_t limit = RaiseFileLimit();
  if (limit != RLIM_INFINITY && listeners + 64 > limit) {
    return Fail(absl::StrCat("needs ", listeners + 64,
                             " file descriptors; the limit is ", limit));
  }
  if (limit != RLIM_INFINITY &&
      options.max_connections > limit - listeners - 32) {
    options.max_connections = limit - listeners - 32;
  }
  signal(SIGPIPE, SIG_IGN);

  mxscan::core::EventLoop loop;
  auto farm = mxscan::farm::Farm::Start(loop.get(), std::move(options));
  if (!farm.ok()) return Fail(std::string(farm.status().message()));
  if (!ca_out.empty() && !WriteAtomically(ca_out, (*farm)->CaPem())) {
    return Fail(absl::StrCat("cannot write ", ca_out));
  }
  if (!ready_file.empty() &&
      !WriteAtomically(
          ready_file,
          absl::StrCat("smtp_port ", (*farm)->smtp_port(), "\nhttps_port ",
                       (*farm)->https_port(), "\nlisteners ",
                       (*farm)->listeners(), "\npid ", getpid(), "\n"))) {
    return Fail(absl::StrCat("cannot write ", ready_file));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  std::fprintf(stderr,
               "smtp_farm: %zu listeners, SMTP port %d, HTTPS port %d, "
               "ready in %.2f s\n",
               (*farm)->listeners(), (*farm)->smtp_port(),
               (*farm)->https_port(), seconds);

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
  std::fprintf(stderr, "smtp_farm: %llu connections, %llu refused\n",
               static_cast<unsigned long long>((*farm)->accepted()),
               static_cast<unsigned long long>((*farm)->refused()));
  farm->reset();
  return 0;
}
