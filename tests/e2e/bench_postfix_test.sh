#!/usr/bin/env bash
# `mxscan bench` against a REAL MTA: Debian's Postfix as a private
# instance on a free loopback port (tools/sim/postfix_server.sh, as
# mta_starttls_test runs it) with a test PKI's EC P-256 leaf for
# mx.bench.test. Checks that the report adds up and agrees with Postfix's
# own log (one smtpd session per attempt, warm-up included, each exactly
# EHLO, STARTTLS, EHLO, QUIT), that the chain is judged against the PKI's
# root, and that --resume-sessions resumes TLS 1.3 sessions (Postfix
# issues tickets through its tlsmgr). Bounded: a few hundred handshakes.
#
# Needs root (Postfix's master); not inside Bazel's sandbox (no-sandbox).
# By hand: bazel build //scanner:mxscan //tools/certs:make_test_pki &&
#          tests/e2e/bench_postfix_test.sh
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
CHECKOUT=$(cd "$(dirname "$0")/../.." && pwd)
[[ -f "$ROOT/tools/sim/postfix_server.sh" ]] || ROOT=$CHECKOUT
SRC=$ROOT
MXSCAN=${MXSCAN:-$ROOT/scanner/mxscan}
[[ -x "$MXSCAN" ]] || MXSCAN=$CHECKOUT/bazel-bin/scanner/mxscan
MAKE_PKI=${MAKE_PKI:-$ROOT/tools/certs/make_test_pki}
[[ -x "$MAKE_PKI" ]] || MAKE_PKI=$CHECKOUT/bazel-bin/tools/certs/make_test_pki

fail() { echo "FAIL: $*" >&2; exit 1; }
# Under /tmp: Postfix's daemons (the "postfix" user) cannot walk into /root.
TMP=$(mktemp -d /tmp/mxscan-bench-postfix.XXXXXX)
chmod 755 "$TMP"
PF=$TMP/postfix
mkdir -p "$TMP/pki" "$PF"
cleanup() {
  "$ROOT/tools/sim/postfix_server.sh" stop "$PF"
  if [[ -n ${TEST_UNDECLARED_OUTPUTS_DIR:-} ]]; then
    cp "$PF/maillog" "$TMP"/*.json "$TEST_UNDECLARED_OUTPUTS_DIR/" 2>/dev/null
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 143' TERM INT
source "$ROOT/tests/e2e/bench_lib.sh"

"$MAKE_PKI" --out-dir "$TMP/pki" --name mx.bench.test --key ec >/dev/null
chmod 600 "$TMP/pki/key.pem"
PORT=$(python3 "$ROOT/tools/sim/free_port.py")
"$ROOT/tools/sim/postfix_server.sh" start "$PF" "$PORT" mx.bench.test \
  "$TMP/pki/key.pem" "$TMP/pki/chain.pem" 'smtpd_tls_loglevel = 1' >/dev/null

# wait_sessions OFFSET N: smtpd sessions Postfix has logged as finished past
# byte OFFSET of its log, waiting (up to 10 s) for postlogd to log N.
wait_sessions() {
  local offset=$1 want=$2 n=0
  for _ in $(seq 1 100); do
    n=$(tail -c +$((offset + 1)) "$PF/maillog" | grep -c 'smtpd\[[0-9]*\]: disconnect from' || true)
    [[ $n -ge $want ]] && break
    sleep 0.1
  done
  echo "$n"
}

# run NAME ARGS...: one bench run, checked against the sessions Postfix
# logged meanwhile (every attempt, warm-up included, is one session, and
# each was exactly EHLO, STARTTLS, EHLO, QUIT).
run() {
  local name=$1 offset want got
  shift
  offset=$(stat -c %s "$PF/maillog")
  bench "$name" 0 --target "127.0.0.1:$PORT" --sni mx.bench.test \
    --ehlo-name bench.mxscan.test --ca-file "$TMP/pki/ca.pem" "$@"
  want=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["attempted"] + d["warmup_attempts"])' "$TMP/$name.json")
  got=$(wait_sessions "$offset" "$want")
  [[ $got -eq $want ]] || fail "$name: Postfix logged $got sessions, bench made $want"
  tail -c +$((offset + 1)) "$PF/maillog" >"$TMP/$name.log"
  if grep 'disconnect from' "$TMP/$name.log" | grep -v 'ehlo=2 starttls=1 quit=1 commands=4$' | head -3 | grep .; then
    fail "$name: a session that was not EHLO, STARTTLS, EHLO, QUIT"
  fi
  echo "  Postfix logged $got sessions ($want attempts, warm-up included)"
}

echo "== full handshakes, --count 200"
run full --count 200 --warmup 0.5 --concurrency 10
check full '
assert d["attempted"] == 200 and d["succeeded"] == 200, d
assert d["resumed"]["count"] == 0, d
assert [n["version"] for n in d["negotiated"]] == ["TLSv1.3"], d
c = d["certificates"]
assert len(c) == 1 and c[0]["trusted"] and c[0]["hostname_match"], c
assert c[0]["handshakes"] == 200, c
'

echo "== --resume-sessions: Postfix resumes TLS 1.3 sessions"
run resume --count 200 --warmup 0.5 --concurrency 10 --resume-sessions
check resume '
assert d["attempted"] == 200 and d["failed"] == 0, d
assert d["resumed"]["count"] >= 150, d
assert not d["resumption"]["server_gave_no_session"], d
'

echo "== TLS 1.2 with --resume-sessions"
run resume12 --count 100 --warmup 0.3 --concurrency 5 --resume-sessions --tls-version 1.2
check resume12 '
assert {n["version"] for n in d["negotiated"]} == {"TLSv1.2"}, d
assert d["resumed"]["count"] > 0, d
'
echo "PASS: mxscan bench against Postfix"
