// Fuzz target: the DKIM key record parser, the BoringSSL key analysis and
// DkimKey filling. The raw input also goes straight to the key analysis,
// so that DER parsing is fuzzed without the base64 step in between.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scanner/checks/dkim/key_record.h"
#include "scanner/checks/dkim/public_key.h"
#include "scanner/checks/dkim/result.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace mxscan::checks::dkim;

  const DkimKeyRecord record = ParseDkimKeyRecord(input);
  if (record.revoked) Require(record.public_key.empty());

  for (absl::string_view type : {"rsa", "ed25519"}) {
    absl::StatusOr<PublicKeyInfo> info = AnalyzePublicKey(type, input);
    if (info.ok()) Require(info->bits > 0);
  }

  mxscan::DkimKey key;
  FillDkimKey("fuzz", input, &key);
  Require(key.selector() == "fuzz");
  if (key.revoked()) Require(key.key_bits() == 0);
  // Result files must read back: proto3 strings have to be UTF-8.
  std::string wire;
  Require(key.SerializeToString(&wire));
  mxscan::DkimKey read_back;
  Require(read_back.ParseFromString(wire));
  return 0;
}
