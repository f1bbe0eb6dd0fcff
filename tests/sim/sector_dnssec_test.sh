#!/usr/bin/env bash
# DNSSEC and DANE end to end, through a validating resolver: a simulated
# sector generated with --dnssec-share (the sim's own root, sector zones
# and providers signed; every domain a zone of its own, most signed, a few
# broken: expired signatures, a DS that matches no key, stripped RRSIGs,
# TLSA RRsets without signatures; TLSA records that match the farm's keys
# as DANE-EE and DANE-TA, or match nothing, in signed and unsigned zones),
# signed with ldns-signzone, served by NSD behind Unbound validating
# against the sim's trust anchor (tools/sim/sector_servers.sh), mail
# servers by the farm. The scan must
#   - find the resolver validating (asked for the sim root's DNSKEY),
#   - equal the whole truth, which the generator computes as a validating
#     resolver sees the sector (dnssecStatus, TLSA authenticated, DANE
#     valid per probe and per MX host),
#   - say why a bogus zone failed (the Extended DNS Error Unbound gives for
#     each kind of damage) and record it as "dnssec_bogus",
#   - print DNSSEC and DANE figures that are measured and not zero,
#   - give each kind of zone its strict-sender outcome (bogus: would not
#     deliver; DANE that matches: authenticated by DANE; TLSA that matches
#     nothing: would not deliver; TLSA in the domain's own unsigned zone:
#     never DANE);
# and the same sector asked straight of NSD (no validation) must warn,
# say so in the manifest and read "not measured". The scan's report cards
# are built as a site whose every link resolves.
# Environment: SECTOR_DOMAINS (600), SECTOR_SEED (11), SECTOR_KEEP=1.
set -euo pipefail
source "$(dirname "$0")/sector_test_lib.sh"
N=${SECTOR_DOMAINS:-600}
GEN_FLAGS=(--dnssec-share 0.7)
start_sector sector_dnssec_test "$N" "${SECTOR_SEED:-11}"
echo "== $N domains signed in $SIGN_SECONDS s; Unbound on $RESOLVER_PORT validates, NSD on $DNS_PORT"

scan_validated_sector

echo "== every kind of DNSSEC and DANE posture was there, and reads as it should"
python3 - "$TMP/sim/truth.jsonl" "$TMP/results.jsonl" "$TMP/out/manifest.json" <<'PY'
import collections, json, sys
truth = {json.loads(l)["domain"]: json.loads(l) for l in open(sys.argv[1])}
results = {json.loads(l)["domain"]: json.loads(l) for l in open(sys.argv[2])}
run = json.load(open(sys.argv[3]))["runs"][0]
assert run["resolvers"][0]["validation"] == "validating", run["resolvers"]

# Unbound's Extended DNS Error for each kind of damage (RFC 8914); an
# expired DNSKEY signature leaves no key to trust: "DNSKEY Missing".
EDE = {"bogus-expired": "9 (DNSKEY Missing)",
       "bogus-ds": "9 (DNSKEY Missing)",
       "bogus-no-rrsig": "10 (RRSIGs Missing)"}
seen = collections.Counter()
codes = collections.defaultdict(set)
for name, t in truth.items():
    tags = t.get("_posture", [])
    kind = next((x.split(":", 1)[1] for x in tags if x.startswith("dnssec:")), None)
    if kind is None:
        continue
    r = results[name]
    seen[kind] += 1
    if kind in EDE:
        assert r["dnssecStatus"] == "BOGUS" and r["status"] == "SERVFAIL", (name, r)
        mx_error = [e for e in r.get("errors", []) if e["message"].startswith("MX ")]
        assert mx_error and mx_error[0]["kind"] == "dnssec_bogus", (name, mx_error)
        codes[kind].update(mx_error[0].get("extendedErrors", []))
    elif kind == "bogus-tlsa":
        assert r["dnssecStatus"] == "SECURE", (name, r)
        for mx in r["mx"]:
            if mx.get("tlsa", {}).get("dnsStatus") == "SERVFAIL":
                assert mx["tlsa"]["dnssecStatus"] == "BOGUS", (name, mx)
                assert "10 (RRSIGs Missing)" in mx["tlsa"]["dnssecDetail"], (name, mx)
                seen["tlsa answer bogus"] += 1
    else:
        want = "SECURE" if kind == "secure" else "INSECURE"
        assert r.get("dnssecStatus") == want, (name, kind, r.get("dnssecStatus"))
    dane = next((x.split(":", 1)[1] for x in tags if x.startswith("dane:")), None)
    if dane is None or kind != "secure":
        if dane is not None and kind == "insecure":
            for mx in r["mx"]:
                tlsa = mx.get("tlsa", {})
                if tlsa.get("records"):
                    # TLSA in an unsigned zone: published, never usable.
                    assert not tlsa.get("authenticated") and not tlsa.get("daneValid"), (name, mx)
                    seen["tlsa in an unsigned zone"] += 1
        continue
    for mx in r["mx"]:
        for a in mx["addresses"]:
            smtp = a.get("smtp", {})
            if smtp.get("tls") and smtp.get("tlsa"):
                seen[f"dane {dane} probe valid={smtp['tlsa'].get('daneValid', False)}"] += 1
