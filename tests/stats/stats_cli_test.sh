#!/usr/bin/env bash
# mxscan stats and diff on synthetic scan results (tools/sim:gen_results):
# stats over the shards of a scan equal stats over the whole (every
# format), --by none, diff's lists against the domains' own records, and
# clear errors with the right exit codes for bad input.
set -euo pipefail

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$ROOT/scanner/mxscan" ]] || ROOT=$(cd "$(dirname "$0")/../.." && pwd)/bazel-bin
MXSCAN="$ROOT/scanner/mxscan"
GEN="$ROOT/tools/sim/gen_results"
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/stats_cli_test.XXXXXX")
N=30000

"$GEN" --out "$TMP/whole" --records $N --files 3 >/dev/null
for i in 0 1 2 3; do
  "$GEN" --out "$TMP/shard$i" --records $N --shard "$i/4" --files 1 >/dev/null
done
"$GEN" --out "$TMP/later" --records $N --changed 10 >/dev/null

# Shards add up to the whole, in every format.
for format in json md csv html; do
  "$MXSCAN" stats "$TMP/whole" --format "$format" --output "$TMP/whole.$format"
  "$MXSCAN" stats "$TMP/shard0" "$TMP/shard1" "$TMP/shard2" "$TMP/shard3" \
    --format "$format" >"$TMP/shards.$format"
  cmp "$TMP/whole.$format" "$TMP/shards.$format" ||
    { echo "FAIL: stats of the shards differ from the whole ($format)"; exit 1; }
done
"$MXSCAN" stats "$TMP/whole" --workers 1 --format json >"$TMP/one_thread.json"
cmp "$TMP/whole.json" "$TMP/one_thread.json" ||
  { echo "FAIL: one reading thread gives other figures"; exit 1; }

# The figures against the records themselves (the dump), for a few metrics
# whose definitions are simple to restate.
"$MXSCAN" dump "$TMP/whole" --format jsonl >"$TMP/whole.jsonl"
python3 - "$TMP/whole.json" "$TMP/whole.jsonl" $N <<'PY'
import json, sys
stats = json.load(open(sys.argv[1]))
n = int(sys.argv[3])
overall = stats["overall"]
assert overall["domains"] == n, overall["domains"]
assert sum(s["domains"] for s in stats["sectors"].values()) == n
want = dict(spf_hardfail=0, dmarc_reject=0, null_mx=0, dnssec=0, starttls_all_mx=0)
for line in open(sys.argv[2]):
    d = json.loads(line)
    spf, dmarc = d.get("spf", {}), d.get("dmarc", {})
    want["spf_hardfail"] += spf.get("present", False) and spf.get("valid", False) and spf.get("all") == "-all"
    want["dmarc_reject"] += dmarc.get("present", False) and dmarc.get("valid", False) and dmarc.get("policy") == "reject"
    want["null_mx"] += d.get("nullMx", False)
    want["dnssec"] += d.get("dnssec", False)
    answered = [a["smtp"] for m in d.get("mx", []) for a in m.get("addresses", [])
                if a.get("smtp", {}).get("connected") and 200 <= a["smtp"].get("bannerCode", 0) < 300
                and not a["smtp"].get("deferred")]
    want["starttls_all_mx"] += bool(answered) and all("tls" in s for s in answered)
for key, value in want.items():
    assert overall[key] == value, (key, overall[key], value)
    assert abs(overall["percent"][key] - round(100.0 * value / n, 2)) < 0.006, key
print("stats match the records:", want)
PY

# --metrics picks the columns of md and csv.
"$MXSCAN" stats "$TMP/whole" --format csv --metrics dmarc_reject,starttls_all_mx >"$TMP/two.csv"
[[ $(head -n 1 "$TMP/two.csv") == "sector,domains,dmarc_reject,dmarc_reject_pct,starttls_all_mx,starttls_all_mx_pct" ]] ||
  { echo "FAIL: --metrics"; head -n 1 "$TMP/two.csv"; exit 1; }

