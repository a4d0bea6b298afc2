#!/usr/bin/env python3
"""Render the scsynth `sampler32` benchmark score with synth-engine and with scsynth, side by side.

Usage: compare-scsynth.py [REPS]   (needs ../shared/bench/scsynth installed: scsynth, /usr/bin/time)

Maps each `bench_sampler` event to `/dirt/play s bench n 0 speed RATE cutoff C amp A pan (P+1)/2`
(sample.wav becomes the only file of a bank `bench`), renders 60 s at 48 kHz with
`synth-engine render` (release build) and scsynth NRT, and prints CPU seconds (user+sys),
real-time factor and peak RSS for both, medians of REPS runs, measured from wait4() rusage.
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
SHARED = os.environ.get("OSTINATO_SHARED", os.path.abspath(os.path.join(REPO, "..", "shared")))
BENCH = os.path.join(SHARED, "bench", "scsynth")
WORK = "/tmp/ostinato-bench"
ENGINE = os.path.join(REPO, "target", "release", "synth-engine")


def run(cmd):
    """Runs cmd, returns (cpu seconds, wall seconds, peak RSS MB) from its own rusage."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode(errors="replace")
    if status != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), err))
    return ru.ru_utime + ru.ru_stime, wall, ru.ru_maxrss / 1024.0


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    os.makedirs(WORK, exist_ok=True)
    subprocess.check_call(["python3", os.path.join(BENCH, "make_scores.py"),
                           os.path.join(BENCH, "defs"), WORK], stdout=subprocess.DEVNULL)
    bank = os.path.join(WORK, "samples", "bench")
    os.makedirs(bank, exist_ok=True)
    os.replace(os.path.join(WORK, "sample.wav"), os.path.join(bank, "sample.wav"))
    # scsynth's /b_allocRead path points at WORK/sample.wav: keep a copy there too
    subprocess.check_call(["cp", os.path.join(bank, "sample.wav"), os.path.join(WORK, "sample.wav")])
    score = os.path.join(WORK, "sampler32.jsonl")
    events = 0
    with open(os.path.join(WORK, "sampler32.tsv")) as f, open(score, "w") as out:
        for line in f:
            if line.startswith("#"):
                continue
            t, _, _, params = line.rstrip("\n").split("\t")
            p = dict(kv.split("=") for kv in params.split())
            args = ["s", "bench", "n", 0, "speed", float(p["rate"]), "cutoff", float(p["cutoff"]),
                    "amp", float(p["amp"]), "pan", (float(p["pan"]) + 1) / 2]
            out.write(json.dumps({"time": float(t), "address": "/dirt/play", "args": args}) + "\n")
            events += 1
    ours = [ENGINE, "render", score, "--out", os.path.join(WORK, "ours.wav"), "--duration", "60",
            "--samples", os.path.join(WORK, "samples")]
    theirs = ["scsynth", "-N", os.path.join(WORK, "sampler32.osc"), "_", os.path.join(WORK, "sc.wav"),
              "48000", "WAV", "float", "-o", "2", "-i", "0", "-D", "0", "-V", "-1"]
    results = {"synth-engine": [], "scsynth": []}
    for _ in range(reps):  # interleaved, so both see the same machine load
        results["synth-engine"].append(run(ours))
        results["scsynth"].append(run(theirs))
    print("# sampler32: %d events, 60 s at 48 kHz, %d reps (medians), loadavg %s" %
          (events, reps, open("/proc/loadavg").read().split()[:3]))
    for name, rs in results.items():
        cpu = statistics.median(r[0] for r in rs)
        rss = statistics.median(r[2] for r in rs)
        print("%-13s cpu=%.3fs realtime_factor=%.1fx peak_rss=%.1fMB" % (name, cpu, 60.0 / cpu, rss))


if __name__ == "__main__":
    main()
