#!/usr/bin/env bash
# `mxscan bench` publishing the scanner's own handshake figures (loopback
# only, bounded: SECONDS per run, ~8 runs):
#
#   farm, SMTP STARTTLS   the project's farm (tools/farm), one "valid"
#                         address (TLS 1.3, RSA-2048 leaf under a P-256
#                         intermediate), C in flight; full handshakes,
#                         then --resume-sessions
#   farm, plain TLS       the farm's HTTPS port (--starttls none, no SNI),
#                         at C = 1 against the peer `openssl s_time -new`
#                         (one connection at a time, no SNI, no STARTTLS)
#                         measured in the same run, then at C
#   Postfix, STARTTLS     Debian's Postfix (tools/sim/postfix_server.sh,
#                         root only) with a test PKI's RSA-2048 leaf;
#                         full handshakes, then --resume-sessions
#
#   bench/tls/bench_command.sh [SECONDS=20] [CONCURRENCY=50]
#
# For every run: handshakes/s, handshake and total (connect to end of
# handshake) latency p50/p99, the client's CPU per handshake and its share
# of one core (getrusage, as mxscan bench reports it), the server's CPU
# per handshake (the farm only: /proc/PID/stat; Postfix's smtpd processes
# come and go) and how busy the whole machine was (/proc/stat), so that a
# figure taken while other work ran says so. Prints a Markdown table; the
# JSON reports stay in the work folder with KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-20}
C=${2:-50}
WARMUP=2

bazel build -c opt //scanner:mxscan //tools/farm:smtp_farm \
  //tools/certs:make_test_pki 2>&1 | tail -n 1
BIN=$(bazel info -c opt bazel-bin 2>/dev/null)
MXSCAN=$BIN/scanner/mxscan
export SMTP_FARM=$BIN/tools/farm/smtp_farm

