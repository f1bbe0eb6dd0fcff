#!/bin/bash
# Starts the SMTP+HTTPS farm in the background, waits until it listens and
# prints its pid (stop it with `kill PID`).
#
#   tools/farm/run_farm.sh BEHAVIOURS.json STATE_DIR [SMTP_PORT [HTTPS_PORT]]
#                          [-- extra smtp_farm flags]
#
# STATE_DIR receives ca.pem (the farm's root CA, for mxscan --ca-file),
# ready (the ports: "smtp_port N", "https_port N", ...) and farm.log.
# Policy bodies are read from STATE_DIR/mta-sts/<domain> when that
# directory exists. Ports default to 0 (free ports; read them from ready).
# The binary is $SMTP_FARM, else the Bazel-built one next to this script
# or under bazel-bin/.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi
positional=()
while [[ $# -gt 0 && $1 != "--" ]]; do
  positional+=("$1")
  shift
done
[[ ${1:-} == "--" ]] && shift
behaviours=${positional[0]}
state=${positional[1]}
smtp_port=${positional[2]:-0}
https_port=${positional[3]:-0}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
farm=${SMTP_FARM:-}
for candidate in "$here/smtp_farm" "${RUNFILES_DIR:-/nonexistent}/mxscan/tools/farm/smtp_farm" \
                 "$here/../../bazel-bin/tools/farm/smtp_farm"; do
  [[ -z $farm && -x $candidate ]] && farm=$candidate
done
if [[ -z $farm ]]; then
  echo "run_farm.sh: smtp_farm not found (bazel build //tools/farm:smtp_farm)" >&2
  exit 1
fi

mkdir -p "$state"
rm -f "$state/ready"
args=(--behaviours "$behaviours" --smtp-port "$smtp_port"
      --https-port "$https_port" --ca-out "$state/ca.pem"
      --ready-file "$state/ready")
[[ -d $state/mta-sts ]] && args+=(--mta-sts "$state/mta-sts")
"$farm" "${args[@]}" "$@" >"$state/farm.log" 2>&1 &
pid=$!

for _ in $(seq 1 600); do   # up to 60 s (10,000 addresses take a few)
  if [[ -s $state/ready ]]; then
    echo "$pid"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "run_farm.sh: smtp_farm exited:" >&2
    cat "$state/farm.log" >&2
    exit 1
  fi
  sleep 0.1
done
echo "run_farm.sh: smtp_farm not ready after 60 s" >&2
kill "$pid" 2>/dev/null || true
exit 1
