#ifndef MXSCAN_SCANNER_HTTPS_HTTPS_FETCH_H_
#define MXSCAN_SCANNER_HTTPS_HTTPS_FETCH_H_

#include <sys/socket.h>
#include <uv.h>

#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "scanner/tls/tls_client.h"

namespace mxscan::https {

struct FetchOptions {
  int timeout_ms = 10000;          // the whole fetch
  size_t max_body_bytes = 64 * 1024;
  size_t max_header_bytes = 16 * 1024;
};

struct FetchResult {
  // Connection, TLS or HTTP failure (a redirect is one: RFC 8461 section
  // 3.3 forbids following them); OK with any HTTP status otherwise.
  absl::Status status;
  int http_status = 0;
  std::string content_type;
  std::string location;  // of a redirect
  std::string body;
  bool tls_done = false;
  tls::HandshakeInfo tls;  // the chain, to be judged by the caller
};

// FetchHttps sends "GET `path`" for `host` over TLS (SNI = `host`) to
// `address` and reads one response within the limits and the time allowed,
// then calls `done` once, from the loop. It never follows a redirect. The
// certificate is not judged here: the caller judges `tls.chain_der` (the
// same way as the SMTP probe's). `context` must outlive the fetch.
void FetchHttps(uv_loop_t* loop, const sockaddr* address, std::string host,
                std::string path, const tls::ClientContext& context,
                const FetchOptions& options,
                absl::AnyInvocable<void(FetchResult)> done);

}  // namespace mxscan::https

#endif  // MXSCAN_SCANNER_HTTPS_HTTPS_FETCH_H_
