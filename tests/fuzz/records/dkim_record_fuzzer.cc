// Fuzz target: the DKIM key record parser, the BoringSSL key analysis and
// DkimKey filling. The raw input also goes straight to the key analysis,
// so that DER parsing is fuzzed without the base64 step in between, and to
// the tag-list lexer every record check shares, under RFC 6376's syntax and
// under the loosest one (DMARC's).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "scanner/checks/dkim/key_record.h"
#include "scanner/checks/dkim/public_key.h"
#include "scanner/checks/dkim/result.h"
#include "scanner/checks/tag_list.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

void CheckLexer(absl::string_view input) {
  using ::mxscan::checks::TagSpec;
  constexpr mxscan::checks::TagListSyntax kLoose = {
      /*cr_lf_are_space=*/false, /*is_name=*/nullptr, /*is_value=*/nullptr,
      /*names_ignore_case=*/true};
  for (const mxscan::checks::TagListSyntax& syntax :
       {mxscan::checks::TagListSyntax(), kLoose}) {
    const mxscan::checks::LexedTagList lexed =
        mxscan::checks::LexTagList(input, syntax);
    Require(lexed.specs.size() <=
            static_cast<size_t>(absl::c_count(input, ';')) + 1);
    if (lexed.blank) Require(lexed.specs.empty());
    for (const TagSpec& spec : lexed.specs) {
      Require(absl::StrContains(input, spec.text));
      Require(!absl::StrContains(spec.text, ';'));
      Require(spec.text.empty() == (spec.kind == TagSpec::Kind::kEmpty));
      Require(absl::StrContains(spec.text, '=') ||
              spec.kind == TagSpec::Kind::kEmpty ||
              spec.kind == TagSpec::Kind::kNoEquals);
      if (spec.repeated) Require(spec.kind == TagSpec::Kind::kTag);
    }
  }
  const mxscan::checks::TagList list = mxscan::checks::ParseTagList(input);
  absl::flat_hash_set<std::string> names;
  for (const TagSpec& tag : list.tags) {
    Require(mxscan::checks::IsTagName(tag.name));
    Require(mxscan::checks::IsTagValue(tag.value));
    Require(names.insert(tag.name).second);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace mxscan::checks::dkim;

  CheckLexer(input);
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
