#!/usr/bin/env python3
"""tether's performance harness.

Measures, on one machine in one run, what tether's checks add to clang's own
parse of a translation unit, and prints ratios against the parse:

- instructions from `valgrind --tool=callgrind --trace-children=yes` (steady
  on a noisy machine): the same driver with --checks=-* (the parse alone)
  against all default checks, plus `clang -fsyntax-only` and clang-tidy's
  bugprone-* as references;
- per-check cost from clang-tidy's own --enable-check-profile with the plugin;
- how the checks' cost grows with code size: callgrind on the generated TUs
  of --sizes, and each check's profiled seconds on the TUs of
  --profile-sizes (200 and 3200 functions: too big for callgrind);
- a deep template-instantiation workload (gen.py --templates);
- -j1 against -j2 wall time, with identical output;
- peak memory (proportional set size, summed over the process tree) of the
  driver at -j2 against two clang front ends at a time on the same TUs.

  bench/run.py                 full run (~40 minutes on 2 cores)
  bench/run.py --smoke         seconds: -j1/-j2 identical output, warm cache hits
  bench/run.py --parallel      minutes: only -j1 against -j2
  bench/run.py --sizes 50,200 --profile-sizes 200,3200 --template-depth 40
  bench/run.py --dense 400     minutes: only the dense workload (gen.py --dense):
                               clang++ -fsyntax-only against tether with the
                               default checks and with every check, and a
                               per-check profile

Only the standard library is used.
"""
import argparse
import concurrent.futures
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


def wall(*cmds, runs=3):
    """Median seconds of runs of each command, the commands interleaved so a
    drift in the machine's speed hits them alike. A command may be a function
    giving each run's argv."""
    times = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            argv = cmd() if callable(cmd) else cmd
            t = time.perf_counter()
            run(argv)
            times[i].append(time.perf_counter() - t)
    medians = [statistics.median(t) for t in times]
    return medians[0] if len(cmds) == 1 else medians


def _tree_pss_kb(root):
    """Proportional set size of root and its descendants: pages a fork
    shares with its parent are counted once, not once per process."""
    children = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(pid))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


def peak_memory_mb(cmd, stdin_text=None):
    """Peak of the summed PSS of cmd's process tree, sampled every 20 ms."""
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin_text else None,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    if stdin_text:
        p.stdin.write(stdin_text)
        p.stdin.close()
    peak = 0
    while p.poll() is None:
        peak = max(peak, _tree_pss_kb(p.pid))
        time.sleep(0.02)
    return peak / 1024


def default_checks():
    out = run([TETHER, "--list-checks"]).stdout.splitlines()
    return [l.split()[0] for l in out if l.startswith("tether-") and "off by default" not in l]


def all_checks():
    out = run([TETHER, "--list-checks"]).stdout.splitlines()
    return [l.split()[0] for l in out if l.startswith("tether-")]


def dense(n, gen_dir):
    """The dense workload: every function a concurrency pattern, so every
    check has work everywhere. The parse is clang++ -fsyntax-only itself
    (tether refuses --checks=-*, which would run nothing)."""
    path = os.path.join(gen_dir, f"dense{n}.cpp")
    with open(path, "w") as f:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), "--dense", str(n)],
                       stdout=f, check=True)
    every = all_checks()
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        parse = pool.submit(instructions, [CLANG, "-fsyntax-only"] + FLAGS + [path])
        default = pool.submit(instructions, [TETHER, "-j1", "--quiet", path, "--"] + FLAGS)
        full = pool.submit(instructions, [TETHER, "-j1", "--quiet", "--checks=tether-*", path, "--"] + FLAGS)
        parse, default, full = parse.result(), default.result(), full.result()
    print(f"## Dense workload: gen.py --dense {n}, instructions against the parse\n")
    print("| run | Ir | overhead | target |")
    print("|---|---|---|---|")
    print(f"| clang++ -fsyntax-only | {parse:,} | | |")
    for name, ir, target in ((f"tether, {len(default_checks())} default checks", default, 0.05),
                             (f"tether, all {len(every)} checks", full, 0.07)):
        ratio = (ir - parse) / parse
        print(f"| {name} | {ir:,} | {100*ratio:+.2f}% | ≤ {100*target:.0f}%: "
              + ("met" if ratio <= target else "MISSED") + " |")
    sys.stdout.flush()
    parse_s = wall([CLANG, "-fsyntax-only"] + FLAGS + [path])
    per = check_profile(path, FLAGS, every, runs=3)
    print(f"\n## Dense workload: per check (clang-tidy --enable-check-profile, user+system seconds, median of 3; parse {parse_s:.2f} s)\n")
    print("| check | seconds | of the parse |")
    print("|---|---|---|")
    for c in sorted(every, key=lambda c: -per.get(c, 0.0)):
        print(f"| {c} | {per.get(c, 0.0):.4f} | {100*per.get(c, 0.0)/parse_s:.2f}% |")
    return 0


