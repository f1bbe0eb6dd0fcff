#ifndef MXSCAN_SCANNER_CLI_BENCH_COMMAND_H_
#define MXSCAN_SCANNER_CLI_BENCH_COMMAND_H_

namespace mxscan::cli {

// RunBenchCommand is `mxscan bench --target HOST:PORT`: drives SMTP
// STARTTLS (or plain TLS) handshakes against one server at the highest
// rate it allows, on the scanner's own probe, and prints handshakes/s,
// latency percentiles per step, failures by stage and code, the
// negotiated mix and the client's CPU per handshake (text or JSON on
// stdout). Flags are already parsed. Returns the exit code: 0 when at
// least one handshake succeeded, 1 when none did or the run could not
// start, 2 for bad flags or a refused target (a list, a network, ...),
// 130 when interrupted.
// `argv` holds the raw arguments (a repeated --target is a list).
int RunBenchCommand(int argc, char** argv);

}  // namespace mxscan::cli

#endif  // MXSCAN_SCANNER_CLI_BENCH_COMMAND_H_