print(", ".join(f"{k}: {v}" for k, v in sorted(seen.items())))
print({k: sorted(v) for k, v in codes.items()})
for kind, ede in EDE.items():
    assert ede in codes[kind], (kind, codes[kind])
for need in ("secure", "insecure", "bogus-expired", "bogus-ds", "bogus-no-rrsig",
             "bogus-tlsa", "tlsa answer bogus", "tlsa in an unsigned zone",
             "dane ee probe valid=True", "dane ta probe valid=True",
             "dane nomatch probe valid=False"):
    assert seen[need] > 0, f"no {need} in this sector: raise SECTOR_DOMAINS"
PY

echo "== DNSSEC and DANE figures are measured, and not zero"
"$MXSCAN" stats "$TMP/out" --psl-file "$PSL_FILE" --format json >"$TMP/stats.json"
python3 - "$TMP/stats.json" <<'PY'
import json, sys
overall = json.load(open(sys.argv[1]))["overall"]
# Measured through the validating resolver (the post-quantum probe, the
# TLS census and the capped handshakes were not asked for).
assert overall["not_measured"] == [
    "pq_hybrid_all_mx", "tls_class_good_all_mx", "tls_class_sufficient_all_mx",
    "tls10_accepted_any_mx", "tls11_accepted_any_mx",
], overall["not_measured"]
for metric in ("dnssec", "dane_published", "dane_valid", "dane_effective"):
    assert overall[metric] > 0, (metric, overall[metric])
bogus = {k: v for k, v in overall["strict_sender"].items() if "DNSSEC bogus" in k}
assert sum(bogus.values()) > 0, overall["strict_sender"]
print({m: overall["percent"][m] for m in ("dnssec", "dane_published", "dane_valid")}, bogus)
PY
echo "== what a sender that enforces DANE and MTA-STS does, per kind of zone"
"$MXSCAN" dump "$TMP/out" --format csv >"$TMP/results.csv"
python3 - "$TMP/sim/truth.jsonl" "$TMP/results.csv" <<'PY'
import collections, csv, json, sys
kinds = {}
for line in open(sys.argv[1]):
    t = json.loads(line)
    tags = t.get("_posture", [])
    dnssec = next((x[7:] for x in tags if x.startswith("dnssec:")), None)
    dane = next((x[5:] for x in tags if x.startswith("dane:")), None)
    if dnssec:
        kinds[t["domain"]] = (dnssec, dane)
outcomes = collections.defaultdict(collections.Counter)
for row in csv.DictReader(open(sys.argv[2])):
    if row["domain"] in kinds:
        outcomes[kinds[row["domain"]]][row["strict_sender"]] += 1
for kind in sorted(outcomes, key=str):
    print(f"  {kind}: {dict(outcomes[kind])}")
for kind, seen in outcomes.items():
    if kind[0] in ("bogus-expired", "bogus-ds", "bogus-no-rrsig"):
        assert set(seen) == {"would not deliver: DNSSEC bogus"}, (kind, seen)
    if kind[0] == "insecure" and kind[1] is not None:
        # TLSA in the domain's own unsigned zone is never usable (a
        # provider's signed TLSA may still serve an unsigned domain: RFC
        # 7672 section 2.2.1).
        assert "authenticated by DANE" not in seen, (kind, seen)
assert outcomes[("secure", "ee")]["authenticated by DANE"] > 0
assert outcomes[("secure", "ta")]["authenticated by DANE"] > 0
assert outcomes[("secure", "nomatch")]["would not deliver: TLSA matches no certificate"] > 0
PY

echo "== the same signed sector straight to NSD (no validation): not measured"
"$MXSCAN" scan --input "$TMP/sim/domains.csv" --output "$TMP/plain" --no-smtp \
  --resolver "127.0.0.1:$DNS_PORT" --trust-anchor-zone sim --psl-file "$PSL_FILE" \
  --no-progress 2>"$TMP/plain.err"
grep -q "is not validating" "$TMP/plain.err" ||
  { cat "$TMP/plain.err"; echo "FAIL: no warning about a resolver that does not validate"; exit 1; }
python3 - "$TMP/plain/manifest.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
assert run["resolvers"][0]["validation"].startswith("not validating"), run["resolvers"]
PY
"$MXSCAN" stats "$TMP/plain" --format md --metrics dnssec,dane_valid | grep -q "not measured" ||
  { echo "FAIL: DNSSEC figures measured without validation"; exit 1; }

echo "== mxscan site: the report cards as a static site, every link inside it"
"$MXSCAN" site "$TMP/out" --output "$TMP/site" --psl-file "$PSL_FILE" 2>"$TMP/site.err" ||
  { cat "$TMP/site.err"; echo "FAIL: mxscan site"; exit 1; }
cat "$TMP/site.err"
[[ $(ls "$TMP/site/domains" | wc -l) == "$N" ]] || { echo "FAIL: not a page per domain"; exit 1; }
python3 "$CHECK_SITE_LINKS" "$TMP/site"
if "$MXSCAN" site "$TMP/out" 2>/dev/null; then echo "FAIL: site without --output"; exit 1; fi
echo PASS
