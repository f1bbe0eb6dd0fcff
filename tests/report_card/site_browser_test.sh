#!/usr/bin/env bash
# The report-card site (mxscan site) in Debian's headless Chromium, over
# the DevTools protocol (issue 15). A simulated sector (tools/sim's
# gen_results, given organisations of 1 to 23 domains by
# organise_results.py) becomes a site; then
#   - check_site_links.py: every reference of every file resolves inside
#     the site (anchors included), none leaves it, every file is reachable
#     from index.html, and the pages list every sector, organisation and
#     domain;
#   - site_browser.py: from index.html, clicks to a sector, an
#     organisation and a domain page and back; no console message, no
#     exception, no request but file://; a screenshot per page type
#     (test outputs: index.png, sector.png, organisation.png, domain.png,
#     trend.png) checked for its tables (the trend's for its charts);
#     sorting and filtering work with the script, and without it the
#     tables hold every row.
# Outside Bazel: bash tests/report_card/site_browser_test.sh (binaries from
# bazel-bin; the work folder is kept when the test fails).
set -euo pipefail

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$ROOT/scanner/mxscan" ]] || ROOT=$(cd "$(dirname "$0")/../.." && pwd)/bazel-bin
HERE=$(cd "$(dirname "$0")" && pwd)
[[ -f "$HERE/site_browser.py" ]] || HERE="$ROOT/tests/report_card"
SCREENSHOT_CHECK="$HERE/../stats/check_screenshot.py"
[[ -f "$SCREENSHOT_CHECK" ]] || SCREENSHOT_CHECK="$ROOT/tests/stats/check_screenshot.py"
MXSCAN="$ROOT/scanner/mxscan"
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/site_browser_test.XXXXXX")
SHOTS="${TEST_UNDECLARED_OUTPUTS_DIR:-$TMP/shots}"
CHROMIUM=$(command -v chromium || true)
[[ -n "$CHROMIUM" ]] || { echo "FAIL: chromium is not installed (tools/install_deps.sh)"; exit 1; }
START=$SECONDS

# The driver closes Chromium itself, also on SIGTERM; should it die
# harder, its process group (its own session: site_browser.py writes the
# leader's pid) goes here.
finish() {
  local rc=$?
  if [[ -s "$TMP/work/chromium.pid" ]]; then
    kill -KILL -- "-$(cat "$TMP/work/chromium.pid")" 2>/dev/null || true
  fi
  if [[ $rc -eq 0 && -z "${TEST_TMPDIR:-}" ]]; then
    rm -rf "$TMP"
  elif [[ $rc -ne 0 ]]; then
    echo "work folder: $TMP"
  fi
}
trap finish EXIT

# An earlier scan of 2,000 domains and this one: 50 of them gone, the
# posture of a fifth re-drawn (the index's trend and trend.html, "since
# the previous scan" on the organisation pages).
"$ROOT/tools/sim/gen_results" --out "$TMP/sim-earlier" --records 2000 >/dev/null
"$ROOT/tools/sim/gen_results" --out "$TMP/sim" --records 1950 --changed 20 >/dev/null
python3 "$HERE/organise_results.py" "$TMP/sim-earlier" "$TMP/earlier"
python3 "$HERE/organise_results.py" "$TMP/sim" "$TMP/results"
TITLE='Simulated sector <test> & "co"'
"$MXSCAN" site "$TMP/results" --earlier "$TMP/earlier" --output "$TMP/site" \
  --title "$TITLE"

failed=0
python3 "$HERE/check_site_links.py" "$TMP/site" || failed=1

mkdir -p "$TMP/work" "$SHOTS"
# Bounded as a whole (each step of the driver is bounded by 120 s and the
# first step that times out ends the walk); under Bazel's 300 s of a
# medium test.
timeout -k 30 240 python3 "$HERE/site_browser.py" --chromium "$CHROMIUM" \
  --site "$TMP/site" --shots "$SHOTS" --work "$TMP/work" \
  --check-screenshot "$SCREENSHOT_CHECK" --title "$TITLE" \
  --step-timeout 120 || failed=1

echo "screenshots: $SHOTS ($((SECONDS - START)) s in all)"
if [[ $failed -ne 0 ]]; then
  echo "FAIL"
  exit 1
fi
echo "PASS"
