#!/usr/bin/env bash
# Bazel's workspace status (--workspace_status_command in .bazelrc): the
# commit the binary is built from, for the scan manifest's provenance.
# STABLE_ keys rebuild what is stamped with them when they change.
cd "$(dirname "$0")/../.." || exit 0
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
version=$(git describe --tags --always --dirty 2>/dev/null || echo unknown)
echo "STABLE_MXSCAN_COMMIT $commit"
echo "STABLE_MXSCAN_VERSION $version"
