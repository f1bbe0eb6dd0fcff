#include "tests/checks/records/vector_file.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace mxscan::testing {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

const Value* Find(const Struct& s, absl::string_view key) {
  auto it = s.fields().find(std::string(key));
  return it == s.fields().end() ? nullptr : &it->second;
}

}  // namespace

absl::StatusOr<VectorFile> LoadVectorFile(absl::string_view path) {
  std::ifstream in{std::string(path), std::ios::binary};
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream text;
  text << in.rdbuf();

  Struct root;
  const auto status =
      google::protobuf::util::JsonStringToMessage(text.str(), &root);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", status.ToString()));
  }
  VectorFile file;
  file.count = GetInt(root, "count");
  const Value* vectors = Find(root, "vectors");
  if (vectors == nullptr || !vectors->has_list_value()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no vectors"));
  }
  for (const Value& entry : vectors->list_value().values()) {
    const Struct& v = entry.struct_value();
    const Value* valid = Find(v, "expected_valid");
    if (!Has(v, "id") || !Has(v, "record") || valid == nullptr ||
        valid->kind_case() != Value::kBoolValue) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": incomplete vector ", GetString(v, "id")));
    }
    RecordVector vector;
    vector.id = GetString(v, "id");
    vector.source = GetString(v, "source");
    vector.record = GetString(v, "record");
    vector.expected_valid = valid->bool_value();
    if (const Value* fields = Find(v, "expected_fields")) {
      vector.expected_fields = fields->struct_value();
    }
    vector.note = GetString(v, "note");
    file.vectors.push_back(std::move(vector));
  }
  return file;
}

bool Has(const Struct& s, absl::string_view key) {
  return Find(s, key) != nullptr;
}

std::string GetString(const Struct& s, absl::string_view key) {
  const Value* v = Find(s, key);
  return v == nullptr ? "" : v->string_value();
}

int64_t GetInt(const Struct& s, absl::string_view key) {
  const Value* v = Find(s, key);
  return v == nullptr ? 0 : static_cast<int64_t>(v->number_value());
}

std::vector<std::string> GetStringList(const Struct& s, absl::string_view key) {
  std::vector<std::string> out;
  if (const Value* v = Find(s, key)) {
    for (const Value& item : v->list_value().values()) {
      out.push_back(item.string_value());
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> GetPairList(
    const Struct& s, absl::string_view key) {
  std::vector<std::pair<std::string, std::string>> out;
  if (const Value* v = Find(s, key)) {
    for (const Value& item : v->list_value().values()) {
      const auto& pair = item.list_value().values();
      if (pair.size() == 2) {
        out.emplace_back(pair[0].string_value(), pair[1].string_value());
      }
    }
  }
  return out;
}

}  // namespace mxscan::testing
