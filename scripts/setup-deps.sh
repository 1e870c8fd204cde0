#!/usr/bin/env bash
# Installs exactly what tether's build and tests need, from Debian packages.
# Idempotent: does nothing when everything is already there. Run as root.
set -euo pipefail

packages=(
  cmake ninja-build git
  # LLVM/Clang 22: the primary toolchain (driver, plugin, tether-clangd)
  llvm-22-dev libclang-22-dev clang-22 clang-tidy-22 clangd-22 llvm-22-tools
  libc++-22-dev libc++abi-22-dev
  # LLVM 19: the plugin is also built for clang-tidy-19
  llvm-19-dev libclang-19-dev clang-tidy-19 llvm-19-tools
  # tether-clangd links clangd's libraries, built with gRPC remote index
  libgrpc++-dev libprotobuf-dev libabsl-dev protobuf-compiler-grpc
  # real concurrency headers the tests run against
  libboost1.81-dev libasio-dev
  libboost-fiber1.81-dev libboost-thread1.81-dev libtbb-dev qtbase5-dev
  # C event loops whose rounds block (busy-wait's event-loop test)
  libuv1-dev libevent-dev
  # a library whose parse and get throw on outside data (nlohmann::json)
  nlohmann-json3-dev
  # test frameworks whose macros the checks must recognise as library code
  catch2 doctest-dev libgtest-dev libboost-test1.81-dev
  # the Debian packages (scripts/package.sh): man page from --help, and
  # dpkg-shlibdeps (which needs file) for their Depends
  help2man dpkg-dev file
)

# TETHER_DEPS=build: only what building tether and its Debian package needs
# (CI jobs that build the package, action.yml), not the LLVM 19 plugin's or
# the tests' packages: 140 packages on a fresh minbase bookworm (2.1 GB
# installed; docs/ci.md has the times). clangd-22 and llvm-22-tools stay:
# Debian's LLVM CMake exports name files from them.
build_packages=(
  cmake ninja-build git
  llvm-22-dev libclang-22-dev clang-22 clang-tidy-22 clangd-22 llvm-22-tools
  libgrpc++-dev libprotobuf-dev libabsl-dev protobuf-compiler-grpc
  help2man dpkg-dev file
)
if [[ ${TETHER_DEPS:-all} == build ]]; then
  packages=("${build_packages[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup-deps: missing packages: ${missing[*]}" >&2
    echo "setup-deps: run as root (sudo bash scripts/setup-deps.sh)" >&2
    exit 2
  fi
  echo "setup-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [[ ${TETHER_DEPS:-all} == build ]]; then
  echo "setup-deps: build dependencies present"
  exit 0
fi
# The SARIF validator GitHub code scanning relies on (npm), for the tests.
cd "$(dirname "$0")/../.tools"
if [[ ! -x node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool ]]; then
  if command -v npm >/dev/null; then
    echo "setup-deps: installing the SARIF validator (npm)"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  else
    echo "setup-deps: npm not found; SARIF validation tests will be skipped" >&2
  fi
fi
echo "setup-deps: all dependencies present"
