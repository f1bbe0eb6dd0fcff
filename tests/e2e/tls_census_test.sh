#!/usr/bin/env bash
# `mxscan scan --tls-census` against servers of a current OpenSSL
# (tls_server_lib.sh) with chosen versions, suites, groups and order: the
# census finds exactly those, within its bound of handshakes, and classes
# each server after the NCSC-NL TLS guidelines.
set -euo pipefail
source "$(dirname "$0")/tls_server_lib.sh"

ZONE=$(mktemp "${TEST_TMPDIR:-/tmp}/census.test.records.XXXXXX")
cat >"$ZONE" <<'ZONE'
modern MX 10 mx1
old MX 10 mx2
mx1 A 127.68.0.1
mx2 A 127.68.0.2
ZONE
SERVERS=$(mktemp "${TEST_TMPDIR:-/tmp}/census.servers.XXXXXX")
# modern: TLS 1.3 and 1.2, two suites each, its own order, three groups
# (X25519MLKEM768 first). old: TLS 1.0 to 1.2, a CBC suite and a GCM one,
# the client's order.
cat >"$SERVERS" <<'JSON'
{"127.68.0.1": {"ecdhCurve": "X25519MLKEM768:X25519:P-256",
                "ciphers": "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384",
                "honorCipherOrder": true},
 "127.68.0.2": {"ecdhCurve": "P-256:P-384", "minVersion": "TLSv1", "maxVersion": "TLSv1.2",
                "ciphers": "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-GCM-SHA384:@SECLEVEL=0"}}
JSON
start_tls_servers tls_census_test census.test "$ZONE" "$SERVERS" mx1.census.test mx2.census.test

scan_tls_servers modern.census.test old.census.test -- --tls-census
grep -q "census handshakes among them" "$TMP/scan.err" ||
  { cat "$TMP/scan.err"; echo "FAIL: the summary does not count the census"; exit 1; }
# The manifest says what the scan cost the servers.
python3 - "$TMP/out/manifest.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][-1]
assert int(run["censusHandshakes"]) == 15 + 9, run  # as counted below
assert int(run["smtpConnections"]) > int(run["censusHandshakes"]), run
PY
python3 - "$TMP/results.jsonl" <<'PY'
import json, sys
seen = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    tls = d["mx"][0]["addresses"][0]["smtp"]["tls"]
    seen[d["domain"].split(".")[0]] = (tls.get("versionsAccepted"), tls["census"])
versions, c = seen["modern"]
assert versions == ["TLSv1.3", "TLSv1.2"], versions
assert c.get("tls13Suites") == ["TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"], c
assert sorted(c.get("tls13Groups", [])) == ["P-256", "X25519", "X25519MLKEM768"], c
assert c.get("tls12Suites") == ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"], c
assert c.get("suiteOrder") == "server", c
assert c.get("tlsClass") == "sufficient" and c.get("findings") == ["TLSv1.2: sufficient"], c
# one per suite or group found plus one refused per step, the order check,
# and the TLS 1.2 curves (a refusal retried with the curves found last)
assert c.get("tls12Curves") == ["X25519", "P-256"], c
assert c.get("handshakes") == (2 + 1) + (3 + 1) + (2 + 1) + 1 + (2 + 2), c
versions, c = seen["old"]
assert versions == ["TLSv1.2", "TLSv1.1", "TLSv1"], versions
assert not c.get("tls13Suites") and not c.get("tls13Groups"), c
assert c.get("tls12Suites") == ["TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"], c
assert c.get("suiteOrder") == "client", c
assert c.get("tlsClass") == "phase-out", c
assert "TLSv1: phase-out" in c["findings"] and \
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: sufficient" in c["findings"], c
# P-384 shows once P-256, the certificate's curve, is offered again.
assert c.get("tls12Curves") == ["P-256", "P-384"], c
assert c.get("handshakes") == (2 + 1) + 1 + (2 + 3), c
print("tls_census_test:", {k: v[1]["tlsClass"] for k, v in seen.items()})
PY
# The sector's figures: one of the two domains meets the guidelines
# (sufficient or better), none is all good.
"$MXSCAN" stats "$TMP/out" --format json >"$TMP/stats.json"
python3 - "$TMP/stats.json" <<'PY'
import json, sys
overall = json.load(open(sys.argv[1]))["overall"]
got = {k: overall[k] for k in
       ("tls_census_probed", "tls_class_good_all_mx", "tls_class_sufficient_all_mx")}
assert got == {"tls_census_probed": 2, "tls_class_good_all_mx": 0,
               "tls_class_sufficient_all_mx": 1}, got
assert not overall["not_measured"] or "tls_class_good_all_mx" not in overall["not_measured"], overall
PY
echo PASS
