#ifndef MXSCAN_TESTS_FARM_FARM_FIXTURE_H_
#define MXSCAN_TESTS_FARM_FARM_FIXTURE_H_

// Helpers of the farm's tests: the farm running in-process on its own loop
// thread, and a blocking client (plain socket, then the scanner's
// TlsConnection after STARTTLS).

#include <uv.h>

#include <cstddef>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scanner/tls/tls_client.h"
#include "tools/farm/farm.h"

namespace mxscan::farm::testing {

// FarmThread runs a Farm on a loop of its own thread, from Start until it
// is destroyed (which stops the farm and joins the thread).
class FarmThread {
 public:
  static absl::StatusOr<std::unique_ptr<FarmThread>> Start(
      Farm::Options options);
  ~FarmThread();

  int smtp_port() const { return smtp_port_; }
  int https_port() const { return https_port_; }
  const std::string& ca_pem() const { return ca_pem_; }

 private:
  FarmThread() = default;

  std::thread thread_;
  uv_async_t* stop_ = nullptr;  // owned by the loop thread
  int smtp_port_ = 0;
  int https_port_ = 0;
  std::string ca_pem_;
};

// Client is one blocking TCP connection with a receive timeout; after
// StartTls() every byte goes through TLS. Not thread-safe.
class Client {
 public:
  // Connect fails when the connection cannot be made.
  static absl::StatusOr<std::unique_ptr<Client>> Connect(
      const std::string& address, int port, int timeout_ms = 5000);
  ~Client();

  absl::Status Send(absl::string_view bytes);
  // ReadReply returns one complete SMTP reply (every line, CRLFs kept);
  // bytes after it stay buffered. Fails on timeout, EOF or above
  // `max_bytes`.
  absl::StatusOr<std::string> ReadReply(size_t max_bytes = 64 * 1024);
  // ReadUntilClosed reads until the server closes, `max_bytes` arrive or
  // the timeout; `*closed` says whether it was a close (EOF or reset).
  std::string ReadUntilClosed(size_t max_bytes, bool* closed);
  // Buffered bytes not consumed by ReadReply.
  const std::string& buffered() const { return in_; }

  // StartTls runs a TLS handshake with the scanner's client (SNI
  // `server_name`), failing with the handshake's error.
  absl::Status StartTls(const std::string& server_name,
                        const tls::ClientContextOptions& options = {});
  const tls::HandshakeInfo& tls_info() const { return info_; }

  // HttpsGet: TLS from the start with SNI `host`, one GET of `path`;
  // returns the whole response (head and body) up to the server's close.
  absl::StatusOr<std::string> HttpsGet(const std::string& host,
                                       const std::string& path);

 private:
  explicit Client(int fd) : fd_(fd) {}
  // Reads some bytes into in_ (decrypting when TLS is up); false on EOF,
  // error or timeout.
  bool Fill();
  absl::Status SendRaw(absl::string_view bytes);

  int fd_;
  std::string in_;
  std::unique_ptr<tls::ClientContext> context_;
  std::unique_ptr<tls::TlsConnection> tls_;
  tls::HandshakeInfo info_;
  bool closed_ = false;
};

}  // namespace mxscan::farm::testing

#endif  // MXSCAN_TESTS_FARM_FARM_FIXTURE_H_
