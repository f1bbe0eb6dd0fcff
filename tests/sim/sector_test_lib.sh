# Sourced by the end-to-end tests that scan a simulated sector: finds the
# binaries and scripts (in Bazel's runfiles, else in the checkout), makes
# the test's working directory, and starts a generated sector's servers.
#
#   source "$(dirname "$0")/sector_test_lib.sh"
#   start_sector NAME DOMAINS SEED   # sets TMP, DNS_PORT, RESOLVER_PORT,
#                                    # SMTP_PORT, HTTPS_PORT, CA_FILE,
#                                    # PSL_FILE; SCAN_FLAGS for the scan
#   start_named_sector NAME NAMES_CSV SAMPLE SEED   # the same on real
#                                    # names: a sample of a list (--names)
#   scan_validated_sector            # scans into $TMP/out, checks the truth
# GEN_FLAGS (an array, optional) adds flags to gen_sector.py (with
# --dnssec-share the scan goes through a validating Unbound:
# sector_servers.sh).
# The servers are stopped when the test exits.

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
CHECKOUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[[ -f "$ROOT/tools/sim/gen_sector.py" ]] || ROOT=$CHECKOUT
SIM="$ROOT/tools/sim"
# The link checker of a site written by `mxscan site`.
CHECK_SITE_LINKS="$ROOT/tests/report_card/check_site_links.py"
[[ -f $CHECK_SITE_LINKS ]] || CHECK_SITE_LINKS=$CHECKOUT/tests/report_card/check_site_links.py
export MXSCAN=${MXSCAN:-$ROOT/scanner/mxscan}
[[ -x "$MXSCAN" ]] || MXSCAN=$CHECKOUT/bazel-bin/scanner/mxscan

start_sector() {  # NAME DOMAINS SEED
  start_generated_sector "$1" "$3" --domains "$2"
}

start_named_sector() {  # NAME NAMES_CSV SAMPLE SEED
  start_generated_sector "$1" "$4" --names "$2" --names-sample "$3"
}

start_generated_sector() {  # NAME SEED GEN_SECTOR_FLAGS...
  local name=$1 seed=$2
  shift 2
  TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/$name.XXXXXX")
  trap '"$SIM/sector_servers.sh" stop "$TMP" >/dev/null 2>&1 || true' EXIT
  trap 'exit 143' TERM INT
  python3 "$SIM/gen_sector.py" "$@" --seed "$seed" --out "$TMP/sim" \
    --mta-sts-dir "$TMP/sim/mta-sts" ${GEN_FLAGS[@]+"${GEN_FLAGS[@]}"} >/dev/null
  "$SIM/sector_servers.sh" start "$TMP"
  source "$TMP/servers.env"
  SCAN_FLAGS=(--resolver "127.0.0.1:$RESOLVER_PORT"
              --trust-anchor-zone "$TRUST_ANCHOR_ZONE" --smtp-port "$SMTP_PORT"
              --https-port "$HTTPS_PORT" --ca-file "$CA_FILE" --psl-file "$PSL_FILE"
              --smtp-timeout-ms 2000 --concurrency 100)
}

# scan_validated_sector: scans the started sector through its validating
# resolver into $TMP/out (refusing a resolver the scan finds not
# validating), dumps $TMP/results.jsonl and checks every record against
# the truth.
scan_validated_sector() {
  "$MXSCAN" scan --input "$TMP/sim/domains.csv" --output "$TMP/out" \
    "${SCAN_FLAGS[@]}" --no-progress 2>"$TMP/scan.err" ||
    { cat "$TMP/scan.err"; echo "FAIL: the scan failed"; exit 1; }
  if grep -q "is not validating" "$TMP/scan.err"; then
    cat "$TMP/scan.err"; echo "FAIL: the validating Unbound was not recognised"; exit 1
  fi
  "$MXSCAN" dump "$TMP/out" --format jsonl >"$TMP/results.jsonl"
  echo "== the whole truth"
  python3 "$SIM/check_sector.py" --truth "$TMP/sim/truth.jsonl" \
    --results "$TMP/results.jsonl" --smtp yes
}
