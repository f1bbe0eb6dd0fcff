#ifndef MXSCAN_SCANNER_DNS_TCP_EXCHANGE_H_
#define MXSCAN_SCANNER_DNS_TCP_EXCHANGE_H_

#include <uv.h>

#include <cstdint>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace mxscan::dns {

// TcpExchange sends one DNS query over a new TCP connection (RFC 7766:
// two-octet length prefix) and reads one response of at most 65535 octets.
// It reports exactly once through `on_answer` or `on_failure`, unless
// Abandon() is called first. It owns itself: it is deleted in its handle's
// close callback, after libuv has cancelled any pending request, so late
// callbacks never touch freed memory. Lives on the thread of its loop.
class TcpExchange {
 public:
  using AnswerFn = absl::AnyInvocable<void(absl::Span<const uint8_t>)>;
  using FailureFn = absl::AnyInvocable<void(absl::string_view)>;

  // Starts connecting; failures to start are reported from the loop.
  static TcpExchange* Start(uv_loop_t* loop, const sockaddr* server,
                            absl::string_view query, AnswerFn on_answer,
                            FailureFn on_failure);

  // Abandon drops the callbacks and closes the connection.
  void Abandon();

 private:
  TcpExchange(AnswerFn on_answer, FailureFn on_failure);
  ~TcpExchange() = default;

  void Fail(absl::string_view why);
  void Succeed();
  void Close();
  void OnConnected(int status);
  void OnRead(ssize_t nread, const uv_buf_t* buf);

  uv_tcp_t tcp_{};
  uv_connect_t connect_{};
  uv_write_t write_{};
  std::string out_;
  std::string in_;
  size_t expected_ = 0;  // response length once the prefix is read
  bool closing_ = false;
  AnswerFn on_answer_;
  FailureFn on_failure_;
};

}  // namespace mxscan::dns

#endif  // MXSCAN_SCANNER_DNS_TCP_EXCHANGE_H_
