// udp_floor_client: the floor under `mxscan dns`, i.e. what the kernel
// alone charges a client for bulk lookups on this machine. It does what
// must be done and nothing else: the same connected UDP sockets, batched
// sendmmsg()/recvmmsg(), the same number in flight, each answer matched by
// socket, ID and question bytes; no parsing, no output, no retries beyond
// one resend of what a sweep finds unanswered. Its CPU per lookup is the
// figure `mxscan dns` is compared with in bench/dns/bench_dns.sh.
//
//   udp_floor_client --resolver 127.0.0.1:PORT --input NAMES
//       [--concurrency 1000] [--sockets 16] [--pause-us 500]
//
// Prints one JSON line: lookups, answered, wall seconds, user and system
// CPU seconds, CPU per lookup; exits 1 when a lookup went unanswered. Loopback
// or a namespace only (bench scripts).

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace {

constexpr int kBatch = 64;
constexpr size_t kMaxAnswer = 4096;

struct Options {
  std::string resolver;
  std::string input;
  int concurrency = 1000;
  int sockets = 16;
  int pause_us = 500;  // as `mxscan dns` coalesces its reads
};

struct Pending {
  std::string query;  // wire form; empty when the slot is free
  int socket = -1;
  uint16_t id = 0;
  double sent_at = 0;
  bool resent = false;
};

double Now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Wire form of (name, A, IN) with RD set and the given ID.
std::string Query(absl::string_view name, uint16_t id) {
  std::string q = {static_cast<char>(id >> 8),
                   static_cast<char>(id & 0xff),
                   0x01,
                   0x00,
                   0,
                   1,
                   0,
                   0,
                   0,
                   0,
                   0,
                   0};
  for (absl::string_view label : absl::StrSplit(name, '.')) {
    if (label.empty()) continue;
    q.push_back(static_cast<char>(label.size()));
    q.append(label.data(), label.size());
  }
  q.append("\0\0\1\0\1", 5);
  return q;
}

bool Usage(const char* why) {
  std::fprintf(stderr,
               "udp_floor_client: %s\nusage: udp_floor_client --resolver "
               "IP:PORT --input FILE [--concurrency N] [--sockets N] "
               "[--pause-us N]\n",
               why);
  return false;
}

bool ParseFlags(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    const absl::string_view flag = argv[i];
    if (i + 1 >= argc) return Usage("a flag without its value");
    const char* value = argv[++i];
    bool ok = true;
    if (flag == "--resolver") {
      options->resolver = value;
    } else if (flag == "--input") {
      options->input = value;
    } else if (flag == "--concurrency") {
      ok = absl::SimpleAtoi(value, &options->concurrency) &&
           options->concurrency > 0 && options->concurrency <= 60000;
    } else if (flag == "--sockets") {
      ok = absl::SimpleAtoi(value, &options->sockets) && options->sockets > 0 &&
           options->sockets <= 256;
    } else if (flag == "--pause-us") {
      ok =
          absl::SimpleAtoi(value, &options->pause_us) && options->pause_us >= 0;
    } else {
      return Usage("unknown flag");
    }
    if (!ok) return Usage("a flag's value is out of range");
  }
  if (options->resolver.empty() || options->input.empty()) {
    return Usage("--resolver and --input are required");
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseFlags(argc, argv, &options)) return 2;
  const size_t colon = options.resolver.rfind(':');
  sockaddr_in server{};
  server.sin_family = AF_INET;
  int port = 0;
  if (colon == std::string::npos ||
      inet_pton(AF_INET, options.resolver.substr(0, colon).c_str(),
                &server.sin_addr) != 1 ||
      !absl::SimpleAtoi(options.resolver.substr(colon + 1), &port) ||
      port <= 0 || port > 65535) {
    Usage("--resolver must be IPv4:PORT");
    return 2;
  }
  server.sin_port = htons(static_cast<uint16_t>(port));
  std::vector<std::string> names;
  {
    std::ifstream in(options.input);
    if (!in) {
      Usage("cannot read --input");
      return 2;
    }
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) names.push_back(line);
    }
  }
  if (names.empty()) {
    Usage("--input holds no names");
    return 2;
  }

  const int epoll = epoll_create1(EPOLL_CLOEXEC);
  std::vector<int> fds;
  for (int i = 0; i < options.sockets; ++i) {
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    const int size = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&server),
                          sizeof(server)) != 0) {
      std::perror("udp_floor_client: socket");
      return 1;
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u32 = static_cast<uint32_t>(i);
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
    fds.push_back(fd);
  }

  // One ID space over all sockets (the socket follows from the ID): at
  // most 65,536 in flight, far more than the runs ask for.
  std::vector<Pending> pending(1 << 16);
  std::vector<std::vector<uint32_t>> to_send(fds.size());
  uint32_t next_id = 1;
  size_t next_name = 0, in_flight = 0, answered = 0, unanswered = 0;
  auto start_next = [&]() {
    const uint32_t key = next_id++ % pending.size();
    Pending& p = pending[key];
    if (!p.query.empty()) return false;  // that ID is still in use
    p.socket = static_cast<int>(key % fds.size());
    p.id = static_cast<uint16_t>(key);
    p.query = Query(names[next_name++], p.id);
    p.resent = false;
    to_send[static_cast<size_t>(p.socket)].push_back(key);
    ++in_flight;
    return true;
  };
  auto flush = [&]() {
    const double now = Now();
    for (size_t s = 0; s < fds.size(); ++s) {
      std::vector<uint32_t>& keys = to_send[s];
      for (size_t done = 0; done < keys.size();) {
        mmsghdr headers[kBatch] = {};
        iovec vectors[kBatch];
        const size_t n = std::min<size_t>(kBatch, keys.size() - done);
        for (size_t i = 0; i < n; ++i) {
          Pending& p = pending[keys[done + i]];
          p.sent_at = now;
          vectors[i] = {p.query.data(), p.query.size()};
          headers[i].msg_hdr.msg_iov = &vectors[i];
          headers[i].msg_hdr.msg_iovlen = 1;
        }
        const int sent = sendmmsg(fds[s], headers, static_cast<unsigned>(n), 0);
        if (sent <= 0) break;  // the sweep below resends
        done += static_cast<size_t>(sent);
      }
      keys.clear();
    }
  };

  static char buffers[kBatch][kMaxAnswer];
  const double started = Now();
  double last_sweep = started;
  while (answered + unanswered < names.size()) {
    while (in_flight < static_cast<size_t>(options.concurrency) &&
           next_name < names.size() && start_next()) {
    }
    flush();
    if (options.pause_us > 0 && in_flight >= 4 * kBatch) {
      std::this_thread::sleep_for(std::chrono::microseconds(options.pause_us));
    }
    epoll_event events[256];
    const int ready = epoll_wait(epoll, events, 256, 100);
    for (int e = 0; e < ready; ++e) {
      const uint32_t s = events[e].data.u32;
      mmsghdr headers[kBatch] = {};
      iovec vectors[kBatch];
      for (int i = 0; i < kBatch; ++i) {
        vectors[i] = {buffers[i], kMaxAnswer};
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
      }
      const int n = recvmmsg(fds[s], headers, kBatch, 0, nullptr);
      for (int i = 0; i < n; ++i) {
        const auto* a = reinterpret_cast<const uint8_t*>(buffers[i]);
        const size_t length = headers[i].msg_len;
        if (length < 12) continue;
        Pending& p = pending[a[0] << 8 | a[1]];
        // The question section must equal the query's (the server echoes
        // it as asked): the check `mxscan dns` makes first.
        if (p.query.empty() || p.socket != static_cast<int>(s) ||
            length < p.query.size() || !(a[2] & 0x80) ||
            std::memcmp(a + 12, p.query.data() + 12, p.query.size() - 12) !=
                0) {
          continue;
        }
        p.query.clear();
        --in_flight;
        ++answered;
      }
    }
    const double now = Now();
    if (now - last_sweep > 1.0) {
      last_sweep = now;
      for (size_t key = 0; key < pending.size(); ++key) {
        Pending& p = pending[key];
        if (p.query.empty() || now - p.sent_at < 2.0) continue;
        if (p.resent) {  // twice unanswered: give up on it
          p.query.clear();
          --in_flight;
          ++unanswered;
          continue;
        }
        p.resent = true;
        to_send[static_cast<size_t>(p.socket)].push_back(
            static_cast<uint32_t>(key));
      }
    }
  }
  const double wall = Now() - started;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double user = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6;
  const double sys = usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  std::printf(
      "{\"lookups\": %zu, \"answered\": %zu, \"wall_s\": %.3f, "
      "\"user_s\": %.3f, \"sys_s\": %.3f, \"cpu_us_per_lookup\": %.2f}\n",
      names.size(), answered, wall, user, sys,
      (user + sys) / names.size() * 1e6);
  return unanswered == 0 ? 0 : 1;
}