def generate(n, gen_dir, templates=False):
    path = os.path.join(gen_dir, f"{'templates' if templates else 'gen'}{n}.cpp")
    args = ["--templates", str(n)] if templates else [str(n)]
    with open(path, "w") as f:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py")] + args, stdout=f, check=True)
    return path


def example_files():
    src = os.path.join(ROOT, "examples", "src")
    return sorted(os.path.join(src, f) for f in os.listdir(src) if f.endswith(".cpp"))


def check_profile(path, flags, checks, runs=1):
    """Seconds per check from clang-tidy's own profiler (the median of runs)."""
    samples = [_check_profile_once(path, flags, checks) for _ in range(runs)]
    return {c: statistics.median(s.get(c, 0.0) for s in samples) for c in checks}


def _check_profile_once(path, flags, checks):
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


def parallel(files, gen_dir):
    """-j1 against -j2 wall time, as CI runs tether: with a --cache-dir whose
    results are all stale (every TU is analysed) but whose durations from an
    earlier run are kept, so the longest TUs start first. For comparison,
    -j2 with no history (input order) and -j1 with no cache at all (the cost
    of computing cache keys)."""
    base = ["--quiet"] + files + ["--"] + EXAMPLE_FLAGS
    history = os.path.join(gen_dir, "history")
    plain = run([TETHER, "-j1", "--cache-dir=" + history] + base).stdout

    def stale_cache():
        d = tempfile.mkdtemp(dir=gen_dir)
        shutil.copy(os.path.join(history, "durations.json"), d)
        return "--cache-dir=" + d

    out2 = run([TETHER, "-j2", stale_cache()] + base).stdout
    j1, j2, j1_no_cache, j2_input_order = wall(
        lambda: [TETHER, "-j1", stale_cache()] + base,
        lambda: [TETHER, "-j2", stale_cache()] + base,
        [TETHER, "-j1"] + base, [TETHER, "-j2"] + base)
    return [f"- parallel over {len(files)} TUs, every TU analysed, durations of an earlier run kept (longest first), "
            f"wall median of 3: -j1 {j1:.1f}s, -j2 {j2:.1f}s, speed-up {j1/j2:.2f}× (target ≥ 1.8×): "
            + ("met" if j1 / j2 >= 1.8 else "MISSED")
            + f"; output identical: {'yes' if plain == out2 else 'NO'}",
            f"- for comparison, with no --cache-dir: -j1 {j1_no_cache:.1f}s, -j2 in input order {j2_input_order:.1f}s "
            f"({j1_no_cache/j2_input_order:.2f}×); cache keys cost {100 * (j1 / j1_no_cache - 1):+.1f}% at -j1"]


def includers(files, flags, header):
    """The TUs whose preprocessing enters header (clang -M), for --diff."""
    out = []
    for f in files:
        deps = run([CLANG, "-M"] + flags + [f]).stdout.replace("\\\n", " ").split()
        if any(os.path.realpath(d) == os.path.realpath(header) for d in deps):
            out.append(f)
    return out


