#include "scanner/core/pipeline.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mxscan::core::pipeline_internal {

std::string ProgressText(const std::string& command, const Counters& c,
                         long long total,
                         std::chrono::steady_clock::time_point start) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  const uint64_t done = c.done.load();
  return absl::StrFormat(
      "%s: %d/%s done  %.0f/s  in flight %d  failed %d", command, done,
      total >= 0 ? absl::StrCat(total) : absl::StrCat(c.read.load(), "+"),
      seconds > 0 ? done / seconds : 0.0, c.in_flight.load(), c.failed.load());
}

}  // namespace mxscan::core::pipeline_internal
