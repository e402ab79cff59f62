#!/usr/bin/env python3
"""Top frames of a JFR recording: CPU samples (self and with-callees for io.unimq/JDK-concurrency frames)
and allocation samples by allocating frame. Usage: jfr-top.py FILE.jfr [top=25] [thread_regex]"""
import collections, re, subprocess, sys

f = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
thr = re.compile(sys.argv[3]) if len(sys.argv) > 3 else None

def events(name, depth):
    out = subprocess.run(["jfr", "print", "--events", name, "--stack-depth", str(depth), f], capture_output=True, text=True).stdout
    for ev in out.split(name + " {")[1:]:
        m = re.search(r'sampledThread = "([^"]*)"', ev) or re.search(r'eventThread = "([^"]*)"', ev)
        t = m.group(1) if m else "?"
        if thr and not thr.search(t):
            continue
        frames = re.findall(r"^\s+([\w$.<>/]+\(.*?\))\s+line:", ev, re.M)
        w = re.search(r"weight = ([\d.]+) (\w+)", ev)
        weight = 1.0
        if w:
            unit = w.group(2)
            weight = float(w.group(1)) * {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}.get(unit, 1)
        yield t, frames, weight

cpu_self = collections.Counter(); cpu_incl = collections.Counter(); n = 0
for t, frames, _ in events("jdk.ExecutionSample", 30):
    n += 1
    if frames:
        cpu_self[frames[0]] += 1
    for fr in set(frames):
        if "io.unimq" in fr:
            cpu_incl[fr] += 1
print(f"CPU samples: {n}")
print("-- self (top frame)")
for k, v in cpu_self.most_common(top):
    print(f"{100.0*v/max(n,1):5.1f}%  {k}")
print("-- inclusive, io.unimq frames")
for k, v in cpu_incl.most_common(top):
    print(f"{100.0*v/max(n,1):5.1f}%  {k}")
alloc = collections.Counter(); total = 0.0
for t, frames, w in events("jdk.ObjectAllocationSample", 6):
    total += w
    key = next((fr for fr in frames if "io.unimq" in fr), frames[0] if frames else "?")
    alloc[key] += w
print(f"-- allocation by first io.unimq frame (else top frame), total sampled {total/1e6:.0f} MB")
for k, v in alloc.most_common(top):
    print(f"{100.0*v/max(total,1):5.1f}%  {k}")
