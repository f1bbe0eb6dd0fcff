// Fuzz target: arbitrary bytes as a server's first answer to the
// post-quantum selection probe's ClientHello (tls/server_hello.h).
//
// Input layout: byte 0: bit 7 reads on to a TLS 1.2 key exchange
// (ServerHelloReader(true)), bits 0-6 the size of the pieces the bytes are
// fed in (0 -> all at once); bytes 1.. what the server sent.
//
// Checks beyond "no crash": the reader ends in kError with a reason or in
// kDone with a summary of its kind, never reads past its bound, and stays
// where it ended when fed more.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "scanner/tls/server_hello.h"
#include "scanner/tls/tls_codepoints.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bool key_exchange = (data[0] & 0x80) != 0;
  const size_t piece = (data[0] & 0x7f) == 0 ? size : (data[0] & 0x7f);
  const absl::string_view bytes(reinterpret_cast<const char*>(data + 1),
                                size - 1);
  using mxscan::tls::ServerHelloReader;
  ServerHelloReader reader(key_exchange);
  ServerHelloReader::State state = ServerHelloReader::State::kNeedMore;
  size_t fed = 0;
  for (size_t at = 0; at < bytes.size(); at += piece) {
    state = reader.Feed(bytes.substr(at, piece));
    fed = at + piece;
    if (state != ServerHelloReader::State::kNeedMore) break;
  }
  if (state == ServerHelloReader::State::kNeedMore &&
      bytes.size() > ServerHelloReader::kMaxServerBytes) {
    std::abort();  // read past its bound
  }
  if (state == ServerHelloReader::State::kError && reader.error().empty()) {
    std::abort();
  }
  if (state == ServerHelloReader::State::kDone) {
    // Names exist for whatever came.
    if (mxscan::tls::GroupName(reader.summary().group).empty() ||
        mxscan::tls::VersionName(reader.summary().version).empty() ||
        mxscan::tls::AlertName(reader.summary().alert).empty()) {
      std::abort();
    }
  }
  if (state != ServerHelloReader::State::kNeedMore &&
      reader.Feed(bytes.substr(std::min(fed, bytes.size()))) != state) {
    std::abort();
  }
  return 0;
}
