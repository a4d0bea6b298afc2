//! What the end-to-end tests share: the workspace's own binaries, the engine rendering
//! to a wall-clock-paced WAV, the event server's bundles caught at a second UDP target,
//! the REPL on a pipe, and onsets found in the WAV matched to the bundles' timetags.

#![allow(dead_code)]

use rosc::{OscPacket, OscType};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[allow(unused_imports)] // each test binary uses a different part
pub use test_support::{
    binary, collect, free_port, kill_if_running, ntp_bits, ntp_gap, ntp_to_unix, number, pair,
    start_until_ready, terminate, unix_now, wait_until, Repl,
};

pub const RATE: f64 = 48000.0;
/// Generous on purpose: a loaded 2-core machine must still get every bundle there early.
pub const LATENCY: f64 = 0.3;
pub const FRAME: f64 = 0.05;

/// The tests each run two real-time processes; one test at a time keeps them on time.
pub static SERIAL: Mutex<()> = Mutex::new(());

pub fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Polls the wall clock until `unix` has passed.
pub fn wait_clock(unix: f64) {
    test_support::wait_clock(unix, 5.0);
}

pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ostinato-chain-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---------------------------------------------------------------------------------------
// The engine

pub struct Engine {
    pub child: Child,
    pub port: u16,
    /// Unix time of frame 0 of the WAV, from the ready line.
    pub frame0: f64,
    pub wav: PathBuf,
    pub stderr: Arc<Mutex<String>>,
}

/// What the engine recorded: the left channel of the WAV and what it said on stderr.
pub struct Recording {
    pub left: Vec<f32>,
    pub stderr: String,
}

impl Engine {
    /// An engine on a free port, recording to `dir/out.wav`.
    pub fn start(dir: &Path) -> Engine {
        Engine::start_on(&dir.join("out.wav"), None)
    }

    /// An engine recording to `wav`, on `port` (or a free one).
    pub fn start_on(wav: &Path, wanted: Option<u16>) -> Engine {
        let wav = wav.to_path_buf();
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        // a free port can be taken between looking and binding: try a few
        for _ in 0..5 {
            let port = wanted.unwrap_or_else(free_port);
            let mut cmd = Command::new(binary("synth-engine"));
            cmd.args(["--port", &port.to_string(), "--buffer", "128", "--samples"])
                .arg(&samples)
                .arg("--output")
                .arg(format!("wav:{}", wav.display()));
            let started = match start_until_ready(&mut cmd, "synth-engine", 20.0) {
                Ok(started) => started,
                Err(err) if err.contains("cannot listen") && wanted.is_none() => continue,
                Err(err) => panic!("no ready line from synth-engine within 20 s:\n{err}"),
            };
            let ready = started.ready;
            assert!(
                ready.starts_with("synth-engine ready:")
                    && ready.contains(&format!("127.0.0.1:{port}"))
                    && ready.contains("48000 Hz"),
                "{ready}"
            );
            let frame0: f64 = ready
                .rsplit("frame 0 at unix time ")
                .next()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or_else(|| panic!("no frame 0 time in the ready line: {ready}"));
            assert!((frame0 - unix_now()).abs() < 5.0, "{ready}");
            return Engine {
                child: started.child,
                port,
                frame0,
                wav,
                stderr: started.stderr,
            };
        }
        panic!("no free UDP port for synth-engine after 5 tries");
    }

