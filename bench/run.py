#!/usr/bin/env python3
"""tether's performance harness.

Measures, on one machine in one run, what tether's checks add to clang's own
parse of a translation unit, and prints ratios against the parse:

- instructions from `valgrind --tool=callgrind --trace-children=yes` (steady
  on a noisy machine): the same driver with --checks=-* (the parse alone)
  against all default checks, plus `clang -fsyntax-only` and clang-tidy's
  bugprone-* as references;
- per-check cost from clang-tidy's own --enable-check-profile with the plugin;
- how the checks' cost grows with code size (generated TUs);
- -j1 against -j2 wall time, with identical output.

  bench/run.py                 full run (callgrind; ~20 minutes on 2 cores)
  bench/run.py --smoke         seconds: -j1/-j2 identical output, warm cache hits
  bench/run.py --sizes 50,200,800 --wall-size 3200

Only the standard library is used.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
TETHER = os.path.join(BUILD, "bin", "tether")
PLUGIN = os.path.join(BUILD, "lib", "tether-tidy-plugin.so")
CLANG = "/usr/lib/llvm-22/bin/clang"
CLANG_TIDY = "/usr/lib/llvm-22/bin/clang-tidy"
FLAGS = ["-std=c++20"]
EXAMPLE_FLAGS = FLAGS + ["-I" + os.path.join(ROOT, "examples", "include")]


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def instructions(cmd):
    """Instructions executed by cmd and every process it forks."""
    with tempfile.TemporaryDirectory() as d:
        run(["valgrind", "--tool=callgrind", "--trace-children=yes",
             "--callgrind-out-file=" + os.path.join(d, "cg.%p")] + cmd)
        total = 0
        for name in os.listdir(d):
            with open(os.path.join(d, name), errors="replace") as f:
                for line in f:
                    if line.startswith("summary:") or line.startswith("totals:"):
                        total += int(line.split()[1])
                        break
        return total


def wall(cmd, runs=3):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        run(cmd)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def default_checks():
    out = run([TETHER, "--list-checks"]).stdout.splitlines()
    return [l.split()[0] for l in out if l.startswith("tether-") and "off by default" not in l]


def generate(n, gen_dir):
    path = os.path.join(gen_dir, f"gen{n}.cpp")
    with open(path, "w") as f:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), str(n)], stdout=f, check=True)
    return path


def example_files():
    src = os.path.join(ROOT, "examples", "src")
    return sorted(os.path.join(src, f) for f in os.listdir(src) if f.endswith(".cpp"))


def check_profile(path, flags, checks):
    """Seconds per check from clang-tidy's own profiler, and the total."""
    r = run([CLANG_TIDY, "--load", PLUGIN, "--checks=-*," + ",".join(checks),
             "--enable-check-profile", "--quiet", path, "--"] + flags)
    per = {}
    for line in (r.stdout + r.stderr).splitlines():
        m = re.match(r"\s*([\d.]+)\s+\(\s*[\d.]+%\)\s+([\d.]+)\s+\(.*?\)\s+([\d.]+)\s+\(.*?\)\s+([\d.]+)\s+\(.*?\)\s+(\S+)", line)
        if m and m.group(5).startswith("tether-"):
            per[m.group(5)] = float(m.group(3))  # user+system: steadier than wall
    return per


