#!/usr/bin/env bash
# Starts and stops the servers of a generated simulated sector, on
# loopback: NSD with its zones and the project's SMTP+HTTPS farm with its
# mail-server behaviours and MTA-STS policies.
#
#   tools/sim/sector_servers.sh start WORKDIR
#   tools/sim/sector_servers.sh stop WORKDIR
#
# WORKDIR/sim is the output of gen_sector.py run with
# --mta-sts-dir WORKDIR/sim/mta-sts. `start` writes WORKDIR/servers.env,
# for `source`: DNS_PORT (NSD), RESOLVER_PORT (where a scan sends its
# questions), TRUST_ANCHOR_ZONE (for mxscan scan --trust-anchor-zone),
# SMTP_PORT, HTTPS_PORT, CA_FILE (the farm's root, for mxscan --ca-file),
# PSL_FILE, FARM_PID, SIGN_SECONDS. The farm binary is $SMTP_FARM, else the
# Bazel-built one. NSD_WAIT_SECONDS as nsd_server.sh.
#
# A sector generated with --dnssec-share (WORKDIR/sim/dnssec.json) is
# signed first (sign_sector.py into WORKDIR/signed), NSD serves the signed
# zones, and an Unbound (tools/resolver/resolver.sh, into WORKDIR/unbound)
# validates against the sim's own root and forwards to NSD: RESOLVER_PORT
# is Unbound's. Otherwise RESOLVER_PORT is NSD's. The farm uses the fixed
# keys of tools/sim/farm_keys, which the generator's TLSA records match.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
action=${1:-}
work=${2:-}
if [[ -z $action || -z $work ]]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi

case $action in
  start)
    [[ -f $work/sim/zones.txt ]] || { echo "sector_servers: no $work/sim (run gen_sector.py)" >&2; exit 1; }
    farm=${SMTP_FARM:-}
    for candidate in "${RUNFILES_DIR:-/nonexistent}/mxscan/tools/farm/smtp_farm" \
                     "$here/../farm/smtp_farm" "$here/../../bazel-bin/tools/farm/smtp_farm"; do
      [[ -z $farm && -x $candidate ]] && farm=$candidate
    done
    [[ -n $farm ]] || { echo "sector_servers: smtp_farm not found (bazel build //tools/farm:smtp_farm)" >&2; exit 1; }
    mkdir -p "$work/nsd" "$work/farm"
    zones=$work/sim/zones.txt
    sign_seconds=0
    if [[ -f $work/sim/dnssec.json ]]; then
      # "N of M zones signed in S s": the signer times itself.
      signed=$(python3 "$here/sign_sector.py" --sim "$work/sim" --out "$work/signed")
      echo "$signed" >&2
      sign_seconds=$(sed -n 's/.* signed in \([0-9.]*\) s$/\1/p' <<<"$signed")
      zones=$work/signed/zones.txt
    fi
    dns_port=$(python3 "$here/free_port.py")
    "$here/nsd_server.sh" start "$work/nsd" "$dns_port" --zones "$zones" >/dev/null
    resolver_port=$dns_port
    anchor_zone=.
    if [[ -f $work/sim/dnssec.json ]]; then
      resolver_port=$(python3 "$here/free_port.py")
      # The sim's authority is loopback: no rate limit is needed there.
      if ! FORWARD="127.0.0.1@$dns_port" TRUST_ANCHOR="$work/signed/trust-anchor" \
          RATELIMIT=0 "$here/../resolver/resolver.sh" start "$work/unbound" "$resolver_port"; then
        "$here/nsd_server.sh" stop "$work/nsd" >/dev/null 2>&1 || true
        exit 1
      fi
      anchor_zone=sim
    fi
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    rm -f "$work/farm/ready"
    "$farm" --behaviours "$work/sim/addresses.json" --mta-sts "$work/sim/mta-sts" \
      --smtp-port 0 --https-port 0 --ca-out "$work/farm/ca.pem" \
      --key-dir "$here/farm_keys" \
      --ready-file "$work/farm/ready" >"$work/farm/farm.log" 2>&1 &
    farm_pid=$!
    for _ in $(seq 1 600); do
      [[ -s $work/farm/ready ]] && break
      if ! kill -0 "$farm_pid" 2>/dev/null; then
        echo "sector_servers: smtp_farm exited" >&2
        cat "$work/farm/farm.log" >&2
        "$0" stop "$work" >/dev/null 2>&1 || true
        exit 1
      fi
      sleep 0.1
    done
    if [[ ! -s $work/farm/ready ]]; then
      echo "sector_servers: smtp_farm not ready after 60 s" >&2
      kill "$farm_pid" 2>/dev/null || true
      "$0" stop "$work" >/dev/null 2>&1 || true
      exit 1
    fi
    cat >"$work/servers.env" <<ENV
DNS_PORT=$dns_port
RESOLVER_PORT=$resolver_port
TRUST_ANCHOR_ZONE=$anchor_zone
SIGN_SECONDS=$sign_seconds
SMTP_PORT=$(awk '$1 == "smtp_port" {print $2}' "$work/farm/ready")
HTTPS_PORT=$(awk '$1 == "https_port" {print $2}' "$work/farm/ready")
CA_FILE=$work/farm/ca.pem
PSL_FILE=$work/sim/psl.dat
FARM_PID=$farm_pid
ENV
    ;;
  stop)
    if [[ -f $work/servers.env ]]; then
      pid=$(sed -n 's/^FARM_PID=//p' "$work/servers.env")
      if [[ -n $pid ]] && kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
      fi
      rm -f "$work/servers.env"
    fi
    "$here/nsd_server.sh" stop "$work/nsd" >/dev/null 2>&1 || true
    "$here/../resolver/resolver.sh" stop "$work/unbound" >/dev/null 2>&1 || true
    ;;
  *)
    echo "sector_servers: start or stop" >&2
    exit 2
    ;;
esac
