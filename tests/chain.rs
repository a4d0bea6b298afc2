//! The whole chain, end to end: statements typed into the real `event-server` REPL
//! (stdin is a pipe) -> OSC bundles over UDP -> the real `synth-engine` rendering to a
//! wall-clock-paced WAV -> onsets found in that WAV on the exact frames the bundles'
//! timetags name.
//!
//! The event server sends every bundle to two targets: the engine, and a UDP socket in
//! this test that records the timetags. The engine's ready line gives the unix time of
//! frame 0 of the WAV, so each timetag's frame is `round((timetag - frame0) * 48000)`.
//!
//! The binaries are the workspace's own, found next to this test executable
//! (`cargo test --workspace` or `cargo build -p event-server -p synth-engine` builds them).

use rosc::{OscPacket, OscType};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const RATE: f64 = 48000.0;
const NTP_OFFSET: f64 = 2_208_988_800.0;
/// Generous on purpose: a loaded 2-core machine must still get every bundle there early.
const LATENCY: f64 = 0.3;
const FRAME: f64 = 0.05;

/// The tests each run two real-time processes; one test at a time keeps them on time.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// A binary of this workspace, next to the test executable (target/<profile>/deps/<test>).
fn binary(name: &str) -> PathBuf {
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

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Polls `test` every 10 ms until it holds; panics with `what` after `secs`.
fn wait_until(what: &str, secs: f64, mut test: impl FnMut() -> bool) {
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
fn wait_clock(unix: f64) {
    let secs = (unix - unix_now()).max(0.0) + 5.0;
    wait_until("the wall clock", secs, || unix_now() >= unix);
}

fn collect(mut r: impl Read + Send + 'static) -> Arc<Mutex<String>> {
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

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ostinato-chain-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn terminate(child: &mut Child) -> std::process::ExitStatus {
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

struct Engine {
    child: Child,
    port: u16,
    /// Unix time of frame 0 of the WAV, from the ready line.
    frame0: f64,
    wav: PathBuf,
    stderr: Arc<Mutex<String>>,
}

/// What the engine recorded: the left channel of the WAV and what it said on stderr.
struct Recording {
    left: Vec<f32>,
    stderr: String,
}

impl Engine {
    fn start(dir: &Path) -> Engine {
        let wav = dir.join("out.wav");
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        // a free port can be taken between looking and binding: try a few
        for _ in 0..5 {
            let port = free_port();
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
                if err.contains("cannot listen") {
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

    fn target(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The frame a timetag (unix seconds) is heard on.
    fn frame_of(&self, unix: f64) -> i64 {
        ((unix - self.frame0) * RATE).round() as i64
    }

    /// Stops the engine with SIGTERM (which finalises the WAV) and reads the WAV.
    fn stop(&mut self) -> Recording {
        let status = terminate(&mut self.child);
        // the stderr reader sees EOF once the process is gone
        std::thread::sleep(Duration::from_millis(50));
        let stderr = self.stderr.lock().unwrap().clone();
        assert!(status.success(), "synth-engine: {status:?}\n{stderr}");
        // every event reached the engine before its frame was rendered
        assert!(
            stderr.contains("late 0)"),
            "the engine played events late:\n{stderr}"
        );
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
struct Play {
    /// The timetag, unix seconds.
    time: f64,
    /// The timetag as NTP 32.32 fixed point, for exact spacing.
    ntp: u64,
    cycle: f64,
    cps: f64,
    s: String,
    n: Option<f64>,
}

struct Capture {
    socket: Arc<UdpSocket>,
    plays: Arc<Mutex<Vec<Play>>>,
}

fn number(v: &OscType) -> f64 {
    match v {
        OscType::Float(x) => *x as f64,
        OscType::Double(x) => *x,
        OscType::Int(x) => *x as f64,
        OscType::Long(x) => *x as f64,
        other => panic!("not a number: {other:?}"),
    }
}

impl Capture {
    fn new() -> Capture {
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

    fn target(&self) -> String {
        self.socket.local_addr().unwrap().to_string()
    }

    /// Every play so far, in timetag order.
    fn plays(&self) -> Vec<Play> {
        let mut p = self.plays.lock().unwrap().clone();
        p.sort_by_key(|p| p.ntp);
        p
    }

    fn wait_for(&self, what: &str, secs: f64, test: impl Fn(&[Play]) -> bool) -> Vec<Play> {
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

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(targets: &[String], cps: &str) -> Server {
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
    fn say(&mut self, line: &str) -> f64 {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("write to the REPL");
        stdin.flush().expect("flush");
        unix_now()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// End of input: the REPL hushes and exits cleanly.
    fn finish(mut self) {
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
fn onsets(left: &[f32]) -> Vec<usize> {
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
fn match_onsets<'a>(
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

fn report(name: &str, matched: &[(&Play, usize, i64)]) {
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
fn gap(a: &Play, b: &Play) -> f64 {
    (b.ntp - a.ntp) as f64 / 4_294_967_296.0
}

/// The first sample after the onset relative to the onset sample: tells `click:0` (a 2 kHz
/// decay, 24798/32767 = 0.757) from `click:1` (4 kHz, 22234/32767 = 0.679).
fn second_to_first(left: &[f32], onset: usize) -> f32 {
    left[onset + 1] / left[onset]
}

// ---------------------------------------------------------------------------------------

#[test]
fn click_grid_across_a_tempo_change_lands_on_exact_frames() {
    let _serial = serial();
    let dir = scratch("grid");
    let mut engine = Engine::start(&dir);
    let capture = Capture::new();
    let mut server = Server::start(&[engine.target(), capture.target()], "0.5");

    server.say(r#"d1 $ s "click*4""#);
    capture.wait_for("6 clicks at 0.5 cps", 15.0, |p| {
        p.iter().filter(|p| p.cps == 0.5).count() >= 6
    });
    server.say("setcps 1");
    capture.wait_for("8 clicks at 1 cps", 10.0, |p| {
        p.iter().filter(|p| p.cps == 1.0).count() >= 8
    });
    let hushed = server.say("hush");
    // everything already sent has been heard, and a little silence after it
    wait_clock(hushed + LATENCY + FRAME + 0.4);
    let plays = capture.plays();
    let rec = engine.stop();
    server.finish();

    // the grid: a quarter cycle apart, 0.25 / cps seconds apart, one tempo change
    assert!(plays.iter().all(|p| p.s == "click" && p.n.is_none()));
    let mut changes = 0;
    for w in plays.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert_eq!(b.cycle - a.cycle, 0.25, "a quarter-cycle grid: {a:?} {b:?}");
        let g = gap(a, b);
        if a.cps == b.cps {
            let want = 0.25 / a.cps;
            assert!(
                (g - want).abs() < 1e-6,
                "spacing {g} s at {} cps, want {want} s",
                a.cps
            );
        } else {
            changes += 1;
            assert_eq!((a.cps, b.cps), (0.5, 1.0));
            assert!(
                g <= 0.25 / a.cps + 1e-6 && g >= 0.25 / b.cps - 1e-6,
                "gap {g} s across the tempo change"
            );
        }
    }
    assert_eq!(changes, 1, "one tempo change");
    assert!(plays.iter().filter(|p| p.cps == 0.5).count() >= 6);
    assert!(plays.iter().filter(|p| p.cps == 1.0).count() >= 8);

    // the sound: every bundle on its frame, none lost, nothing extra
    let matched = match_onsets(&engine, &rec, &plays);
    report("tempo change", &matched);
    assert!(matched.iter().all(|(_, _, e)| e.abs() <= 1));
    // onset spacing in frames follows the tempo too
    for w in matched.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a.0.cps == b.0.cps {
            let want = 0.25 / a.0.cps * RATE;
            let got = (b.1 - a.1) as f64;
            assert!((got - want).abs() <= 2.0, "{got} frames, want {want}");
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_edit_mid_cycle_changes_the_sound_at_the_next_event_with_no_gap() {
    let _serial = serial();
    let dir = scratch("edit");
    let mut engine = Engine::start(&dir);
    let capture = Capture::new();
    let mut server = Server::start(&[engine.target(), capture.target()], "1");

    server.say(r#"d1 $ s "click*4""#);
    let first = capture.wait_for("6 clicks", 10.0, |p| p.len() >= 6);
    // the event server's playhead (what it is scheduling) is LATENCY ahead of the wall
    // clock; send the edit when that is 0.4 of the way through a cycle, between grid points
    let (c0, t0) = (first[0].cycle, first[0].time);
    let scheduling = |now: f64| c0 + (now + LATENCY - t0);
    wait_until("mid-cycle", 3.0, || {
        let f = scheduling(unix_now()).rem_euclid(1.0);
        (0.37..0.43).contains(&f)
    });
    let edited = server.say(r#"d1 $ s "click*8" # n 1"#);
    eprintln!("edit sent at scheduling cycle {:.4}", scheduling(edited));
    capture.wait_for("8 clicks of the new pattern", 10.0, |p| {
        p.iter().filter(|p| p.n == Some(1.0)).count() >= 8
    });
    let hushed = server.say("hush");
    wait_clock(hushed + LATENCY + FRAME + 0.4);
    let plays = capture.plays();
    let rec = engine.stop();
    server.finish();

    // old events, then new ones, never mixed
    let k = plays
        .iter()
        .position(|p| p.n == Some(1.0))
        .expect("new events");
    assert!(k >= 6, "the old pattern played first");
    assert!(plays[..k].iter().all(|p| p.n.is_none() && p.s == "click"));
    assert!(plays[k..]
        .iter()
        .all(|p| p.n == Some(1.0) && p.s == "click"));
    let (old, new) = (&plays[k - 1], &plays[k]);
    // No gap. The server queries each span of cycles once, a scheduler frame at a time,
    // with the pattern it has then; the edit takes effect at a span boundary S (unknown
    // here) between the last old event and the first new one. The old pattern owns every
    // grid point before S and the new one every grid point from S on, so there is no gap
    // exactly when some S fits: the old pattern's next quarter is not before S and the
    // new pattern's previous eighth is before S.
    let s_low = old.cycle.max(new.cycle - 0.125);
    let s_high = new.cycle.min(old.cycle + 0.25);
    assert!(
        s_low < s_high,
        "a gap between the last old event and the first new one: {old:?} then {new:?}"
    );
    assert!(
        s_high >= scheduling(edited) - 0.01,
        "the new pattern took over before the edit was sent: S <= {s_high}, edit at {}",
        scheduling(edited)
    );
    eprintln!(
        "edit: last old event at cycle {}, first new at cycle {} (switch in ({s_low}, {s_high}])",
        old.cycle, new.cycle
    );
    assert!(
        (gap(old, new) - (new.cycle - old.cycle)).abs() < 1e-6,
        "timetag gap {} s for {} cycles at 1 cps",
        gap(old, new),
        new.cycle - old.cycle
    );
    // and promptly: the first new event is at most one scheduler frame (plus slack for
    // a loaded machine) after the point the server was scheduling when the edit arrived
    assert!(
        new.time <= edited + LATENCY + FRAME + 0.125 + 0.15,
        "the edit took effect {} s after it was sent",
        new.time - edited - LATENCY
    );
    for w in plays.windows(2) {
        let step = if w[1].n.is_some() && w[0].n.is_some() {
            0.125
        } else {
            0.25
        };
        if w[0].n == w[1].n {
            assert_eq!(w[1].cycle - w[0].cycle, step);
            assert!((gap(&w[0], &w[1]) - step).abs() < 1e-6);
        }
    }

    // the sound: every bundle on its frame, and the right click on each
    let matched = match_onsets(&engine, &rec, &plays);
    report("edit", &matched);
    for (p, f, _) in &matched {
        let r = second_to_first(&rec.left, *f);
        if p.n == Some(1.0) {
            assert!((r - 0.679).abs() < 0.02, "click:1 at frame {f}: ratio {r}");
        } else {
            assert!((r - 0.757).abs() < 0.02, "click:0 at frame {f}: ratio {r}");
        }
    }
    let (fo, fnew) = (matched[k - 1].1, matched[k].1);
    let want = (new.cycle - old.cycle) * RATE;
    assert!(
        ((fnew - fo) as f64 - want).abs() <= 2.0,
        "{} frames between the last old and first new onset, want {want}",
        fnew - fo
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn hush_silences_the_engine_after_the_bundles_already_sent() {
    let _serial = serial();
    let dir = scratch("hush");
    let mut engine = Engine::start(&dir);
    let capture = Capture::new();
    let mut server = Server::start(&[engine.target(), capture.target()], "1");

    server.say(r#"d1 $ s "click*8""#);
    server.say(r#"d2 $ s "click*3" # n 1"#);
    capture.wait_for("both slots", 10.0, |p| {
        p.iter().filter(|p| p.n.is_none()).count() >= 8
            && p.iter().filter(|p| p.n == Some(1.0)).count() >= 3
    });
    let hushed = server.say("hush");
    // a bundle can be sent up to one scheduler frame before its time minus the latency;
    // allow the server's tick to come a little late on a busy machine
    let cutoff = hushed + LATENCY + FRAME + 0.15;
    let silent_until = cutoff + 1.0;
    wait_clock(silent_until);
    let plays = capture.plays();
    let rec = engine.stop();
    server.finish();

    let last = plays.last().unwrap();
    assert!(
        last.time <= cutoff,
        "a bundle for {} s after hush (cutoff {} s after)",
        last.time - hushed,
        cutoff - hushed
    );
    // the bundles already sent when hush was typed (LATENCY ahead) still sound
    let in_flight = plays.iter().filter(|p| p.time > hushed).count();
    assert!(
        in_flight >= 2,
        "{in_flight} bundle(s) in flight at hush, want the {LATENCY} s latency window's"
    );
    let matched = match_onsets(&engine, &rec, &plays);
    report("hush", &matched);
    eprintln!(
        "hush: last bundle {:.3} s after hush was typed, {in_flight} in flight",
        last.time - hushed
    );
    let cut = engine.frame_of(cutoff);
    let span_end = engine.frame_of(silent_until);
    assert!(
        rec.left.len() as i64 >= span_end - (0.05 * RATE) as i64,
        "the WAV ({} frames) covers the silence after hush (to frame {span_end})",
        rec.left.len()
    );
    let after: Vec<usize> = onsets(&rec.left)
        .into_iter()
        .filter(|f| *f as i64 > cut)
        .collect();
    assert!(after.is_empty(), "onsets after hush: {after:?}");
    // and truly silent once the last click has rung out (20 ms)
    let tail = matched.iter().map(|m| m.1).max().unwrap() + 1200;
    let loudest = rec.left[tail..].iter().fold(0f32, |m, x| m.max(x.abs()));
    assert!(loudest < 1e-3, "sound after hush: peak {loudest}");
    let _ = std::fs::remove_dir_all(dir);
}
