#!/usr/bin/env bash
# End to end: a small real scan of the simulated sector (NSD serves the
# zones, the project's farm the mail servers and MTA-STS policies, all on
# loopback), exported into SQLite and into a real PostgreSQL server. In
# both: the summaries read back equal stats::SummarizeDomain of the result
# files (and `mxscan stats --from` prints the files' figures), every
# domain, probe, TLS session and certificate of the dump is there once,
# every certificate a chain names is stored with its DER, and the report
# cards (`mxscan site`, `mxscan explain`) built from the database equal
# those built from the files; with a second scan the site and `mxscan
# trend` show both.
#
# Run by hand after `bazel build //scanner:mxscan //tools/farm:smtp_farm
# //tests/export:export_check`: tests/export/export_sim_test.sh
# Environment: SECTOR_DOMAINS (300), SECTOR_SEED (7).
set -euo pipefail

source "$(dirname "$0")/export_test_lib.sh"
N=${SECTOR_DOMAINS:-300}
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/export_sim_test.XXXXXX")
FARM_PID=
cleanup() {
  [[ -n $FARM_PID ]] && kill "$FARM_PID" 2>/dev/null || true
  "$ROOT/tools/sim/nsd_server.sh" stop "$TMP/nsd" >/dev/null 2>&1 || true
  "$ROOT/tools/db/postgres_server.sh" stop "$TMP/pg" || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

echo "== the simulated sector ($N domains): NSD and the farm"
python3 "$ROOT/tools/sim/gen_sector.py" --domains "$N" --seed "${SECTOR_SEED:-7}" \
  --out "$TMP/sim" --mta-sts-dir "$TMP/farm/mta-sts" >/dev/null
mkdir -p "$TMP/nsd"
PORT=$(python3 "$ROOT/tools/sim/free_port.py")
"$ROOT/tools/sim/nsd_server.sh" start "$TMP/nsd" "$PORT" --zones "$TMP/sim/zones.txt" >/dev/null
FARM_PID=$(SMTP_FARM="$BIN/tools/farm/smtp_farm" \
  "$ROOT/tools/farm/run_farm.sh" "$TMP/sim/addresses.json" "$TMP/farm")
SMTP=$(awk '$1 == "smtp_port" {print $2}' "$TMP/farm/ready")
HTTPS=$(awk '$1 == "https_port" {print $2}' "$TMP/farm/ready")

echo "== mxscan scan"
PSL=$TMP/sim/psl.dat
timeout -s KILL 120 "$MXSCAN" scan --input "$TMP/sim/domains.csv" --output "$TMP/results" \
  --resolver "127.0.0.1:$PORT" --smtp-port "$SMTP" --https-port "$HTTPS" \
  --ca-file "$TMP/farm/ca.pem" --psl-file "$PSL" --smtp-timeout-ms 2000 \
  --concurrency 100 --no-progress
"$MXSCAN" dump "$TMP/results" --format jsonl >"$TMP/results.jsonl"
"$MXSCAN" dump "$TMP/results" --certificates >"$TMP/certificates.jsonl"
read -r DOMAINS PROBES SESSIONS CHAINS CERTS < <(python3 - "$TMP" <<'PY'
import json, sys
d = sys.argv[1]
domains = probes = sessions = chains = 0
for line in open(f"{d}/results.jsonl"):
    r = json.loads(line)
    domains += 1
    for mx in r.get("mx", []):
        for a in mx.get("addresses", []):
            if "smtp" in a:
                probes += 1
                tls = a["smtp"].get("tls")
                if tls:
                    sessions += 1
                    chains += len(tls.get("certChainSha256", []))
certs = len({json.loads(l)["sha256"] for l in open(f"{d}/certificates.jsonl")})
print(domains, probes, sessions, chains, certs)
PY
)
echo "$DOMAINS domains, $PROBES probes, $SESSIONS TLS sessions, $CERTS certificates"
[[ $DOMAINS == "$N" && $SESSIONS -gt 0 && $CERTS -gt 0 ]] || fail "the scan found too little"

echo "== the report cards from the result files"
"$MXSCAN" site "$TMP/results" --psl-file "$PSL" --output "$TMP/site.files" 2>/dev/null
EXPLAINED=$(python3 -c 'import json,sys; print(" ".join([r["domain"] for r in map(json.loads, open(sys.argv[1])) if r.get("status") == "OK"][:5]))' "$TMP/results.jsonl")
for domain in $EXPLAINED; do
  "$MXSCAN" explain "$domain" --from "$TMP/results" --psl-file "$PSL" --format json >"$TMP/explain.$domain.files"
done
# explain says what the domain's page says: every control, its state.
python3 - "$TMP/site.files" "$TMP" $EXPLAINED <<'PY'
import html, json, re, sys
site, tmp, domains = sys.argv[1], sys.argv[2], sys.argv[3:]
for domain in domains:
    card = json.load(open(f"{tmp}/explain.{domain}.files"))
    page = open(f"{site}/domains/{domain}.html", encoding="utf-8").read()
    rows = re.findall(r'<tr><th scope="row"><a href="[^"]*">([^<]*)</a></th><td class="[^"]*">([^<]*)</td>', page)
    shown = {html.unescape(title): ("fail" if state == "FAIL" else state) for title, state in rows}
    told = {c["title"]: c["state"] for c in card["controls"]}
    assert shown == told, (domain, shown, told)
print(f"explain equals the domain page for {len(domains)} domains")
PY

echo "== PostgreSQL server"
PG_URL=$("$ROOT/tools/db/postgres_server.sh" start "$TMP/pg")

for url in "sqlite:$TMP/export.db" "$PG_URL"; do
  echo "== export to $url"
  id=$("$MXSCAN" export "$TMP/results" --to "$url" --psl-file "$PSL")
  q() { "$CHECK" query "$url" "$1"; }
  "$CHECK" summaries "$url" "$id" "$TMP/results" --psl-file "$PSL"
  # The figures of a real scan (software, dependencies, DNSSEC statuses,
  # provenance) read back from the database equal the files'.
  for format in md json; do
    "$MXSCAN" stats "$TMP/results" --psl-file "$PSL" --format "$format" >"$TMP/files.$format"
    "$MXSCAN" stats --from "$url" --scan-id "$id" --format "$format" >"$TMP/db.$format"
    cmp -s "$TMP/files.$format" "$TMP/db.$format" ||
      { diff "$TMP/files.$format" "$TMP/db.$format" | head -20; fail "stats --from $url ($format)"; }
  done
  [[ $(q "SELECT domain_count FROM scans") == "$DOMAINS" ]] || fail "domain_count"
  [[ $(q "SELECT COUNT(*) FROM domains") == "$DOMAINS" ]] || fail "domains"
  [[ $(q "SELECT COUNT(*) FROM smtp_probes") == "$PROBES" ]] || fail "smtp_probes"
  [[ $(q "SELECT COUNT(*) FROM tls_sessions") == "$SESSIONS" ]] || fail "tls_sessions"
  [[ $(q "SELECT COUNT(*) FROM tls_chains") == "$CHAINS" ]] || fail "tls_chains"
  [[ $(q "SELECT COUNT(*) FROM certificates") == "$CERTS" ]] || fail "certificates"
  [[ $(q "SELECT COUNT(*) FROM tls_chains c LEFT JOIN certificates x ON x.sha256 = c.sha256 WHERE x.der IS NULL") == 0 ]] ||
    fail "a chain names a certificate stored without DER"
  [[ $(q "SELECT COUNT(*) FROM tls_sessions t JOIN certificates c ON c.sha256 = t.leaf_sha256 WHERE c.not_after <> t.cert_not_after") == 0 ]] ||
    fail "a leaf's notAfter differs between the session and the certificate"
  q "SELECT tls_category, COUNT(*) FROM domains GROUP BY tls_category ORDER BY 1"
  # The whole records are there too: the site and the cards built from the
  # database equal those built from the files.
  rm -rf "$TMP/site.db"
  "$MXSCAN" site --from "$url" --scan-id "$id" --psl-file "$PSL" --output "$TMP/site.db" 2>/dev/null
  diff -r "$TMP/site.files" "$TMP/site.db" >/dev/null ||
    { diff -r "$TMP/site.files" "$TMP/site.db" | cut -c1-200 | head; fail "site --from $url"; }
  for domain in $EXPLAINED; do
    "$MXSCAN" explain "$domain" --from "$url" --scan-id "$id" --psl-file "$PSL" --format json >"$TMP/explain.db"
    cmp -s "$TMP/explain.$domain.files" "$TMP/explain.db" || fail "explain $domain --from $url"
  done
  # A second scan (the same files again): the site shows the trend, and
  # each organisation's page compares with the first scan and finds no
  # change.
  "$MXSCAN" export "$TMP/results" --to "$url" --psl-file "$PSL" --scan-name second >/dev/null
  rm -rf "$TMP/site.db"
  "$MXSCAN" site --from "$url" --psl-file "$PSL" --output "$TMP/site.db" 2>/dev/null
  grep -q 'href="trend.html"' "$TMP/site.db/index.html" || fail "no trend on the index"
  grep -q "<svg" "$TMP/site.db/trend.html" || fail "trend.html has no chart"
  [[ $(grep -L "Compared with $id, .*No control gained or lost" "$TMP"/site.db/orgs/*.html | wc -l) == 0 ]] ||
    fail "an organisation changed between two exports of the same scan"
  "$MXSCAN" trend --from "$url" --psl-file "$PSL" --format json >"$TMP/trend.json"
  python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); assert [s["label"] for s in t["scans"]] == [sys.argv[2], "second"], t["scans"]' "$TMP/trend.json" "$id" ||
    fail "trend --from $url"
done
echo "PASS"
