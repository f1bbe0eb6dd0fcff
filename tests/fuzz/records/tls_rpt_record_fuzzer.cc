// Fuzz target: the _smtp._tls TXT record parser, the URI checker and
// TlsRptResult filling.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "scanner/checks/tls_rpt/record.h"
#include "scanner/checks/tls_rpt/result.h"
#include "scanner/checks/tls_rpt/uri.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace mxscan::checks::tls_rpt;

  const TlsRptRecord record = ParseTlsRptRecord(input);
  if (record.valid()) Require(!record.rua.empty());
  for (const std::string& uri : record.rua) {
    absl::StatusOr<Uri> parsed = ParseUri(uri);
    Require(parsed.ok());
    Require(parsed->scheme == "mailto" || parsed->scheme == "https");
  }
  (void)ParseUri(input);  // the URI grammar on raw bytes
  (void)IsFqdnHost(input);

  mxscan::TlsRptResult result;
  FillTlsRptResult(input, &result);
  Require(result.present());
  Require(result.valid() == record.valid());
  // Result files must read back: proto3 strings have to be UTF-8.
  std::string wire;
  Require(result.SerializeToString(&wire));
  mxscan::TlsRptResult read_back;
  Require(read_back.ParseFromString(wire));
  return 0;
}
