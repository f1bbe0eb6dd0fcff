#ifndef MXSCAN_TESTS_TESTING_DEAD_ENDS_H_
#define MXSCAN_TESTS_TESTING_DEAD_ENDS_H_

#include <sys/socket.h>

#include <vector>

namespace mxscan::testing {

// DeadEnd is a loopback port (127.0.0.1) where a connection goes nowhere,
// for the tests of connect failures and deadlines. The port stays
// reserved while the object lives.
class DeadEnd {
 public:
  enum class Kind {
    // Bound by a socket that does not listen: a connection is refused at
    // once (ECONNREFUSED).
    kRefused,
    // A listener whose accept queue is full and never drained: the kernel
    // drops the SYN of a further connection, so connecting neither
    // succeeds nor fails until the client gives up.
    kHanging,
  };

  explicit DeadEnd(Kind kind);
  ~DeadEnd();
  DeadEnd(const DeadEnd&) = delete;
  DeadEnd& operator=(const DeadEnd&) = delete;

  const sockaddr* address() const {
    return reinterpret_cast<const sockaddr*>(&address_);
  }

 private:
  sockaddr_storage address_{};
  int fd_ = -1;
  std::vector<int> fillers_;  // kHanging: the connections in the queue
};

}  // namespace mxscan::testing

#endif  // MXSCAN_TESTS_TESTING_DEAD_ENDS_H_
