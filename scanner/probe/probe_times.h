#ifndef MXSCAN_SCANNER_PROBE_PROBE_TIMES_H_
#define MXSCAN_SCANNER_PROBE_PROBE_TIMES_H_

#include <cstdint>

namespace mxscan::probe {

// ProbeTimes says when each step of one probe ended, on the monotonic
// clock of uv_hrtime() (nanoseconds); 0 for a step that was never reached
// or failed. For latency measurements (`mxscan bench`); a probe's verdict
// never depends on them. A plain TLS probe has no SMTP steps (banner_ns,
// ehlo_ns and starttls_ns stay 0).
struct ProbeTimes {
  uint64_t started_ns = 0;    // the TCP connection was started
  uint64_t connected_ns = 0;  // the TCP connection was established
  uint64_t banner_ns = 0;     // the server's greeting was complete
  uint64_t ehlo_ns = 0;       // the reply to EHLO (or HELO) was complete
  uint64_t starttls_ns = 0;   // the 220 to STARTTLS was complete
  uint64_t handshake_ns = 0;  // the TLS handshake was done
  uint64_t finished_ns = 0;   // the probe reported
};

}  // namespace mxscan::probe

#endif  // MXSCAN_SCANNER_PROBE_PROBE_TIMES_H_
