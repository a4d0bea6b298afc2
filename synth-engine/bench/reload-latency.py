#!/usr/bin/env python3
"""Measure save-to-installed latency of hot reload with the live watcher.

Usage: reload-latency.py [EDITS] [--jack]   (default 20; needs target/release/synth-engine,
built with `--features jack` for --jack)

Starts `synth-engine --output null` (paced by the wall clock like a device, 256-frame
callbacks), or with --jack on a JACK dummy-driver server (jackd -R, 256 frames at 48 kHz; its
xrun reports are counted), on a copy of the shipped voices, plays sustained superpiano and bench_saw notes,
then saves an edited bench/bench_saw.voice EDITS times (alternating cutoff constants, 0.3 s
apart, written in place: truncate, write, close) and reads the engine's reload lines:
milliseconds from the watcher's announcement (the writer closing the file), and from the
file's save time stamp, to the new program being queued for the audio thread (it swaps in at
the start of the next callback, at most one buffer, 5.3 ms, later). Also prints the engine's
own counters at exit (late events, queue overflows) to show that nothing was disturbed.
"""
import os
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
ENGINE = os.path.join(REPO, "target", "release", "synth-engine")


def osc_string(s):
    b = s.encode() + b"\0"
    return b + b"\0" * ((4 - len(b) % 4) % 4)


def osc_message(addr, args):
    tags = ","
    data = b""
    for a in args:
        if isinstance(a, str):
            tags += "s"
            data += osc_string(a)
        else:
            tags += "f"
            data += struct.pack(">f", float(a))
    return osc_string(addr) + osc_string(tags) + data


def p95(values):
    """The 95th percentile (nearest rank)."""
    v = sorted(values)
    return v[max(0, -(-95 * len(v) // 100) - 1)]


def main():
    args = [a for a in sys.argv[1:] if a != "--jack"]
    jack = "--jack" in sys.argv
    edits = int(args[0]) if args else 20
    work = tempfile.mkdtemp(prefix="ostinato-reload-")
    voices = os.path.join(work, "voices")
    shutil.copytree(os.path.join(REPO, "synth-engine", "voices"), voices)
    port = 57000 + os.getpid() % 1000
    env = dict(os.environ)
    jackd, jack_log = None, []
    if jack:
        server = "ostinato-reload-%d" % os.getpid()
        env["JACK_DEFAULT_SERVER"] = server
        env["JACK_NO_AUDIO_RESERVATION"] = "1"
        jackd = subprocess.Popen(["jackd", "-R", "-n", server, "-d", "dummy", "-r", "48000", "-p", "256"],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        threading.Thread(target=lambda: jack_log.extend(iter(jackd.stdout.readline, "")), daemon=True).start()
        time.sleep(1.5)
        output = ["--host", "jack"]
    else:
        output = ["--output", "null"]
    proc = subprocess.Popen([ENGINE] + output + ["--port", str(port), "--voices", voices],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")), daemon=True)
    reader.start()
    ready = proc.stdout.readline()
    if "ready" not in ready:
        sys.exit("engine did not start: " + ready)
    print("# " + ready.strip())
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for name in ("superpiano", "bench_saw"):
        sock.sendto(osc_message("/dirt/play", ["s", name, "sustain", 30.0, "sus", 30.0]), ("127.0.0.1", port))
    time.sleep(0.3)
    path = os.path.join(voices, "bench", "bench_saw.voice")
    text = open(path).read()
    for k in range(edits):
        edited = text.replace("param cutoff = 2000", "param cutoff = %d" % (1000 + 100 * (k % 2)))
        with open(path, "w") as f:
            f.write(edited)
        time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=10)
    reader.join(timeout=2)
    debounce, save = [], []
    for l in lines:
        m = re.search(r"reloaded (.*) \(([\d.]+) ms after the debounce, ([\d.]+) ms after the save\)", l)
        if m:
            debounce.append(float(m.group(2)))
            save.append(float(m.group(3)))
    kept = sorted({re.search(r"reloaded (.*?) \(", l).group(1) for l in lines if "reloaded" in l})
    print("# %d saves, %d reloads logged (%s)" % (edits, len(debounce), "; ".join(kept)))
    if debounce:
        print("after the announcement: median %.2f ms, p95 %.2f ms, max %.2f ms" %
              (statistics.median(debounce), p95(debounce), max(debounce)))
        print("after the save: median %.2f ms, p95 %.2f ms, max %.2f ms" %
              (statistics.median(save), p95(save), max(save)))
    for l in lines:
        if "stopped" in l or "device error" in l:
            print(l.strip())
    if jackd is not None:
        jackd.send_signal(signal.SIGTERM)
        try:
            jackd.wait(timeout=10)
        except subprocess.TimeoutExpired:
            jackd.kill()
        xruns = [l for l in jack_log if "xrun" in l.lower()]
        print("jackd (dummy driver, SCHED_FIFO): %d xrun reports while reloading" % len(xruns))
        for l in xruns[:5]:
            print("  " + l.strip())
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
