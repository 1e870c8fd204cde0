#!/usr/bin/env python3
"""Fails unless tether's output has exactly as many warnings as the test
file has CHECK lines expecting one.

FileCheck's --implicit-check-not does not look between the matches of a
group of CHECK-DAG lines: an unexpected warning printed there would pass.
Tests written with CHECK-DAG count their warnings with this as well.

usage: count_warnings.py TEST_FILE TETHER_OUTPUT
"""
import re
import sys

test_file, output_file = sys.argv[1], sys.argv[2]
directive = re.compile(r"\bCHECK(-DAG|-NEXT|-SAME)?:.*\bwarning:")
with open(test_file, encoding="utf-8") as f:
    expected = sum(1 for line in f if directive.search(line))
with open(output_file, encoding="utf-8", errors="replace") as f:
    printed = [line.rstrip("\n") for line in f if ": warning: " in line]
if expected == 0:
    sys.exit("%s: no CHECK line expects a warning; nothing to count" % test_file)
if len(printed) != expected:
    sys.stderr.write("%s: %d CHECK lines expect a warning, tether printed %d:\n"
                     % (test_file, expected, len(printed)))
    for line in printed:
        sys.stderr.write("  " + line + "\n")
    sys.exit(1)
