#!/usr/bin/env bash
# `mxscan scan --probe-pq` against real servers that support the hybrid
# post-quantum group X25519MLKEM768 and servers that do not: a current
# OpenSSL (tls_server_lib.sh) serving SMTP with STARTTLS on loopback. The
# selection probe reads the group each server selects: X25519MLKEM768
# where offered by the server, X25519 where it is not, a
# HelloRetryRequest for a server that wants a share of P-384, and no probe
# at all for a TLS 1.2 server.
set -euo pipefail
source "$(dirname "$0")/tls_server_lib.sh"

ZONE=$(mktemp "${TEST_TMPDIR:-/tmp}/pq.test.records.XXXXXX")
cat >"$ZONE" <<'ZONE'
mlkem MX 10 mx1
classic MX 10 mx2
retry MX 10 mx3
tls12 MX 10 mx4
mx1 A 127.67.0.1
mx2 A 127.67.0.2
mx3 A 127.67.0.3
mx4 A 127.67.0.4
ZONE
SERVERS=$(mktemp "${TEST_TMPDIR:-/tmp}/pq.servers.XXXXXX")
cat >"$SERVERS" <<'JSON'
{"127.67.0.1": {"ecdhCurve": "X25519MLKEM768:X25519"},
 "127.67.0.2": {"ecdhCurve": "X25519:P-256"},
 "127.67.0.3": {"ecdhCurve": "P-384"},
 "127.67.0.4": {"ecdhCurve": "X25519:P-256", "maxVersion": "TLSv1.2"}}
JSON
start_tls_servers pq_selection_test pq.test "$ZONE" "$SERVERS" \
  mx1.pq.test mx2.pq.test mx3.pq.test mx4.pq.test

scan_tls_servers mlkem.pq.test classic.pq.test retry.pq.test tls12.pq.test -- --probe-pq
grep -q "SMTP probes (3 post-quantum selection probes among them) for" "$TMP/scan.err" ||
  { cat "$TMP/scan.err"; echo "FAIL: the summary does not count the extra probes"; exit 1; }
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
