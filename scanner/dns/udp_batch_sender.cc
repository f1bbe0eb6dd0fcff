#include "scanner/dns/udp_batch_sender.h"

#include <errno.h>

#include <cstring>

namespace mxscan::dns {

UdpBatchSender::UdpBatchSender(size_t sockets) {
  batches_.reserve(sockets);
  for (size_t i = 0; i < sockets; ++i) {
    batches_.push_back(std::make_unique<Batch>());
  }
}

bool UdpBatchSender::Add(uint32_t socket, int fd, const sockaddr* destination,
                         socklen_t destination_length,
                         absl::string_view datagram) {
  if (datagram.size() > kMaxDatagram || socket >= batches_.size() ||
      destination_length > sizeof(sockaddr_storage) ||
      (destination == nullptr) != (destination_length == 0)) {
    return false;
  }
  Batch& batch = *batches_[socket];
  if (batch.count == 0) dirty_.push_back(socket);
  batch.fd = fd;
  const size_t i = batch.count++;
  std::memcpy(batch.data[i], datagram.data(), datagram.size());
  if (destination != nullptr) {
    std::memcpy(&batch.destinations[i], destination, destination_length);
  }
  batch.vectors[i].iov_base = batch.data[i];
  batch.vectors[i].iov_len = datagram.size();
  mmsghdr& header = batch.headers[i];
  std::memset(&header, 0, sizeof(header));
  header.msg_hdr.msg_name =
      destination != nullptr ? &batch.destinations[i] : nullptr;
  header.msg_hdr.msg_namelen = destination_length;
  header.msg_hdr.msg_iov = &batch.vectors[i];
  header.msg_hdr.msg_iovlen = 1;
  if (batch.count == kBatchSize) FlushBatch(batch);
  return true;
}

void UdpBatchSender::FlushBatch(Batch& batch) {
  size_t done = 0;
  int attempts = 0;
  while (done < batch.count && attempts++ < 4) {
    ++syscalls_;
    const int n = sendmmsg(batch.fd, batch.headers + done,
                           static_cast<unsigned>(batch.count - done), 0);
    if (n > 0) {
      done += static_cast<size_t>(n);
      attempts = 0;
    } else if (n < 0 && errno != EINTR && errno != EAGAIN && errno != ENOBUFS &&
               errno != ECONNREFUSED) {
      // A datagram the kernel refuses (e.g. no route) is skipped alone.
      // ECONNREFUSED is not about it: a connected socket reports an
      // earlier datagram's ICMP error once, and this one is sent again.
      ++dropped_;
      ++done;
      attempts = 0;
    }
  }
  dropped_ += batch.count - done;
  batch.count = 0;
}

void UdpBatchSender::Flush() {
  for (uint32_t socket : dirty_) {
    Batch& batch = *batches_[socket];
    if (batch.count > 0) FlushBatch(batch);
  }
  dirty_.clear();
}

}  // namespace mxscan::dns
