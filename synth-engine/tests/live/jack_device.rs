//! The real device path without a sound card: JACK's dummy driver, the engine on cpal's JACK host,
//! and `jack_rec` capturing what it plays; onsets and pitch are checked in the capture.
//!
//! Built only with `--features jack`; needs `jackd`, `jack_lsp` and `jack_rec` (Debian: jackd2).
#![cfg(feature = "jack")]

#[path = "../common/mod.rs"]
mod common;
use common::live::*;
use common::*;
use rosc::{OscBundle, OscPacket, OscType};
use std::io::{BufRead, BufReader};
use std::net::UdpSocket;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use test_support::wait_for_some;

struct Killer(Vec<Child>);
impl Drop for Killer {
    fn drop(&mut self) {
        for c in self.0.iter_mut().rev() {
            if c.try_wait().ok().flatten().is_some() {
                continue;
            }
            // a stopped process (the frozen-server test) must run to end cleanly: a jackd
            // that is SIGKILLed keeps its slot in JACK's shared registry (8 at most) for good
            let _ = Command::new("kill")
                .args(["-CONT", &c.id().to_string()])
                .status();
            let _ = Command::new("kill")
                .args(["-TERM", &c.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(5);
            while c.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn poll<T>(what: &str, secs: u64, f: impl FnMut() -> Option<T>) -> T {
    wait_for_some(what, secs as f64, f)
}

fn ports(server: &str) -> String {
    Command::new("jack_lsp")
        .env("JACK_DEFAULT_SERVER", server)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

fn bundle(at: f64, sound: &str) -> Vec<u8> {
    encode(&OscPacket::Bundle(OscBundle {
        timetag: timetag(at),
        content: vec![dirt_message(&[("s", OscType::String(sound.into()))])],
    }))
}

/// A JACK dummy server, the engine on it (its stderr in `log`) and the banks it plays.
/// The processes come first: they are stopped before the folder is removed.
struct Rig {
    procs: Killer,
    root: TempDir,
    server: String,
    log: PathBuf,
    port: u16,
}

/// Starts the server `<prefix>-<pid>` and the engine on it with the test banks `banks`.
fn rig(banks: &str, prefix: &str) -> Rig {
    let root = test_banks(banks);
    let server = format!("{prefix}-{}", std::process::id());
    let mut procs = Killer(vec![start_jackd(&server)]);
    let log = root.join("engine.log");
    let (engine, port) = start_engine(&server, &root, &log);
    procs.0.push(engine);
    Rig {
        procs,
        root,
        server,
        log,
        port,
    }
}

#[test]
fn jack_dummy_driver_capture_has_the_onsets_and_the_pitch() {
    let Rig {
        root,
        server,
        mut procs,
        log,
        port,
    } = rig("jack", "ostinato");
    let outs: Vec<String> = poll("the engine's JACK ports", 10, || {
        let v: Vec<String> = ports(&server)
            .lines()
            .filter(|l| {
                l.starts_with("cpal_client") && (l.ends_with(":out_0") || l.ends_with(":out_1"))
            })
            .map(str::to_string)
            .collect();
        (v.len() == 2).then_some(v)
    });

    let wav = root.join("capture.wav");
    procs.0.push(
        Command::new("jack_rec")
            .args(["-f", wav.to_str().unwrap(), "-d", "4", "-b", "16"])
            .args(&outs)
            .env("JACK_DEFAULT_SERVER", &server)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    std::thread::sleep(Duration::from_millis(300));
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let t0 = unix_now() + 0.3;
    let mut sent = Vec::new();
    for k in 0..4 {
        sent.push(bundle(t0 + 0.25 * k as f64, "imp"));
    }
    sent.push(bundle(t0 + 1.25, "sine"));
    for p in &sent {
        client.send_to(p, format!("127.0.0.1:{port}")).unwrap();
    }
    let recorder = procs.0.last_mut().unwrap();
    poll("jack_rec to finish", 15, || {
        recorder.try_wait().ok().flatten()
    });

    let mut reader = hound::WavReader::open(&wav).expect("jack_rec wrote a WAV");
    let spec = reader.spec();
    assert_eq!(spec.sample_rate, 48000);
    let scale = 1.0 / (1u32 << (spec.bits_per_sample - 1)) as f32;
    let samples: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.samples::<f32>().map(Result::unwrap).collect(),
        hound::SampleFormat::Int => reader
            .samples::<i32>()
            .map(|s| s.unwrap() as f32 * scale)
            .collect(),
    };
    let left: Vec<f32> = samples
        .iter()
        .step_by(spec.channels as usize)
        .copied()
        .collect();
    let onsets: Vec<usize> = left
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0].abs() < 0.05 && w[1].abs() > 0.2)
        .map(|(i, _)| i + 1)
        .collect();
    assert!(onsets.len() >= 4, "{onsets:?}");
    // four clicks a quarter second apart: the device clock follows the system clock
    for w in onsets[..4].windows(2) {
        let gap = w[1] as i64 - w[0] as i64;
        assert!(
            (gap - 12000).abs() <= 8,
            "gap {gap} frames between {onsets:?}"
        );
    }
    // the sine starts one second after the first click and has its pitch (1 kHz)
    let s = onsets[0] + 60000;
    let tone = &left[s + 1000..s + 20000];
    drop(procs);
    let log = std::fs::read_to_string(log).unwrap_or_default();
    assert!(
        rms(tone) > 0.05,
        "the sine is missing: onsets {onsets:?}, {} frames\n{log}",
        left.len()
    );
    let f = zero_crossing_freq(tone, 48000);
    assert!((f - 1000.0).abs() < 2.0, "pitch {f}");
}

/// Starts the engine on JACK server `server` with the banks in `root`, stderr to `log`;
/// returns it (after its ready line) and its OSC port.
fn start_engine(server: &str, root: &std::path::Path, log: &std::path::Path) -> (Child, u16) {
    let port = free_port();
    let mut engine = Command::new(env!("CARGO_BIN_EXE_synth-engine"))
        .args(["--host", "jack", "--port", &port.to_string(), "--samples"])
        .arg(root)
        .env("JACK_DEFAULT_SERVER", server)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let mut ready = String::new();
    BufReader::new(engine.stdout.take().unwrap())
        .read_line(&mut ready)
        .unwrap();
    assert!(ready.contains("JACK"), "{ready}");
    (engine, port)
}

/// Starts `jackd` with the dummy driver under `server`; waits for its ports.
fn start_jackd(server: &str) -> Child {
    let child = Command::new("jackd")
        .args(["-n", server, "-d", "dummy", "-r", "48000", "-p", "256"])
        .env("JACK_NO_AUDIO_RESERVATION", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("jackd (Debian package jackd2) must be installed");
    poll("jackd", 10, || {
        ports(server).contains("system:playback_1").then_some(())
    });
    child
}

#[test]
fn losing_the_jack_server_is_reported_and_the_engine_exits() {
    let mut rig = rig("jack-lost", "ostinato-lost");
    // it plays for a moment
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let t0 = unix_now() + 0.1;
    for k in 0..8 {
        client
            .send_to(
                &bundle(t0 + 0.1 * k as f64, "sine"),
                format!("127.0.0.1:{}", rig.port),
            )
            .unwrap();
    }
    std::thread::sleep(Duration::from_millis(500));

    // the server goes away mid-performance (SIGTERM: a SIGKILLed jackd would keep its slot
    // in JACK's shared registry, and after 8 of them no server starts on this machine)
    let jackd = &mut rig.procs.0[0];
    signal(jackd, "-TERM");
    jackd.wait().unwrap();
    let lost = Instant::now();
    let engine = rig.procs.0.last_mut().unwrap();
    let status = poll("the engine to notice (a hang otherwise)", 10, || {
        engine.try_wait().ok().flatten()
    });
    let secs = lost.elapsed().as_secs_f64();
    let log = std::fs::read_to_string(&rig.log).unwrap_or_default();
    println!(
        "jack server stopped: the engine exited after {secs:.2} s with {status:?}: {}",
        log.lines()
            .find(|l| l.contains("audio device: lost"))
            .unwrap_or("")
    );
    assert!(!status.success(), "{status:?}\n{log}");
    assert!(log.contains("audio device: lost"), "{log}");
    assert!(!log.contains("panicked"), "{log}");
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {sig}");
}

#[test]
fn a_frozen_jack_server_is_reported_and_sigterm_still_stops_the_engine() {
    let mut rig = rig("jack-frozen", "ostinato-frozen");
    std::thread::sleep(Duration::from_millis(500));

    // the server stops scheduling anyone (as a stuck driver would)
    signal(&rig.procs.0[0], "-STOP");
    let text = poll("the engine to report the stall", 10, || {
        let text = std::fs::read_to_string(&rig.log).unwrap_or_default();
        text.contains("has not asked for sound").then_some(text)
    });
    let engine = rig.procs.0.last_mut().unwrap();
    assert!(engine.try_wait().unwrap().is_none(), "{text}");
    // stopping must not wait for the frozen server
    signal(engine, "-TERM");
    let asked = Instant::now();
    let status = poll(
        "the engine to stop on SIGTERM (a hang otherwise)",
        10,
        || engine.try_wait().ok().flatten(),
    );
    let secs = asked.elapsed().as_secs_f64();
    signal(&rig.procs.0[0], "-CONT");
    let text = std::fs::read_to_string(&rig.log).unwrap_or_default();
    println!("jack server frozen: the engine stopped {secs:.2} s after SIGTERM with {status:?}");
    assert!(!text.contains("panicked"), "{text}");
}
