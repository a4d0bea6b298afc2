#!/usr/bin/env python3
"""Instructions per voice-sample, counted by valgrind's callgrind, as the basis for a Pi estimate.

Usage: callgrind-voices.py [VOICES] [SECONDS] [VOICE...]
       (defaults: 32 voices, 4 s, bench_saw superpiano supersaw sample)

For each voice, renders VOICES notes of it sustained for SECONDS at 48 kHz with
`synth-engine render` under `valgrind --tool=callgrind`, and the empty score of
the same length (the engine's fixed cost: orbit effects, limiter, output). The
difference in instructions, divided by voices x samples, is the cost of one voice
for one output sample. `sample` plays the shipped `bd:0` through the native
sampler (cubic interpolation and a low-pass, as scsynth's bench_sampler),
slowed down so that it sounds for the whole render.

Prints a table and, from it, the share of one Raspberry Pi 4 core (Cortex-A72
at 1.5 GHz) a voice would take, under the stated assumption of an average of
PI_IPC instructions per cycle (default 1.0; aarch64 and x86 instruction counts
of the same code differ, so this is an estimate, not a measurement).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
ENGINE = os.path.join(REPO, "target", "release", "synth-engine")
RATE = 48000
PI_HZ = 1.5e9
PI_IPC = float(os.environ.get("PI_IPC", "1.0"))


def event_args(voice, i, seconds):
    if voice == "sample":
        # bd:0 is 0.6 s long: slowed down so that it sounds for the whole render.
        return ["s", "bd", "n", 0, "speed", 0.6 / (seconds * 1.1), "cutoff", 2000.0, "pan", (i % 5) / 4.0]
    freq = 110.0 * (1.0 + i / 7.0)
    if voice == "bench_saw":
        return ["s", "bench_saw", "freq", freq, "cutoff", 1200.0, "rq", 0.3, "amp", 0.02,
                "atk", 0.01, "sus", 1000.0, "rel", 0.1, "pan", (i % 5) / 4.0]
    return ["s", voice, "freq", freq, "sustain", 1000.0, "gain", 0.6, "pan", (i % 5) / 4.0]


def instructions(score_lines, seconds, work):
    score = os.path.join(work, "score.jsonl")
    with open(score, "w") as f:
        for line in score_lines:
            f.write(json.dumps(line) + "\n")
    out = os.path.join(work, "callgrind.out")
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
           ENGINE, "render", score, "--out", os.path.join(work, "out.wav"),
           "--duration", str(seconds)]
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr[-2000:]))
    m = re.search(r"Collected : (\d+)", p.stderr)
    if not m:
        sys.exit("no instruction count in callgrind's output:\n" + p.stderr[-2000:])
    return int(m.group(1))


def main():
    args = sys.argv[1:]
    voices = int(args.pop(0)) if args and args[0].isdigit() else 32
    seconds = float(args.pop(0)) if args and re.match(r"^[0-9.]+$", args[0]) else 4.0
    names = args or ["bench_saw", "superpiano", "supersaw", "sample"]
    if not os.path.exists(ENGINE):
        subprocess.run(["cargo", "build", "--release", "-p", "synth-engine"], cwd=REPO, check=True)
    with tempfile.TemporaryDirectory() as work:
        empty = instructions([], seconds, work)
        samples = int(seconds * RATE)
        print("callgrind, %d voices x %.1f s at %d Hz; the empty render: %d instructions (%.0f per sample)"
              % (voices, seconds, RATE, empty, empty / samples))
        print("%-12s %16s %14s %16s" % ("voice", "instructions", "per voice-sample", "Pi 4 core/voice"))
        for name in names:
            lines = [{"time": 0.0, "address": "/dirt/play", "args": event_args(name, i, seconds)} for i in range(voices)]
            total = instructions(lines, seconds, work)
            per = (total - empty) / (voices * samples)
            share = per * RATE / (PI_HZ * PI_IPC)
            print("%-12s %16d %14.1f %15.2f%%" % (name, total, per, 100.0 * share))
        print("Pi estimate assumes %.2f instructions per cycle at %.1f GHz (PI_IPC to change it)."
              % (PI_IPC, PI_HZ / 1e9))


if __name__ == "__main__":
    main()