def diff_selection(gen_dir):
    """TUs --diff parses after a one-line edit of a .cpp and of a header, with
    the number expected. Counted from a fresh --cache-dir: "0 of N file(s)"."""
    repo = os.path.join(gen_dir, "diff-repo")
    shutil.copytree(os.path.join(ROOT, "examples"), repo,
                    ignore=shutil.ignore_patterns("build"))
    srcs = sorted(os.path.join(repo, "src", f) for f in os.listdir(os.path.join(repo, "src")) if f.endswith(".cpp"))
    flags = FLAGS + ["-I" + os.path.join(repo, "include")]
    with open(os.path.join(repo, "compile_commands.json"), "w") as f:
        json.dump([{"directory": repo, "file": src, "arguments": ["clang++"] + flags + ["-c", src]}
                   for src in srcs], f)
    git = ["git", "-C", repo, "-c", "user.email=bench@tether", "-c", "user.name=bench"]
    run(git[:3] + ["init", "-q"])
    run(git + ["add", "-A"])
    run(git + ["commit", "-qm", "base"])

    def parsed():
        cache = tempfile.mkdtemp(dir=gen_dir)
        r = run([TETHER, "-p", repo, "--diff", "HEAD", "--cache-dir=" + cache])
        m = re.search(r"0 of (\d+) file\(s\) from the cache", r.stderr)
        return int(m.group(1)) if m else (0 if "no changed file" in r.stderr else -1)

    def edit(path):
        with open(path) as f:
            lines = f.read().split("\n")
        lines[len(lines) // 2] += "  // edited"
        with open(path, "w") as f:
            f.write("\n".join(lines))

    results = []
    cpp = os.path.join(repo, "src", "dispatcher.cpp")
    edit(cpp)
    results.append(("one line of src/dispatcher.cpp", parsed(), 1))
    run(git + ["checkout", "-q", "--", "."])
    header = os.path.join(repo, "include", "courier", "receipts.h")
    expected = len(includers(srcs, flags, header))
    edit(header)
    results.append((f"one line of include/courier/receipts.h", parsed(), expected))
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--sizes", default="50,200",
                    help="generated TUs measured with callgrind")
    ap.add_argument("--profile-sizes", default="200,3200",
                    help="generated TUs measured with clang-tidy's check profile (scaling)")
    ap.add_argument("--template-depth", type=int, default=40)
    ap.add_argument("--parallel", action="store_true",
                    help="only the -j1/-j2 measurement (a few minutes)")
    ap.add_argument("--dense", type=int, default=0,
                    help="only the dense workload of this many functions")
    ap.add_argument("--all-examples", action="store_true",
                    help="callgrind every TU of examples/ (slow), not only notifier.cpp")
    args = ap.parse_args()
    gen_dir = tempfile.mkdtemp(prefix="tether-bench-")
    try:
        if args.smoke:
            return smoke(gen_dir)
        if args.dense:
            return dense(args.dense, gen_dir)
        if args.parallel:
            files = (example_files() + [os.path.join(ROOT, "bench", "heavy.cpp"),
                                        generate(args.template_depth, gen_dir, templates=True)]
                     + [generate(int(n), gen_dir) for n in args.sizes.split(",")])
            for line in parallel(files, gen_dir):
                print(line)
            return 0
        sizes = [int(s) for s in args.sizes.split(",")]
        psizes = [int(s) for s in args.profile_sizes.split(",")]
        checks = default_checks()
        heavy = os.path.join(ROOT, "bench", "heavy.cpp")
        templates = generate(args.template_depth, gen_dir, templates=True)
        examples = example_files() if args.all_examples else [
            os.path.join(ROOT, "examples", "src", "notifier.cpp")]
        workloads = [("examples/src/" + ("*.cpp" if args.all_examples else "notifier.cpp"),
                      examples, EXAMPLE_FLAGS),
                     ("heavy (asio+fiber+ranges)", [heavy], FLAGS),
                     (f"templates, depth {args.template_depth}", [templates], FLAGS)]
        workloads += [(f"generated, {n} functions", [generate(n, gen_dir)], FLAGS) for n in sizes]

        print("# tether bench results\n")
        print(f"`bench/run.py {' '.join(sys.argv[1:])}` on {os.cpu_count()} cores, "
              f"{time.strftime('%Y-%m-%d')}; {len(checks)} default checks: {', '.join(checks)}.\n")

        # Instruction counts do not depend on load: run them side by side.
        jobs = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
            for name, files, flags in workloads:
                # The parse: clang itself (tether refuses --checks=-*, which runs nothing).
                jobs[name, "parse"] = pool.submit(instructions, [CLANG, "-fsyntax-only"] + flags + files)
                jobs[name, "full"] = pool.submit(instructions, [TETHER, "-j1", "--quiet"] + files + ["--"] + flags)
            jobs["clang"] = pool.submit(instructions, [CLANG, "-fsyntax-only"] + FLAGS + [heavy])
            jobs["tidy"] = pool.submit(instructions, [CLANG_TIDY, "--quiet", "--checks=-*,bugprone-*", heavy, "--"] + FLAGS)
            jobs["ours"] = pool.submit(instructions, [CLANG_TIDY, "--quiet", "--load", PLUGIN, "--checks=-*," + ",".join(checks), heavy, "--"] + FLAGS)

        print("## Instructions: all default checks against the parse\n")
        print("| workload | parse alone (Ir) | with all default checks (Ir) | overhead | target |")
        print("|---|---|---|---|---|")
        extra = {}
        worst = 0.0
        for name, files, flags in workloads:
            parse, full = jobs[name, "parse"].result(), jobs[name, "full"].result()
            ratio = (full - parse) / parse
            extra[name] = full - parse
            worst = max(worst, ratio)
            print(f"| {name} | {parse:,} | {full:,} | {100*ratio:+.2f}% | ≤ 5%: {'met' if ratio <= 0.05 else 'MISSED'} |")

        print("\n## References on the heavy TU (instructions)\n")
        clang, tidy, ours = jobs["clang"].result(), jobs["tidy"].result(), jobs["ours"].result()
        print("| run | Ir | against clang -fsyntax-only |")
        print("|---|---|---|")
        print(f"| clang -fsyntax-only | {clang:,} | 1.00 |")
        print(f"| clang-tidy, tether's default checks (plugin) | {ours:,} | {ours/clang:.3f} |")
        print(f"| clang-tidy, bugprone-* (peer) | {tidy:,} | {tidy/clang:.3f} |")
        sys.stdout.flush()

        print("\n## Per check (clang-tidy --enable-check-profile, user+system seconds, median of 3)\n")
        print("| workload | parse (s) | " + " | ".join(c.replace("tether-", "") for c in checks) + " |")
        print("|---|---|" + "---|" * len(checks))
        profiled = [("heavy (asio+fiber+ranges)", heavy), (f"templates, depth {args.template_depth}", templates)]
        profiled += [(f"generated, {n} functions", generate(n, gen_dir)) for n in psizes]
        worst_check = 0.0
        per_size = {}
        for name, path in profiled:
            parse_s = wall([CLANG, "-fsyntax-only"] + FLAGS + [path])
            per = check_profile(path, FLAGS, checks, runs=3)
            per_size[name] = per
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
            print(f"- scaling (instructions): check overhead at {b} functions = {scale:.2f} × {k:g} × (at {a}) "
                  f"(target ≤ 1.2): " + ("met" if scale <= 1.2 else "MISSED"))
        if len(psizes) >= 2:
            a, b = psizes[0], psizes[-1]
            pa, pb = per_size[f"generated, {a} functions"], per_size[f"generated, {b} functions"]
            k = b / a
            total = sum(pb.values()) / (k * sum(pa.values()))
            worst_name, worst_scale = max(((c, pb[c] / (k * pa[c])) for c in checks if pa[c] > 0),
                                          key=lambda x: x[1])
            print(f"- scaling (check profile): all checks at {b} functions = {total:.2f} × {k:g} × (at {a}) "
                  f"(target ≤ 1.2): " + ("met" if total <= 1.2 else "MISSED")
                  + f"; steepest single check {worst_name.replace('tether-', '')} {worst_scale:.2f}")
        files = example_files() + [heavy, templates] + [generate(n, gen_dir) for n in sizes]
        for line in parallel(files, gen_dir):
            print(line)
        base = ["--quiet"] + files + ["--"] + EXAMPLE_FLAGS
        ours_mb = peak_memory_mb([TETHER, "-j2"] + base)
        clang_mb = peak_memory_mb(["xargs", "-P2", "-n1", CLANG, "-fsyntax-only"] + EXAMPLE_FLAGS,
                                  stdin_text="\n".join(files) + "\n")
        print(f"- peak memory (PSS) over the same {len(files)} TUs: tether -j2 {ours_mb:.0f} MB, "
              f"two clang front ends at a time {clang_mb:.0f} MB, ratio {ours_mb/clang_mb:.2f} "
              f"(target ≤ 1.3): " + ("met" if ours_mb / clang_mb <= 1.3 else "MISSED"))
        for what, got, want in diff_selection(gen_dir):
            print(f"- --diff after {what}: parsed {got} TU(s), expected {want}: "
                  + ("met" if got == want else "MISSED"))
        return 0
    finally:
        shutil.rmtree(gen_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