# Under /tmp and world-readable: Postfix's daemons must walk into it.
WORK=$(mktemp -d /tmp/mxscan-bench-command.XXXXXX)
chmod 755 "$WORK"
FARM_PID=
cleanup() {
  [[ -n $FARM_PID ]] && kill "$FARM_PID" 2>/dev/null || true
  tools/sim/postfix_server.sh stop "$WORK/postfix" 2>/dev/null || true
  if [[ ${KEEP:-0} == 1 ]]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

cat >"$WORK/behaviours.json" <<'JSON'
{"127.89.0.1": {"behaviour": "valid", "names": ["mx.bench.sim"]}}
JSON
FARM_PID=$(tools/farm/run_farm.sh "$WORK/behaviours.json" "$WORK/farm")
FARM_SMTP=$(awk '$1 == "smtp_port" {print $2}' "$WORK/farm/ready")
FARM_HTTPS=$(awk '$1 == "https_port" {print $2}' "$WORK/farm/ready")

POSTFIX_PORT=
if [[ $(id -u) -eq 0 && -x /usr/sbin/postfix ]]; then
  mkdir -p "$WORK/pki" "$WORK/postfix"
  "$BIN/tools/certs/make_test_pki" --out-dir "$WORK/pki" --name mx.bench.test \
    --key rsa2048 >/dev/null
  chmod 600 "$WORK/pki/key.pem"
  POSTFIX_PORT=$(python3 tools/sim/free_port.py)
  tools/sim/postfix_server.sh start "$WORK/postfix" "$POSTFIX_PORT" \
    mx.bench.test "$WORK/pki/key.pem" "$WORK/pki/chain.pem" >/dev/null
fi

# Clock ticks of the whole machine (busy, total) and of one process.
machine_ticks() { awk '$1 == "cpu" {b = $2 + $3 + $4 + $7 + $8; print b, b + $5 + $6}' /proc/stat; }
process_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# measure NAME COMMAND...: runs COMMAND, noting the machine's and the
# farm's CPU meanwhile in NAME.env.
measure() {
  local name=$1 m0 m1 f0 f1
  shift
  m0=$(machine_ticks); f0=$(process_ticks "$FARM_PID")
  "$@"
  m1=$(machine_ticks); f1=$(process_ticks "$FARM_PID")
  echo "$m0 $m1 $f0 $f1" >"$WORK/$name.env"
  echo "$name" >>"$WORK/runs"
}

# run NAME SERVER TARGET ARGS...: one mxscan bench run, JSON in NAME.json.
run() {
  local name=$1 server=$2 target=$3
  shift 3
  echo "== $name: mxscan bench --target $target $* --duration $SECONDS_PER_RUN --warmup $WARMUP" >&2
  echo "$server" >"$WORK/$name.server"
  measure "$name" "$MXSCAN" bench --target "$target" --duration "$SECONDS_PER_RUN" \
    --warmup "$WARMUP" --format json --no-progress "$@" >"$WORK/$name.json"
}

run "farm-starttls-full" farm "127.89.0.1:$FARM_SMTP" --sni mx.bench.sim \
  --concurrency "$C" --ca-file "$WORK/farm/ca.pem"
run "farm-starttls-resumed" farm "127.89.0.1:$FARM_SMTP" --sni mx.bench.sim \
  --concurrency "$C" --resume-sessions
run "farm-tls-c1" farm "127.0.0.1:$FARM_HTTPS" --starttls none --concurrency 1
if command -v openssl >/dev/null; then
  echo "== openssl-s_time-c1: openssl s_time -connect 127.0.0.1:$FARM_HTTPS -new -time $SECONDS_PER_RUN" >&2
  measure "openssl-s_time-c1" /usr/bin/time -f "%U %S" -o "$WORK/openssl.cpu" \
    openssl s_time -connect "127.0.0.1:$FARM_HTTPS" -new -time "$SECONDS_PER_RUN" \
    >"$WORK/openssl.out" 2>&1
fi
run "farm-tls" farm "127.0.0.1:$FARM_HTTPS" --starttls none --concurrency "$C"
if [[ -n $POSTFIX_PORT ]]; then
  run "postfix-starttls-full" postfix "127.0.0.1:$POSTFIX_PORT" --sni mx.bench.test \
    --concurrency "$C" --ca-file "$WORK/pki/ca.pem"
  run "postfix-starttls-resumed" postfix "127.0.0.1:$POSTFIX_PORT" --sni mx.bench.test \
    --concurrency "$C" --resume-sessions
else
  echo "Postfix runs skipped: they need root and the postfix package" >&2
fi

python3 - "$WORK" "$(getconf CLK_TCK)" "$(nproc)" <<'PY'
import glob, json, os, re, sys

work, hz, cores = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def env(name):
    """Share of the machine busy, busy cores, farm CPU seconds, wall seconds."""
    m0b, m0t, m1b, m1t, f0, f1 = map(int, open(f"{work}/{name}.env").read().split())
    wall = (m1t - m0t) / hz / cores
    return (m1b - m0b) / max(1, m1t - m0t), (m1b - m0b) / hz / max(wall, 1e-9), (f1 - f0) / hz, wall


def row(label, c, rate, handshake, total, resumed, client_us, client_cores,
        handshakes, name, server, failed):
    busy, busy_cores, farm_cpu, wall = env(name)
    farm = server == "farm" and handshakes > 0
    server_us = f"{farm_cpu * 1e6 / handshakes:,.0f}" if farm else "—"
    rest = busy_cores - client_cores - (farm_cpu / wall if server == "farm" else 0)
    return [label, c, rate, handshake, total, resumed, client_us,
            f"{client_cores * 100:.0f}%", server_us, f"{busy * 100:.0f}%",
            f"{rest:.2f}" + ("" if server == "farm" else " (Postfix included)"), failed]


rows = []
for name in open(f"{work}/runs").read().split():
    if name.startswith("openssl"):
        out = open(f"{work}/openssl.out").read()
        m = re.search(r"(\d+) connections in (\d+) real seconds", out)
        user, system = map(float, open(f"{work}/openssl.cpu").read().split()[-2:])
        n, real = int(m.group(1)), int(m.group(2))
        rows.append(row("openssl s_time -new (peer), farm plain TLS", "1",
                        f"{n / real:,.0f}", "—", "—", f"0 / {n:,}",
                        f"{(user + system) * 1e6 / n:,.0f}",
                        (user + system) / real, n, name, "farm", "—"))
        continue
    d = json.load(open(f"{work}/{name}.json"))
    server = open(f"{work}/{name}.server").read().strip()
    lat = d["latency_ms"]
    cpu = d["client_cpu"]
    pct = lambda step: (f"{lat[step]['p50']:.2f} / {lat[step]['p99']:.2f}"
                        if step in lat else "—")
    rows.append(row(
        f"mxscan bench, {name}", str(d["settings"]["concurrency"]),
        f"{d['handshakes_per_s']:,.0f}", pct("handshake"), pct("total"),
        f"{d['resumed']['count']:,} / {d['succeeded']:,}",
        f"{cpu['us_per_handshake']:,.0f}"
        + (" (client-bound)" if cpu["client_bound"] else ""),
        # The server served the warm-up too.
        cpu["core_share"], d["succeeded"] + d["warmup_handshakes"], name, server,
        str(d["failed"])))
head = ["run", "C", "handshakes/s", "handshake ms p50 / p99", "total ms p50 / p99",
        "resumed / succeeded", "client CPU µs / handshake", "client core share",
        "server CPU µs / handshake", "machine busy", "other processes (cores)",
        "failed"]
print("| " + " | ".join(head) + " |")
print("|" + " --- |" * len(head))
for r in rows:
    print("| " + " | ".join(r) + " |")
print(f"\n{cores} cores. machine busy: share of all cores busy during the run; "
      "other processes: busy cores not taken by the client or the farm.")
PY