# dump --format csv: one row per domain whose metric columns add up to the
# stats' figures.
"$MXSCAN" dump "$TMP/whole" --format csv >"$TMP/whole.csv"
python3 - "$TMP/whole.csv" "$TMP/whole.json" $N <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
overall = json.load(open(sys.argv[2]))["overall"]
assert len(rows) == int(sys.argv[3]) == len({r["domain"] for r in rows})
for key in ("mx_present", "starttls_all_mx", "valid_cert_all_mx", "dmarc_reject",
            "spf_hardfail", "mta_sts_enforce", "dnssec", "dane_valid"):
    assert sum(r[key] == "true" for r in rows) == overall[key], key
tls = {}
for r in rows:
    tls[r["weakest_tls"]] = tls.get(r["weakest_tls"], 0) + 1
assert tls == overall["tls_categories"], (tls, overall["tls_categories"])
print(f"csv: {len(rows)} rows, {len(rows[0])} columns")
PY

# Every metric is defined in METRICS.md.
METRICS_DOC="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}/scanner/stats/METRICS.md"
[[ -f "$METRICS_DOC" ]] || METRICS_DOC=$(cd "$(dirname "$0")/../.." && pwd)/scanner/stats/METRICS.md
python3 - "$TMP/whole.json" "$METRICS_DOC" <<'PY'
import json, sys
metrics = json.load(open(sys.argv[1]))["overall"]["percent"].keys()
doc = open(sys.argv[2]).read()
missing = [m for m in metrics if f"`{m}`" not in doc]
assert not missing, f"metrics without a definition in METRICS.md: {missing}"
print(f"all {len(metrics)} metrics are defined in METRICS.md")
PY

# --by none: the overall row only.
"$MXSCAN" stats "$TMP/whole" --by none --format json >"$TMP/none.json"
python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))
assert s['sectors'] == {}, s['sectors'].keys()
assert s['overall']['domains'] == $N
" "$TMP/none.json"

# diff: the lists agree with the two scans' own records.
"$MXSCAN" diff "$TMP/whole" "$TMP/later" --format json >"$TMP/diff.json"
"$MXSCAN" dump "$TMP/later" --format jsonl >"$TMP/later.jsonl"
python3 - "$TMP/diff.json" "$TMP/whole.jsonl" "$TMP/later.jsonl" <<'PY'
import json, sys
diff = json.load(open(sys.argv[1]))
def reject(path):
    out = {}
    for line in open(path):
        d = json.loads(line)
        m = d.get("dmarc", {})
        out[d["domain"]] = m.get("present", False) and m.get("valid", False) and m.get("policy") == "reject"
    return out
old, new = reject(sys.argv[2]), reject(sys.argv[3])
lost = sorted(d for d in old if old[d] and not new.get(d, True))
gained = sorted(d for d in new if new[d] and not old.get(d, True))
got = diff["domains"]["dmarc_reject"]
assert got["lost"] == lost, (len(got["lost"]), len(lost))
assert got["gained"] == gained, (len(got["gained"]), len(gained))
assert lost and gained
o = diff["overall"]["dmarc_reject"]
assert o["new"] - o["old"] == len(gained) - len(lost)
print(f"diff: dmarc_reject lost by {len(lost)}, gained by {len(gained)}")
PY
"$MXSCAN" diff "$TMP/whole" "$TMP/later" --list-limit 2 >"$TMP/diff.md"
grep -q "^- DMARC reject lost ([0-9]*): [^,]*, [^,]*, ... and [0-9]* more$" "$TMP/diff.md" ||
  { echo "FAIL: diff markdown lists"; cat "$TMP/diff.md"; exit 1; }

# trend: the two scans' figures, in the order given (no manifests), equal
# to each scan's own stats.
"$MXSCAN" trend "$TMP/whole" "$TMP/later" --format json >"$TMP/trend.json"
"$MXSCAN" stats "$TMP/later" --format json >"$TMP/later.json"
python3 - "$TMP/trend.json" "$TMP/whole.json" "$TMP/later.json" <<'PY'
import json, sys
trend, whole, later = (json.load(open(p)) for p in sys.argv[1:4])
assert [s["label"].split("/")[-1] for s in trend["scans"]] == ["whole", "later"], trend["scans"]
for key in ("dmarc_reject", "spf_hardfail", "dmarc_enforced"):
    got = trend["rows"]["overall"][key]
    want = [whole["overall"]["percent"][key], later["overall"]["percent"][key]]
    assert [round(x, 2) for x in got] == [round(x, 2) for x in want], (key, got, want)
