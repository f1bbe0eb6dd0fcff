#!/usr/bin/env bash
# What DNSSEC validation costs a scan: a signed simulated sector of DOMAINS
# domains (gen_sector.py --dnssec-share 0.8, signed by sign_sector.py,
# served by NSD; loopback only) scanned without SMTP (`mxscan scan
# --no-smtp`, CONCURRENCY in flight) three ways, each with a cold cache:
#
#   validating:  through Unbound (tools/resolver config, 1 thread) validating
#                against the sim root's trust anchor; every record is
#                checked against the truth (DNS half);
#   unvalidated: through a second Unbound without trust anchor (the
#                baseline: the same resolver work but the validation);
#   direct:      straight to NSD (no resolver at all).
#
# Reports the signing time, and per run domains/s, mxscan's CPU per domain,
# Unbound's CPU per domain (from /proc) and the machine's load.
#
#   bench/dns/bench_dnssec.sh [DOMAINS] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/../.."
# The farm starts too (one socket per MX address): 10,000 domains stay
# under a descriptor limit of 20,000.
DOMAINS=${1:-10000}
CONCURRENCY=${2:-1000}

tools/install_deps.sh
bazel build -c opt //scanner:mxscan //tools/farm:smtp_farm 2>&1 | tail -n 1
BIN=$(bazel info -c opt bazel-bin 2>/dev/null)
MXSCAN=$BIN/scanner/mxscan
export SMTP_FARM=$BIN/tools/farm/smtp_farm

WORK=$(mktemp -d /tmp/mxscan-bench-dnssec.XXXXXX)
cleanup() {
  tools/resolver/resolver.sh stop "$WORK/plain" >/dev/null 2>&1 || true
  tools/sim/sector_servers.sh stop "$WORK" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 tools/sim/gen_sector.py --domains "$DOMAINS" --seed 1 --out "$WORK/sim" \
  --mta-sts-dir "$WORK/sim/mta-sts" --dnssec-share 0.8 --quiet
NSD_WAIT_SECONDS=120 RESOLVER_THREADS=1 tools/sim/sector_servers.sh start "$WORK" 2>"$WORK/sign.log" ||
  { cat "$WORK/sign.log"; exit 1; }
source "$WORK/servers.env"
PLAIN_PORT=$(python3 tools/sim/free_port.py)
FORWARD="127.0.0.1@$DNS_PORT" TRUST_ANCHOR=none RESOLVER_THREADS=1 RATELIMIT=0 \
  tools/resolver/resolver.sh start "$WORK/plain" "$PLAIN_PORT"

cpu_of() { awk '{print ($14 + $15) / '"$(getconf CLK_TCK)"'}' "/proc/$1/stat"; }

run() {  # LABEL PORT UNBOUND_PID_FILE CHECK
  local label=$1 port=$2 pid=0 before=0 after=0 check=""
  [[ -n $3 ]] && pid=$(cat "$3") && before=$(cpu_of "$pid")
  rm -rf "$WORK/out"
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$MXSCAN" scan --no-smtp \
    --input "$WORK/sim/domains.csv" --output "$WORK/out" --psl-file "$PSL_FILE" \
    --resolver "127.0.0.1:$port" --trust-anchor-zone "$TRUST_ANCHOR_ZONE" \
    --concurrency "$CONCURRENCY" --no-progress 2>"$WORK/log"
  [[ $pid != 0 ]] && after=$(cpu_of "$pid")
  if [[ $4 == yes ]]; then
    "$MXSCAN" dump "$WORK/out" --format jsonl >"$WORK/results.jsonl"
    python3 tools/sim/check_sector.py --truth "$WORK/sim/truth.jsonl" \
      --results "$WORK/results.jsonl" --smtp no >"$WORK/check" ||
      { head -n 8 "$WORK/check"; exit 1; }
    check="; $(head -n 1 "$WORK/check")"
  fi
  read -r wall user sys <"$WORK/time"
  python3 - "$label" "$DOMAINS" "$wall" "$user" "$sys" "$before" "$after" "$check" <<'PY'
import sys
label, n, wall, user, sys_, before, after, check = sys.argv[1:]
n, wall = int(n), float(wall)
unbound = (float(after) - float(before)) / n * 1e6
print(f"{label:11s} {n / wall:7.0f} domains/s  mxscan {(float(user) + float(sys_)) / n * 1e6:6.1f} us CPU/domain"
      f"  unbound {unbound:6.1f} us CPU/domain{check}")
PY
}

echo "# $DOMAINS domains, $(grep -o '[0-9]* of [0-9]* zones signed in [0-9.]* s' "$WORK/sign.log");" \
  "Unbound 1 thread, NSD 1 worker, --no-smtp, $CONCURRENCY in flight; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run validating "$RESOLVER_PORT" "$WORK/unbound/unbound.pid" yes
run unvalidated "$PLAIN_PORT" "$WORK/plain/unbound.pid" no
run direct "$DNS_PORT" "" no
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
