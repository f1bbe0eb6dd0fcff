#ifndef MXSCAN_SCANNER_CORE_OUTPUT_DIRECTORY_H_
#define MXSCAN_SCANNER_CORE_OUTPUT_DIRECTORY_H_

#include <string>

#include "absl/status/status.h"

namespace mxscan::core {

// MakeOutputDirectory creates `path` and its missing parents (mode 0755)
// and checks that it is a writable directory; an error says which part
// failed and why. "" and "-" are refused (--output must name a directory).
absl::Status MakeOutputDirectory(const std::string& path);

}  // namespace mxscan::core

#endif  // MXSCAN_SCANNER_CORE_OUTPUT_DIRECTORY_H_