assert trend["rows"]["overall"]["dmarc_reject"][0] != trend["rows"]["overall"]["dmarc_reject"][1]
print("trend: equals each scan's stats, and shows the change")
PY

# site --earlier: each organisation's page names the controls its domains
# gained and lost since the previous scan, exactly the domains diff lists.
"$GEN" --out "$TMP/site_before" --records 3000 >/dev/null
"$GEN" --out "$TMP/site_after" --records 3000 --changed 10 >/dev/null
"$MXSCAN" site "$TMP/site_after" --earlier "$TMP/site_before" --output "$TMP/site" 2>/dev/null
"$MXSCAN" diff "$TMP/site_before" "$TMP/site_after" --format json >"$TMP/site_diff.json"
python3 - "$TMP/site" "$TMP/site_diff.json" <<'PY'
import glob, json, re, sys
site, diff = sys.argv[1], json.load(open(sys.argv[2]))
said = {"gained": set(), "lost": set()}
for page in glob.glob(f"{site}/orgs/*.html"):
    html = open(page).read()
    assert "<h2>Since the previous scan</h2>" in html, page
    for domain, line in re.findall(r'<li><a href="../domains/[^"]*">([^<]*)</a>:([^\n]*?)</li>', html):
        gained, _, lost = line.partition("<strong>lost</strong>")
        if "DMARC enforced" in gained: said["gained"].add(domain)
        if "DMARC enforced" in lost: said["lost"].add(domain)
want = diff["domains"]["dmarc_enforced"]
assert sorted(said["lost"]) == want["lost"], (len(said["lost"]), len(want["lost"]))
assert sorted(said["gained"]) == want["gained"], (len(said["gained"]), len(want["gained"]))
assert want["lost"] and want["gained"]
index = open(f"{site}/index.html").read()
assert 'href="trend.html"' in index and "<svg" in open(f"{site}/trend.html").read()
print(f"site --earlier: DMARC enforced lost by {len(want['lost'])}, gained by {len(want['gained'])}, as diff says")
PY

# Bad input: clear errors, exit codes 1 (cannot read) and 2 (usage).
expect_fail() {  # CODE PATTERN COMMAND...
  local code=$1 pattern=$2
  shift 2
  set +e
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  set -e
  if [[ $got -ne $code ]] || ! grep -q -e "$pattern" "$TMP/err"; then
    echo "FAIL: $* exited $got (want $code), stderr:"; cat "$TMP/err"; exit 1
  fi
}
expect_fail 1 "no-such-dir" "$MXSCAN" stats "$TMP/no-such-dir"
expect_fail 2 "--format must be" "$MXSCAN" stats "$TMP/whole" --format xml
expect_fail 2 "unknown metric" "$MXSCAN" stats "$TMP/whole" --metrics dmarc,nope
expect_fail 2 "--by must be" "$MXSCAN" stats "$TMP/whole" --by city
expect_fail 2 "name one or more" "$MXSCAN" stats
expect_fail 2 "OLD NEW" "$MXSCAN" diff "$TMP/whole"
expect_fail 2 "not both" "$MXSCAN" site "$TMP/whole" --from "sqlite:$TMP/none.db" --output "$TMP/s2"
expect_fail 2 "with --from, the" "$MXSCAN" site --from "sqlite:$TMP/none.db" --earlier "$TMP/whole" --output "$TMP/s2"
expect_fail 1 "none.db" "$MXSCAN" site --from "sqlite:$TMP/none.db" --output "$TMP/s2"
expect_fail 2 "not both" "$MXSCAN" trend "$TMP/whole" --from "sqlite:$TMP/none.db"
expect_fail 1 "none.db" "$MXSCAN" explain d1.example --from "sqlite:$TMP/none.db"
mkdir "$TMP/corrupt"
# A whole record (length 5) that is not a DomainResult (wire type 7).
printf '\x05\xff\xff\xff\xff\xff' >"$TMP/corrupt/results-x-00000.pb"
expect_fail 1 "results-x-00000.pb" "$MXSCAN" stats "$TMP/corrupt"
expect_fail 1 "" "$MXSCAN" stats "$TMP/whole" --output /proc/no/such/file
echo "PASS"
