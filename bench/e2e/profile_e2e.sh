#!/usr/bin/env bash
# Where the end-to-end scan's CPU goes, and the floor under it: the scan of
# bench_e2e.sh (the simulated sector, its DNS and SMTP halves, on loopback)
# under a native profile (`perf record -e cpu-clock`; this VM has no
# hardware counters), split by what ran — the kernel, BoringSSL (libcrypto
# and libssl), libc (malloc/free most of it), mxscan's own code, the rest —
# in microseconds of client CPU per domain. The kernel and BoringSSL are
# the floor: the system calls, loopback delivery and cryptography that the
# scan's work costs whoever does it (each handshake's key exchange and
# signatures, each new chain's signature check); the rest is what the
# scanner adds.
#
#   bench/e2e/profile_e2e.sh [DOMAINS=20000]
#
# MXSCAN_BIN and the other knobs of bench_e2e.sh pass through. The profile
# costs the scan a few percent of CPU; the split is of the CPU measured
# under it. Loopback only, bounded like bench_e2e.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
DOMAINS=${1:-20000}
command -v perf >/dev/null || { echo "profile_e2e: perf is missing (linux-perf)" >&2; exit 1; }
DATA=$(mktemp /tmp/mxscan-profile-e2e.XXXXXX.data)
LOG=$(mktemp /tmp/mxscan-profile-e2e.XXXXXX.log)
trap 'rm -f "$DATA" "$LOG"' EXIT

PEER=0 SCAN_WRAPPER="perf record -q -e cpu-clock -F 999 -o $DATA --" \
  bench/e2e/bench_e2e.sh "$DOMAINS" | tee "$LOG"

perf report -i "$DATA" --no-children --sort dso --stdio 2>/dev/null |
  python3 -c '
import re, sys
log = open(sys.argv[1]).read()
m = re.search(r"client CPU \(user\+sys\), per domain \| ([\d.]+) s \(([\d.]+)\+([\d.]+)\), ([\d,]+) us/domain", log)
if not m:
    sys.exit("profile_e2e: no client CPU line in the bench_e2e.sh report")
cpu_s, user_s, sys_s = (float(m.group(i)) for i in (1, 2, 3))
per_domain = float(m.group(4).replace(",", ""))
groups = {"kernel": 0.0, "BoringSSL (libcrypto, libssl)": 0.0,
          "libc (malloc/free, memcpy)": 0.0, "mxscan": 0.0,
          "protobuf, libstdc++, Abseil, libuv, other": 0.0}
for line in sys.stdin:
    hit = re.match(r"\s*([\d.]+)%\s+(\S+)", line)
    if not hit:
        continue
    share, dso = float(hit.group(1)) / 100, hit.group(2)
    if dso.startswith("[kernel"):
        key = "kernel"
    elif dso.startswith(("libcrypto", "libssl")):
        key = "BoringSSL (libcrypto, libssl)"
    elif dso.startswith("libc.so"):
        key = "libc (malloc/free, memcpy)"
    elif dso == "mxscan":
        key = "mxscan"
    else:
        key = "protobuf, libstdc++, Abseil, libuv, other"
    groups[key] += share
print()
print(f"# where the client CPU went: {per_domain:,.0f} us per domain under the profile ({user_s:.1f} s user + {sys_s:.1f} s system)")
print("| part | share | us per domain |")
print("| --- | ---: | ---: |")
for key, share in groups.items():
    print(f"| {key} | {100 * share:.1f}% | {share * per_domain:,.0f} |")
floor = (groups["kernel"] + groups["BoringSSL (libcrypto, libssl)"]) * per_domain
print(f"| **floor: kernel + BoringSSL** | {100 * floor / per_domain:.1f}% | **{floor:,.0f}** |")
print(f"| what the scanner adds above the floor | {100 - 100 * floor / per_domain:.1f}% | {per_domain - floor:,.0f} |")
print(f"(system time by getrusage: {1e6 * sys_s / int(sys.argv[2]):,.0f} us per domain)")
' "$LOG" "$DOMAINS"
