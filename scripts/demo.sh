#!/usr/bin/env bash
# Installs what is missing, builds tether, and runs it over the bundled
# example service (examples/), printing what it finds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh
TETHER_SKIP_19=1 bash scripts/build.sh
# The example exports its compile database like any CMake project.
cmake -G Ninja -S examples -B examples/build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_CXX_COMPILER=clang++-22 >/dev/null
echo
echo "== tether -p examples/build --all =="
set +e
build/bin/tether -p examples/build --all
status=$?
set -e
echo
echo "tether exited with $status (0 clean, 1 findings, 2 errors)"
[[ $status -le 1 ]]
