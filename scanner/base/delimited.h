#ifndef MXSCAN_SCANNER_BASE_DELIMITED_H_
#define MXSCAN_SCANNER_BASE_DELIMITED_H_

#include <string>

#include <google/protobuf/message_lite.h>

namespace mxscan::base {

// AppendDelimited appends `message` in the protobuf library's
// length-delimited stream format (a varint size, then the bytes), the
// format of every mxscan result file.
void AppendDelimited(const google::protobuf::MessageLite& message,
                     std::string* out);

}  // namespace mxscan::base

#endif  // MXSCAN_SCANNER_BASE_DELIMITED_H_
