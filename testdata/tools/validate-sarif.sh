#!/usr/bin/env bash
# Validates SARIF files with @microsoft/sarif-multitool, with GitHub code
# scanning's rules. The tool exits 0 even for invalid files, so this reads its
# report: any error or warning in it fails.
set -euo pipefail
status=0
for f in "$@"; do
  out=$(mktemp -u --suffix=.sarif)
  "$SARIF_MULTITOOL" validate --rule-kind "Sarif;Gh" -o "$out" "$f" >/dev/null
  problems=$(python3 - "$out" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
for run in log.get("runs", []):
    for r in run.get("results", []):
        if r.get("level", "warning") in ("error", "warning"):
            args = r.get("message", {}).get("arguments", [])
            print(f'{r.get("level", "warning")} {r.get("ruleId")}: {"; ".join(map(str, args))}')
    for inv in run.get("invocations", []):
        for n in inv.get("toolExecutionNotifications", []):
            if n.get("level") == "error":
                print("error: validator: " + n.get("message", {}).get("text", ""))
PY
)
  rm -f "$out"
  if [[ -n "$problems" ]]; then
    echo "$f: invalid SARIF:" >&2
    echo "$problems" >&2
    status=1
  else
    echo "$f: valid SARIF"
  fi
done
exit $status
