#!/usr/bin/env python3
"""The benchmark of bench/run.sh: swaggate lint (apig profile) and
swaggate normalize --canonical against the parse floor (bench/parse_floor)
and the peers (swagger-cli validate, spectral lint with spectral:oas,
redocly lint), on the same files, on one machine, in one run.

Every tool runs as a process under /usr/bin/time (peak RSS, %M); the wall
time is taken around it here. The tools alternate inside each round and the
order rotates from round to round; each figure is the median of the rounds.
Standard library only. bench/run.sh sets everything up and calls it:
  peers.py --swaggate S --floor F --peers DIR --data DIR --out RESULTS.md
           [--corpus DIR] [--runs N] [--quick] [--peer-timeout S]
"""
import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BIG = 20e6  # above this, peers run once (minutes each, when they finish); --peer-once-mb
LIMITS = ["--limit", "file-size=2000000000", "--limit", "nodes=100000000",
          "--limit", "apig-apis=1000000", "--limit", "alias-expansion=1000000000"]
BEGIN = "<!-- bench/run.sh: lint and normalize vs peers (begin) -->"
END = "<!-- bench/run.sh: lint and normalize vs peers (end) -->"


def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def run(cmd, timeout, env=None):
    """(wall seconds, peak RSS KiB, exit status or 'timeout')"""
    fd, tf = tempfile.mkstemp(prefix="bench-time.")
    os.close(fd)
    t0 = time.perf_counter()
    # its own process group: a timeout ends the tool too, not only /usr/bin/time
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", tf] + cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    # A blocking wait, the timeout on a timer: Popen.wait(timeout=...) polls
    # with sleeps of up to 50 ms, which rounded every time up to its
    # schedule (0.016, 0.032, 0.064, 0.114 s, ...).
    expired = []

    def kill():
        expired.append(1)
        try:
            os.killpg(p.pid, 9)
        except OSError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    rc = p.wait()
    wall = time.perf_counter() - t0
    timer.cancel()
    if expired:
        rc = "timeout"
    rss = 0
    try:
        m = re.findall(r"^(\d+)\s*$", open(tf).read(), re.M)
        rss = int(m[-1]) if m else 0
    except OSError:
        pass
    os.unlink(tf)
    return wall, rss, rc


class Tool:
    def __init__(self, name, argv, peer=False, env=None, ok=(0, 1)):
        self.name, self.argv, self.peer, self.env, self.ok = name, argv, peer, env, ok

    def cmd(self, f):
        return [a.replace("{}", f) for a in self.argv]


def median(xs):
    return statistics.median(xs) if xs else None


def measure(tools, files, runs, timeout, log):
    """{file: {tool: (median wall, median rss, statuses)}}"""
    out = {}
    for f in files:
        size = os.path.getsize(f)
        res = {t.name: [] for t in tools}
        for r in range(runs):
            order = tools[r % len(tools):] + tools[:r % len(tools)]
            for t in order:
                if t.peer and size > BIG and r > 0:
                    continue
                if t.name == "parse floor" and not floor_applies(f):
                    continue
                res[t.name].append(run(t.cmd(f), timeout if t.peer else 3600, t.env))
        out[f] = {}
        for t in tools:
            rs = res[t.name]
            if not rs:
                continue
            good = [x for x in rs if x[2] in t.ok]
            src = good if good else rs
            out[f][t.name] = (median([x[0] for x in src]), median([x[1] for x in src]),
                              sorted({str(x[2]) for x in rs}), len(rs), bool(good))
        log("%-48s %s" % (os.path.basename(f)[:48], "  ".join(
            "%s %.3fs" % (k, v[0]) for k, v in out[f].items())))
    return out


def floor_applies(f):
    return f.endswith(".json") or f.endswith(".yaml") or f.endswith(".yml")


def human(n):
    for unit, div in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= div:
            return "%.1f %s" % (n / div, unit)
    return "%d B" % n


def fmt_t(v):
    if v is None:
        return "-"
    return "%.3f s" % v if v < 10 else "%.1f s" % v


def cell(r):
    if r is None:
        return "-"
    wall, rss, st, n, good = r
    s = "%s / %d MiB" % (fmt_t(wall), round(rss / 1024))
    if not good:
        s += " (%s)" % ("timeout" if "timeout" in st else "exit " + ",".join(st))
    if n == 1:
        s += " ¹"
    return s


