#!/usr/bin/env bash
# Configures and builds tether (build/, LLVM 22) and the LLVM 19 plugin
# (build-19/). Reuses both build directories between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
# Compile with the clang that built LLVM's libraries: GCC mangles some of
# clang-tidy's templates differently (OptionsView::get<bool>) and fails to link.
export CC=clang-22 CXX=clang++-22
if [[ ! -f build/build.ninja ]]; then
  cmake -G Ninja -S . -B build -DTETHER_LLVM_VERSION=22 -DCMAKE_BUILD_TYPE=Release
fi
ninja -C build -j "$jobs"
if [[ "${TETHER_SKIP_19:-0}" != 1 ]]; then
  if [[ ! -f build-19/build.ninja ]]; then
    cmake -G Ninja -S . -B build-19 -DTETHER_LLVM_VERSION=19 \
      -DTETHER_BUILD_DRIVER=OFF -DCMAKE_BUILD_TYPE=Release
  fi
  ninja -C build-19 -j "$jobs" tether-tidy-plugin
fi
