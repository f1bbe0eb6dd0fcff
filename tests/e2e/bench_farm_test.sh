#!/usr/bin/env bash
# `mxscan bench` against the project's farm (tools/farm) on loopback:
# STARTTLS handshakes on the SMTP port, plain TLS handshakes on the HTTPS
# port, session resumption, failures counted by stage, the --rate cap,
# and the targets it must refuse (exit 2, no traffic). Every run is
# bounded by --count (a few hundred handshakes) or a 1 s --duration.
set -euo pipefail

RUNFILES="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$RUNFILES/scanner/mxscan" ]] || RUNFILES=$(cd "$(dirname "$0")/../.." && pwd)/bazel-bin
MXSCAN=$RUNFILES/scanner/mxscan
SRC="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -f "$SRC/tests/e2e/check_bench_report.py" ]] || SRC=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/bench_farm_test.XXXXXX")
cleanup() { [[ -n "${FARM_PID:-}" ]] && kill "$FARM_PID" 2>/dev/null || true; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >"$TMP/behaviours.json" <<'JSON'
{"127.67.0.1": {"behaviour": "valid", "names": ["mx1.bench.sim"]},
 "127.67.0.2": {"behaviour": "no_starttls", "names": ["mx2.bench.sim"]}}
JSON
FARM_PID=$(SMTP_FARM="$RUNFILES/tools/farm/smtp_farm" \
  "$SRC/tools/farm/run_farm.sh" "$TMP/behaviours.json" "$TMP/farm")
SMTP=$(awk '$1 == "smtp_port" {print $2}' "$TMP/farm/ready")
HTTPS=$(awk '$1 == "https_port" {print $2}' "$TMP/farm/ready")

source "$SRC/tests/e2e/bench_lib.sh"

echo "== STARTTLS, --count: exactly N attempts after the warm-up"
bench count 0 --ca-file "$TMP/farm/ca.pem" --target "127.67.0.1:$SMTP" --sni mx1.bench.sim \
  --count 200 --warmup 0.5 --concurrency 10
check count '
assert d["attempted"] == 200 and d["succeeded"] == 200, d
assert d["starttls"] == "smtp" and d["sni"] == "mx1.bench.sim"
assert set(d["latency_ms"]) == {"connect", "banner", "ehlo", "starttls", "handshake", "total"}, d
# The warm-up ends after max(--concurrency, count/10) = 20 attempts, long
# before its 0.5 s: the measured window dominates the load.
assert d["settings"]["warmup_max_attempts"] == 20, d["settings"]
assert 0 < d["warmup_attempts"] <= 20, d
assert d["resumed"]["count"] == 0
assert [(n["version"], n["group"]) for n in d["negotiated"]] == [("TLSv1.3", "X25519")], d
assert d["certificates"][0]["trusted"] and d["certificates"][0]["hostname_match"], d
assert d["client_cpu"]["user_s"] + d["client_cpu"]["system_s"] > 0, d
'

echo "== --workers 2: two event loops share --count; their figures merged"
bench workers 0 --target "127.67.0.1:$SMTP" --sni mx1.bench.sim \
  --count 120 --warmup 0 --concurrency 8 --workers 2
check workers '
assert d["settings"]["loops"] == 2, d["settings"]
assert d["attempted"] == 120 and d["succeeded"] == 120, d
assert d["full"]["count"] == 120, d
cpu = d["client_cpu"]
assert 0 < cpu["busiest_loop_share"] and cpu["core_share"] <= cpu["busiest_loop_share"], cpu
'
bench one_loop 0 --target "127.67.0.1:$SMTP" --count 30 --warmup 0 \
  --concurrency 4 --workers 1
check one_loop 'assert d["settings"]["loops"] == 1 and d["attempted"] == 30, d'

echo "== STARTTLS, --duration, no warm-up"
bench duration 0 --target "127.67.0.1:$SMTP" --duration 1 --warmup 0 --concurrency 5
check duration '
assert d["attempted"] > 0 and d["failed"] == 0, d
assert d["warmup_attempts"] == 0 and d["window"]["from_warmup"] == 0, d
assert d["sni"] == ""  # an IP target: no SNI unless --sni
'

echo "== STARTTLS with --resume-sessions: the farm issues TLS 1.3 tickets"
bench resume 0 --target "127.67.0.1:$SMTP" --sni mx1.bench.sim \
  --count 100 --warmup 0.3 --concurrency 5 --resume-sessions
check resume '
assert d["resumed"]["count"] > 0, d
assert d["resumption"]["offered"] >= d["resumed"]["count"], d
assert d["resumed"]["handshake_ms"]["count"] == d["resumed"]["count"], d
'

echo "== TLS 1.2, groups and a cipher list"
bench tls12 0 --target "127.67.0.1:$SMTP" --count 50 --warmup 0 --concurrency 5 \
  --tls-version 1.2 --groups P-256 --ciphers ECDHE-RSA-AES256-GCM-SHA384
check tls12 '
assert [(n["version"], n["cipher"], n["group"]) for n in d["negotiated"]] == [
    ("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "P-256")], d
'

echo "== --starttls none: plain TLS against the farm's HTTPS port"
bench plain 0 --ca-file "$TMP/farm/ca.pem" --target "127.0.0.1:$HTTPS" --starttls none \
  --sni mta-sts.bench.sim --count 100 --warmup 0.3 --concurrency 5
check plain '
assert d["succeeded"] == 100 and d["starttls"] == "none", d
assert set(d["latency_ms"]) == {"connect", "handshake", "total"}, d
assert d["certificates"][0]["hostname_match"], d
'

echo "== --starttls none --resume-sessions: TLS 1.2 resumes; the farm's HTTPS"
echo "   port sends no TLS 1.3 ticket before a request, which bench reports"
bench plain_resume12 0 --target "127.0.0.1:$HTTPS" --starttls none \
  --sni mta-sts.bench.sim --count 100 --warmup 0.3 --concurrency 5 \
  --resume-sessions --tls-version 1.2
check plain_resume12 'assert d["resumed"]["count"] > 0, d'
bench plain_resume13 0 --target "127.0.0.1:$HTTPS" --starttls none \
  --sni mta-sts.bench.sim --count 50 --warmup 0.3 --concurrency 5 \
  --resume-sessions --tls-version 1.3
check plain_resume13 '
assert d["succeeded"] == 50 and d["resumed"]["count"] == 0, d
assert d["resumption"]["server_gave_no_session"], d
'

echo "== failures are counted by stage and code"
bench no_starttls 1 --target "127.67.0.2:$SMTP" --count 20 --warmup 0 --concurrency 4
check no_starttls '
assert d["failed"] == 20 and d["failures_by_stage"] == {"STARTTLS": 20}, d
assert d["errors"][0]["code"] == "not_offered", d
'
# 127.67.0.3 has no listener: connection refused.
bench refused 1 --target "127.67.0.3:$SMTP" --count 20 --warmup 0 --concurrency 4
check refused '
assert d["failures_by_stage"] == {"CONNECT": 20}, d
assert d["errors"][0]["code"] == "connect_failed:111", d
'

echo "== --rate caps the handshakes started per second"
bench rate 0 --target "127.67.0.1:$SMTP" --duration 1 --warmup 0 \
  --concurrency 20 --rate 40
check rate 'assert 30 <= d["attempted"] <= 45, d'

echo "== text output"
"$MXSCAN" bench --target "127.67.0.1:$SMTP" --count 10 --warmup 0 \
  --no-progress >"$TMP/text.out"
grep -q '^handshakes/s ' "$TMP/text.out" || fail "no handshakes/s line: $(cat "$TMP/text.out")"
grep -q '^attempted 10, succeeded 10, failed 0' "$TMP/text.out" || fail "$(cat "$TMP/text.out")"

echo "== refused targets: exit 2 with the reason, nothing sent"
: >"$TMP/targets.txt"
refused_target() {
  local why=$1 status=0
  shift
  "$MXSCAN" bench --count 1 --no-progress "$@" >"$TMP/out" 2>"$TMP/err" || status=$?
  [[ $status -eq 2 ]] || fail "$* exited $status, want 2"
  grep -q "$why" "$TMP/err" || fail "$*: no \"$why\" in: $(cat "$TMP/err")"
  [[ ! -s $TMP/out ]] || fail "$*: printed a report"
  echo "  ok refused $*: $(cat "$TMP/err")"
}
refused_target "CIDR" --target "127.67.0.0/24:$SMTP"
refused_target "list" --target "127.67.0.1:$SMTP,127.67.0.2:$SMTP"
refused_target "list" --target "127.67.0.1:$SMTP 127.67.0.2:$SMTP"
refused_target "list" --target "127.67.0.1:$SMTP" --target "127.67.0.2:$SMTP"
refused_target "list" --target "127.67.0.1:$SMTP" "127.67.0.2:$SMTP"
refused_target "file" --target "$TMP/targets.txt"
refused_target "file" --target "@$TMP/targets.txt"
refused_target "range" --target "127.67.0.1-2:$SMTP"
refused_target "required" --starttls smtp
refused_target "not both" --target "127.67.0.1:$SMTP" --duration 1

echo "PASS: mxscan bench against the farm"
