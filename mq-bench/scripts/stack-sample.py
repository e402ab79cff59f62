#!/usr/bin/env python3
"""Poor man's wall-clock profiler: N thread dumps of PID (jcmd Thread.print), then, per thread
group (name with digits and hex ids folded), the most frequent state + top frames.
Usage: stack-sample.py PID [samples=40] [interval_s=0.25] [name_filter=unimq|bench] [depth=6]"""
import collections, re, subprocess, sys, time

pid = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 40
interval = float(sys.argv[3]) if len(sys.argv) > 3 else 0.25
flt = re.compile(sys.argv[4] if len(sys.argv) > 4 else "unimq|bench")
depth = int(sys.argv[5]) if len(sys.argv) > 5 else 6
counts = collections.defaultdict(collections.Counter)
totals = collections.Counter()
for _ in range(n):
    out = subprocess.run(["jcmd", pid, "Thread.print"], capture_output=True, text=True).stdout
    for block in out.split("\n\n"):
        lines = block.strip().splitlines()
        if not lines or not lines[0].startswith('"'):
            continue
        name = lines[0].split('"')[1]
        if not flt.search(name):
            continue
        group = re.sub(r"[0-9a-f]{6,}", "*", name)
        group = re.sub(r"\d+", "N", group)
        state = next((l.strip().split(":", 1)[1].strip() for l in lines if "java.lang.Thread.State" in l), "?")
        frames = [l.strip()[3:] for l in lines if l.strip().startswith("at ")][:depth]
        key = state + "\n      " + "\n      ".join(frames)
        counts[group][key] += 1
        totals[group] += 1
    time.sleep(interval)
for group, c in sorted(counts.items(), key=lambda kv: -totals[kv[0]]):
    print(f"== {group}  ({totals[group]} thread-samples)")
    for key, k in c.most_common(4):
        print(f"  {100.0 * k / totals[group]:5.1f}%  {key}")
