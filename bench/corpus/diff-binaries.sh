#!/bin/bash
# What a rule changed on the corpus: runs two tether binaries on every
# prepared corpus TU whose file matches a pattern and prints the warnings
# that differ (grouped per TU). Progress goes to standard error.
#
#   bench/corpus/diff-binaries.sh OLD NEW PATTERN CHECKS
#   bench/corpus/diff-binaries.sh /tmp/tether-before build/bin/tether 'detach\(' '-*,tether-detached-thread'
#
# PATTERN is an extended regular expression matched against the TU's own
# text (not the headers it includes): pick what the changed rule needs to
# see. Or @FILE: the TUs listed in FILE, one `project path/of/tu.cpp` per
# line (the TUs where some earlier run reported the check). The exports are
# in $TETHER_CORPUS (default /work/corpus), made by `run.py prepare`.
set -euo pipefail
if [ $# -ne 4 ]; then
  echo "usage: $0 OLD NEW PATTERN CHECKS" >&2
  exit 2
fi
OLD=$(realpath "$1"); NEW=$(realpath "$2"); PATTERN=$3; CHECKS=$4
CONFIG=$(realpath "$(dirname "$0")/clang-tidy.yaml")
if [[ $PATTERN == @* ]]; then
  LIST=$(realpath "${PATTERN#@}")
fi
cd "${TETHER_CORPUS:-/work/corpus}"
# Every TU to compare, as `project relative/path` lines.
tus() {
  if [ -n "${LIST:-}" ]; then
    cat "$LIST"
    return
  fi
  for P in */; do
    P=${P%/}
    [ -f "$P/compile_commands.json" ] || continue
    python3 -c "import json,sys; [print(e['file']) for e in json.load(open(sys.argv[1]))]" \
        "$P/compile_commands.json" | while read -r f; do
      grep -qE "$PATTERN" "$f" 2>/dev/null || continue
      echo "$P $(realpath --relative-to="$PWD/$P" "$f")"
    done
  done
}
tus | while read -r P rel; do
  run() { (cd "$P" && timeout 300 "$1" -p . --config-file="$CONFIG" \
             --checks="$CHECKS" "$rel" 2>&1 | grep "warning:" | sort) || true; }
  a=$(run "$OLD"); b=$(run "$NEW")
  if [ "$a" != "$b" ]; then
    echo "== $P $rel"
    diff <(echo "$a") <(echo "$b") || true
  fi
  echo "tu $P $rel" >&2
done
