#!/usr/bin/env python3
"""tether's held-out precision harness (issue 18).

Public C++ projects, pinned at a commit, are exported from the bare git
snapshots the `fetch` tool brings to /work/.mirror/ into /work/corpus/<name>/
(outside this repository: their code is never committed here), given a
compile_commands.json built from projects.json, and analysed with tether.
Every finding is judged by hand in verdicts/<project>.json; `score` joins the
two and prints precision per check and per split. The instances of each smell
a careful reading of a project finds are marked by hand in
instances/<project>.json; `recall` joins them with the findings and prints
how many each check reports.

  run.py prepare [--split S] [--project P]     export snapshots, write compile databases
  run.py syntax  [--split S] [--project P]     clang++-22 -fsyntax-only on every TU (no tether)
  run.py packages [--split S] [--project P] [--write]  the Debian packages the TUs' headers come from
  run.py select  --project P [--write]         apply the TU selection rule to a project's candidates
  run.py run     --split S [--project P] [--tether PATH] [--checks GLOBS] --out DIR
  run.py score   --verdicts bench/corpus/verdicts --results DIR [--split S]
  run.py recall  --results DIR [--instances bench/corpus/instances] [--split S]
  run.py pooled  [--since ROUND] [--pages docs/checks [--readme README.md]]  every held-out round's first run summed (rounds.json)

Only the standard library is used.
"""
import argparse
import concurrent.futures
import fnmatch
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# TETHER_MANIFEST points a round's marker at its own manifest while the
# round's projects are picked (merged into projects.json afterwards).
MANIFEST = os.environ.get("TETHER_MANIFEST", os.path.join(HERE, "projects.json"))
MIRRORS = "/work/.mirror"
CORPUS = os.environ.get("TETHER_CORPUS", "/work/corpus")
CLANG = "/usr/bin/clang++-22"
DEFAULT_TETHER = os.path.join(os.path.dirname(os.path.dirname(HERE)), "build", "bin", "tether")
# Every check, including the ones that are off by default.
ALL_CHECKS = "tether-*"
# Where generated configuration headers (what CMake's configure_file or
# generate_export_header would write) go inside a project's export.
GENERATED_DIR = ".corpus-generated"
SOURCE_EXTENSIONS = (".cc", ".cpp", ".cxx", ".c++")


def load_manifest():
    with open(MANIFEST, encoding="utf-8") as f:
        return json.load(f)


def write_manifest(manifest):
    """Writes projects.json as people edit it: paths in any script kept as
    they are (not \\u escapes), two-space indent, a final newline."""
    with open(MANIFEST, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=2, ensure_ascii=False)
        fh.write("\n")


def projects(manifest, split=None, name=None):
    out = []
    for p in manifest["projects"]:
        if name and p["name"] != name:
            continue
        if split and split != "all" and p["split"] != split:
            continue
        out.append(p)
    if name and not out:
        sys.exit("no project named %r with split %r in projects.json" % (name, split))
    return out


def root_of(project):
    return os.path.join(CORPUS, project["name"])


def mirror_of(repo):
    """The snapshot's git directory: bare (<mirror>/repo) or, in some
    snapshots, a work tree's (<mirror>/repo/.git)."""
    root = os.path.join(MIRRORS, repo.replace("/", "+"), "repo")
    dotgit = os.path.join(root, ".git")
    return dotgit if os.path.isdir(dotgit) else root


def expand(root, patterns):
    """Files under root matching any glob (relative to root, ** recursive)."""
    found = set()
    for pat in patterns:
        for path in glob.glob(os.path.join(root, pat), recursive=True):
            if os.path.isfile(path):
                found.add(os.path.relpath(path, root))
    return sorted(found)


def tus(project):
    root = root_of(project)
    if not os.path.isfile(os.path.join(root, "compile_commands.json")) and not os.path.isdir(root):
        sys.exit("%s: not exported (run.py prepare --project %s)" % (project["name"], project["name"]))
    files = expand(root, project["sources"])
    excluded = project.get("exclude", [])
    return [f for f in files if not any(fnmatch.fnmatch(f, e) for e in excluded)]


def compile_args(project, rel):
    return [CLANG] + project["flags"] + ["-c", rel]


# --------------------------------------------------------------------------
# prepare


