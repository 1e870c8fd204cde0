#!/usr/bin/env bash
# Runs tether the way a CI job does: on a pull request's diff when
# TETHER_BASE_REF is set (else on every file of the compile database), text to
# the log, SARIF for code scanning, optionally a Code Climate report.
# Used by action.yml and the GitLab recipe in docs/ci.md.
#
#   TETHER_BUILD_DIR    directory with compile_commands.json   (build)
#   TETHER_BASE_REF     git ref to diff against, e.g. origin/main (unset: all files)
#   TETHER_SARIF        SARIF output file                      (tether.sarif)
#   TETHER_CODECLIMATE  Code Climate output file               (unset: none)
#   TETHER_FAIL_ON      note|warning|error                     (warning)
#   TETHER_ARGS         more tether options, split on spaces
#   TETHER              the tether binary     (build/bin/tether of this checkout, else
#                                              tether on PATH, e.g. the installed package)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tether=${TETHER:-}
if [[ -z $tether ]]; then
  if [[ -x $here/build/bin/tether ]]; then tether=$here/build/bin/tether; else tether=tether; fi
fi
args=(-p "${TETHER_BUILD_DIR:-build}" --format=text
      --format="sarif:${TETHER_SARIF:-tether.sarif}"
      --fail-on="${TETHER_FAIL_ON:-warning}")
if [[ -n "${TETHER_CODECLIMATE:-}" ]]; then
  args+=(--format="codeclimate:$TETHER_CODECLIMATE")
fi
if [[ -n "${TETHER_BASE_REF:-}" ]]; then
  args+=(--diff "$TETHER_BASE_REF")
else
  args+=(--all)
fi
# shellcheck disable=SC2086
exec "$tether" "${args[@]}" ${TETHER_ARGS:-}
