#ifndef MXSCAN_SCANNER_DNS_UDP_BATCH_SENDER_H_
#define MXSCAN_SCANNER_DNS_UDP_BATCH_SENDER_H_

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/strings/string_view.h"

namespace mxscan::dns {

// UdpBatchSender collects outgoing datagrams per socket and sends each
// socket's batch with one sendmmsg(2) call, instead of one sendto(2) per
// query: at tens of thousands of queries per second the syscalls are most
// of the client's CPU. The caller flushes once per loop iteration; a full
// batch is flushed at once. Datagrams the kernel will not take (full
// buffer) are dropped and counted, exactly like datagrams lost on the
// wire: the query's deadline retries them. Not thread-safe.
class UdpBatchSender {
 public:
  static constexpr size_t kBatchSize = 64;
  static constexpr size_t kMaxDatagram = 512;

  // `sockets` is the number of socket slots (indices used with Add()).
  explicit UdpBatchSender(size_t sockets);

  // Add queues a copy of `datagram` for `fd` (socket slot `socket`) to
  // `destination`, or to the peer of a connected socket when `destination`
  // is null and `destination_length` 0. Returns false (nothing queued) if
  // it is too large.
  bool Add(uint32_t socket, int fd, const sockaddr* destination,
           socklen_t destination_length, absl::string_view datagram);

  // Flush sends every queued datagram.
  void Flush();

  uint64_t dropped() const { return dropped_; }
  uint64_t syscalls() const { return syscalls_; }

 private:
  struct Batch {
    int fd = -1;
    size_t count = 0;
    mmsghdr headers[kBatchSize];
    iovec vectors[kBatchSize];
    sockaddr_storage destinations[kBatchSize];
    char data[kBatchSize][kMaxDatagram];
  };
  void FlushBatch(Batch& batch);

  std::vector<std::unique_ptr<Batch>> batches_;
  std::vector<uint32_t> dirty_;  // sockets with a non-empty batch
  uint64_t dropped_ = 0;
  uint64_t syscalls_ = 0;
};

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_UDP_BATCH_SENDER_H_
