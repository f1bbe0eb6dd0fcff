#include "scanner/results/valid_utf8.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <string>
#include <vector>

#include "scanner/checks/mta_sts/utf8.h"

namespace mxscan::results {

using google::protobuf::FieldDescriptor;

int MakeStringsValidUtf8(google::protobuf::Message* message) {
  const google::protobuf::Reflection* reflection = message->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(*message, &fields);
  int changed = 0;
  for (const FieldDescriptor* field : fields) {
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
          const std::string value =
              reflection->GetRepeatedString(*message, field, i);
          if (checks::mta_sts::FirstInvalidUtf8(value) != std::string::npos) {
            reflection->SetRepeatedString(message, field, i,
                                          checks::mta_sts::TextForProto(value));
            ++changed;
          }
        }
      } else {
        const std::string value = reflection->GetString(*message, field);
        if (checks::mta_sts::FirstInvalidUtf8(value) != std::string::npos) {
          reflection->SetString(message, field,
                                checks::mta_sts::TextForProto(value));
          ++changed;
        }
      }
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
          changed += MakeStringsValidUtf8(
              reflection->MutableRepeatedMessage(message, field, i));
        }
      } else {
        changed +=
            MakeStringsValidUtf8(reflection->MutableMessage(message, field));
      }
    }
  }
  return changed;
}

}  // namespace mxscan::results
