#!/usr/bin/env python3
"""Real Tidal drives synth-engine into a WAV; every event must sound within 1 frame of its timetag.

Usage: tidal-click.py [--seconds 4] [--pattern 's "click*4"']
Needs ghc + Tidal (../shared/oracle/tidal/install.sh) and a built target/release/synth-engine.

Tidal (ghci, booted like BootTidal 1.7.10: oLatency 0.1, frames of 1/20 s) sends to a
small UDP relay that records each /dirt/play bundle's timetag and forwards it to the
engine (handshake replies go back). The engine writes `--output wav:`; its ready line
gives frame 0's wall time, so each timetag's frame is round((t - t0) * 48000). Onsets of
the `click` sample (a full-scale first sample) are found in the WAV and compared.
"""
import argparse
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ENGINE = os.path.join(REPO, "target", "release", "synth-engine")
SR = 48000


def timetags(packet):
    """Timetags (unix seconds) of the bundles in a packet that hold /dirt/play."""
    out = []
    if packet.startswith(b"#bundle\0"):
        secs, frac = struct.unpack(">II", packet[8:16])
        i = 16
        while i + 4 <= len(packet):
            (n,) = struct.unpack(">i", packet[i:i + 4])
            elem = packet[i + 4:i + 4 + n]
            if elem.startswith(b"/dirt/play"):
                out.append(secs - 2208988800 + frac / 2**32)
            elif elem.startswith(b"#bundle"):
                out.extend(timetags(elem))
            i += 4 + n
    return out


def relay(listen, target, log, stop):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(listen)
    s.settimeout(0.05)
    up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    up.bind(("127.0.0.1", 0))
    up.settimeout(0.0)
    client = None
    while not stop.is_set():
        try:
            data, addr = s.recvfrom(65536)
            client = addr
            log.extend(timetags(data))
            up.sendto(data, target)
        except socket.timeout:
            pass
        try:
            reply, _ = up.recvfrom(65536)
            if client:
                s.sendto(reply, client)
        except (BlockingIOError, socket.timeout):
            pass


def read_wav_peak(path):
    """max(|left|, |right|) per frame of a float stereo WAV."""
    d = open(path, "rb").read()
    i = 12
    while i < len(d):
        cid, size = d[i:i + 4], struct.unpack("<I", d[i + 4:i + 8])[0]
        if cid == b"data":
            data = d[i + 8:i + 8 + size]
            break
        i += 8 + size
    n = len(data) // 8
    return [max(abs(x) for x in struct.unpack_from("<ff", data, 8 * k)) for k in range(n)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--pattern", default='s "click*4"')
    ap.add_argument("--wav", default="/tmp/ostinato-tidal-click.wav")
    a = ap.parse_args()
    engine = subprocess.Popen([ENGINE, "--port", "57120", "--output", "wav:" + a.wav],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready = engine.stdout.readline()
    t0 = float(ready.rsplit("unix time ", 1)[1])
    log, stop = [], threading.Event()
    th = threading.Thread(target=relay, args=(("127.0.0.1", 57130), ("127.0.0.1", 57120), log, stop))
    th.start()
    script = f"""
:set -XOverloadedStrings
:set prompt ""
import Sound.Tidal.Context
import Control.Concurrent (threadDelay)
tidal <- startTidal (superdirtTarget {{oLatency = 0.1, oAddress = "127.0.0.1", oPort = 57130}}) (defaultConfig {{cVerbose = True, cFrameTimespan = 1/20}})
:{{
let p = streamReplace tidal
    hush = streamHush tidal
    d1 = p 1 . (|< orbit 0)
:}}
d1 $ {a.pattern}
threadDelay {int(a.seconds * 1e6)}
hush
threadDelay 500000
:quit
"""
    ghci = subprocess.run(["ghci", "-v0", "-ignore-dot-ghci"], input=script, text=True,
                          capture_output=True, timeout=120)
    time.sleep(0.3)
    stop.set()
    th.join()
    engine.send_signal(signal.SIGTERM)
    _, err = engine.communicate(timeout=10)
    peak = read_wav_peak(a.wav)
    # the click's first sample is 0.4 (amp) at full scale; equal-power pan keeps max(|L|,|R|) >= 0.28
    onsets = [k for k in range(1, len(peak)) if peak[k] > 0.2 and peak[k - 1] < 0.05]
    expected = [round((t - t0) * SR) for t in log]
    print("tidal said:", (ghci.stdout + ghci.stderr).strip().splitlines()[:3])
    print("engine:", err.strip().splitlines()[-1] if err.strip() else "")
    print("events sent by Tidal: %d, onsets found: %d" % (len(expected), len(onsets)))
    errors = []
    for e in expected:
        near = min(onsets, key=lambda o: abs(o - e)) if onsets else None
        errors.append(None if near is None else near - e)
    print("onset - timetag frame:", errors)
    ok = len(expected) > 0 and len(onsets) == len(expected) and all(x is not None and abs(x) <= 1 for x in errors)
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
