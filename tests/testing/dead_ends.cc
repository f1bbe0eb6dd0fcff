#include "tests/testing/dead_ends.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace mxscan::testing {
namespace {

[[noreturn]] void Abort(const char* what) {
  std::perror(what);
  std::abort();
}

}  // namespace

DeadEnd::DeadEnd(Kind kind) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in* in = reinterpret_cast<sockaddr_in*>(&address_);
  in->sin_family = AF_INET;
  in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(sockaddr_in);
  if (fd_ < 0 || bind(fd_, address(), length) != 0 ||
      getsockname(fd_, reinterpret_cast<sockaddr*>(in), &length) != 0) {
    Abort("cannot bind a loopback test socket");
  }
  if (kind == Kind::kRefused) return;
  // Backlog 0: one connection waits in the queue, and the queue is then
  // full. Two non-blocking connections make sure of it.
  if (listen(fd_, 0) != 0) Abort("listen");
  for (int i = 0; i < 2; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    connect(fd, address(), sizeof(sockaddr_in));
    fillers_.push_back(fd);
  }
}

DeadEnd::~DeadEnd() {
  for (const int fd : fillers_) close(fd);
  close(fd_);
}

}  // namespace mxscan::testing
