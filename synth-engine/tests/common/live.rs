//! Driving the real `synth-engine` binary: start it on a free port with a wall-clock-paced WAV
//! output, send OSC over UDP, collect its output, stop it, read what it played.

use rosc::{OscMessage, OscPacket, OscType};
use std::net::UdpSocket;
use std::path::Path;
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};
use test_support::Started;
#[allow(unused_imports)] // each test binary uses a different part
pub use test_support::{
    dirt_message, encode, free_port, kill_if_running, named, read_stereo, start_until_ready,
    terminate, timetag, unix_now, wav_frames_on_disk,
};

/// A `/dirt/play` message as Tidal sends it, for `sound`.
pub fn dirt_play(sound: &str) -> OscPacket {
    dirt_message(&[
        ("_id_", OscType::String("1".into())),
        ("cps", OscType::Float(0.5625)),
        ("orbit", OscType::Int(0)),
        ("s", OscType::String(sound.into())),
    ])
}

/// A running engine; killed when dropped if it was not stopped.
pub struct LiveEngine {
    /// The process and what it says.
    started: Started,
    pub port: u16,
    /// The ready line.
    pub ready: String,
    /// Unix time of output frame 0 (from the ready line), for WAV outputs.
    pub origin: Option<f64>,
}

impl LiveEngine {
    /// Starts the engine with `args` (e.g. `--samples DIR --output wav:PATH`) on a free port;
    /// waits for the ready line. Stdout and stderr are drained continuously (a full pipe
    /// would block the engine).
    pub fn start(args: &[&str]) -> LiveEngine {
        let port = free_port();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_synth-engine"));
        cmd.args(["--port", &port.to_string()]).args(args);
        let started = start_until_ready(&mut cmd, "synth-engine", 20.0)
            .unwrap_or_else(|err| panic!("no ready line within 20 s; stderr:\n{err}"));
        let ready = started.ready.clone();
        let origin = ready
            .split_once("unix time ")
            .and_then(|(_, s)| s.trim().parse().ok());
        LiveEngine {
            started,
            port,
            ready,
            origin,
        }
    }

    /// Starts the engine with the banks in `samples`, writing a paced WAV to `wav`.
    pub fn with_wav(samples: &Path, wav: &Path, extra: &[&str]) -> LiveEngine {
        let s = samples.display().to_string();
        let w = format!("wav:{}", wav.display());
        let mut args = vec!["--buffer", "128", "--samples", &s, "--output", &w];
        args.extend_from_slice(extra);
        LiveEngine::start(&args)
    }

    /// `127.0.0.1:PORT`.
    pub fn target(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Everything the engine wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.started.stderr.lock().unwrap().clone()
    }

    /// Lines the engine wrote to stdout after the ready line, so far.
    pub fn stdout_lines(&self) -> Vec<String> {
        self.started.stdout.try_iter().collect()
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        self.started.child.try_wait().unwrap().is_none()
    }

    /// `VmRSS` in kB, from /proc (Linux).
    pub fn rss_kb(&self) -> Option<u64> {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.started.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// CPU time (user + system) the process has used, in seconds, from /proc (Linux; clock
    /// ticks taken as the usual 100 a second).
    pub fn cpu_seconds(&self) -> Option<f64> {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.started.child.id())).ok()?;
        // the fields after the command name (which may hold spaces) start at state, field 3
        let rest = stat.rsplit_once(')')?.1;
        let f: Vec<&str> = rest.split_whitespace().collect();
        let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
        Some(ticks as f64 / 100.0)
    }

    /// Sends `/dirt/handshake` from `client` until a reply comes (within `secs`); returns it.
    pub fn handshake(&self, client: &UdpSocket, secs: u64) -> Option<OscMessage> {
        let hs = encode(&OscPacket::Message(OscMessage {
            addr: "/dirt/handshake".into(),
            args: vec![],
        }));
        client
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < deadline {
            client.send_to(&hs, self.target()).unwrap();
            let mut buf = [0u8; 4096];
            if let Ok((n, _)) = client.recv_from(&mut buf) {
                if let Ok((_, OscPacket::Message(m))) = rosc::decoder::decode_udp(&buf[..n]) {
                    return Some(m);
                }
            }
        }
        None
    }

    /// Stops the engine with SIGTERM (within 10 s) and returns its exit status.
    pub fn stop(&mut self) -> ExitStatus {
        let status = terminate(&mut self.started.child);
        // let the stderr reader take the last lines
        std::thread::sleep(Duration::from_millis(100));
        status
    }

    /// Waits (polling) until the wall clock passes `unix`, at most `secs`.
    pub fn wait_until(unix: f64, secs: u64) {
        test_support::wait_until("the wall clock", secs as f64, || unix_now() >= unix);
    }
}

impl Drop for LiveEngine {
    fn drop(&mut self) {
        kill_if_running(&mut self.started.child);
    }
}

/// A counter from the engine's closing summary (`... NAME N ...`), e.g. `packets`.
pub fn summary_count(stderr: &str, name: &str) -> Option<u64> {
    let line = stderr.lines().rev().find(|l| l.contains("stopped;"))?;
    let at = line.find(&format!("{name} "))? + name.len() + 1;
    line[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}
