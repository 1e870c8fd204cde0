#!/usr/bin/env bash
# Builds tether's Debian packages into build/:
#   tether_<version>_amd64.deb                 tether, tether-clangd, the LLVM 22
#                                              plugin, docs, man page
#   tether-tidy-plugin-19_<version>_amd64.deb  the LLVM 19 plugin (not with
#                                              TETHER_SKIP_19=1)
# Installs what is missing and builds first (scripts/setup-deps.sh,
# scripts/build.sh), so it works on a fresh clone. Install the result with
#   sudo apt install ./build/tether_*_amd64.deb
# (apt fetches the LLVM/Clang 22 runtime packages it depends on). Prints the
# paths of the packages it wrote, one per line, on stdout.
# TETHER_DEPS=build TETHER_SKIP_19=1: install only the build dependencies of
# the main package (CI, action.yml); see scripts/setup-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh >&2
bash scripts/build.sh >&2
# Only this run's packages are left in build/.
rm -f build/*.deb
# build/CPackProjectConfig.cmake decides whether build-19/ goes in.
(cd build && cpack -G DEB >&2)
ls "$PWD"/build/*.deb
