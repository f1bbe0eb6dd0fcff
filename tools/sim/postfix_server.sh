#!/usr/bin/env bash
# Runs a private instance of Debian's Postfix on loopback that offers
# STARTTLS and never delivers mail, for the tests and benchmarks.
#
#   postfix_server.sh start DIR PORT HOSTNAME KEY_PEM CHAIN_PEM ['name = value'...]
#   postfix_server.sh stop DIR
#
# Everything the instance writes lives under DIR: conf/ (main.cf,
# master.cf), queue/, data/ and the log file DIR/maillog; of /etc/postfix
# only the package's own files are read (dynamicmaps.cf, postfix-files).
# smtpd listens on 127.0.0.1:PORT only (never port 25's wildcard), as
# HOSTNAME, with STARTTLS offered (never required) using KEY_PEM and
# CHAIN_PEM (leaf first). Every further argument is a main.cf line
# appended as given (smtpd_banner, debug_peer_list, ...). master.cf runs
# only smtpd and the services it needs (no cleanup, qmgr, pickup or
# delivery agents), every RCPT is rejected and the transports are error:.
# `start` returns once the master has bound the port and prints its pid.
#
# Needs root (Postfix's master starts as root and runs its daemons as the
# package's "postfix" user), and a DIR that user can walk into: under
# /tmp, not under /root (Bazel's TEST_TMPDIR is), with DIR itself mode 755.
# Not inside Bazel's sandbox (tests using it are tagged no-sandbox).
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

usage() {
  sed -n '4,5p' "$0" >&2
  exit 2
}

# The pid in the instance's pid file, if that process is the instance's
# master (its working folder is the queue folder): a stale pid is never
# reported, nor killed.
master_pid() {
  local dir=$1 pid
  [[ -f $dir/queue/pid/master.pid ]] || return 1
  pid=$(tr -d ' ' <"$dir/queue/pid/master.pid") || return 1
  [[ -n $pid && $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$dir/queue" ]] || return 1
  echo "$pid"
}

start() {
  [[ $# -ge 5 ]] || usage
  local dir port hostname key chain conf pid
  dir=$(cd "$1" && pwd)
  port=$2 hostname=$3 key=$4 chain=$5
  shift 5
  command -v postfix >/dev/null || { echo "postfix_server.sh: postfix is not installed" >&2; return 1; }
  id postfix >/dev/null 2>&1 || { echo "postfix_server.sh: no 'postfix' user" >&2; return 1; }
  [[ $(id -u) -eq 0 ]] || { echo "postfix_server.sh: Postfix's master must start as root" >&2; return 1; }
  conf=$dir/conf
  # (postfix start makes data_directory itself, owned by the postfix user.)
  mkdir -p "$conf" "$dir/queue"
  cat >"$conf/main.cf" <<CF
# A private Postfix instance (tools/sim/postfix_server.sh): everything under $dir.
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
myhostname = $hostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
# No DNS: the client's name is not looked up (it shows as "unknown").
smtpd_peername_lookup = no
# STARTTLS offered, never required; the leaf, then its chain.
smtpd_tls_security_level = may
smtpd_tls_chain_files = $key, $chain
# Never accept or deliver mail.
mydestination =
relay_domains =
alias_maps =
alias_database =
local_recipient_maps =
smtpd_relay_restrictions = reject
smtpd_recipient_restrictions = reject
smtpd_data_restrictions = reject
default_transport = error:postfix_server.sh never delivers
local_transport = error:postfix_server.sh never delivers
relay_transport = error:postfix_server.sh never delivers
CF
  local line
  for line in "$@"; do printf '%s\n' "$line" >>"$conf/main.cf"; done
  cat >"$conf/master.cf" <<CF
# service      type       private unpriv chroot wakeup maxproc command
127.0.0.1:$port inet      n       -      n      -      -       smtpd
postlog        unix-dgram n       -      n      -      1       postlogd
anvil          unix       -       -      n      -      1       anvil
tlsmgr         unix       -       -      n      1000?  1       tlsmgr
CF
  # "postfix start" checks the instance, makes its queue folders (owned by
  # the postfix user) and returns once the master has bound the port.
  if ! postfix -c "$conf" start >&2; then
    cat "$dir/maillog" >&2 2>/dev/null || true
    echo "postfix_server.sh: Postfix did not start" >&2
    return 1
  fi
  pid=$(master_pid "$dir") || { echo "postfix_server.sh: no master running for $conf" >&2; return 1; }
  echo "$pid"
}

stop() {
  [[ $# -eq 1 ]] || usage
  local dir pid
  dir=$(cd "$1" 2>/dev/null && pwd) || return 0
  pid=$(master_pid "$dir") || return 0
  # postfix stop: SIGTERM to the master, which ends its daemons; after 5 s
  # it kills the process group.
  postfix -c "$dir/conf" stop >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "postfix_server.sh: Postfix master $pid still running, SIGKILL" >&2
  kill -9 "$pid" 2>/dev/null || true
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) usage ;;
esac
