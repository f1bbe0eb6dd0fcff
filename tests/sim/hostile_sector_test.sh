#!/usr/bin/env bash
# A hostile network at scale: the simulated sector with a hostile share of
# SMTP/HTTPS servers (gen_sector.py --hostile-share: silent, endless_line,
# huge_reply, garbage_tls, reset_handshake, starttls_injection, slow_banner,
# defer_421 and hostile MTA-STS policy hosts), scanned through a DNS proxy
# (tools/sim/hostile_dns_proxy.py) that drops, delays, breaks or SERVFAILs
# a share of the answers of the sim's NSD. The scan must finish (exit 0)
# within a hard timeout and a peak-RSS bound, every input domain must have
# exactly one record with its failures classified, the domains whose DNS
# path the proxy never touched must reproduce the truth exactly, and every
# other difference from the truth must be explained by a DNS failure the
# record reports (tests/sim/check_hostile_sector.py). Loopback only.
#
# Environment: HOSTILE_DOMAINS (2500), HOSTILE_SEED (13), HOSTILE_SHARE
# (0.3), HOSTILE_TIMEOUT_S (240, the scan's hard limit), HOSTILE_MAX_RSS_MIB
# (400), HOSTILE_DNS ("--drop 0.05 --delay 0.05 --malformed 0.05 --servfail
# 0.01 --tc 0.01", the proxy's probabilities per query), HOSTILE_KEEP=1
# keeps the work directory. The proxy spares a fifth of the registered
# domains (--spare-share) and the zones' own _dmarc names, which every
# domain's DMARC tree walk asks: the domains it never touches are the
# control group that must equal the truth exactly.
set -euo pipefail

source "$(dirname "$0")/sector_test_lib.sh"
HERE="$ROOT/tests/sim"
N=${HOSTILE_DOMAINS:-2500}
SEED=${HOSTILE_SEED:-13}
SHARE=${HOSTILE_SHARE:-0.3}
LIMIT=${HOSTILE_TIMEOUT_S:-240}
MAX_RSS_MIB=${HOSTILE_MAX_RSS_MIB:-400}
read -r -a DNS_HOSTILITY <<<"${HOSTILE_DNS:---drop 0.05 --delay 0.05 --malformed 0.05 --servfail 0.01 --tc 0.01}"
SPARE=(--spare-share 0.2)
for zone in sim gov.sim council.sim nhs.sim school.sim provider.sim; do
  SPARE+=(--spare "_dmarc.$zone")
done

GEN_FLAGS=(--hostile-share "$SHARE")
start_sector hostile_sector_test "$N" "$SEED"
PROXY=""
cleanup() {
  if [[ -n $PROXY ]]; then kill "$PROXY" 2>/dev/null || true; fi
  "$SIM/sector_servers.sh" stop "$TMP" >/dev/null 2>&1 || true
  [[ ${HOSTILE_KEEP:-0} == 1 ]] && echo "work directory kept: $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT

python3 "$SIM/hostile_dns_proxy.py" --upstream "127.0.0.1:$DNS_PORT" \
  --port-file "$TMP/proxy.port" --seed "$SEED" --stats "$TMP/proxy.json" \
  --log "$TMP/proxy.log" "${DNS_HOSTILITY[@]}" "${SPARE[@]}" 2>"$TMP/proxy.err" &
PROXY=$!
for _ in $(seq 1 200); do [[ -s $TMP/proxy.port ]] && break; sleep 0.05; done
[[ -s $TMP/proxy.port ]] || { echo "FAIL: the DNS proxy did not start"; cat "$TMP/proxy.err"; exit 1; }
PROXY_PORT=$(cat "$TMP/proxy.port")
# The sector's scan flags, with the proxy as the resolver.
flags=()
for f in "${SCAN_FLAGS[@]}"; do
  [[ $f == "127.0.0.1:$DNS_PORT" ]] && f="127.0.0.1:$PROXY_PORT"
  flags+=("$f")
done
echo "== $N domains (hostile share $SHARE of the self-hosted servers), DNS through the proxy: ${DNS_HOSTILITY[*]}"

start=$(date +%s.%N)
set +e
/usr/bin/time -f %M -o "$TMP/rss_kib" timeout -s KILL "$LIMIT" \
  "$MXSCAN" scan --input "$TMP/sim/domains.csv" --output "$TMP/out" \
  "${flags[@]}" --no-progress 2>"$TMP/scan.log"
status=$?
set -e
seconds=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)")
kill -TERM "$PROXY" && wait "$PROXY" || true
PROXY=""
rss_kib=$(tail -n 1 "$TMP/rss_kib")
[[ $status -eq 0 ]] || {
  echo "FAIL: the scan exited $status after $seconds s (limit $LIMIT s; 137: killed by the timeout)"
  tail -n 20 "$TMP/scan.log"; exit 1; }
tail -n 3 "$TMP/scan.log" | sed 's/^/  /'

"$MXSCAN" dump "$TMP/out" --format jsonl >"$TMP/results.jsonl"
python3 "$HERE/check_hostile_sector.py" --sim "$TMP/sim" \
  --results "$TMP/results.jsonl" --proxy-stats "$TMP/proxy.json" \
  --proxy-log "$TMP/proxy.log" --rss-kib "$rss_kib" \
  --max-rss-mib "$MAX_RSS_MIB" --seconds "$seconds"
echo "PASS"
