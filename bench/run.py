#!/usr/bin/env python3
"""tether's performance harness.

Measures, on one machine in one run, what tether's checks add to clang's own
parse of a translation unit, with instruction counts from callgrind (steady on
a noisy machine) and median wall times, and prints ratios against the parse.

  bench/run.py                 full run (callgrind; takes a while), markdown on stdout
  bench/run.py --smoke         seconds: -j1 and -j2 give identical output
  bench/run.py --sizes 50,200  choose the generated workloads

Workloads: every TU of examples/, bench/heavy.cpp (Boost.Asio, Boost.Fiber,
<thread>, <future>, <ranges>), and generated TUs (bench/gen.py) of growing size.
Only the standard library is used.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
TETHER = os.path.join(BUILD, "bin", "tether")
CLANG = "/usr/lib/llvm-22/bin/clang"
CLANG_TIDY = "/usr/lib/llvm-22/bin/clang-tidy"
FLAGS = ["-std=c++20"]


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


def checks():
    out = run([TETHER, "--list-checks"]).stdout.splitlines()
    return [l.split()[0] for l in out if l.startswith("tether-") and "off by default" not in l]


def workloads(sizes, gen_dir):
    ex_build = os.path.join(gen_dir, "examples-build")
    subprocess.run(["cmake", "-G", "Ninja", "-S", os.path.join(ROOT, "examples"), "-B", ex_build,
                    "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", "-DCMAKE_CXX_COMPILER=clang++-22"],
                   stdout=subprocess.DEVNULL, check=True)
    with open(os.path.join(ex_build, "compile_commands.json")) as f:
        db = json.load(f)
    inc = ["-I" + os.path.join(ROOT, "examples", "include")]
    items = [("examples/" + os.path.relpath(e["file"], os.path.join(ROOT, "examples")), e["file"], FLAGS + inc)
             for e in sorted(db, key=lambda e: e["file"])]
    items.append(("heavy (asio+fiber+ranges)", os.path.join(ROOT, "bench", "heavy.cpp"), FLAGS))
    for n in sizes:
        path = os.path.join(gen_dir, f"gen{n}.cpp")
        with open(path, "w") as f:
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), str(n)], stdout=f, check=True)
        items.append((f"generated, {n} functions", path, FLAGS))
    return items


def smoke(gen_dir):
    items = workloads([50, 200], gen_dir)
    files = [p for _, p, _ in items if "examples/" not in p]
    outs = []
    for j in ("1", "2"):
        r = run([TETHER, "-j" + j, "--quiet", "--format=text", "--format=sarif:" + os.path.join(gen_dir, f"j{j}.sarif")]
                + files + ["--"] + FLAGS + ["-I" + os.path.join(ROOT, "examples", "include")])
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
    ap.add_argument("--sizes", default="50,200,800,3200")
    ap.add_argument("--no-peer", action="store_true", help="skip clang-tidy bugprone-*")
    args = ap.parse_args()
    gen_dir = tempfile.mkdtemp(prefix="tether-bench-")
    try:
        if args.smoke:
            return smoke(gen_dir)
        sizes = [int(s) for s in args.sizes.split(",")]
        items = workloads(sizes, gen_dir)
        enabled = checks()
        print("# tether bench results\n")
        print(f"Machine: {os.cpu_count()} cores; `{' '.join(sys.argv)}`; instructions from "
              "`valgrind --tool=callgrind --trace-children=yes`, wall = median of 3.\n")
        print("| workload | parse (Ir) | all checks | overhead | " +
              " | ".join(c.replace("tether-", "") for c in enabled) +
              " | clang -fsyntax-only | bugprone-* (peer) | wall parse | wall checks |")
        print("|---|---|---|---|" + "---|" * len(enabled) + "---|---|---|---|")
        overhead = {}
        worst = 0.0
        worst_check = 0.0
        for name, path, flags in items:
            parse = instructions([TETHER, "--quiet", "--checks=-*", path, "--"] + flags)
            full = instructions([TETHER, "--quiet", path, "--"] + flags)
            per = []
            for c in enabled:
                i = instructions([TETHER, "--quiet", "--checks=-*," + c, path, "--"] + flags)
                per.append((i - parse) / parse)
            clang = instructions([CLANG, "-fsyntax-only"] + flags + [path])
            peer = "" if args.no_peer else "%+.1f%%" % (
                100.0 * (instructions([CLANG_TIDY, "--quiet", "--checks=-*,bugprone-*", path, "--"] + flags) - clang) / clang)
            w_parse = wall([TETHER, "--quiet", "--checks=-*", path, "--"] + flags)
            w_full = wall([TETHER, "--quiet", path, "--"] + flags)
            ratio = (full - parse) / parse
            overhead[name] = full - parse
            worst = max(worst, ratio)
            worst_check = max([worst_check] + per)
            print(f"| {name} | {parse:,} | {full:,} | {100*ratio:+.2f}% | " +
                  " | ".join("%+.2f%%" % (100 * p) for p in per) +
                  f" | {clang:,} | {peer} | {w_parse:.2f}s | {w_full:.2f}s |")
            sys.stdout.flush()
        print()
        print(f"- all default checks: worst overhead {100*worst:.2f}% (target ≤ 5%): "
              + ("met" if worst <= 0.05 else "MISSED"))
        print(f"- single check: worst overhead {100*worst_check:.2f}% (target ≤ 2%): "
              + ("met" if worst_check <= 0.02 else "MISSED"))
        small, big = f"generated, 200 functions", f"generated, 3200 functions"
        if small in overhead and big in overhead and overhead[small] > 0:
            scale = overhead[big] / (16 * overhead[small])
            print(f"- scaling: check overhead at 3200 functions = {scale:.2f} × 16 × (200 functions) "
                  "(target ≤ 1.2): " + ("met" if scale <= 1.2 else "MISSED"))
        files = [p for _, p, _ in items]
        base = [TETHER, "--quiet"] + files + ["--"] + FLAGS + ["-I" + os.path.join(ROOT, "examples", "include")]
        j1 = wall(base[:1] + ["-j1"] + base[1:], runs=1)
        j2 = wall(base[:1] + ["-j2"] + base[1:], runs=1)
        print(f"- parallel: -j1 {j1:.1f}s, -j2 {j2:.1f}s, speed-up {j1/j2:.2f}× (target ≥ 1.8×): "
              + ("met" if j1 / j2 >= 1.8 else "MISSED"))
        return 0
    finally:
        shutil.rmtree(gen_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
