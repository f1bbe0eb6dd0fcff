#!/usr/bin/env bash
# The bundled US .gov list as a simulated sector (issue 15): a sample of
# tools/sectors/us-dotgov.csv, whole organisations, the real domain,
# sector and organisation names with postures drawn by the seed
# (gen_sector.py --names), DNSSEC-signed from the sim's own root (which
# then delegates gov besides sim), served by NSD behind a validating
# Unbound, mail servers and policies by the farm. Then:
#   - the generator refuses a list with a bad line, naming the line;
#   - names spelt in capitals or with a trailing dot (a tenth of the list,
#     rewritten so) are the same names to the generator and the scan;
#   - the scan equals the whole truth (organisations included);
#   - `mxscan site` builds a site where every organisation of the sample
#     has its page listing all of its domains, every failing control (on
#     organisation and domain pages) has its fix, every domain page links
#     to its organisation, and every link of the site resolves
#     (check_site_orgs.py); the checker itself notices a missing page and
#     a missing fix.
# Environment: USGOV_SAMPLE (1000 domains), SECTOR_SEED (15). The working
# directory (printed) is left in TEST_TMPDIR or /tmp, as the other sector
# tests leave theirs.
set -euo pipefail
source "$(dirname "$0")/sector_test_lib.sh"
N=${USGOV_SAMPLE:-1000}
NAMES="$ROOT/tools/sectors/us-dotgov.csv"
CHECK_SITE="$ROOT/tests/sim/check_site_orgs.py"
[[ -f $CHECK_SITE ]] || CHECK_SITE=$CHECKOUT/tests/sim/check_site_orgs.py

LISTS=$(mktemp -d "${TEST_TMPDIR:-/tmp}/sector_usgov_lists.XXXXXX")
echo "== a bad line of a list is refused, with its number"
printf 'domain,sector,organization\nok.gov,City,A\nHas_Underscore.gov,City,B\n' >"$LISTS/bad.csv"
if python3 "$SIM/gen_sector.py" --names "$LISTS/bad.csv" --seed 1 \
    --out "$LISTS/out" 2>"$LISTS/err"; then
  echo "FAIL: a name with an underscore was accepted"; exit 1
fi
grep -q "bad.csv line 3: .*has_underscore" "$LISTS/err" ||
  { cat "$LISTS/err"; echo "FAIL: the error does not name line 3"; exit 1; }
cat "$LISTS/err"

# The list as people may write it: some names in capitals, some with the
# root's trailing dot (the truth and the site use the normalised name).
python3 - "$NAMES" "$LISTS/names.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
for i, row in enumerate(rows[1:]):
    if i % 20 == 0:
        row[0] = row[0].upper()
    elif i % 20 == 1:
        row[0] += "."
csv.writer(open(sys.argv[2], "w", newline=""), lineterminator="\n").writerows(rows)
PY

GEN_FLAGS=(--dnssec-share 0.8)
start_named_sector sector_usgov_test "$LISTS/names.csv" "$N" "${SECTOR_SEED:-15}"
echo "== working directory: $TMP"
echo "== $N US .gov domains signed in $SIGN_SECONDS s (trust anchor: the sim's root '$TRUST_ANCHOR_ZONE')"
grep -qx gov "$PSL_FILE" || { echo "FAIL: gov is not a public suffix of $PSL_FILE"; exit 1; }
grep -q '^[^,]*[A-Z][^,]*,' "$TMP/sim/domains.csv" && grep -q '^[^,]*\.,' "$TMP/sim/domains.csv" ||
  { echo "FAIL: the sample has no name in capitals or with a trailing dot"; exit 1; }

scan_validated_sector

echo "== mxscan site: every organisation's page, complete, with its fixes"
"$MXSCAN" site "$TMP/out" --output "$TMP/site" --psl-file "$PSL_FILE" 2>"$TMP/site.err" ||
  { cat "$TMP/site.err"; echo "FAIL: mxscan site"; exit 1; }
cat "$TMP/site.err"
python3 "$CHECK_SITE" "$TMP/site" "$TMP/sim/domains.csv"
python3 "$CHECK_SITE_LINKS" "$TMP/site"

echo "== the site check notices a missing organisation page and a missing fix"
cp -r "$TMP/site" "$TMP/broken"
python3 - "$TMP/broken" <<'PY'
import os, sys
orgs = os.path.join(sys.argv[1], "orgs")
pages = sorted(os.listdir(orgs))
os.remove(os.path.join(orgs, pages[0]))
for page in pages[1:]:
    path = os.path.join(orgs, page)
    text = open(path, encoding="utf-8").read()
    head, fixes = text.split("<h2>What to fix</h2>", 1)
    start = fixes.find("<li>")
    if start >= 0:
        end = fixes.index("</li>", start) + len("</li>")
        open(path, "w", encoding="utf-8").write(
            head + "<h2>What to fix</h2>" + fixes[:start] + fixes[end:])
        break
PY
if python3 "$CHECK_SITE" "$TMP/broken" "$TMP/sim/domains.csv" >"$TMP/broken.out"; then
  echo "FAIL: the site check passed a broken site"; exit 1
fi
grep -q "no page under orgs/" "$TMP/broken.out" && grep -q "fixes" "$TMP/broken.out" ||
  { cat "$TMP/broken.out"; echo "FAIL: the site check missed a page or a fix"; exit 1; }
echo PASS
