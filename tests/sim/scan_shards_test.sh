#!/usr/bin/env bash
# Shards of a scan add up to one scan of the whole: the simulated sector
# (DNS + SMTP + MTA-STS, NSD and the farm on loopback) is scanned once
# whole and once in 3 shards through tools/cluster/run_shard.sh (the
# cluster entry point: two shards get their index as Kubernetes gives it,
# JOB_COMPLETION_INDEX, one as Slurm does, SLURM_ARRAY_TASK_ID). The union
# of the shards has every domain exactly once, the same domains as the
# whole scan, the truth, and `mxscan stats` over the shards equals
# `mxscan stats` of the whole in every figure.
set -euo pipefail

source "$(dirname "$0")/sector_test_lib.sh"
N=${SHARDS_DOMAINS:-2000}

start_sector scan_shards_test "$N" 11
flags=("${SCAN_FLAGS[@]}")

"$MXSCAN" scan --input "$TMP/sim/domains.csv" --output "$TMP/whole" \
  "${flags[@]}" --no-progress 2>"$TMP/whole.log"
SHARDS=3 JOB_COMPLETION_INDEX=0 "$ROOT/tools/cluster/run_shard.sh" \
  "$TMP/sim/domains.csv" "$TMP/shards" "${flags[@]}" 2>"$TMP/shard0.log"
SHARDS=3 JOB_COMPLETION_INDEX=1 "$ROOT/tools/cluster/run_shard.sh" \
  "$TMP/sim/domains.csv" "$TMP/shards" "${flags[@]}" 2>"$TMP/shard1.log"
SHARDS=3 SLURM_ARRAY_TASK_ID=2 "$ROOT/tools/cluster/run_shard.sh" \
  "$TMP/sim/domains.csv" "$TMP/shards" "${flags[@]}" 2>"$TMP/shard2.log"
ls -d "$TMP"/shards/shard-*-of-3 | sed 's/^/  /'

for part in whole shards/shard-0-of-3 shards/shard-1-of-3 shards/shard-2-of-3; do
  "$MXSCAN" dump "$TMP/$part" --format jsonl >"$TMP/$(basename "$part").jsonl"
done
cat "$TMP"/shard-*-of-3.jsonl >"$TMP/union.jsonl"
python3 - "$TMP/whole.jsonl" "$TMP"/shard-{0,1,2}-of-3.jsonl <<'PY'
import collections, json, sys
def domains(path):
    return [json.loads(l)["domain"] for l in open(path)]
whole = domains(sys.argv[1])
shards = [domains(p) for p in sys.argv[2:]]
union = collections.Counter(d for s in shards for d in s)
assert max(union.values()) == 1, "a domain in two shards"
assert set(union) == set(whole) and len(whole) == len(set(whole)), \
    (len(union), len(whole), sorted(set(union) ^ set(whole))[:5])
sizes = [len(s) for s in shards]
assert min(sizes) > 0.25 * len(whole), sizes  # the hash spreads them
print(f"{len(whole)} domains: shards of {sizes}, each domain exactly once")
PY
python3 "$SIM/check_sector.py" --truth "$TMP/sim/truth.jsonl" \
  --results "$TMP/union.jsonl" --smtp yes >"$TMP/check.out" ||
  { echo "FAIL: the shards differ from the truth"; head -n 30 "$TMP/check.out"; exit 1; }
head -n 1 "$TMP/check.out"

# The figures are equal; the provenance differs (one run against three).
without_provenance() {  # FORMAT FILE
  if [[ $1 == json ]]; then
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); r.pop("provenance"); print(json.dumps(r, sort_keys=True))' "$2"
  else
    sed '/^## Provenance/,$d' "$2"
  fi
}
for format in json md; do
  "$MXSCAN" stats "$TMP/whole" --psl-file "$PSL_FILE" --format $format >"$TMP/whole.$format"
  "$MXSCAN" stats "$TMP"/shards/shard-*-of-3 --psl-file "$PSL_FILE" --format $format >"$TMP/shards.$format"
  cmp <(without_provenance $format "$TMP/whole.$format") <(without_provenance $format "$TMP/shards.$format") ||
    { echo "FAIL: stats of the shards differ from the whole ($format)"; diff "$TMP/whole.$format" "$TMP/shards.$format" | head; exit 1; }
done
[[ $(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["provenance"]))' "$TMP/shards.json") == 3 ]] ||
  { echo "FAIL: the shards' stats do not show their three runs"; exit 1; }
for i in 0 1 2; do
  [[ -s "$TMP/shards/shard-$i-of-3/manifest-shard-$i-of-3.json" ]] ||
    { echo "FAIL: shard $i wrote no manifest"; ls "$TMP/shards/shard-$i-of-3"; exit 1; }
done
echo "stats over the 3 shards = stats of the whole scan (json, md); each shard has its manifest"

# The entry point refuses a missing or impossible index.
set +e
SHARDS=3 "$ROOT/tools/cluster/run_shard.sh" "$TMP/sim/domains.csv" "$TMP/x" 2>/dev/null
a=$?
SHARDS=3 JOB_COMPLETION_INDEX=3 "$ROOT/tools/cluster/run_shard.sh" "$TMP/sim/domains.csv" "$TMP/x" 2>/dev/null
b=$?
set -e
[[ $a -eq 2 && $b -eq 2 ]] || { echo "FAIL: run_shard.sh accepted a bad index ($a, $b)"; exit 1; }
echo "PASS"
