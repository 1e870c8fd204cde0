"""Prints a tether JSON report as one line per finding and per error, and
fails on a finding without a file or a line (which must never appear)."""
import json
import sys

report = json.load(open(sys.argv[1]))
for f in report["findings"]:
    assert f["file"] and f["line"] > 0, f
    print(f"finding {f['file']}:{f['line']}:{f['column']} {f['check']}")
for e in report["errors"]:
    print(f"error {e['file']} {e['kind']}: {e['message']}")
    if e["kind"] == "compiler-error":
        first = e["first_error"]
        where = f"{first['file']}:{first['line']}:{first['column']}" if first["file"] else "(command line)"
        print(f"first error {where} ({e['compiler_errors']} compiler errors)")
print("files", report["files"])
