// Fuzz target: the HTTP/1.1 response parser of the MTA-STS policy fetch
// (scanner/https/http_response), fed what a hostile policy server sends,
// split arbitrarily, then the body through the MTA-STS policy parser as
// the scan does with a 200 response. Checks beyond "no crash":
//  - the outcome (failed or not; when not, status, reason, headers, body
//    and completeness) does not depend on how the bytes are split;
//  - the header block and the body stay within the limits;
//  - header names are lowercase tokens, values trimmed;
//  - a complete response has a status code in 100..599.
//
// Input: byte 0 picks the split (0: one Feed; else pieces of 1..byte 0
// bytes, sizes drawn from a generator seeded with it), byte 1 the limits
// (bit 0: small header limit, bit 1: small body limit, bit 2: no EOF at
// the end); the rest is the server's bytes (TLS already removed).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "proto/mxscan.pb.h"
#include "scanner/checks/mta_sts/result.h"
#include "scanner/https/http_response.h"

namespace {

using ::mxscan::https::HttpResponseParser;

void Require(bool condition) {
  if (!condition) std::abort();
}

struct Outcome {
  bool failed = false;
  bool complete = false;
  int status_code = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

Outcome Parse(absl::string_view bytes, size_t max_piece, uint32_t seed,
              const HttpResponseParser::Limits& limits, bool eof) {
  HttpResponseParser parser(limits);
  std::minstd_rand rng(seed);
  absl::Status status;
  size_t at = 0;
  while (status.ok() && at < bytes.size()) {
    const size_t n = max_piece == 0 ? bytes.size() : 1 + rng() % max_piece;
    status = parser.Feed(bytes.substr(at, n));
    at += n;
  }
  if (status.ok() && eof) status = parser.OnEof();
  // A failed parser keeps failing; a complete one ignores what follows.
  if (!status.ok()) Require(!parser.Feed("x").ok());
  if (parser.complete()) Require(parser.Feed("HTTP/1.1 200 OK\r\n").ok());

  Outcome out;
  out.failed = !status.ok();
  out.complete = parser.complete();
  out.status_code = parser.status_code();
  out.reason = parser.reason();
  out.headers = parser.headers();
  out.body = parser.body();
  Require(out.body.size() <= limits.max_body_bytes);
  size_t header_bytes = 0;
  for (const auto& [name, value] : out.headers) {
    header_bytes += name.size() + value.size();
    Require(!name.empty() && name == absl::AsciiStrToLower(name));
    for (char c : name) Require(c > ' ' && c < 0x7f);
    Require(value.empty() || (!absl::ascii_isspace(value.front()) &&
                              !absl::ascii_isspace(value.back())));
  }
  Require(header_bytes <= limits.max_header_bytes);
  if (out.complete) {
    Require(!out.failed);
    Require(out.status_code >= 100 && out.status_code <= 599);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t max_piece = data[0];
  const uint8_t control = data[1];
  const absl::string_view bytes(reinterpret_cast<const char*>(data) + 2,
                                size - 2);
  HttpResponseParser::Limits limits;
  if (control & 1) limits.max_header_bytes = 200;
  if (control & 2) limits.max_body_bytes = 100;
  const bool eof = (control & 4) == 0;

  const Outcome whole = Parse(bytes, 0, 0, limits, eof);
  const Outcome split = Parse(bytes, max_piece, control, limits, eof);
  Require(whole.failed == split.failed);
  if (!whole.failed) {
    Require(whole.complete == split.complete);
    Require(whole.status_code == split.status_code);
    Require(whole.reason == split.reason);
    Require(whole.headers == split.headers);
    Require(whole.body == split.body);
  }

  if (whole.complete && whole.status_code == 200) {
    mxscan::MtaStsResult result;
    const std::vector<std::string> mx_hosts = {"mx1.example.org",
                                               "mx2.example.net"};
    mxscan::checks::mta_sts::FillMtaStsPolicy(whole.body, mx_hosts, &result);
    Require(result.policy_fetched());
  }
  return 0;
}
