#ifndef MXSCAN_SCANNER_RESULTS_VALID_UTF8_H_
#define MXSCAN_SCANNER_RESULTS_VALID_UTF8_H_

#include <google/protobuf/message.h>

namespace mxscan::results {

// MakeStringsValidUtf8 rewrites every string field of `message` (nested
// and repeated ones included; bytes fields untouched) that is not valid
// UTF-8 into text that is, with the offending octets as \DDD. proto3
// requires valid UTF-8 in string fields: a record holding a server's raw
// bytes would otherwise serialise with an error and fail to parse back,
// making its whole result file unreadable. Returns how many fields changed.
int MakeStringsValidUtf8(google::protobuf::Message* message);

}  // namespace mxscan::results

#endif  // MXSCAN_SCANNER_RESULTS_VALID_UTF8_H_
