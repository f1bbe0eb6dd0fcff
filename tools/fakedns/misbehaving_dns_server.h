#ifndef MXSCAN_TOOLS_FAKEDNS_MISBEHAVING_DNS_SERVER_H_
#define MXSCAN_TOOLS_FAKEDNS_MISBEHAVING_DNS_SERVER_H_

#include <uv.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scanner/core/uv_handle.h"

namespace mxscan::fakedns {

// MisbehavingDnsServer is the DNS server of mxscan's tests: it answers on
// UDP and TCP (one port) and misbehaves on purpose, chosen by the first
// label of the question name up to its first '-' (so that a name list can
// mix every behaviour):
//
//   ok-*            A 127.0.0.1-style address (AAAA ::1, MX, TXT)
//   nodata-*        NOERROR, no answer
//   drop-*          never answers
//   dropfirst-*     ignores the first query for the name, answers retries
//   delay<MS>-*     answers after MS milliseconds
//   dup-*           answers twice
//   wrongid-*       answers with another ID only
//   wrongidthenok-* a wrong-ID answer, then the right one
//   wrongq-*        answers another question only
//   wrongqthenok-*  an answer to another question, then the right one
//   wrongport-*     answers from another port only
//   spoof-*         a forged answer (6.6.6.6) from another port, then the
//                   real one
//   tc-*            truncated over UDP, full answer over TCP
//   tcbig-*         a 3 KB TXT: truncated over UDP, whole over TCP
//   tcclose-*       truncated over UDP, TCP connection closed at once
//   tcsilent-*      truncated over UDP, TCP accepted but never answered
//   malformed-*     the answer record runs past the end of the message
//   ptrloop-*       the answer's owner name is a compression loop
//   garbage-*       random bytes after a copy of the ID
//   short-*         a 5-byte datagram
//   servfail-* refused-* nxdomain-* formerr-*  that RCODE
//   cnameloop-*     a CNAME to itself
//   chain<N>-REST   a CNAME to chain<N-1>-REST (chain0- has the address),
//                   one link per answer, so the client chases each link
//   badrdata-*      an A record with 3 bytes of RDATA
//   secure-*        the ok answer with the AD bit (a validating resolver's
//                   answer for a signed name)
//   bogus-*         SERVFAIL with an Extended DNS Error (RFC 8914) 6
//                   "DNSSEC Bogus" and a text, as a validating resolver
//                   answers for a name whose signatures fail
//
// Any other name is answered like ok-*. `delay_ms` delays every ok answer
// (for in-flight memory benchmarks). Lives on the thread of its loop.
class MisbehavingDnsServer {
 public:
  struct Options {
    std::string address = "127.0.0.1";
    int port = 0;  // 0: any free port
    int delay_ms = 0;
  };

  static absl::StatusOr<std::unique_ptr<MisbehavingDnsServer>> Start(
      uv_loop_t* loop, const Options& options);
  ~MisbehavingDnsServer();

  int port() const { return port_; }
  uint64_t udp_queries() const { return udp_queries_; }
  uint64_t tcp_queries() const { return tcp_queries_; }
  // Stops listening; pending delayed answers are dropped.
  void Stop();

 private:
  struct Delayed {
    std::string packet;
    sockaddr_storage to;
  };
  class TcpConnection;

  explicit MisbehavingDnsServer(uv_loop_t* loop, const Options& options);
  absl::Status Listen();
  void OnUdpQuery(absl::string_view query, const sockaddr* from);
  // Returns the TCP answer for `query` ("" = close; nullopt-like "wait"
  // signalled by `silent`).
  std::string TcpAnswer(absl::string_view query, bool* silent);
  void SendUdp(uv_udp_t* socket, const std::string& packet,
               const sockaddr* to);
  void SendLater(std::string packet, const sockaddr* to, int delay_ms);
  void OnDelayTimer();

  uv_loop_t* loop_;
  Options options_;
  int port_ = 0;
  core::UvHandle<uv_udp_t> udp_;
  core::UvHandle<uv_udp_t> other_port_udp_;
  core::UvHandle<uv_tcp_t> tcp_;
  core::UvHandle<uv_timer_t> delay_timer_;
  std::multimap<uint64_t, Delayed> delayed_;
  std::set<std::string> seen_once_;
  std::set<TcpConnection*> connections_;
  uint64_t udp_queries_ = 0;
  uint64_t tcp_queries_ = 0;
  uint64_t random_state_ = 0x9E3779B97F4A7C15ull;
};

}  // namespace mxscan::fakedns

#endif  // MXSCAN_TOOLS_FAKEDNS_MISBEHAVING_DNS_SERVER_H_
