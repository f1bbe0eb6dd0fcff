#include "scanner/base/delimited.h"

#include <google/protobuf/io/coded_stream.h>

namespace mxscan::base {

void AppendDelimited(const google::protobuf::MessageLite& message,
                     std::string* out) {
  // Straight into the buffer, sized exactly: a StringOutputStream over a
  // large buffer would zero-fill all its spare capacity on every record.
  const size_t size = message.ByteSizeLong();
  uint8_t prefix[5];  // a varint32 takes at most 5 bytes
  uint8_t* prefix_end =
      google::protobuf::io::CodedOutputStream::WriteVarint32ToArray(
          static_cast<uint32_t>(size), prefix);
  out->append(reinterpret_cast<const char*>(prefix), prefix_end - prefix);
  const size_t start = out->size();
  out->resize(start + size);
  message.SerializeWithCachedSizesToArray(
      reinterpret_cast<uint8_t*>(&(*out)[start]));
}

}  // namespace mxscan::base
