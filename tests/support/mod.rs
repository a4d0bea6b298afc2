//! What the end-to-end tests share: the workspace's own binaries, the engine rendering
//! to a wall-clock-paced WAV, the event server's bundles caught at a second UDP target,
//! the REPL on a pipe, and onsets found in the WAV matched to the bundles' timetags.

#![allow(dead_code)]

use rosc::{OscPacket, OscType};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const RATE: f64 = 48000.0;
pub const NTP_OFFSET: f64 = 2_208_988_800.0;
/// Generous on purpose: a loaded 2-core machine must still get every bundle there early.
pub const LATENCY: f64 = 0.3;
pub const FRAME: f64 = 0.05;

/// The tests each run two real-time processes; one test at a time keeps them on time.
pub static SERIAL: Mutex<()> = Mutex::new(());

pub fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// A binary of this workspace, next to the test executable (target/<profile>/deps/<test>).
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps/<test>");
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} is missing: build the binaries first with \
         `cargo build -p event-server -p synth-engine` (add --release for a release test run)",
        path.display()
    );
    path
}

pub fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

pub fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Polls `test` every 10 ms until it holds; panics with `what` after `secs`.
pub fn wait_until(what: &str, secs: f64, mut test: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    while !test() {
        assert!(
            Instant::now() < deadline,
            "timed out after {secs} s: {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Polls the wall clock until `unix` has passed.
pub fn wait_clock(unix: f64) {
    let secs = (unix - unix_now()).max(0.0) + 5.0;
    wait_until("the wall clock", secs, || unix_now() >= unix);
}

pub fn collect(mut r: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let out = Arc::new(Mutex::new(String::new()));
    let o = out.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = r.read(&mut buf) {
            if n == 0 {
                break;
            }
            o.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    out
}

pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ostinato-chain-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn terminate(child: &mut Child) -> std::process::ExitStatus {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill")
        .success();
    assert!(ok, "kill -TERM {}", child.id());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(Instant::now() < deadline, "no exit within 10 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(10));
    }
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
            let mut child = Command::new(binary("synth-engine"))
                .args(["--port", &port.to_string(), "--buffer", "128", "--samples"])
                .arg(&samples)
                .arg("--output")
                .arg(format!("wav:{}", wav.display()))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start synth-engine");
            let stderr = collect(child.stderr.take().unwrap());
            let stdout = child.stdout.take().unwrap();
            let (tx, rx) = mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
            let Ok(ready) = rx.recv_timeout(Duration::from_secs(20)) else {
                let _ = child.kill();
                let _ = child.wait();
                let err = stderr.lock().unwrap().clone();
                if err.contains("cannot listen") && wanted.is_none() {
                    continue;
                }
                panic!("no ready line from synth-engine within 20 s:\n{err}");
            };
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
                child,
                port,
                frame0,
                wav,
                stderr,
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
        let mut reader = hound::WavReader::open(&self.wav).expect("a valid WAV");
        let spec = reader.spec();
        assert_eq!((spec.channels, spec.sample_rate), (2, 48000));
        let samples: Vec<f32> = reader.samples::<f32>().map(Result::unwrap).collect();
        let left = samples.iter().step_by(2).copied().collect();
        Recording { left, stderr }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
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

pub struct Capture {
    pub socket: Arc<UdpSocket>,
    pub plays: Arc<Mutex<Vec<Play>>>,
}

pub fn number(v: &OscType) -> f64 {
    match v {
        OscType::Float(x) => *x as f64,
        OscType::Double(x) => *x,
        OscType::Int(x) => *x as f64,
        OscType::Long(x) => *x as f64,
        other => panic!("not a number: {other:?}"),
    }
}

impl Capture {
    pub fn new() -> Capture {
        let socket = Arc::new(UdpSocket::bind("127.0.0.1:0").expect("bind"));
        socket
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        let plays = Arc::new(Mutex::new(Vec::new()));
        let (s, p) = (socket.clone(), plays.clone());
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 65536];
            while Arc::strong_count(&p) > 1 {
                let Ok((n, _)) = s.recv_from(&mut buf) else {
                    continue;
                };
                let packet = rosc::decoder::decode_udp(&buf[..n]).expect("valid OSC").1;
                let OscPacket::Bundle(b) = packet else {
                    continue; // the handshake
                };
                for m in &b.content {
                    let OscPacket::Message(m) = m else {
                        panic!("nested bundle from the event server");
                    };
                    assert_eq!(m.addr, "/dirt/play");
                    let arg = |name: &str| {
                        m.args
                            .chunks(2)
                            .find(|kv| kv[0] == OscType::String(name.into()))
                            .map(|kv| kv[1].clone())
                    };
                    let ntp = ((b.timetag.seconds as u64) << 32) | b.timetag.fractional as u64;
                    let time = b.timetag.seconds as f64 - NTP_OFFSET
                        + b.timetag.fractional as f64 / 4_294_967_296.0;
                    p.lock().unwrap().push(Play {
                        time,
                        ntp,
                        cycle: number(&arg("cycle").expect("cycle")),
                        cps: number(&arg("cps").expect("cps")),
                        s: match arg("s") {
                            Some(OscType::String(s)) => s,
                            other => panic!("s: {other:?}"),
                        },
                        n: arg("n").map(|v| number(&v)),
                    });
                }
            }
        });
        Capture { socket, plays }
    }

    pub fn target(&self) -> String {
        self.socket.local_addr().unwrap().to_string()
    }

    /// Every play so far, in timetag order.
    pub fn plays(&self) -> Vec<Play> {
        let mut p = self.plays.lock().unwrap().clone();
        p.sort_by_key(|p| p.ntp);
        p
    }

    pub fn wait_for(&self, what: &str, secs: f64, test: impl Fn(&[Play]) -> bool) -> Vec<Play> {
        let mut plays = Vec::new();
        wait_until(what, secs, || {
            plays = self.plays();
            test(&plays)
        });
        plays
    }
}

// ---------------------------------------------------------------------------------------
// The REPL

pub struct Server {
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    pub stderr: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(targets: &[String], cps: &str) -> Server {
        let mut cmd = Command::new(binary("event-server"));
        for t in targets {
            cmd.args(["--target", t]);
        }
        cmd.args(["--cps", cps])
            .args(["--latency", &LATENCY.to_string()])
            .args(["--frame", &FRAME.to_string()]);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start event-server");
        let stderr = collect(child.stderr.take().unwrap());
        Server {
            stdin: child.stdin.take(),
            child,
            stderr,
        }
    }

    /// Types a line; returns the unix time it was written.
    pub fn say(&mut self, line: &str) -> f64 {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("write to the REPL");
        stdin.flush().expect("flush");
        unix_now()
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// End of input: the REPL hushes and exits cleanly.
    pub fn finish(mut self) {
        drop(self.stdin.take());
        let mut status = None;
        wait_until("event-server to exit at the end of its input", 10.0, || {
            status = self.child.try_wait().unwrap();
            status.is_some()
        });
        assert!(status.unwrap().success(), "event-server: {}", self.stderr());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
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
    (b.ntp - a.ntp) as f64 / 4_294_967_296.0
}

/// The first sample after the onset relative to the onset sample: tells `click:0` (a 2 kHz
/// decay, 24798/32767 = 0.757) from `click:1` (4 kHz, 22234/32767 = 0.679).
pub fn second_to_first(left: &[f32], onset: usize) -> f32 {
    left[onset + 1] / left[onset]
}
