#ifndef MXSCAN_SCANNER_BENCH_PROBE_ATTEMPT_H_
#define MXSCAN_SCANNER_BENCH_PROBE_ATTEMPT_H_

#include "scanner/bench/bench_stats.h"
#include "scanner/probe/smtp_probe.h"
#include "scanner/probe/tls_probe.h"

namespace mxscan::bench {

// AttemptFromSmtpProbe turns a STARTTLS probe's outcome into a benchmark
// attempt: step durations from its times (connect: start to established;
// banner: established to greeting; ehlo: greeting to EHLO reply; starttls:
// EHLO reply, when STARTTLS is sent, to its 220; handshake: that 220 to
// the end of the handshake; total: start to the end of the handshake),
// the failure's stage and code, what was negotiated. A session that ended
// without a handshake and without an error (STARTTLS not offered) fails
// at STARTTLS with code "not_offered".
BenchAttempt AttemptFromSmtpProbe(const probe::SmtpProbeOutcome& outcome);

// AttemptFromTlsProbe is the same for a plain TLS probe (handshake: from
// the established connection to the end of the handshake).
BenchAttempt AttemptFromTlsProbe(const probe::TlsProbeOutcome& outcome);

}  // namespace mxscan::bench

#endif  // MXSCAN_SCANNER_BENCH_PROBE_ATTEMPT_H_