    pub fn target(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The frame a timetag (unix seconds) is heard on.
    pub fn frame_of(&self, unix: f64) -> i64 {
        ((unix - self.frame0) * RATE).round() as i64
    }

    /// Stops the engine with SIGTERM (which finalises the WAV) and reads the WAV;
    /// every event must have reached the engine before its frame was rendered.
    pub fn stop(&mut self) -> Recording {
        let rec = self.stop_late_or_not();
        assert!(
            rec.stderr.contains("late 0)"),
            "the engine played events late:\n{}",
            rec.stderr
        );
        rec
    }

    /// Stops the engine with SIGTERM and reads the WAV, late events or not.
    pub fn stop_late_or_not(&mut self) -> Recording {
        let status = terminate(&mut self.child);
        // the stderr reader sees EOF once the process is gone
        std::thread::sleep(Duration::from_millis(50));
        let stderr = self.stderr.lock().unwrap().clone();
        assert!(status.success(), "synth-engine: {status:?}\n{stderr}");
        let (spec, samples) = test_support::read_wav(&self.wav);
        assert_eq!(spec, (2, 48000));
        let left = samples.iter().step_by(2).copied().collect();
        Recording { left, stderr }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        kill_if_running(&mut self.child);
    }
}

// ---------------------------------------------------------------------------------------
// The event server's bundles, caught at the second target

#[derive(Clone, Debug)]
pub struct Play {
    /// The timetag, unix seconds.
    pub time: f64,
    /// The timetag as NTP 32.32 fixed point, for exact spacing.
    pub ntp: u64,
    pub cycle: f64,
    pub cps: f64,
    pub s: String,
    pub n: Option<f64>,
}

/// A second UDP target for the event server: every datagram recorded, read as plays.
pub struct Capture(test_support::Receiver);

impl Capture {
    pub fn new() -> Capture {
        Capture(test_support::Receiver::new())
    }

    /// The plays in one datagram (none in the handshake).
    fn decode(bytes: &[u8]) -> Vec<Play> {
        let packet = rosc::decoder::decode_udp(bytes).expect("valid OSC").1;
        let OscPacket::Bundle(b) = packet else {
            return Vec::new(); // the handshake
        };
        let mut plays = Vec::new();
        for m in &b.content {
            let OscPacket::Message(m) = m else {
                panic!("nested bundle from the event server");
            };
            assert_eq!(m.addr, "/dirt/play");
            let arg = |name: &str| pair(&m.args, name).cloned();
            plays.push(Play {
                time: ntp_to_unix(b.timetag),
                ntp: ntp_bits(b.timetag),
                cycle: number(&arg("cycle").expect("cycle")),
                cps: number(&arg("cps").expect("cps")),
                s: match arg("s") {
                    Some(OscType::String(s)) => s,
                    other => panic!("s: {other:?}"),
                },
                n: arg("n").map(|v| number(&v)),
            });
        }
        plays
    }

    pub fn target(&self) -> String {
        self.0.target()
    }

    /// Every play so far, in timetag order.
    pub fn plays(&self) -> Vec<Play> {
        let datagrams = self.0.packets();
        let mut p: Vec<Play> = datagrams
            .iter()
            .flat_map(|d| Capture::decode(&d.bytes))
            .collect();
        p.sort_by_key(|p| p.ntp);
        p
    }

    pub fn wait_for(&self, what: &str, secs: f64, test: impl Fn(&[Play]) -> bool) -> Vec<Play> {
        test_support::wait_for_value(what, secs, || self.plays(), |p| test(p))
    }
}

// ---------------------------------------------------------------------------------------
// The REPL

test_support::repl_newtype!(
    /// The event server, typed into; at the end of input it hushes and exits.
    Server
);

impl Server {
    pub fn start(targets: &[String], cps: &str) -> Server {
        let mut cmd = Command::new(binary("event-server"));
        for t in targets {
            cmd.args(["--target", t]);
        }
        cmd.args(["--cps", cps])
            .args(["--latency", &LATENCY.to_string()])
            .args(["--frame", &FRAME.to_string()]);
        Server(Repl::start(&mut cmd, "event-server"))
    }

