#!/usr/bin/env bash
# Run by deb.test while the packages are installed: uses tether from /usr only
# (absolute paths: lit puts the build tree's bin/ first on PATH).
# $1: the test's temporary directory (examples/ configured in $1/examples).
set -uo pipefail
t=$1
examples=$(cd "$(dirname "$0")/../../../examples" && pwd)

/usr/bin/tether --version
/usr/bin/tether -p "$t/examples" --all > "$t/installed.txt" 2>&1
echo "installed tether exit $?"
diff "$t/build-tree.txt" "$t/installed.txt" && echo "installed tether: same findings as the build tree"
/usr/bin/tether --explain tether-detached-thread | head -n 1

# The plugin, loaded into Debian's clang-tidy.
clang-tidy-22 --load /usr/lib/tether/22/tether-tidy-plugin.so --checks='-*,tether-*' \
  -p "$t/examples" "$examples/src/notifier.cpp" 2>/dev/null | grep 'warning:'
if [[ -e /usr/lib/tether/19/tether-tidy-plugin.so ]]; then
  clang-tidy-19 --load /usr/lib/tether/19/tether-tidy-plugin.so --checks='-*,tether-*' \
    -p "$t/examples" "$examples/src/notifier.cpp" 2>/dev/null | grep 'warning:' | sed 's/^/clang-tidy-19: /'
fi

# tether-clangd finds clang's builtin headers from Debian's package by itself
# (no errors), and publishes tether's findings with examples/.clang-tidy as
# the only configuration (no .clangd, no user config).
/usr/bin/tether-clangd --compile-commands-dir="$t/examples" --check="$examples/src/intake.cpp" \
  --check-locations=0 2>&1 | grep -o 'All checks completed, .*'
XDG_CONFIG_HOME=$t/no-user-config python3 "$(dirname "$0")/../../clangd/lsp_client.py" \
  /usr/bin/tether-clangd "$examples/src/notifier.cpp" -- --compile-commands-dir="$t/examples" |
  grep '^diagnostic tether-'

# The man page and the docs.
gzip -dc /usr/share/man/man1/tether.1.gz | grep -c 'explain=' | sed 's/^/man page lines naming --explain: /'
ls /usr/share/doc/tether/checks/tether-detached-thread.md