def versions(args, peers):
    v = {}
    try:
        v["swaggate"] = subprocess.run([args.swaggate, "version"], capture_output=True, text=True,
                                       timeout=30).stdout.strip().replace("\n", "; ")
    except (OSError, subprocess.TimeoutExpired):
        v["swaggate"] = "?"
    for name, pkg in peers:
        pj = os.path.join(args.peers, "node_modules", pkg, "package.json")
        m = re.search(r'"version"\s*:\s*"([^"]+)"', open(pj).read()) if os.path.exists(pj) else None
        v[name] = "%s %s" % (pkg, m.group(1) if m else "?")
    for prog in ("node", "npm"):
        try:
            v[prog] = subprocess.run([prog, "--version"], capture_output=True, text=True,
                                     timeout=60).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            v[prog] = "?"
    return v


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()).group(1))
        mem = "%.0f GiB" % (kb / 1048576)
    except (OSError, AttributeError):
        pass
    return "%s, %d cores, %s RAM, %s %s" % (cpu, os.cpu_count() or 0, mem, platform.system(),
                                            platform.release())


def corpus_docs(corpus):
    docs = []
    for name in sorted(os.listdir(corpus)):
        p = os.path.join(corpus, name)
        if os.path.isfile(p) and (name.endswith(".json") or name.endswith(".yaml")):
            docs.append(p)
    for sub in ("json/spec/swagger.json", "yaml/spec/swagger.yaml"):
        p = os.path.join(corpus, "openapis.org__petstore-separate", sub)
        if os.path.exists(p):
            docs.append(p)
    return docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--swaggate", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--peers", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--corpus", default="")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--stages", default="", help="bench/lint_stages, for the in-process table")
    ap.add_argument("--parts", default="table,stages,many,perfile",
                    help="what to run: table, stages, many, perfile (comma-separated)")
    ap.add_argument("--peer-timeout", type=float, default=300)
    ap.add_argument("--peer-once-mb", type=float, default=20,
                    help="peers run once on files above this size")
    ap.add_argument("--corpus-peers", default="all",
                    help="peers run on every corpus document: all, or names (swagger-cli,redocly)")
    args = ap.parse_args()
    global BIG
    BIG = args.peer_once_mb * 1e6
    log = lambda s: print(s, flush=True)

    sg = args.swaggate
    bin_ = os.path.join(args.peers, "node_modules", ".bin")
    penv = dict(os.environ, REDOCLY_TELEMETRY="off", REDOCLY_SUPPRESS_UPDATE_NOTICE="true",
                NO_COLOR="1", SCARF_ANALYTICS="false")
    peer_tools = [
        Tool("swagger-cli", [os.path.join(bin_, "swagger-cli"), "validate", "{}"], True, penv),
        Tool("spectral", [os.path.join(bin_, "spectral"), "lint", "-r",
                          os.path.join(args.peers, ".spectral.yaml"), "{}"], True, penv),
        Tool("redocly", [os.path.join(bin_, "redocly"), "lint", "{}"], True, penv),
    ]
    peer_pkgs = [("swagger-cli", "@apidevtools/swagger-cli"), ("spectral", "@stoplight/spectral-cli"),
                 ("redocly", "@redocly/cli")]
    if args.no_peers:
        peer_tools, peer_pkgs = [], []
    has_norm = subprocess.run([sg, "normalize", "--help"], capture_output=True).returncode == 0
    # swaggate lint as users run it (one file: reading and checks on two
    # threads when the machine has two CPUs), and held to one thread (-j 1)
    tools = [Tool("parse floor", [args.floor, "{}"], ok=(0,)),
             Tool("swaggate lint", [sg, "lint", "--no-source"] + LIMITS + ["{}"]),
             Tool("swaggate lint -j 1", [sg, "lint", "--no-source", "-j", "1"] + LIMITS + ["{}"])]
    notes = []
    if has_norm:
        tools.append(Tool("swaggate normalize", [sg, "normalize", "--canonical"] + LIMITS + ["{}"],
                          ok=(0, 1)))
    else:
        notes.append("`swaggate normalize` does not exist in this build: its column is skipped.")
        log("note: swaggate normalize does not exist in this build: skipped")
    tools += peer_tools

    sizes = ["100KB", "1MB", "10MB"] + ([] if args.quick else ["100MB"])
    gen = [os.path.join(args.data, "apig-%s.%s" % (s, e)) for s in sizes for e in ("json", "yaml")]
    real = []
    if args.corpus:
        docs = corpus_docs(args.corpus)
        jsons = sorted((d for d in docs if d.endswith(".json")), key=os.path.getsize, reverse=True)
        yamls = sorted((d for d in docs if d.endswith(".yaml")), key=os.path.getsize, reverse=True)
        real = jsons[:1] + yamls[:1 if args.quick else 3]
        mid = [d for d in docs if "xero.com" in d]  # PEERS.md's mid-size anchor
        real += mid[:1]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    parts = args.parts.split(",")
    load0 = load()
    log("load average before: %s" % load0)
    stages = many = per_file = None
    vers = versions(args, peer_pkgs)
    order = sorted(gen + real, key=os.path.getsize)
    table = {}

    def flush():
        write_section(args.out, report(args, tools, table, gen, real, notes, vers, started, load0,
                                       load(), many, per_file, peer_tools, stages, parts))

    if "table" in parts:
        for f in order:  # smallest first; the section is rewritten after each file
            table.update(measure(tools, [f], args.runs, args.peer_timeout, log))
            flush()
    load1 = load()

    # ---- in one process, stage by stage (bench/lint_stages, CPU time)
    if "stages" in parts and args.stages and os.access(args.stages, os.X_OK):
        s0 = load()
        p = subprocess.run([args.stages, "-n", str(args.runs)] + gen + real, capture_output=True,
                           text=True)
        stages = (s0, load(), p.stdout.rstrip())
        log(p.stdout.rstrip())
        flush()

    # ---- the many-files run: -j 2 in one process vs one process per file
    if args.corpus and ("many" in parts or "perfile" in parts):
        docs = corpus_docs(args.corpus)
        log("corpus: %d documents" % len(docs))
        # one process per file, sequential and two at a time; one process -j 1 and -j 2
        script_seq = "for f in \"$@\"; do \"$0\" lint --no-source \"$f\" >/dev/null 2>&1; done"
        script_par = ("printf '%s\\0' \"$@\" | xargs -0 -n 1 -P 2 \"$0\" lint --no-source "
                      ">/dev/null 2>&1; true")
        variants = [
            ("`swaggate lint -j 2` (one process)", [sg, "lint", "--no-source", "-j", "2"] + docs),
            ("`swaggate lint -j 1` (one process)", [sg, "lint", "--no-source", "-j", "1"] + docs),
            ("one process per file, 2 at a time (xargs -P 2)", ["sh", "-c", script_par, sg] + docs),
            ("one process per file, one after the other", ["sh", "-c", script_seq, sg] + docs),
        ]
        if "many" in parts:
            lm0 = load()
            res = {n: [] for n, _ in variants}
            for r in range(args.runs):
                for n, c in (variants if r % 2 == 0 else variants[::-1]):
                    res[n].append(run(c, 3600))
            many = (lm0, load(), [(n, median([x[0] for x in res[n]]),
                                   median([x[1] for x in res[n]])) for n, _ in variants])
            log("many files: " + "; ".join("%s %.2fs" % (n, t) for n, t, _ in many[2]))
            flush()

        # every document: swaggate lint (median of the runs) vs each peer
        if "perfile" not in parts:
            docs = []
        pl0 = load()
        sample = docs
        peer_runs = 1
        if args.quick:
            sample = docs[::10]
        per = {}
        corpus_peers = [t for t in peer_tools
                        if args.corpus_peers == "all" or t.name in args.corpus_peers.split(",")]
        for i, f in enumerate(sample):
            lint = [run([sg, "lint", "--no-source"] + LIMITS + [f], 600)[0] for _ in range(args.runs)]
            pt = {}
            for t in corpus_peers:
                rs = [run(t.cmd(f), min(args.peer_timeout, 120), t.env) for _ in range(peer_runs)]
                pt[t.name] = (median([x[0] for x in rs]), rs[0][2])
            per[f] = (median(lint), pt)
            if i % 25 == 0:
                log("corpus %d/%d" % (i + 1, len(sample)))
            if i % 25 == 24:
                per_file = (pl0, load(), per, peer_runs, len(per), len(docs),
                            [t.name for t in corpus_peers])
                flush()
        if docs:
            per_file = (pl0, load(), per, peer_runs, len(per), len(docs),
                        [t.name for t in corpus_peers])
    flush()
    log("written: %s" % args.out)