    /// Types a line; returns the unix time it was written.
    pub fn say(&mut self, line: &str) -> f64 {
        self.0.say(line);
        unix_now()
    }
}

// ---------------------------------------------------------------------------------------
// The whole chain

/// One test's chain: the engine recording into a scratch folder `name`, a capture, and the
/// event server at `cps` sending to both; the guard keeps the tests one at a time.
pub fn chain(
    name: &str,
    cps: &str,
) -> (
    std::sync::MutexGuard<'static, ()>,
    PathBuf,
    Engine,
    Capture,
    Server,
) {
    let serial = serial();
    let dir = scratch(name);
    let engine = Engine::start(&dir);
    let capture = Capture::new();
    let server = Server::start(&[engine.target(), capture.target()], cps);
    (serial, dir, engine, capture, server)
}

/// Waits until the wall clock passes `until`, then stops the chain: the plays captured and
/// what the engine recorded (every event on time).
pub fn stop_chain(
    engine: &mut Engine,
    capture: &Capture,
    server: Server,
    until: f64,
) -> (Vec<Play>, Recording) {
    wait_clock(until);
    let plays = capture.plays();
    let rec = engine.stop();
    server.finish();
    (plays, rec)
}

// ---------------------------------------------------------------------------------------
// Onsets

/// Frames where sound starts after at least 5 ms of near silence. A `click` starts with
/// one full-scale sample, so its onset is its first frame.
pub fn onsets(left: &[f32]) -> Vec<usize> {
    const QUIET: usize = 240;
    let mut out = Vec::new();
    let mut quiet_run = QUIET; // the start of the file counts as after silence
    for (i, x) in left.iter().enumerate() {
        let a = x.abs();
        if a > 0.05 && quiet_run >= QUIET {
            out.push(i);
        }
        if a < 0.005 {
            quiet_run += 1;
        } else {
            quiet_run = 0;
        }
    }
    out
}

/// Pairs every play with the onset on its frame (within +-1); panics on a play with no
/// onset there or an onset with no play. Returns (play, onset frame, error in frames).
pub fn match_onsets<'a>(
    engine: &Engine,
    rec: &Recording,
    plays: &'a [Play],
) -> Vec<(&'a Play, usize, i64)> {
    let found = onsets(&rec.left);
    let len = rec.left.len() as i64;
    let mut used = vec![false; found.len()];
    let mut out = Vec::new();
    let mut distinct = 0;
    for (i, p) in plays.iter().enumerate() {
        let want = engine.frame_of(p.time);
        // bundles with the same timetag (two slots at once) sound as one onset
        if let Some(q) = plays[..i].iter().rposition(|q| q.ntp == p.ntp) {
            let (_, f, e) = out[q];
            out.push((p, f, e));
            continue;
        }
        distinct += 1;
        assert!(
            want > 0 && want < len,
            "bundle at frame {want} outside the recorded span 0..{len}"
        );
        let hit = found
            .iter()
            .enumerate()
            .find(|(k, f)| !used[*k] && (**f as i64 - want).abs() <= 1);
        let Some((k, f)) = hit else {
            let near = found.iter().min_by_key(|f| (**f as i64 - want).abs());
            panic!(
                "no onset within 1 frame of frame {want} (cycle {}, {}): nearest onset {near:?}\n\
                 onsets {found:?}\nengine stderr:\n{}",
                p.cycle, p.s, rec.stderr
            );
        };
        used[k] = true;
        out.push((p, *f, *f as i64 - want));
    }
    let extra: Vec<usize> = found
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(f, _)| *f)
        .collect();
    assert!(
        extra.is_empty(),
        "onsets with no bundle: {extra:?} ({} bundles, {} onsets)",
        plays.len(),
        found.len()
    );
    assert_eq!(found.len(), distinct, "one onset per timetag, none lost");
    out
}

pub fn report(name: &str, matched: &[(&Play, usize, i64)]) {
    let mut hist = std::collections::BTreeMap::new();
    for (_, _, e) in matched {
        *hist.entry(*e).or_insert(0) += 1;
    }
    eprintln!(
        "{name}: {} onsets, frame error histogram (error: count) {hist:?}",
        matched.len()
    );
}

/// Timetag difference in seconds, from the exact NTP values.
pub fn gap(a: &Play, b: &Play) -> f64 {
    ntp_gap(a.ntp, b.ntp)
}

/// The first sample after the onset relative to the onset sample: tells `click:0` (a 2 kHz
/// decay, 24798/32767 = 0.757) from `click:1` (4 kHz, 22234/32767 = 0.679).
pub fn second_to_first(left: &[f32], onset: usize) -> f32 {
    left[onset + 1] / left[onset]
}
