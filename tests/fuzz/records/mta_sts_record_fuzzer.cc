// Fuzz target: the _mta-sts TXT record parser and MtaStsResult filling.
// Besides "no crash", it checks what a valid parse promises.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "scanner/checks/mta_sts/record.h"
#include "scanner/checks/mta_sts/result.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace mxscan::checks::mta_sts;

  const MtaStsRecord record = ParseMtaStsRecord(input);
  if (record.valid()) {
    Require(IsMtaStsCandidate(input));
    Require(!record.id.empty() && record.id.size() <= 32);
    for (const char c : record.id) {
      Require(absl::ascii_isalnum(static_cast<unsigned char>(c)));
    }
  }

  mxscan::MtaStsResult result;
  FillMtaStsRecord(input, &result);
  Require(result.txt_present());
  Require(result.id() == record.id);
  Require(result.errors_size() == static_cast<int>(record.errors.size()));
  // Result files must read back: proto3 strings have to be UTF-8.
  std::string wire;
  Require(result.SerializeToString(&wire));
  mxscan::MtaStsResult read_back;
  Require(read_back.ParseFromString(wire));
  return 0;
}
