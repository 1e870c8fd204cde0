#!/usr/bin/env bash
# Prints `key=<cache key>` for the tether package a CI job builds once and
# caches (action.yml): it changes when anything that goes into the package
# changes, and only then:
#   - tether's version (project() in CMakeLists.txt),
#   - the Debian release and the LLVM/Clang 22 version apt would install
#     (the package links clang-tidy's static libraries of that version),
#   - a hash of the sources the package is built from.
# Needs `apt-get update` to have run (for the LLVM version).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^project(tether VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
llvm=$(apt-cache policy libclang-22-dev | sed -n 's/^ *Candidate: //p')
if [[ -z $llvm || $llvm == "(none)" ]]; then
  echo "ci-package-key: apt knows no libclang-22-dev (run apt-get update first)" >&2
  exit 2
fi
. /etc/os-release
sources=$(find CMakeLists.txt cmake checks driver docs README.md \
               scripts/build.sh scripts/package.sh scripts/setup-deps.sh -type f -print0 |
          LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
echo "key=tether-deb-${version}-${ID}${VERSION_ID:-}-llvm${llvm//[^0-9A-Za-z.+~-]/_}-${sources}"