def report(args, tools, table, gen, real, notes, vers, started, load0, load1, many, per_file,
           peer_tools, stages=None, parts=None):
    L = []
    L.append(BEGIN)
    L.append("## lint and normalize vs peers")
    L.append("")
    L.append("Written by `bench/run.sh%s` (also `make bench-peers`) on %s. Machine: %s. Load "
             "average (1, 5, 15 min) at the start: %s; when this was written: %s." %
             (" --quick" if args.quick else "", started, machine(), load0, load1))
    if parts and set(parts) != {"table", "stages", "many", "perfile"}:
        L.append("")
        L.append("Parts run: %s." % ", ".join(parts))
    L.append("")
    L.append("Versions: " + "; ".join("%s: %s" % (k, v) for k, v in vers.items()) + ".")
    L.append("")
    L.append("Each cell: median wall time of %d runs / median peak RSS (`/usr/bin/time`, %%M), "
             "whole process. Tools alternate within each round, the order rotating; a peer on a "
             "file above %g MB runs once (¹). The parse floor (`bench/parse_floor`) reads the "
             "file and parses it with libyaml's event API (YAML) or json-c's tokener (JSON) and "
             "throws the result away. `swaggate lint` runs the apig profile (model, resolve, "
             "swagger, schema, apig) with the limits raised for the 100 MB files (`--limit "
             "file-size=... nodes=... apig-apis=...`), as users run it: on a file of 64 KiB or "
             "more, reading and checks use two threads; `swaggate lint -j 1` keeps to one "
             "thread; peers: `swagger-cli validate`, `spectral "
             "lint` with `extends: [\"spectral:oas\"]`, `redocly lint` (recommended rules). "
             "Generated files: `bench/gen-apig.py` (JSON) and `bench/json2yaml.py` (the same "
             "content as YAML)." % (args.runs, BIG / 1e6))
    L.append("")
    for n in notes:
        L.append("- " + n)
    if notes:
        L.append("")
    names = [t.name for t in tools]
    peers = [t.name for t in peer_tools]
    hdr = ["file", "size"] + names + ["lint / floor", "lint -j 1 / floor"]
    if "swaggate normalize" in names:
        hdr.append("normalize / floor")
    if peers:
        hdr.append("fastest peer / lint")
    hdr += ["lint RSS / size", "lint ms per MB"]
    L.append("| " + " | ".join(hdr) + " |")
    L.append("|" + "---|" * len(hdr))
    for f in gen + real:
        if f not in table:
            continue
        r = table[f]
        size = os.path.getsize(f)
        row = [os.path.basename(f), human(size)] + [cell(r.get(n)) for n in names]
        fl = r.get("parse floor")
        li = r.get("swaggate lint")
        no = r.get("swaggate normalize")
        ratio = lambda a, b: "%.2fx" % (a[0] / b[0]) if a and b and b[0] > 0 else "-"
        row.append(ratio(li, fl))
        row.append(ratio(r.get("swaggate lint -j 1"), fl))
        if "swaggate normalize" in names:
            row.append(ratio(no, fl))
        if peers:
            done = [r[p] for p in peers if p in r and r[p][4]]
            best = min(done, key=lambda x: x[0]) if done else None
            row.append(ratio(best, li) if best else "no peer finished")
        row.append("%.1fx" % (li[1] * 1024 / size) if li else "-")
        row.append("%.1f" % (li[0] * 1000 / (size / 1e6)) if li else "-")
        L.append("| " + " | ".join(row) + " |")
    L.append("")
    gl = [(os.path.getsize(f), table[f]["swaggate lint"][0]) for f in gen
          if f in table and "swaggate lint" in table[f]]
    if gl:
        for ext in ("json", "yaml"):
            per_mb = [t * 1e3 / (s / 1e6) for (s, t), f in zip(gl, [g for g in gen if g in table])
                      if f.endswith(ext)]
            if per_mb:
                L.append("- Generated %s, lint time per MB from the smallest to the largest: %s "
                         "ms/MB; largest / smallest: %.2fx." %
                         (ext.upper(), ", ".join("%.1f" % x for x in per_mb),
                          max(per_mb) / min(per_mb)))
        L.append("")
    if stages:
        s0, s1, text = stages
        L.append("### In one process, stage by stage")
        L.append("")
        L.append("`bench/lint_stages -n %d` on the same files: the CPU time (ms, median) of each "
                 "stage of `swaggate lint` without process start-up, schema compilation or "
                 "output; build = reader + json-c model + marks (load average %s before, %s "
                 "after)." % (args.runs, s0, s1))
        L.append("")
        L.append("```")
        L.append(text)
        L.append("```")
        L.append("")
    if many:
        lm0, lm1, rows = many
        L.append("### Many files: the corpus in one process or one process per file")
        L.append("")
        L.append("All %s documents of `$SWAGGATE_CORPUS` (median of %d runs; load average %s "
                 "before, %s after)." % ("the", args.runs, lm0, lm1))
        L.append("")
        L.append("| how | wall | peak RSS |")
        L.append("|---|---|---|")
        for n, t, rss in rows:
            L.append("| %s | %.2f s | %d MiB |" % (n, t, round(rss / 1024)))
        L.append("")
    if per_file:
        pl0, pl1, per, peer_runs, nsample, ndocs, cpeers = per_file
        L.append("### Every corpus document: swaggate lint vs the fastest peer")
        L.append("")
        L.append("%d of %d documents (swaggate: median of %d runs; peers run: %s, %d run each; a "
                 "peer that fails or times out (%g s) on a file still counts with its time; load "
                 "average %s before, %s after)." % (nsample, ndocs, args.runs, ", ".join(cpeers)
                                                    or "none", peer_runs,
                                                    min(args.peer_timeout, 120), pl0, pl1))
        L.append("")
        ratios = []
        for f, (lt, pt) in per.items():
            if pt:
                best = min(v[0] for v in pt.values())
                ratios.append((best / lt if lt > 0 else 0, f, lt, best))
        if ratios:
            ratios.sort()
            below = [x for x in ratios if x[0] < 10]
            L.append("- swaggate lint per document: median %.1f ms, slowest %.1f ms (%s)." % (
                statistics.median([x[2] for x in ratios]) * 1e3, max(x[2] for x in ratios) * 1e3,
                os.path.basename(max(ratios, key=lambda x: x[2])[1])))
            L.append("- fastest peer / swaggate lint: lowest %.1fx (%s: %.3f s vs %.3f s), median "
                     "%.1fx; documents under 10x: %d." % (
                         ratios[0][0], os.path.basename(ratios[0][1]), ratios[0][3], ratios[0][2],
                         statistics.median([x[0] for x in ratios]), len(below)))
            L.append("")
            L.append("The five lowest ratios:")
            L.append("")
            L.append("| document | size | swaggate lint | fastest peer | ratio |")
            L.append("|---|---|---|---|---|")
            for r, f, lt, best in ratios[:5]:
                L.append("| %s | %s | %.3f s | %.3f s | %.1fx |" % (
                    os.path.basename(f), human(os.path.getsize(f)), lt, best, r))
            L.append("")
        else:
            L.append("- swaggate lint per document: median %.1f ms, slowest %.1f ms (no peers run)."
                     % (statistics.median([v[0] for v in per.values()]) * 1e3,
                        max(v[0] for v in per.values()) * 1e3))
            L.append("")
    L.append(END)
    return "\n".join(L) + "\n"


def write_section(path, md):
    old = open(path).read() if os.path.exists(path) else "# Benchmarks\n\n"
    if BEGIN in old and END in old:
        a = old.index(BEGIN)
        b = old.index(END) + len(END)
        new = old[:a] + md.rstrip("\n") + old[b:]
    else:
        new = old.rstrip("\n") + "\n\n" + md
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(new)
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
