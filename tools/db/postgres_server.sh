#!/usr/bin/env bash
# Runs a throw-away PostgreSQL server (Debian's `postgresql` package) for
# the export tests and benchmarks: its own data directory, trust
# authentication, listening on 127.0.0.1 only.
#
#   postgres_server.sh start DIR [PORT]   # prints the URL once it accepts
#                                         # connections (also in DIR/url)
#   postgres_server.sh stop DIR           # stops it and deletes its data
#
# PORT defaults to a free one (tools/sim/free_port.py). The URL is
# postgresql://mxscan@127.0.0.1:PORT/mxscan.
#
# PostgreSQL refuses to run as root: as root, the server runs as the
# `postgres` user (`nobody` when there is none), and its data lives in a
# directory of its own under /tmp (DIR may sit below a folder that user
# cannot enter, as Bazel's test directories do); DIR/location names it.
# Environment: PG_BINDIR (default: the newest /usr/lib/postgresql/*/bin).
set -euo pipefail

usage() {
  echo "usage: $0 start DIR [PORT] | stop DIR" >&2
  exit 2
}

bindir() {
  if [[ -n ${PG_BINDIR:-} ]]; then
    echo "$PG_BINDIR"
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -x $dir/initdb ]] || {
    echo "postgres_server.sh: no PostgreSQL server (apt-get install postgresql)" >&2
    exit 1
  }
  echo "$dir"
}

# Runs a command as the server's user.
as_server() {
  if [[ $(id -u) -eq 0 ]]; then
    # From /: the caller's directory may be closed to that user.
    (cd / && runuser -u "$SERVER_USER" -- "$@")
  else
    "$@"
  fi
}

server_user() {
  if [[ $(id -u) -ne 0 ]]; then
    id -un
  elif id postgres >/dev/null 2>&1; then
    echo postgres
  else
    echo nobody
  fi
}

start() {
  local dir=$1 port=${2:-} bin pgdir
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  bin=$(bindir)
  SERVER_USER=$(server_user)
  if [[ -z $port ]]; then
    port=$(python3 "$(dirname "$0")/../sim/free_port.py")
  fi
  pgdir=$dir/pg
  if [[ $(id -u) -eq 0 ]]; then
    pgdir=$(mktemp -d /tmp/mxscan-pg.XXXXXX)
    chown "$SERVER_USER" "$pgdir"
  else
    mkdir -p "$pgdir"
  fi
  echo "$pgdir" >"$dir/location"
  as_server "$bin/initdb" -D "$pgdir/data" -U mxscan -A trust -E UTF8 \
    --no-locale --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  if ! as_server "$bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/postgres.log" \
      -w -t 60 -o "-c listen_addresses=127.0.0.1 -p $port -k $pgdir" \
      start >"$dir/pg_ctl.log" 2>&1; then
    cat "$dir/pg_ctl.log" "$pgdir/postgres.log" >&2 || true
    exit 1
  fi
  as_server "$bin/createdb" -h 127.0.0.1 -p "$port" -U mxscan mxscan
  echo "postgresql://mxscan@127.0.0.1:$port/mxscan" | tee "$dir/url"
}

stop() {
  local dir=$1 bin pgdir
  [[ -f $dir/location ]] || return 0
  pgdir=$(cat "$dir/location")
  bin=$(bindir)
  SERVER_USER=$(server_user)
  if [[ -f $pgdir/data/postmaster.pid ]]; then
    as_server "$bin/pg_ctl" -D "$pgdir/data" -m immediate -w stop \
      >/dev/null 2>&1 || true
  fi
  # The log may explain a failure: keep it beside DIR's other files.
  cp "$pgdir/postgres.log" "$dir/postgres.log" 2>/dev/null || true
  rm -rf "$pgdir"
  rm -f "$dir/location"
}

[[ $# -ge 2 ]] || usage
case $1 in
  start) [[ $# -le 3 ]] || usage; start "$2" "${3:-}" ;;
  stop) [[ $# -eq 2 ]] || usage; stop "$2" ;;
  *) usage ;;
esac
