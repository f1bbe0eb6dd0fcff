#!/usr/bin/env bash
# Crash safety of `mxscan scan` on the simulated sector (DNS + SMTP +
# MTA-STS, NSD and the farm on loopback): the scan is killed with SIGKILL
# at random moments several times and stopped once with SIGTERM, each time
# continued with --resume and the same arguments; at the end every input
# domain has exactly one record, the records reproduce the generator's
# truth, every certificate they name is stored, and a torn last record
# (a crash in the middle of a write, simulated by cutting a file) is
# repaired and its domain scanned again. Also: the same output directory without
# --resume is refused, and --resume of a finished scan adds nothing.
#
# Environment: RESUME_DOMAINS (3000), RESUME_KILLS (4), RESUME_SEED (7).
set -euo pipefail

source "$(dirname "$0")/sector_test_lib.sh"
N=${RESUME_DOMAINS:-3000}
KILLS=${RESUME_KILLS:-4}
RANDOM=${RESUME_SEED:-7}  # the kill moments are random but repeatable

start_sector scan_resume_test "$N" 3
args=(--input "$TMP/sim/domains.csv" --output "$TMP/out" "${SCAN_FLAGS[@]}" --no-progress)

records() { "$MXSCAN" dump "$TMP/out" --format jsonl 2>/dev/null | wc -l; }

# Runs the scan (with extra flags) and stops it with SIGNAL after SECONDS.
interrupted_run() {  # SIGNAL SECONDS FLAGS...
  local signal=$1 seconds=$2
  shift 2
  "$MXSCAN" scan "${args[@]}" "$@" 2>>"$TMP/scan.log" &
  local pid=$!
  sleep "$seconds"
  kill -s "$signal" "$pid" 2>/dev/null || true
  local status=0
  wait "$pid" || status=$?
  echo "  $signal after ${seconds} s: exit $status, $(records) records so far"
  LAST_STATUS=$status
}

echo "== $N domains; $KILLS kills with SIGKILL, one SIGTERM, then --resume to the end"
resume=()
for i in $(seq 1 "$KILLS"); do
  interrupted_run KILL "$((1 + RANDOM % 3)).$((RANDOM % 10))" "${resume[@]}"
  resume=(--resume)
  if [[ $i -eq 2 ]]; then
    # A crash in the middle of a write leaves a record cut short: cut the
    # last 10 bytes of the biggest result file.
    biggest=$(ls -S "$TMP"/out/*.pb | head -n 1)
    truncate -s -10 "$biggest"
    echo "  cut 10 bytes off $(basename "$biggest")"
  fi
done
interrupted_run TERM 1.5 --resume
# A graceful stop flushes what is done: 130 when it stopped early, 0 when
# the scan had finished already.
[[ $LAST_STATUS -eq 130 || $LAST_STATUS -eq 0 ]] ||
  { echo "FAIL: SIGTERM gave exit $LAST_STATUS"; cat "$TMP/scan.log"; exit 1; }
grep -q "(1 torn file(s) repaired)" "$TMP/scan.log" ||
  { echo "FAIL: --resume did not repair the cut file"; cat "$TMP/scan.log"; exit 1; }
timeout -s KILL 300 "$MXSCAN" scan "${args[@]}" --resume 2>>"$TMP/scan.log" ||
  { echo "FAIL: the final --resume failed"; tail "$TMP/scan.log"; exit 1; }
grep "resuming\|records in" "$TMP/scan.log" | sed 's/^/  /'
python3 - "$TMP/scan.log" <<'PY'
import re, sys
repaired = sum(int(n) for n in re.findall(r"\((\d+) torn file\(s\) repaired\)", open(sys.argv[1]).read()))
print(f"  torn files repaired over the resumes: {repaired}")
PY

"$MXSCAN" dump "$TMP/out" --format jsonl >"$TMP/results.jsonl"
python3 - "$TMP/sim/truth.jsonl" "$TMP/results.jsonl" <<'PY'
import collections, json, sys
# The truth names every input domain as records carry it (normalised: the
# input mixes case and has internationalised names).
want = [json.loads(l)["domain"] for l in open(sys.argv[1])]
got = collections.Counter(json.loads(l)["domain"] for l in open(sys.argv[2]))
twice = [d for d, n in got.items() if n > 1]
missing = set(want) - set(got)
extra = set(got) - set(want)
assert not twice, f"{len(twice)} domains twice, e.g. {twice[:3]}"
assert not missing, f"{len(missing)} domains without a record, e.g. {sorted(missing)[:3]}"
assert not extra, f"records for domains not in the input: {sorted(extra)[:3]}"
print(f"every one of the {len(want)} input domains has exactly one record")
PY
"$MXSCAN" dump "$TMP/out" --certificates >"$TMP/certificates.jsonl"
python3 - "$TMP/results.jsonl" "$TMP/certificates.jsonl" <<'PY'
import json, sys
named = set()
for line in open(sys.argv[1]):
    for mx in json.loads(line).get("mx", []):
        for a in mx.get("addresses", []):
            named.update(a.get("smtp", {}).get("tls", {}).get("certChainSha256", []))
stored = {json.loads(l)["sha256"] for l in open(sys.argv[2])}
missing = named - stored
assert not missing, f"{len(missing)} certificates named by records but not stored"
print(f"all {len(named)} certificates named by the records are stored")
PY
python3 "$SIM/check_sector.py" --truth "$TMP/sim/truth.jsonl" \
  --results "$TMP/results.jsonl" --smtp yes >"$TMP/check.out" ||
  { echo "FAIL: the resumed scan differs from the truth"; head -n 30 "$TMP/check.out"; exit 1; }
head -n 1 "$TMP/check.out"

# The same directory without --resume is refused; --resume of a finished
# scan adds nothing.
set +e
"$MXSCAN" scan "${args[@]}" 2>"$TMP/refused.log"
status=$?
set -e
[[ $status -eq 2 ]] && grep -q "already holds" "$TMP/refused.log" ||
  { echo "FAIL: reusing the directory without --resume: exit $status"; cat "$TMP/refused.log"; exit 1; }
before=$(records)
"$MXSCAN" scan "${args[@]}" --resume 2>/dev/null
[[ $(records) -eq $before ]] || { echo "FAIL: --resume of a finished scan wrote records"; exit 1; }
echo "PASS"
