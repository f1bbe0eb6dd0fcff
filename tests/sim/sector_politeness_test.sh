#!/usr/bin/env bash
# Politeness per provider, measured at the providers' side: a simulated
# sector (its big providers each run many MX addresses) scanned with
# --per-provider-concurrency 3 --per-provider-rate 40 and the extra
# handshakes of --probe-tls-versions; the farm logs every SMTP connection
# opened and closed (smtp_farm --session-log). For every provider (the
# organisational domain of the MX host names an address serves) and every
# /24 of the addresses: never more than 3 sessions at once, never more
# than 40 new connections in any second (plus the one token a bucket
# starts with, per worker); and the records still equal the truth.
set -euo pipefail
source "$(dirname "$0")/sector_test_lib.sh"

N=${SECTOR_DOMAINS:-800}
export FARM_SESSION_LOG=1
start_sector sector_politeness_test "$N" "${SECTOR_SEED:-5}"
WORKERS=2
"$MXSCAN" scan --input "$TMP/sim/domains.csv" --output "$TMP/out" \
  "${SCAN_FLAGS[@]}" --workers "$WORKERS" --per-provider-concurrency 3 \
  --per-provider-rate 40 --probe-tls-versions --no-progress 2>"$TMP/scan.err" ||
  { cat "$TMP/scan.err"; echo "FAIL: the scan failed"; exit 1; }
cat "$TMP/scan.err"
grep -q "connections waited for their provider's budget" "$TMP/scan.err" ||
  { echo "FAIL: the budget never held a connection back: the test proves nothing"; exit 1; }
"$MXSCAN" dump "$TMP/out" --format jsonl >"$TMP/results.jsonl"
python3 "$SIM/check_sector.py" --truth "$TMP/sim/truth.jsonl" \
  --results "$TMP/results.jsonl" --smtp yes --fields mx,spf,dmarc,mtaSts

python3 - "$TMP/sim/addresses.json" "$TMP/sim/psl.dat" "$WORKERS" "$TMP"/farm/sessions*.log <<'PY'
import collections, ipaddress, json, sys
addresses = json.load(open(sys.argv[1]))
suffixes = {l.strip() for l in open(sys.argv[2]) if l.strip() and not l.startswith("//")}
workers = int(sys.argv[3])

def org(host):
    labels = host.lower().rstrip(".").split(".")
    for i in range(len(labels)):
        if ".".join(labels[i + 1:]) in suffixes:
            return ".".join(labels[i:])
    return host

def network(ip):
    a = ipaddress.ip_address(ip)
    if a.version == 6 and a.ipv4_mapped:
        a = a.ipv4_mapped
    return str(ipaddress.ip_network(f"{a}/{24 if a.version == 4 else 48}", strict=False))

def groups(ip):
    names = addresses.get(ip, {}).get("names", []) or [addresses.get(ip, {}).get("host", "")]
    return {"net " + network(ip)} | {"org " + org(n) for n in names if n}

events = []
for path in sys.argv[4:]:
    for line in open(path):
        event, ms, ip = line.split()
        # A close the farm logs a moment after the scanner has seen it
        # (timeouts: the scanner closes first) counts 10 ms earlier.
        events.append((int(ms) - (10 if event == "close" else 0),
                       0 if event == "close" else 1, event, ip))
events.sort()
open_now = collections.Counter()
peak = collections.Counter()
opens = collections.defaultdict(list)
for ms, _, event, ip in events:
    for g in groups(ip):
        if event == "open":
            open_now[g] += 1
            peak[g] = max(peak[g], open_now[g])
            opens[g].append(ms)
        else:
            open_now[g] -= 1
worst_rate = {}
for g, times in opens.items():
    start, most = 0, 0
    for end in range(len(times)):
        while times[end] - times[start] >= 1000:
            start += 1
        most = max(most, end - start + 1)
    worst_rate[g] = most
busiest = max(peak, key=peak.get)
print(f"{sum(len(t) for t in opens.values())} group-connections, {len(peak)} groups; "
      f"most sessions at once: {peak[busiest]} ({busiest}); "
      f"most connections in a second: {max(worst_rate.values())}")
over = {g: n for g, n in peak.items() if n > 3}
assert not over, f"sessions at once over the budget: {over}"
over = {g: n for g, n in worst_rate.items() if n > 40 + workers}
assert not over, f"connections per second over the budget: {over}"
big = [g for g, t in opens.items() if len(t) > 20]
assert big, "no provider had enough connections to test the budget"
PY
echo PASS
