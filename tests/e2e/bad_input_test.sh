#!/usr/bin/env bash
# Bad input files, output directories and flags for `mxscan scan`: each
# gets a clear error and the right exit code (2: the command line or the
# input is wrong; 1: the scan could not run or write), never a crash or a
# hang; where the scan can go on (a 1 MB line) it does; where the disk
# fills up it stops early and what was written before stays readable.
# The scans ask a loopback port where nothing answers: no traffic leaves
# the machine.
set -euo pipefail

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$ROOT/scanner/mxscan" ]] || ROOT=$(cd "$(dirname "$0")/../.." && pwd)/bazel-bin
MXSCAN="$ROOT/scanner/mxscan"
TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/bad_input_test.XXXXXX")
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
QUICK=(--no-smtp --resolver "127.0.0.1:$PORT" --timeout-ms 100 --retries 0 --no-progress)

for i in $(seq 1 200); do echo "domain$i.example,test"; done >"$TMP/good.csv"

expect() {  # CODE PATTERN COMMAND...
  local code=$1 pattern=$2
  shift 2
  set +e
  timeout -s KILL 120 "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  set -e
  if [[ $got -ne $code ]] || ! grep -q -e "$pattern" "$TMP/err"; then
    echo "FAIL: $* -> exit $got (want $code and \"$pattern\"); stderr:"
    head -c 2000 "$TMP/err"
    exit 1
  fi
  echo "ok: exit $got: $(grep -m1 -e "$pattern" "$TMP/err" | cut -c1-150)"
}

# Input files.
expect 2 "cannot read input" "$MXSCAN" scan --input "$TMP/missing.csv" --output "$TMP/o1" "${QUICK[@]}"
expect 2 "is a directory" "$MXSCAN" scan --input "$TMP" --output "$TMP/o2" "${QUICK[@]}"
{ head -c 3000 /dev/urandom; printf '\0'; head -c 3000 /dev/urandom; } >"$TMP/binary.bin"
expect 2 "is not text" "$MXSCAN" scan --input "$TMP/binary.bin" --output "$TMP/o3" "${QUICK[@]}"
[[ ! -e "$TMP/o3" || -z "$(ls -A "$TMP/o3")" ]] || { echo "FAIL: a refused input left results"; exit 1; }

# A line of 1 MB among good ones: that line gets an ERROR record, the
# others are scanned.
{ head -n 100 "$TMP/good.csv"; head -c 1048576 /dev/zero | tr '\0' 'a'; echo; tail -n 100 "$TMP/good.csv"; } >"$TMP/long.csv"
"$MXSCAN" scan --input "$TMP/long.csv" --output "$TMP/o4" "${QUICK[@]}" 2>"$TMP/err"
"$MXSCAN" dump "$TMP/o4" --format jsonl >"$TMP/long.jsonl"
python3 - "$TMP/long.jsonl" <<'PY'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1])]
assert len(records) == 201, len(records)
errors = [r for r in records if r["status"] == "ERROR"]
assert len(errors) == 1, [r["domain"][:40] for r in errors]
assert any("too long" in e["message"] for e in errors[0]["errors"]), errors[0]["errors"]
assert len(errors[0]["domain"]) <= 255
print("ok: the 1 MB line has an ERROR record (input line too long), the 200 others were scanned")
PY

# Output directories.
touch "$TMP/a-file"
expect 1 "not a directory\|cannot create" "$MXSCAN" scan --input "$TMP/good.csv" --output "$TMP/a-file" "${QUICK[@]}"
expect 1 "cannot create\|not a directory" "$MXSCAN" scan --input "$TMP/good.csv" --output "$TMP/a-file/sub" "${QUICK[@]}"
mkdir -p "$TMP/readonly"
chmod 555 "$TMP/readonly"
if [[ $(id -u) -eq 0 ]]; then
  # root writes anywhere: run the scan as nobody, from a directory nobody
  # can reach (the test's own tree may be private to root).
  NOBODY=$(mktemp -d /tmp/bad_input_nobody.XXXXXX)
  trap 'rm -rf "$NOBODY"' EXIT
  cp "$MXSCAN" "$TMP/good.csv" "$NOBODY/"
  mkdir "$NOBODY/readonly"
  chmod 755 "$NOBODY" "$NOBODY/mxscan" "$NOBODY/readonly"
  chmod 644 "$NOBODY/good.csv"
  if setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    expect 1 "not writable" setpriv --reuid=65534 --regid=65534 --clear-groups \
      "$NOBODY/mxscan" scan --input "$NOBODY/good.csv" --output "$NOBODY/readonly" "${QUICK[@]}"
  else
    echo "skip: cannot drop privileges here to test a read-only directory"
  fi
else
  expect 1 "not writable" "$MXSCAN" scan --input "$TMP/good.csv" --output "$TMP/readonly" "${QUICK[@]}"
fi