def export(repo, commit, dest, excluded=()):
    git_dir = mirror_of(repo)
    if not os.path.isdir(git_dir):
        sys.exit("%s: no snapshot at %s; bring it with the fetch tool (github:%s)"
                 % (repo, git_dir, repo))
    os.makedirs(dest, exist_ok=True)
    # Snapshots lack files of 4 MiB and more: the manifest names them, to leave out.
    pathspec = ["--"] + [":(exclude)" + e for e in excluded] if excluded else []
    with tempfile.TemporaryFile() as errors:
        archive = subprocess.Popen(["git", "--git-dir=" + git_dir, "archive", commit] + pathspec,
                                   stdout=subprocess.PIPE, stderr=errors)
        subprocess.run(["tar", "-x", "-C", dest], stdin=archive.stdout, check=True)
        archive.stdout.close()
        status = archive.wait()
        errors.seek(0)
        err = errors.read().decode(errors="replace")
    if status != 0:
        sys.exit("%s: git archive %s failed (is the snapshot at that commit?)\n%s" % (repo, commit, err))
    # git still complains about the excluded blobs it cannot read; anything else is news.
    for line in err.splitlines():
        if not any(e in line for e in excluded):
            print("%s: %s" % (repo, line), file=sys.stderr)


def prepare(args):
    manifest = load_manifest()
    for p in projects(manifest, args.split, args.project):
        root = root_of(p)
        if os.path.isdir(root):
            shutil.rmtree(root)
        export(p["repo"], p["commit"], root, p.get("archive_exclude", []))
        for extra in p.get("with", []):
            export(extra["repo"], extra["commit"], os.path.join(root, extra["path"]))
        for rel, text in p.get("generated", {}).items():
            path = os.path.join(root, GENERATED_DIR, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        for pat in p["sources"]:
            if not expand(root, [pat]):
                print("%s: '%s' matches no file at %s" % (p["name"], pat, p["commit"][:12]), file=sys.stderr)
        files = tus(p)
        db = [{"directory": root, "file": os.path.join(root, f),
               "arguments": compile_args(p, f)} for f in files]
        with open(os.path.join(root, "compile_commands.json"), "w") as f:
            json.dump(db, f, indent=1)
        print("%-14s %-6s %s  %3d TUs  %s" % (p["name"], p["split"], p["commit"][:12],
                                               len(files), root))


# --------------------------------------------------------------------------
# syntax: does every TU parse? (clang only, so the held-out half stays unseen)


def syntax_one(project, rel):
    root = root_of(project)
    start = time.monotonic()
    r = subprocess.run([CLANG, "-fsyntax-only", "-ferror-limit=5"] + project["flags"] + [rel],
                       cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    errors = [l for l in r.stderr.splitlines() if ": error:" in l or "fatal error:" in l]
    return rel, r.returncode, errors, time.monotonic() - start


def syntax(args):
    manifest = load_manifest()
    bad = 0
    total = 0
    for p in projects(manifest, args.split, args.project):
        files = [f for f in tus(p) if not args.only or fnmatch.fnmatch(f, args.only)]
        total += len(files)
        failing = []
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for rel, rc, errors, secs in pool.map(lambda f: syntax_one(p, f), files):
                if rc != 0:
                    failing.append((rel, errors))
        bad += len(failing)
        print("%-14s %3d TUs, %d with compiler errors" % (p["name"], len(files), len(failing)))
        for rel, errors in failing:
            print("  %s" % rel)
            for e in errors[:args.errors]:
                print("    " + e)
    print("%d of %d TUs have compiler errors" % (bad, total))
    return 1 if bad else 0


# --------------------------------------------------------------------------
# packages: which Debian packages the TUs' headers come from

# What every C++ TU on this machine uses anyway (libstdc++'s <execution> and
# <algorithm> include oneTBB's headers only when they happen to be installed).
BASE_PACKAGES = ("libc6-dev", "libstdc++-12-dev", "linux-libc-dev", "libgcc-12-dev",
                 "libclang-common-22-dev", "libc++-22-dev", "libc++abi-22-dev", "libtbb-dev")


def headers_of(project, rel):
    r = subprocess.run([CLANG, "-M"] + project["flags"] + [rel], cwd=root_of(project),
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    text = r.stdout.replace("\\\n", " ")
    deps = text.split(":", 1)[1].split() if ":" in text else []
    return {os.path.realpath(d) for d in deps if d.startswith("/")}


def packages(args):
    manifest = load_manifest()
    for p in projects(manifest, args.split, args.project):
        root = os.path.realpath(root_of(p))
        headers = set()
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for hs in pool.map(lambda f: headers_of(p, f), tus(p)):
                headers |= {h for h in hs if not h.startswith(root + "/")}
        owners = {}
        hs = sorted(headers)
        for i in range(0, len(hs), 200):
            r = subprocess.run(["dpkg", "-S"] + hs[i:i + 200], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
            for line in r.stdout.splitlines():
                pkgs, _, path = line.partition(": ")
                for pkg in pkgs.split(", "):
                    owners.setdefault(pkg.split(":")[0], set()).add(path)
        used = sorted(k for k in owners if k not in BASE_PACKAGES)
        print("%-14s %s" % (p["name"], " ".join(used)))
        if args.write:
            p["debian_packages"] = used
    if args.write:
        write_manifest(manifest)


# --------------------------------------------------------------------------
# select: the TU selection rule


def select(args):
    """Rank a project's candidate files by how much concurrency they mention.

    The rule (recorded in projects.json as "selection"): candidates are the
    project's C++ sources under its library, test and example directories
    ("candidates" globs), minus vendored code ("exclude"); each scores the
    number of its lines matching SELECTION_PATTERN; files scoring 0 are
    dropped; the highest scores are kept, up to "max_tus" (ties: path order).
    """
    manifest = load_manifest()
    rule = manifest["selection"]
    pattern = re.compile(rule["pattern"])
    p = projects(manifest, None, args.project)[0]
    root = root_of(p)
    excluded = p.get("exclude", [])
    cands = [f for f in expand(root, p["candidates"])
             if f.endswith(SOURCE_EXTENSIONS) and not any(fnmatch.fnmatch(f, e) for e in excluded)]
    scored = []
    for f in cands:
        with open(os.path.join(root, f), errors="replace") as fh:
            score = sum(1 for line in fh if pattern.search(line))
        if score > 0:
            scored.append((-score, f))
    scored.sort()
    chosen = sorted(f for _, f in scored[:p.get("max_tus", rule["max_tus"])])
    if args.write:
        p["sources"] = chosen
        write_manifest(manifest)
    print("%s: %d candidates, %d mention concurrency, %d chosen"
          % (p["name"], len(cands), len(scored), len(chosen)), file=sys.stderr)
    for s, f in scored:
        print("  %4d %s%s" % (-s, f, "" if f in chosen else "   (dropped: cap)"), file=sys.stderr)
    if not args.write:
        print(json.dumps(chosen, indent=2))


# --------------------------------------------------------------------------
# run


def run_one(tether, checks, project, rel, out_dir, timeout):
    root = root_of(project)
    stem = rel.replace("/", "__")
    json_path = os.path.join(out_dir, stem + ".json")
    start = time.monotonic()
    cmd = [tether, "-p", root, "--source-root=" + root, "--checks=" + checks,
           "--config-file=" + os.path.join(HERE, "clang-tidy.yaml"),
           "-j", "1", "--quiet", "--timeout=%d" % timeout,
           "--format=json:" + json_path, os.path.join(root, rel)]
    r = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    secs = time.monotonic() - start
    record = {"tu": rel, "exit": r.returncode, "seconds": round(secs, 2),
              "stderr": r.stderr[-4000:], "findings": [], "tool_errors": [],
              "compiler_errors": []}
    try:
        with open(json_path) as f:
            report = json.load(f)
        os.remove(json_path)
    except (OSError, ValueError) as e:
        record["tool_errors"].append("no JSON report: %s" % e)
        return record
    record["tool_errors"] += [e if isinstance(e, str) else json.dumps(e) for e in report.get("errors", [])]
    for f in report.get("findings", []):
        if f["check"].startswith("clang-diagnostic"):
            record["compiler_errors"].append("%s:%s: %s" % (f["file"], f["line"], f["message"]))
        else:
            record["findings"].append({k: f[k] for k in ("check", "file", "line", "column", "message", "notes")})
    if r.returncode == 2 and not record["tool_errors"] and not record["compiler_errors"]:
        record["tool_errors"].append("exit 2: " + r.stderr.strip()[-500:])
    return record


def run(args):
    manifest = load_manifest()
    if args.split != "tune" and not args.audit:
        sys.exit("the held-out projects are run only by the auditor at the end of a round: "
                 "add --audit if that is you (see bench/corpus/README.md)")
    tether = os.path.abspath(args.tether)
    if not os.access(tether, os.X_OK):
        sys.exit("no tether binary at %s (build it, or pass --tether)" % tether)
    os.makedirs(args.out, exist_ok=True)
    version = subprocess.run([tether, "--version"], stdout=subprocess.PIPE, text=True).stdout.strip()
    status = 0
    for p in projects(manifest, args.split, args.project):
        root = root_of(p)
        if not os.path.isfile(os.path.join(root, "compile_commands.json")):
            sys.exit("%s: not prepared (run.py prepare --project %s)" % (p["name"], p["name"]))
        files = tus(p)
        # A database written before the sources were chosen (or changed)
        # would make every TU an error and the round look clean.
        with open(os.path.join(root, "compile_commands.json")) as f:
            known = {os.path.normpath(e["file"]) for e in json.load(f)}
        stale = [t for t in files if os.path.normpath(os.path.join(root, t)) not in known]
        if not files or stale:
            sys.exit("%s: the compile database does not list %s (run.py prepare --project %s)"
                     % (p["name"], ", ".join(stale[:3]) or "any TU", p["name"]))
        tmp = os.path.join(args.out, "." + p["name"])
        os.makedirs(tmp, exist_ok=True)
        start = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            records = list(pool.map(
                lambda f: run_one(tether, args.checks, p, f, tmp, args.timeout), files))
        shutil.rmtree(tmp, ignore_errors=True)
        # A finding in a header is seen from every TU that includes it: keep one.
        # Findings in a project's bundled copy of another library are not its own.
        vendored = p.get("vendored", [])
        dropped = 0
        unique = {}
        for rec in records:
            for f in rec["findings"]:
                if any(fnmatch.fnmatch(f["file"], v) for v in vendored):
                    dropped += 1
                    continue
                unique.setdefault((f["check"], f["file"], f["line"], f["message"]), dict(f, tus=[]))["tus"].append(rec["tu"])
        findings = sorted(unique.values(), key=lambda f: (f["file"], f["line"], f["check"]))
        result = {"project": p["name"], "repo": p["repo"], "commit": p["commit"],
                  "split": p["split"], "checks": args.checks, "tether": tether,
                  "tether_version": version,
                  "wall_seconds": round(time.monotonic() - start, 1),
                  "vendored_findings_dropped": dropped,
                  "tus": records, "findings": findings}
        with open(os.path.join(args.out, p["name"] + ".json"), "w") as f:
            json.dump(result, f, indent=1)
        tool = sum(1 for r in records if r["tool_errors"])
        comp = sum(1 for r in records if r["compiler_errors"])
        slow = max(records, key=lambda r: r["seconds"]) if records else None
        print("%-14s %3d TUs  %4d findings  %d TUs with tool errors  %d with compiler errors"
              "  %.0fs (slowest %s %.1fs)"
              % (p["name"], len(records), len(findings), tool, comp, result["wall_seconds"],
                 slow["tu"] if slow else "-", slow["seconds"] if slow else 0))
        if tool or comp:
            status = 2
    return status


# --------------------------------------------------------------------------
# score


def load_results(results_dir, split):
    manifest = load_manifest()
    wanted = {p["name"]: p for p in projects(manifest, split)}
    out = {}
    for name in sorted(wanted):
        path = os.path.join(results_dir, name + ".json")
        if os.path.isfile(path):
            with open(path) as f:
                out[name] = json.load(f)
    return wanted, out


def load_verdicts(verdict_dir, name):
    path = os.path.join(verdict_dir, name + ".json")
    if not os.path.isfile(path):
        return []
    with open(path) as f:
        verdicts = json.load(f)
    for v in verdicts:
        if v.get("verdict") not in ("true", "false", "debatable"):
            sys.exit("%s: verdict %r for %s:%s is not true|false|debatable"
                     % (path, v.get("verdict"), v.get("path"), v.get("line")))
    return verdicts


def pct(t, f):
    return "%.0f%%" % (100.0 * t / (t + f)) if t + f else "n/a"


def score(args):
    wanted, results = load_results(args.results, args.split)
    if not results:
        sys.exit("no results for split %s in %s" % (args.split, args.results))
    # rows[(split, check)] = counts
    rows = {}
    shapes = {}
    stale, unjudged = [], []
    for name, res in results.items():
        split = res["split"]
        verdicts = load_verdicts(args.verdicts, name)
        by_key = {}
        for v in verdicts:
            by_key.setdefault((v["check"], v["path"], int(v["line"])), []).append(v)
        seen = set()
        for f in res["findings"]:
            key = (f["check"], f["file"], int(f["line"]))
            c = rows.setdefault((split, f["check"]), {"findings": 0, "true": 0, "false": 0,
                                                      "debatable": 0, "unjudged": 0, "projects": set()})
            c["findings"] += 1
            c["projects"].add(name)
            vs = by_key.get(key)
            if not vs:
                c["unjudged"] += 1
                unjudged.append("%s:%s:%s %s: %s" % (name, f["file"], f["line"], f["check"], f["message"][:80]))
                continue
            seen.add(key)
            # Two findings of one check on one line share the verdict of the
            # one whose message it names (else the first).
            v = next((v for v in vs if f["message"].startswith(v.get("message", "")[:80])), vs[0])
            c[v["verdict"]] += 1
            if v["verdict"] == "false":
                shapes.setdefault(f["check"], {}).setdefault(v.get("shape", "?"), []).append(
                    "%s:%s:%s" % (name, f["file"], f["line"]))
        for key, vs in by_key.items():
            if key not in seen:
                for v in vs:
                    stale.append("%s:%s:%s %s (%s)" % (name, key[1], key[2], key[0], v["verdict"]))

    out = []
    splits = sorted({s for s, _ in rows})
    for split in splits:
        names = sorted(n for n, r in results.items() if r["split"] == split)
        out.append("### %s split (%s)\n" % (split, ", ".join(
            "%s@%s" % (n, results[n]["commit"][:12]) for n in names)))
        out.append("| check | projects | findings | true | false | debatable | unjudged | precision |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        tot = {"findings": 0, "true": 0, "false": 0, "debatable": 0, "unjudged": 0}
        for (s, check), c in sorted(rows.items()):
            if s != split:
                continue
            for k in tot:
                tot[k] += c[k]
            out.append("| `%s` | %d | %d | %d | %d | %d | %d | %s |" % (
                check, len(c["projects"]), c["findings"], c["true"], c["false"],
                c["debatable"], c["unjudged"], pct(c["true"], c["false"])))
        out.append("| **all** | %d | %d | %d | %d | %d | %d | %s |" % (
            len(names), tot["findings"], tot["true"], tot["false"], tot["debatable"],
            tot["unjudged"], pct(tot["true"], tot["false"])))
        out.append("")
    if shapes:
        out.append("False shapes (check: shape, count):\n")
        for check in sorted(shapes):
            for shape, where in sorted(shapes[check].items(), key=lambda kv: -len(kv[1])):
                out.append("- `%s`: %s (%d; e.g. %s)" % (check, shape, len(where), where[0]))
        out.append("")
    print("\n".join(out))
    if stale:
        print("Verdicts that match no finding (%d):" % len(stale), file=sys.stderr)
        for s in stale:
            print("  " + s, file=sys.stderr)
    if unjudged:
        print("Findings with no verdict (%d):" % len(unjudged), file=sys.stderr)
        for u in unjudged:
            print("  " + u, file=sys.stderr)
    return 0


# --------------------------------------------------------------------------
# recall: how many of the hand-marked instances does each check report?

# The smells instances/<project>.json may name, and the optional "kind" that
# says which form of it the instance is (a detached fiber or coroutine, a
# QThread): recall is printed per check, then per check and kind.
RECALL_CHECKS = ("tether-busy-wait", "tether-detached-thread", "tether-unjoined-task")
INSTANCE_KINDS = ("thread", "fiber", "coroutine", "qthread", "future")


def load_instances(instance_dir, name):
    """The hand-marked instances of one project, or None when it has no file."""
    path = os.path.join(instance_dir, name + ".json")
    if not os.path.isfile(path):
        return None
    with open(path) as f:
        instances = json.load(f)
    for i in instances:
        where = "%s: %s:%s" % (path, i.get("path"), i.get("line"))
        if i.get("check") not in RECALL_CHECKS:
            sys.exit("%s: check %r is not one of %s" % (where, i.get("check"), ", ".join(RECALL_CHECKS)))
        if not isinstance(i.get("path"), str) or not isinstance(i.get("line"), int) or not i.get("why"):
            sys.exit("%s: an instance needs path, line (a number) and why" % where)
        if i.get("kind", "thread") not in INSTANCE_KINDS:
            sys.exit("%s: kind %r is not one of %s" % (where, i.get("kind"), ", ".join(INSTANCE_KINDS)))
        span = i.get("span", [i["line"], i["line"]])
        if (not isinstance(span, list) or len(span) != 2 or not span[0] <= i["line"] <= span[1]):
            sys.exit("%s: span must be [first, last] around line" % where)
    return instances


def reports(instance, findings):
    """Does a finding of the instance's check sit on its line (or in its span)?

    A construct written over several lines (a co_spawn call, a thread
    started and detached in one statement) is found whichever of its lines
    the check puts the warning on: the instance's "span" lists them."""
    first, last = instance.get("span", [instance["line"], instance["line"]])
    return any(f["check"] == instance["check"] and f["file"] == instance["path"]
               and first <= int(f["line"]) <= last for f in findings)


def load_rounds(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["rounds"]


def floor_pct(t, judged):
    """A measured precision as the pages write it: rounded down, so that
    94.6% never reads as the 95% a default needs."""
    return "%d%%" % (100 * t // judged)


def pooled_precision(rounds):
    """Per check, the rounds' first runs summed: true, false, debatable, the
    rounds with a finding; and the detached-thread findings by task kind."""
    totals, kinds = {}, {}
    for r in rounds:
        for check, c in r["findings"].items():
            tot = totals.setdefault(check, {"true": 0, "false": 0, "debatable": 0, "rounds": []})
            for k in ("true", "false", "debatable"):
                tot[k] += c[k]
            tot["rounds"].append(r["round"])
        for kind, c in r.get("detached_by_kind", {}).items():
            k = kinds.setdefault(kind, {"true": 0, "false": 0, "rounds": []})
            k["true"] += c["true"]
            k["false"] += c["false"]
            k["rounds"].append(r["round"])
    order = ("thread", "fiber", "coroutine")
    return totals, dict(sorted(kinds.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))


def precision_line(check, tot, kinds, first, last):
    """What a check page's `precision:` says the rounds measured."""
    judged = tot["true"] + tot["false"] if tot else 0
    if not judged:
        # No tier word either: one would be a claim nobody measured.
        return "not measured (no held-out finding judged true or false, rounds %s to %s%s)" % (
            first, last, ", %d debatable" % tot["debatable"] if tot and tot["debatable"] else "")
    line = "%s (%d of %d judged held-out findings true, rounds %s to %s, %d debatable" % (
        floor_pct(tot["true"], judged), tot["true"], judged, first, last, tot["debatable"])
    if check == "tether-detached-thread" and kinds:
        since = min(round_order(k["rounds"][0]) for k in kinds.values())
        line += "; by kind since round %d: %s" % (since, ", ".join(
            "%ss %d of %d" % (kind, k["true"], k["true"] + k["false"]) for kind, k in kinds.items()))
    return line + ")"


def round_order(name):
    return int(name.split("+")[0])


def page_front_matter(path):
    """The key: value lines between a page's two '---' lines."""
    with open(path, encoding="utf-8") as f:
        text = f.read().lstrip("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        return {}
    front = text[4:].split("\n---\n", 1)[0]
    return dict((k.strip(), v.strip()) for k, _, v in (l.partition(":") for l in front.splitlines()))


def pooled(args):
    rounds = load_rounds(args.rounds)
    if args.readme and not args.pages:
        print("--readme needs --pages", file=sys.stderr)
        return 2
    if args.since:
        # "7+8" reaches round 8: --since 8 keeps it.
        rounds = [r for r in rounds
                  if int(r["round"].split("+")[-1]) >= round_order(args.since)]
    if not rounds:
        print("no round from %s on" % args.since, file=sys.stderr)
        return 2
    first, last = rounds[0]["round"].split("+")[0], rounds[-1]["round"].split("+")[-1]
    totals, kinds = pooled_precision(rounds)
    if args.pages:
        return check_pages(args.pages, totals, kinds, first, last, args.readme, args.write)
    print("Held-out rounds %s to %s (%d runs, each with its round's frozen binary); "
          "precision = true / (true + false)\n" % (first, last, len(rounds)))
    print("| check | rounds | findings | true | false | debatable | precision |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for check, t in sorted(totals.items(), key=lambda kv: -(kv[1]["true"] + kv[1]["false"])):
        print("| `%s` | %d | %d | %d | %d | %d | %s |" % (
            check, len(t["rounds"]), t["true"] + t["false"] + t["debatable"], t["true"], t["false"],
            t["debatable"], floor_pct(t["true"], t["true"] + t["false"]) if t["true"] + t["false"] else "n/a"))
    if kinds:
        print("\n`tether-detached-thread` by task kind (judged findings):\n")
        print("| kind | true | judged | precision | rounds |")
        print("|---|---:|---:|---:|---|")
        for kind, k in kinds.items():
            judged = k["true"] + k["false"]
            print("| %s | %d | %d | %s | %s |" % (kind, k["true"], judged,
                                                 floor_pct(k["true"], judged) if judged else "n/a",
                                                 ", ".join(k["rounds"])))
    return 0


def readme_cell(tot, on):
    """The README table's default column for a check: its tier and what the
    rounds measured."""
    tier = "**on**" if on else "opt-in"
    judged = tot["true"] + tot["false"] if tot else 0
    if not judged:
        return "%s (not yet measured)" % tier
    return "%s (%s of %d judged held-out)" % (tier, floor_pct(tot["true"], judged), judged)


README_ROW = re.compile(r"^(\| `(tether-[a-z-]+)` \|.*\| )([^|]*)( \|)$")


def check_readme(readme, pages, totals, write=False):
    """Each check has one row in the README's table, whose default column
    says the page's tier and what the rounds measured."""
    wrong = 0
    rows = {}
    with open(readme, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for line in lines:
        m = README_ROW.match(line)
        if m:
            rows.setdefault(m.group(2), []).append(m.group(3))
    wants = {}
    for path in sorted(glob.glob(os.path.join(pages, "tether-*.md"))):
        check = os.path.basename(path)[:-3]
        want = readme_cell(totals.get(check), page_front_matter(path).get("default") == "on")
        said = rows.get(check, [])
        if said != [want]:
            print("%s: the row of %s says %s\n  the rounds measured: %s" % (
                readme, check, " and ".join(said) or "nothing", want))
            wrong += 1
            wants[check] = want
    if write and wants:
        # Only a row that is there can be rewritten; a missing one stays wrong.
        def rewritten(line):
            m = README_ROW.match(line)
            return m.group(1) + wants[m.group(2)] + m.group(4) if m and m.group(2) in wants else line
        lines = [rewritten(l) for l in lines]
        with open(readme, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    return wrong


def rewrite_precision(path, line):
    """Replaces the precision: line of a page's front matter."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"(?m)^precision:.*$", lambda _: "precision: " + line, text, count=1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def check_pages(pages, totals, kinds, first, last, readme=None, write=False):
    """Every check page states what the rounds measured, and a check is on
    by default only at 95% or more over at least 20 judged findings."""
    paths = sorted(glob.glob(os.path.join(pages, "tether-*.md")))
    if not paths:
        print("no check page (tether-*.md) in %s" % pages, file=sys.stderr)
        return 2
    wrong = check_readme(readme, pages, totals, write) if readme else 0
    for path in paths:
        check = os.path.basename(path)[:-3]
        front = page_front_matter(path)
        if front.get("default") not in ("on", "off"):
            print("%s: no front matter with default: on or off" % path)
            wrong += 1
            continue
        said = front.get("precision", "")
        tot = totals.get(check)
        want = precision_line(check, tot, kinds, first, last)
        if said != want:
            print("%s: precision: %s\n  the rounds measured: %s" % (path, said, want))
            wrong += 1
            if write and "precision" in front:
                rewrite_precision(path, want)
        judged = tot["true"] + tot["false"] if tot else 0
        if front.get("default") == "on" and (judged < 20 or 100 * tot["true"] < 95 * judged):
            print("%s: default: on, but the rounds measured %s" % (path, want))
            wrong += 1
    print("%d check page%s or README row%s disagree%s with bench/corpus/rounds.json%s" % (
        wrong, "" if wrong == 1 else "s", "" if wrong == 1 else "s", "s" if wrong == 1 else "",
        " (rewritten)" if write and wrong else ""))
    if write and wrong:
        # What could not be rewritten (a missing line or row, a default) is still wrong.
        return check_pages(pages, totals, kinds, first, last, readme)
    return 1 if wrong else 0


def recall(args):
    manifest = load_manifest()
    wanted = projects(manifest, args.split)
    rows = {}      # (split, check, kind or None) -> [instances, found]
    reported = {}  # (split, check) -> findings of that check in the joined projects
    missed = []
    joined = {}
    for p in wanted:
        name = p["name"]
        instances = load_instances(args.instances, name)
        path = os.path.join(args.results, name + ".json")
        if instances is None:
            if os.path.isfile(path):
                print("%s: results but no instances/%s.json (not hand-marked): left out"
                      % (name, name), file=sys.stderr)
            continue
        if not os.path.isfile(path):
            print("%s: %d instances but no results in %s: left out" % (name, len(instances), args.results),
                  file=sys.stderr)
            continue
        with open(path) as f:
            res = json.load(f)
        if res.get("commit") and res["commit"] != p["commit"]:
            print("%s: results are of commit %s, the manifest pins %s"
                  % (name, res["commit"][:12], p["commit"][:12]), file=sys.stderr)
        split = p["split"]
        joined.setdefault(split, []).append(name)
        findings = res.get("findings", [])
        for check in RECALL_CHECKS:
            reported[(split, check)] = reported.get((split, check), 0) + sum(
                1 for f in findings if f["check"] == check)
            rows.setdefault((split, check, None), [0, 0])
        for i in instances:
            found = reports(i, findings)
            for key in ((split, i["check"], None), (split, i["check"], i.get("kind", "thread"))):
                c = rows.setdefault(key, [0, 0])
                c[0] += 1
                c[1] += found
            if not found:
                missed.append("%s:%s:%s %s%s: %s" % (
                    name, i["path"], i["line"], i["check"],
                    " (%s)" % i["kind"] if "kind" in i else "", i["why"]))
    if not joined:
        sys.exit("no project of split %s has both instances in %s and results in %s"
                 % (args.split, args.instances, args.results))

    def pct(found, total):
        return "%.0f%%" % (100.0 * found / total) if total else "n/a"

    out = []
    for split in sorted(joined):
        out.append("### %s split, recall (%s)\n" % (split, ", ".join(sorted(joined[split]))))
        out.append("| check | kind | instances | found | recall | findings |")
        out.append("|---|---|---:|---:|---:|---:|")
        for check in RECALL_CHECKS:
            total, found = rows[(split, check, None)]
            out.append("| `%s` | all | %d | %d | %s | %d |" % (
                check, total, found, pct(found, total), reported[(split, check)]))
            # One row per kind, unless every instance is a plain thread's.
            kinds = [k for k in INSTANCE_KINDS if (split, check, k) in rows]
            if kinds != ["thread"]:
                for kind in kinds:
                    t, f = rows[(split, check, kind)]
                    out.append("| | %s | %d | %d | %s | |" % (kind, t, f, pct(f, t)))
        out.append("")
    print("\n".join(out))
    if missed:
        print("Missed instances (%d):" % len(missed))
        for m in missed:
            print("  " + m)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("prepare")
    a.add_argument("--split", default="all", choices=["tune", "heldout", "all"])
    a.add_argument("--project")
    a = sub.add_parser("syntax")
    a.add_argument("--split", default="all", choices=["tune", "heldout", "all"])
    a.add_argument("--project")
    a.add_argument("-j", "--jobs", type=int, default=2)
    a.add_argument("--errors", type=int, default=3, help="compiler errors shown per TU")
    a.add_argument("--only", help="only the TUs matching this glob")
    a = sub.add_parser("packages")
    a.add_argument("--split", default="all", choices=["tune", "heldout", "all"])
    a.add_argument("--project")
    a.add_argument("-j", "--jobs", type=int, default=2)
    a.add_argument("--write", action="store_true", help="store them as debian_packages in projects.json")
    a = sub.add_parser("select")
    a.add_argument("--project", required=True)
    a.add_argument("--write", action="store_true", help="store the chosen list in projects.json")
    a = sub.add_parser("run")
    a.add_argument("--split", required=True, choices=["tune", "heldout", "all"])
    a.add_argument("--project")
    a.add_argument("--tether", default=DEFAULT_TETHER)
    a.add_argument("--checks", default=ALL_CHECKS)
    a.add_argument("--out", required=True)
    a.add_argument("-j", "--jobs", type=int, default=2)
    a.add_argument("--timeout", type=int, default=900, help="seconds per TU")
    a.add_argument("--audit", action="store_true",
                   help="run the held-out half (only the auditor, at the end of a round)")
    a = sub.add_parser("score")
    a.add_argument("--verdicts", default=os.path.join(HERE, "verdicts"))
    a.add_argument("--results", required=True)
    a.add_argument("--split", default="all", choices=["tune", "heldout", "all"])
    a = sub.add_parser("recall")
    a.add_argument("--instances", default=os.path.join(HERE, "instances"))
    a.add_argument("--results", required=True)
    a.add_argument("--split", default="all", choices=["tune", "heldout", "all"])
    a = sub.add_parser("pooled", help="sum every held-out round's first run, per check")
    a.add_argument("--rounds", default=os.path.join(HERE, "rounds.json"))
    a.add_argument("--since", help="only the rounds from this one on (e.g. 20)")
    a.add_argument("--pages", help="check that each page's precision: line says what the rounds measured")
    a.add_argument("--readme", help="with --pages: also the README table's default column")
    a.add_argument("--write", action="store_true",
                   help="with --pages: rewrite the precision: lines (and README cells) that disagree")
    args = ap.parse_args()
    return {"prepare": prepare, "syntax": syntax, "packages": packages, "select": select, "run": run,
            "score": score, "recall": recall, "pooled": pooled}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main())
