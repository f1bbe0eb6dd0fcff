#include "scanner/results/valid_utf8.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <string>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "scanner/checks/mta_sts/utf8.h"

namespace mxscan::results {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// The fields of a message type that can hold text: its string fields, and
// its message fields whose type can (transitively). Worked out once per
// type and thread, so that a record's walk touches no other field and
// calls no descriptor accessor.
struct TextFields {
  std::vector<const FieldDescriptor*> strings;
  std::vector<const FieldDescriptor*> messages;
  bool empty() const { return strings.empty() && messages.empty(); }
};

const TextFields& TextFieldsOf(const Descriptor* type) {
  // Per thread: the scan's workers call this at once, without a lock.
  // A node map: the references handed out stay valid as types are added.
  thread_local absl::node_hash_map<const Descriptor*, TextFields> known;
  thread_local absl::flat_hash_set<const Descriptor*> in_progress;
  auto it = known.find(type);
  if (it != known.end()) return it->second;
  in_progress.insert(type);
  TextFields fields;
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      fields.strings.push_back(field);
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      // A type that contains itself may hold text: walk it.
      const Descriptor* inner = field->message_type();
      if (in_progress.contains(inner) || !TextFieldsOf(inner).empty()) {
        fields.messages.push_back(field);
      }
    }
  }
  in_progress.erase(type);
  return known[type] = std::move(fields);
}

}  // namespace

int MakeStringsValidUtf8(google::protobuf::Message* message) {
  const google::protobuf::Reflection* reflection = message->GetReflection();
  const TextFields& fields = TextFieldsOf(message->GetDescriptor());
  int changed = 0;
  std::string scratch;
  for (const FieldDescriptor* field : fields.strings) {
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
        const std::string& value = reflection->GetRepeatedStringReference(
            *message, field, i, &scratch);
        if (checks::mta_sts::FirstInvalidUtf8(value) != std::string::npos) {
          reflection->SetRepeatedString(message, field, i,
                                        checks::mta_sts::TextForProto(value));
          ++changed;
        }
      }
    } else {
      const std::string& value =
          reflection->GetStringReference(*message, field, &scratch);
      if (checks::mta_sts::FirstInvalidUtf8(value) != std::string::npos) {
        reflection->SetString(message, field,
                              checks::mta_sts::TextForProto(value));
        ++changed;
      }
    }
  }
  for (const FieldDescriptor* field : fields.messages) {
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
        changed += MakeStringsValidUtf8(
            reflection->MutableRepeatedMessage(message, field, i));
      }
    } else if (reflection->HasField(*message, field)) {
      changed +=
          MakeStringsValidUtf8(reflection->MutableMessage(message, field));
    }
  }
  return changed;
}

}  // namespace mxscan::results
