#!/usr/bin/env python3
"""Render the scsynth benchmark scores with synth-engine and with scsynth, side by side.

Usage: compare-scsynth.py [REPS] [SCENARIO...]   (default: saw_perc16 saw_sustain64 sampler32
sampler32-voice;
needs ../shared/bench/scsynth installed: scsynth, /usr/bin/time)

`bench_saw` events become `/dirt/play s bench_saw freq cutoff rq amp atk sus rel pan (P+1)/2`
(the shipped bench_saw voice: band-limited saw, resonant low-pass, linen curve -4, equal-power pan).
`bench_sampler` events become `/dirt/play s bench n 0 speed RATE cutoff C amp A pan (P+1)/2`
(the native sampler; sample.wav becomes the only file of a bank `bench`), or in `sampler32-voice`
`/dirt/play s bench_sampler rate RATE cutoff C amp A pan (P+1)/2` (the shipped bench_sampler voice). Each scenario is rendered 60 s at 48 kHz
with `synth-engine render` (release build) and scsynth NRT, interleaved, together with the empty
score (each engine's fixed cost). Prints CPU seconds (user+sys, from wait4() rusage), real-time
factor, peak RSS (from /usr/bin/time) and CPU microseconds per voice-second, gross and net of the empty render; medians of REPS.
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
    """Runs cmd, returns (cpu seconds, wall seconds, peak RSS MB).

    CPU comes from wait4()'s rusage. Peak RSS comes from /usr/bin/time, which runs the
    command from a small process: a child forked from this Python process would count
    Python's own pages (about 15 MB) in its peak until it execs."""
    t0 = time.perf_counter()
    p = subprocess.Popen(["/usr/bin/time", "-f", "maxrss_kb=%M"] + cmd,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode(errors="replace")
    if status != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), err))
    rss = [int(l.split("=")[1]) for l in err.splitlines() if l.startswith("maxrss_kb=")]
    return ru.ru_utime + ru.ru_stime, wall, (rss[-1] if rss else 0) / 1024.0


def voice_seconds(synthdef, p):
    """Lifetime of one voice in seconds, as the scsynth README counts it."""
    if synthdef == "bench_saw":
        return min(float(p["atk"]) + float(p["sus"]) + float(p["rel"]), 60.0)
    return min(0.5 / float(p["rate"]), 60.0)


def to_dirt(synthdef, p, voice):
    pan = (float(p["pan"]) + 1) / 2
    if voice and synthdef == "bench_sampler":
        return ["s", "bench_sampler", "n", 0, "rate", float(p["rate"]), "cutoff", float(p["cutoff"]),
                "amp", float(p["amp"]), "pan", pan]
    if synthdef == "bench_saw":
        args = ["s", "bench_saw"]
        for k in ("freq", "cutoff", "rq", "amp", "atk", "sus", "rel"):
            args += [k, float(p[k])]
        return args + ["pan", pan]
    return ["s", "bench", "n", 0, "speed", float(p["rate"]), "cutoff", float(p["cutoff"]),
            "amp", float(p["amp"]), "pan", pan]


def convert(name):
    """Writes WORK/<name>.jsonl from the .tsv; returns (events, voice-seconds).

    `sampler32-voice` is sampler32 played by the bench_sampler voice instead of the native sampler."""
    score = os.path.join(WORK, name + ".jsonl")
    voice = name.endswith("-voice")
    events, vs = 0, 0.0
    with open(os.path.join(WORK, name.replace("-voice", "") + ".tsv")) as f, open(score, "w") as out:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            t, _, synthdef, params = line.rstrip("\n").split("\t")
            p = dict(kv.split("=") for kv in params.split())
            out.write(json.dumps({"time": float(t), "address": "/dirt/play",
                                  "args": to_dirt(synthdef, p, voice)}) + "\n")
            events += 1
            vs += voice_seconds(synthdef, p)
    return events, vs


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    names = sys.argv[2:] or ["saw_perc16", "saw_sustain64", "sampler32", "sampler32-voice"]
    os.makedirs(WORK, exist_ok=True)
    subprocess.check_call(["python3", os.path.join(BENCH, "make_scores.py"),
                           os.path.join(BENCH, "defs"), WORK], stdout=subprocess.DEVNULL)
    bank = os.path.join(WORK, "samples", "bench")
    os.makedirs(bank, exist_ok=True)
    # scsynth's /b_allocRead path points at WORK/sample.wav: keep it there, and a copy in the bank
    subprocess.check_call(["cp", os.path.join(WORK, "sample.wav"), os.path.join(bank, "sample.wav")])
    info = {name: convert(name) for name in ["empty"] + names}

    def ours(name):
        return [ENGINE, "render", os.path.join(WORK, name + ".jsonl"), "--out",
                os.path.join(WORK, "ours.wav"), "--duration", "60",
                "--samples", os.path.join(WORK, "samples")]

    def theirs(name):
        return ["scsynth", "-N", os.path.join(WORK, name.replace("-voice", "") + ".osc"), "_", os.path.join(WORK, "sc.wav"),
                "48000", "WAV", "float", "-o", "2", "-i", "0", "-D", "0", "-V", "-1"]

    results = {}
    for _ in range(reps):  # interleaved, so both engines see the same machine load
        for name in ["empty"] + names:
            for engine, cmd in (("synth-engine", ours), ("scsynth", theirs)):
                results.setdefault((name, engine), []).append(run(cmd(name)))
    print("# 60 s at 48 kHz, %d reps (medians), loadavg %s" %
          (reps, " ".join(open("/proc/loadavg").read().split()[:3])))
    base = {e: statistics.median(r[0] for r in results[("empty", e)]) for e in ("synth-engine", "scsynth")}
    for engine in ("synth-engine", "scsynth"):
        print("%-13s %-14s cpu=%.3fs" % (engine, "empty", base[engine]))
    for name in names:
        events, vs = info[name]
        for engine in ("synth-engine", "scsynth"):
            rs = results[(name, engine)]
            cpu = statistics.median(r[0] for r in rs)
            rss = statistics.median(r[2] for r in rs)
            print("%-13s %-14s events=%d voice_s=%.1f cpu=%.3fs realtime_factor=%.1fx peak_rss=%.1fMB "
                  "us_per_voice_s=%.0f net=%.0f" %
                  (engine, name, events, vs, cpu, 60.0 / cpu, rss, cpu * 1e6 / vs,
                   (cpu - base[engine]) * 1e6 / vs))


if __name__ == "__main__":
    main()
