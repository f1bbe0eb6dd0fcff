#!/usr/bin/env bash
# The HTML report (mxscan stats --format html) in a real headless Chromium
# from Debian: the page loads from a file with no errors on the console
# and no request leaving it, its charts are in the DOM, and a screenshot
# shows them drawn (test output: report.png).
set -euo pipefail

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$ROOT/scanner/mxscan" ]] || ROOT=$(cd "$(dirname "$0")/../.." && pwd)/bazel-bin
HERE=$(cd "$(dirname "$0")" && pwd)
[[ -f "$HERE/check_screenshot.py" ]] || HERE="$ROOT/tests/stats"
MXSCAN="$ROOT/scanner/mxscan"
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/html_report_test.XXXXXX")
CHROMIUM=$(command -v chromium || true)
[[ -n "$CHROMIUM" ]] || { echo "FAIL: chromium is not installed (tools/install_deps.sh)"; exit 1; }

"$ROOT/tools/sim/gen_results" --out "$TMP/results" --records 5000 >/dev/null
"$MXSCAN" stats "$TMP/results" --format html --output "$TMP/report.html" \
  --title "Simulated sector <test>"

chrome() {
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$TMP/profile" --enable-logging=stderr --v=0 \
    --hide-scrollbars "$@" "file://$TMP/report.html"
}
chrome --dump-dom >"$TMP/dom.html" 2>"$TMP/dom.log"
chrome --screenshot="$TMP/report.png" --window-size=1400,2400 \
  >/dev/null 2>"$TMP/shot.log"

# Console errors, failed loads, blocked requests.
if grep -E "CONSOLE|Uncaught|net::ERR_|Refused to" "$TMP/dom.log" "$TMP/shot.log"; then
  echo "FAIL: the page reported errors"; exit 1
fi
python3 - "$TMP/dom.html" <<'PY'
import re, sys
dom = open(sys.argv[1]).read()
svgs = len(re.findall(r"<svg\b", dom))
assert svgs >= 27, f"{svgs} charts in the DOM"
assert "Simulated sector &lt;test&gt;" in dom
assert re.search(r'<tr class="overall"><td>overall</td><td>5000</td>', dom)
assert "<script" not in dom
print(f"DOM: {svgs} charts")
PY
python3 "$HERE/check_screenshot.py" "$TMP/report.png" 2000
[[ -n "${TEST_UNDECLARED_OUTPUTS_DIR:-}" ]] && cp "$TMP/report.png" "$TEST_UNDECLARED_OUTPUTS_DIR/"
echo "PASS"
