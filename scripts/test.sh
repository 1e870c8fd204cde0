#!/usr/bin/env bash
# Installs what is missing, builds tether, and runs every test (ctest runs the
# lit suite under testdata/). Ends with ctest's summary. The Debian package
# test installs packages and takes minutes, so it runs only with
# TETHER_TEST_PACKAGE=1 (docs/install.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh
bash scripts/build.sh
cd build
ctest --output-on-failure
