#!/usr/bin/env bash
# Fast training-side tests for CI: generator labels, manifest validity, feature code vs golden.
# Needs only Debian's python3-numpy, python3-scipy and python3-pytest (no torch, no audio cache).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
export OPENBLAS_NUM_THREADS=1
exec /usr/bin/python3 -m pytest -q -p no:cacheprovider tests "$@"