# The disk fills up (a file-size limit of 48 KiB): the scan stops early
# with the error, and every record written before is readable.
for i in $(seq 1 3000); do echo "filler$i.example,test"; done >"$TMP/many.csv"
set +e
(ulimit -f 48; timeout -s KILL 120 "$MXSCAN" scan --input "$TMP/many.csv" --output "$TMP/o5" \
  "${QUICK[@]}" --workers 1 --concurrency 200 2>"$TMP/full.err")
status=$?
set -e
grep -q "File too large" "$TMP/full.err" && [[ $status -eq 1 ]] ||
  { echo "FAIL: a full disk gave exit $status"; cat "$TMP/full.err"; exit 1; }
echo "ok: exit $status: $(grep -m1 "File too large" "$TMP/full.err" | cut -c1-150)"
"$MXSCAN" dump "$TMP/o5" --format jsonl >"$TMP/full.jsonl" 2>"$TMP/dump.err"
kept=$(wc -l <"$TMP/full.jsonl")
python3 -c "
import json, sys
rows = [json.loads(l) for l in open('$TMP/full.jsonl')]
assert 0 < len(rows) < 3000, len(rows)
assert all(r['domain'].startswith('filler') for r in rows)
"
echo "ok: $kept whole records readable after the disk filled up; the scan stopped early"

# Flags.
expect 2 "concurrency" "$MXSCAN" scan --input "$TMP/good.csv" --output "$TMP/o6" "${QUICK[@]}" --concurrency -1
expect 2 "shard" "$MXSCAN" scan --input "$TMP/good.csv" --output "$TMP/o6" "${QUICK[@]}" --shard 3/2
expect 2 "resolver\|HOST:PORT\|address" "$MXSCAN" scan --input "$TMP/good.csv" --output "$TMP/o6" --resolver not-an-address --no-smtp
expect 2 "dmarc-profile" "$MXSCAN" scan --input "$TMP/good.csv" --output "$TMP/o6" "${QUICK[@]}" --dmarc-profile rfc1
expect 2 "smtp-port" "$MXSCAN" scan --input "$TMP/good.csv" --output "$TMP/o6" --smtp-port 70000
expect 2 "cannot\|No such" "$MXSCAN" scan --input "$TMP/good.csv" --output "$TMP/o6" --ca-file "$TMP/missing.pem"
expect 2 "cannot\|No such\|read" "$MXSCAN" scan --input "$TMP/good.csv" --output "$TMP/o6" "${QUICK[@]}" --psl-file "$TMP/missing.dat"
expect 2 "unknown flag --no-such-flag" "$MXSCAN" scan --no-such-flag
expect 2 "unknown command" "$MXSCAN" frobnicate

# Each command takes only its own flags, and says which one is foreign.
expect 2 "--no-smtp is not a flag of dump (it is one of: scan" "$MXSCAN" dump "$TMP" --no-smtp
expect 2 "--shard is not a flag of dump" "$MXSCAN" dump "$TMP" --shard 3/4
expect 2 "--type is not a flag of scan (it is one of: dns" "$MXSCAN" scan --input "$TMP/good.csv" --output "$TMP/o7" --type MX
expect 2 "--to is not a flag of stats (it is one of: export" "$MXSCAN" stats "$TMP" --to sqlite:"$TMP/x.db"
expect 2 "--title is not a flag of bench" "$MXSCAN" bench --target 127.0.0.1:1 --title x
expect 2 "--noresume is not a flag of dns (it is one of: scan" "$MXSCAN" dns --type A --noresume
[[ ! -e "$TMP/o7" ]] || { echo "FAIL: a refused command line left output"; exit 1; }

# `mxscan COMMAND --help`: that command's flags, each with its meaning and
# default, on stdout, exit 0.
for cmd in scan dns dump stats diff trend explain export bench; do
  "$MXSCAN" "$cmd" --help >"$TMP/help" 2>"$TMP/err" || { echo "FAIL: $cmd --help exit $?"; exit 1; }
  grep -q "^usage: mxscan $cmd" "$TMP/help" || { echo "FAIL: $cmd --help:"; cat "$TMP/help"; exit 1; }
done
# One line, single spaces: the help is wrapped at 78 columns.
"$MXSCAN" scan --help | tr -s ' \n' '  ' >"$TMP/help"
for want in "--smtp-port N" "--ca-file VALUE" "--blocklist VALUE" "--resume" \
    "(default: 25)" "(default: 30000)" "--no-smtp"; do
  grep -qF -- "$want" "$TMP/help" || { echo "FAIL: scan --help lacks \"$want\""; cat "$TMP/help"; exit 1; }
done
if grep -q -- "--type\|--target\|--list-limit" "$TMP/help"; then
  echo "FAIL: scan --help lists another command's flags"; exit 1
fi
"$MXSCAN" stats --help | tr -s ' \n' '  ' | grep -qF "md, csv, json or html (one self-contained page) (default: md)" ||
  { echo "FAIL: stats --help does not give --format's own default"; exit 1; }
echo "ok: each command's --help lists its own flags with their defaults"
echo "PASS"
