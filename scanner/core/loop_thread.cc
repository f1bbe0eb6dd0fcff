#include "scanner/core/loop_thread.h"

#include <cstdio>
#include <cstdlib>

namespace mxscan::core {

void LoopThread::Abort(const char* what) {
  std::fprintf(stderr,
               "mxscan: internal error: %s used off its event loop's "
               "thread\n",
               what);
  std::abort();
}

}  // namespace mxscan::core
