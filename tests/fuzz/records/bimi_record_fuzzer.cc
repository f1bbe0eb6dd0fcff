// Fuzz target: the BIMI assertion record parser (over the RFC 6376
// tag-list of scanner/checks/tag_list.h) and BimiResult filling.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "scanner/checks/bimi/record.h"
#include "scanner/checks/bimi/result.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace mxscan::checks::bimi;

  const BimiRecord record = ParseBimiRecord(input);
  if (record.declined) Require(record.locations.empty());
  for (const std::string& location : record.locations) {
    Require(absl::StartsWithIgnoreCase(location, "https://"));
  }
  if (!record.authority.empty()) {
    Require(absl::StartsWithIgnoreCase(record.authority, "https://"));
  }

  mxscan::BimiResult result;
  FillBimiResult(input, &result);
  Require(result.present());
  Require(result.valid() == record.valid());
  // Result files must read back: proto3 strings have to be UTF-8.
  std::string wire;
  Require(result.SerializeToString(&wire));
  mxscan::BimiResult read_back;
  Require(read_back.ParseFromString(wire));
  return 0;
}
