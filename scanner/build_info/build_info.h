#ifndef MXSCAN_SCANNER_BUILD_INFO_BUILD_INFO_H_
#define MXSCAN_SCANNER_BUILD_INFO_BUILD_INFO_H_

namespace mxscan {

// What the binary was built from (git describe, and the full commit), from
// Bazel's workspace status; "unknown" outside a git checkout.
const char* MxscanVersion();
const char* MxscanCommit();

}  // namespace mxscan

#endif  // MXSCAN_SCANNER_BUILD_INFO_BUILD_INFO_H_