def smoke(gen_dir):
    files = [generate(50, gen_dir), generate(200, gen_dir), os.path.join(ROOT, "bench", "heavy.cpp")]
    outs = []
    for j in ("1", "2"):
        r = run([TETHER, "-j" + j, "--quiet", "--format=text", "--format=sarif:" + os.path.join(gen_dir, f"j{j}.sarif")]
                + files + ["--"] + FLAGS)
        outs.append(r.stdout + open(os.path.join(gen_dir, f"j{j}.sarif")).read())
    if outs[0] != outs[1]:
        print("FAIL: -j1 and -j2 output differ")
        return 1
    print(f"ok: -j1 and -j2 output identical over {len(files)} TUs")
    cache = os.path.join(gen_dir, "cache")
    cmd = [TETHER, "--cache-dir=" + cache] + files + ["--"] + FLAGS
    cold, warm = run(cmd), run(cmd)
    hits = f"{len(files)} of {len(files)} file(s) from the cache"
    if hits not in warm.stderr or cold.stdout != warm.stdout:
        print("FAIL: the cache missed on an unchanged tree, or changed the output: " + warm.stderr)
        return 1
    print(f"ok: warm cache run hit {len(files)} of {len(files)} TUs with identical output")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--sizes", default="50,200,800")
    ap.add_argument("--wall-size", type=int, default=3200)
    ap.add_argument("--all-examples", action="store_true",
                    help="callgrind every TU of examples/ (slow), not only notifier.cpp")
    args = ap.parse_args()
    gen_dir = tempfile.mkdtemp(prefix="tether-bench-")
    try:
        if args.smoke:
            return smoke(gen_dir)
        sizes = [int(s) for s in args.sizes.split(",")]
        checks = default_checks()
        heavy = os.path.join(ROOT, "bench", "heavy.cpp")
        examples = example_files() if args.all_examples else [
            os.path.join(ROOT, "examples", "src", "notifier.cpp")]
        workloads = [("examples/src/" + ("*.cpp" if args.all_examples else "notifier.cpp"),
                      examples, EXAMPLE_FLAGS),
                     ("heavy (asio+fiber+ranges)", [heavy], FLAGS)]
        workloads += [(f"generated, {n} functions", [generate(n, gen_dir)], FLAGS) for n in sizes]

        print("# tether bench results\n")
        print(f"`bench/run.py {' '.join(sys.argv[1:])}` on {os.cpu_count()} cores, "
              f"{time.strftime('%Y-%m-%d')}; {len(checks)} default checks: {', '.join(checks)}.\n")
        print("## Instructions: all default checks against the parse\n")
        print("| workload | parse alone (Ir) | with all default checks (Ir) | overhead | target |")
        print("|---|---|---|---|---|")
        extra = {}
        worst = 0.0
        for name, files, flags in workloads:
            parse = instructions([TETHER, "-j1", "--quiet", "--checks=-*"] + files + ["--"] + flags)
            full = instructions([TETHER, "-j1", "--quiet"] + files + ["--"] + flags)
            ratio = (full - parse) / parse
            extra[name] = full - parse
            worst = max(worst, ratio)
            print(f"| {name} | {parse:,} | {full:,} | {100*ratio:+.2f}% | ≤ 5%: {'met' if ratio <= 0.05 else 'MISSED'} |")
            sys.stdout.flush()

        print("\n## References on the heavy TU (instructions)\n")
        clang = instructions([CLANG, "-fsyntax-only"] + FLAGS + [heavy])
        tidy = instructions([CLANG_TIDY, "--quiet", "--checks=-*,bugprone-*", heavy, "--"] + FLAGS)
        ours = instructions([CLANG_TIDY, "--quiet", "--load", PLUGIN, "--checks=-*," + ",".join(checks), heavy, "--"] + FLAGS)
        print("| run | Ir | against clang -fsyntax-only |")
        print("|---|---|---|")
        print(f"| clang -fsyntax-only | {clang:,} | 1.00 |")
        print(f"| clang-tidy, tether's default checks (plugin) | {ours:,} | {ours/clang:.3f} |")
        print(f"| clang-tidy, bugprone-* (peer) | {tidy:,} | {tidy/clang:.3f} |")

        print("\n## Per check (clang-tidy --enable-check-profile, user+system seconds)\n")
        print("| workload | parse (s) | " + " | ".join(c.replace("tether-", "") for c in checks) + " |")
        print("|---|---|" + "---|" * len(checks))
        worst_check = 0.0
        for name, files, flags in workloads[1:]:
            path = files[0]
            parse_s = wall([CLANG, "-fsyntax-only"] + flags + [path])
            per = check_profile(path, flags, checks)
            cells = []
            for c in checks:
                s = per.get(c, 0.0)
                worst_check = max(worst_check, s / parse_s)
                cells.append(f"{s:.4f} ({100*s/parse_s:.2f}%)")
            print(f"| {name} | {parse_s:.2f} | " + " | ".join(cells) + " |")
            sys.stdout.flush()

        print("\n## Targets\n")
        print(f"- all default checks together: worst {100*worst:.2f}% of the parse (target ≤ 5%): "
              + ("met" if worst <= 0.05 else "MISSED"))
        print(f"- single check: worst {100*worst_check:.2f}% of the parse (target ≤ 2%): "
              + ("met" if worst_check <= 0.02 else "MISSED"))
        if len(sizes) >= 2:
            a, b = sizes[-2], sizes[-1]
            ea, eb = extra[f"generated, {a} functions"], extra[f"generated, {b} functions"]
            k = b / a
            scale = eb / (k * ea) if ea > 0 else float("inf")
            print(f"- scaling: check overhead at {b} functions = {scale:.2f} × {k:g} × (at {a}) "
                  f"(target ≤ 1.2): " + ("met" if scale <= 1.2 else "MISSED"))
        big = generate(args.wall_size, gen_dir)
        wp = wall([TETHER, "--quiet", "--checks=-*", big, "--"] + FLAGS)
        wf = wall([TETHER, "--quiet", big, "--"] + FLAGS)
        print(f"- {args.wall_size} functions, wall median of 3: parse {wp:.2f}s, with checks {wf:.2f}s "
              f"({100*(wf-wp)/wp:+.1f}%, noisy)")
        files = example_files() + [heavy] + [generate(n, gen_dir) for n in sizes]
        base = ["--quiet"] + files + ["--"] + EXAMPLE_FLAGS
        out1 = run([TETHER, "-j1"] + base).stdout
        out2 = run([TETHER, "-j2"] + base).stdout
        j1 = wall([TETHER, "-j1"] + base, runs=1)
        j2 = wall([TETHER, "-j2"] + base, runs=1)
        print(f"- parallel over {len(files)} TUs: -j1 {j1:.1f}s, -j2 {j2:.1f}s, speed-up {j1/j2:.2f}× "
              f"(target ≥ 1.8×): " + ("met" if j1 / j2 >= 1.8 else "MISSED")
              + f"; output identical: {'yes' if out1 == out2 else 'NO'}")
        return 0
    finally:
        shutil.rmtree(gen_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
