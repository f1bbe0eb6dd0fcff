#!/usr/bin/env bash
# IPv4 and IPv6 apart: the simulated sector's MX hosts have IPv4 and IPv6
# addresses (IPv6 as IPv4-mapped AAAA records, still loopback) and the farm
# gives each address its own behaviour, so some domains answer over one
# family only and some present a different TLS over each. The scan with
# SMTP must equal the truth, and every address-family metric of `mxscan
# stats` must equal what the records say (counted here independently).
# Then a scan with --no-ipv6 (a scanner without IPv6): no IPv6 address is
# probed, every IPv4 probe still equals the truth, the manifest records the
# flag, and the IPv6 figures read "not measured".
# Environment: SECTOR_DOMAINS (800), SECTOR_KEEP=1.
set -euo pipefail
source "$(dirname "$0")/sector_test_lib.sh"
N=${SECTOR_DOMAINS:-800}
start_sector sector_ipv6_test "$N" 17

"$MXSCAN" scan --input "$TMP/sim/domains.csv" --output "$TMP/both" \
  "${SCAN_FLAGS[@]}" --no-progress 2>"$TMP/both.err" ||
  { cat "$TMP/both.err"; echo "FAIL: the scan failed"; exit 1; }
"$MXSCAN" dump "$TMP/both" --format jsonl >"$TMP/both.jsonl"
python3 "$SIM/check_sector.py" --truth "$TMP/sim/truth.jsonl" \
  --results "$TMP/both.jsonl" --smtp yes
"$MXSCAN" stats "$TMP/both" --psl-file "$PSL_FILE" --format json >"$TMP/both.stats.json"

echo "== the address-family metrics equal the records"
python3 - "$TMP/both.jsonl" "$TMP/both.stats.json" <<'PY'
import collections, json, sys
# A 2xx greeting, not deferred (scanner/stats/server_facts.h).
def answered(a):
    s = a.get("smtp", {})
    return (s.get("connected") and not s.get("deferred") and
            200 <= s.get("bannerCode", 0) < 300)
def secure(a):  # STARTTLS and a valid certificate (METRICS.md)
    t = a["smtp"].get("tls")
    return bool(t) and t.get("certTrusted") and t.get("hostnameMatch") and not t.get("certExpired")
want = collections.Counter()
kinds = collections.Counter()
for line in open(sys.argv[1]):
    r = json.loads(line)
    by = {4: [], 6: []}
    for mx in r.get("mx", []):
        for a in mx.get("addresses", []):
            by[6 if ":" in a["ip"] else 4].append(a)
    hosts = r.get("mx", [])
    if hosts and all(any(":" in a["ip"] for a in mx.get("addresses", [])) for mx in hosts):
        want["mx_ipv6"] += 1
    ok = {}
    for fam in (4, 6):
        up = [a for a in by[fam] if answered(a)]
        if up:
            want[f"smtp_reachable_ipv{fam}"] += 1
        ok[fam] = bool(up) and all(secure(a) for a in up)
        if up and all((a["smtp"].get("tls") or {}).get("version") in ("TLSv1.2", "TLSv1.3")
                      for a in up):
            want[f"tls12_plus_all_mx_ipv{fam}"] += 1
    if any("smtp" in a for a in by[6]) and ok[4] and not ok[6]:
        want["ipv6_weaker_than_ipv4"] += 1
    up4, up6 = any(map(answered, by[4])), any(map(answered, by[6]))
    if up4 and not up6 and by[6]: kinds["reachable over IPv4 only"] += 1
    if up6 and not up4 and by[4]: kinds["reachable over IPv6 only"] += 1
    if up4 and up6 and ok[4] != ok[6]: kinds["both, different TLS"] += 1
got = json.load(open(sys.argv[2]))["overall"]
for metric, n in sorted(want.items()):
    assert got[metric] == n, (metric, got[metric], n)
print(dict(want), dict(kinds))
for k in ("reachable over IPv4 only", "reachable over IPv6 only", "both, different TLS"):
    assert kinds[k] > 0, f"no domain {k}: raise SECTOR_DOMAINS"
PY

echo "== --no-ipv6: a scanner without IPv6"
"$MXSCAN" scan --input "$TMP/sim/domains.csv" --output "$TMP/v4" \
  "${SCAN_FLAGS[@]}" --no-ipv6 --no-progress 2>"$TMP/v4.err" ||
  { cat "$TMP/v4.err"; echo "FAIL: the --no-ipv6 scan failed"; exit 1; }
"$MXSCAN" dump "$TMP/v4" --format jsonl >"$TMP/v4.jsonl"
# The truth without the IPv6 probes (their addresses stay: DNS found them).
python3 - "$TMP/sim/truth.jsonl" "$TMP/v4.jsonl" "$TMP/v4/manifest.json" \
  "$TMP/truth-v4.jsonl" <<'PY'
import json, sys
probed6 = 0
for line in open(sys.argv[2]):
    for mx in json.loads(line).get("mx", []):
        for a in mx.get("addresses", []):
            if ":" in a["ip"] and "smtp" in a:
                probed6 += 1
assert probed6 == 0, f"{probed6} IPv6 addresses probed under --no-ipv6"
run = json.load(open(sys.argv[3]))["runs"][0]
assert run["options"]["no-ipv6"] == "true", run["options"].get("no-ipv6")
with open(sys.argv[4], "w") as out:
    for line in open(sys.argv[1]):
        t = json.loads(line)
        for mx in t.get("mx", []):
            for a in mx["addresses"]:
                if ":" in a["ip"]:
                    a.pop("smtp", None)
        if "mta-sts-host:ipv6-only" in t.get("_posture", []):
            # The policy host has no IPv4 address: not fetched.
            sts = t["mtaSts"]
            for k in ("mode", "mx", "maxAge", "mxNotCovered"):
                sts.pop(k, None)
            sts["policyFetched"] = False
        out.write(json.dumps(t) + "\n")
PY
python3 "$SIM/check_sector.py" --truth "$TMP/truth-v4.jsonl" \
  --results "$TMP/v4.jsonl" --smtp yes
"$MXSCAN" stats "$TMP/v4" --psl-file "$PSL_FILE" --format md >"$TMP/v4.md"
grep -q "| IPv6: STARTTLS all MX | not measured |" "$TMP/v4.md" ||
  { sed -n '/address family/,/^$/p' "$TMP/v4.md"; echo "FAIL: IPv6 figures measured under --no-ipv6"; exit 1; }
grep -q "| IPv4: STARTTLS all MX | [0-9.]*% " "$TMP/v4.md" ||
  { echo "FAIL: IPv4 figures missing under --no-ipv6"; exit 1; }
echo PASS
