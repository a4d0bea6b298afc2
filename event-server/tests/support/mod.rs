//! Test helpers: the real `event-server` binary driven through its stdin,
//! and a UDP receiver on loopback that records what it sends.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::UdpSocket;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rosc::{OscMessage, OscPacket, OscType};

/// One datagram as it arrived.
#[derive(Clone, Debug)]
pub struct Packet {
    pub bytes: Vec<u8>,
    pub arrived: Instant,
    /// Arrival in seconds since 1900 (NTP), to compare with timetags.
    pub arrived_ntp: f64,
    pub from: std::net::SocketAddr,
}

/// A `/dirt/play` bundle, decoded.
#[derive(Clone, Debug)]
pub struct Play {
    /// NTP timetag as one 64-bit number.
    pub ntp: u64,
    pub message: OscMessage,
    pub bytes: Vec<u8>,
    pub arrived_ntp: f64,
}

impl Play {
    pub fn arg(&self, name: &str) -> Option<&OscType> {
        self.message
            .args
            .chunks(2)
            .find(|p| p[0] == OscType::String(name.to_string()))
            .map(|p| &p[1])
    }

    pub fn float(&self, name: &str) -> f32 {
        match self.arg(name) {
            Some(OscType::Float(x)) => *x,
            other => panic!("{name} is not a float: {other:?}"),
        }
    }

    pub fn string(&self, name: &str) -> String {
        match self.arg(name) {
            Some(OscType::String(s)) => s.clone(),
            other => panic!("{name} is not a string: {other:?}"),
        }
    }

    /// Seconds (NTP) as f64, for printing only.
    pub fn seconds(&self) -> f64 {
        (self.ntp >> 32) as f64 + (self.ntp & 0xffff_ffff) as f64 / 4294967296.0
    }
}

/// Records every datagram sent to its port.
pub struct Receiver {
    pub socket: Arc<UdpSocket>,
    pub packets: Arc<Mutex<Vec<Packet>>>,
}

impl Receiver {
    pub fn new() -> Receiver {
        let socket = Arc::new(UdpSocket::bind("127.0.0.1:0").expect("bind"));
        socket
            .set_read_timeout(Some(Duration::from_millis(50)))
            .expect("timeout");
        let packets = Arc::new(Mutex::new(Vec::new()));
        let (s, p) = (socket.clone(), packets.clone());
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 65536];
            loop {
                if let Ok((n, from)) = s.recv_from(&mut buf) {
                    p.lock().unwrap().push(Packet {
                        bytes: buf[..n].to_vec(),
                        arrived: Instant::now(),
                        arrived_ntp: std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .unwrap()
                            .as_secs_f64()
                            + 2_208_988_800.0,
                        from,
                    });
                }
                if Arc::strong_count(&p) == 1 {
                    break;
                }
            }
        });
        Receiver { socket, packets }
    }

    pub fn target(&self) -> String {
        self.socket.local_addr().unwrap().to_string()
    }

    pub fn packets(&self) -> Vec<Packet> {
        self.packets.lock().unwrap().clone()
    }

    /// Every `/dirt/play` received so far, in arrival order. Panics on a
    /// bundle that is not exactly one `/dirt/play` message.
    pub fn plays(&self) -> Vec<Play> {
        self.packets()
            .into_iter()
            .filter_map(
                |p| match rosc::decoder::decode_udp(&p.bytes).expect("valid OSC").1 {
                    OscPacket::Bundle(b) => {
                        assert_eq!(b.content.len(), 1, "one message per bundle");
                        let OscPacket::Message(m) = &b.content[0] else {
                            panic!("a bundle inside a bundle");
                        };
                        assert_eq!(m.addr, "/dirt/play");
                        let ntp = ((b.timetag.seconds as u64) << 32) | b.timetag.fractional as u64;
                        Some(Play {
                            ntp,
                            message: m.clone(),
                            bytes: p.bytes.clone(),
                            arrived_ntp: p.arrived_ntp,
                        })
                    }
                    OscPacket::Message(m) => {
                        assert_eq!(m.addr, "/dirt/handshake", "bare messages are handshakes");
                        None
                    }
                },
            )
            .collect()
    }

    pub fn handshakes(&self) -> Vec<Packet> {
        self.packets()
            .into_iter()
            .filter(|p| p.bytes.starts_with(b"/dirt/handshake\0"))
            .collect()
    }

    /// Waits until `test` holds for the plays so far, or panics at the deadline.
    pub fn wait_for(&self, what: &str, secs: f64, test: impl Fn(&[Play]) -> bool) -> Vec<Play> {
        let deadline = Instant::now() + Duration::from_secs_f64(secs);
        loop {
            let plays = self.plays();
            if test(&plays) {
                return plays;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; got {} plays", plays.len());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// The server, with its stdin to type into and its stderr collected.
pub struct Server {
    pub child: Child,
    stdin: Option<ChildStdin>,
    pub stderr: Arc<Mutex<String>>,
    pub stdout: Arc<Mutex<String>>,
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

impl Server {
    /// Starts the REPL sending to `target`, fast frames and short latency.
    pub fn start(target: &str, extra: &[&str]) -> Server {
        let mut extra: Vec<&str> = extra.to_vec();
        for (flag, value) in [("--latency", "0.1"), ("--frame", "0.02")] {
            if !extra.contains(&flag) {
                extra.extend([flag, value]);
            }
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_event-server"))
            .args(["--target", target])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start event-server");
        let stderr = collect(child.stderr.take().unwrap());
        let stdout = collect(child.stdout.take().unwrap());
        Server {
            stdin: child.stdin.take(),
            child,
            stderr,
            stdout,
        }
    }

    pub fn say(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("write");
        stdin.flush().expect("flush");
    }

    /// Types raw bytes (not necessarily UTF-8) as one line.
    pub fn say_bytes(&mut self, line: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(line).expect("write");
        stdin.write_all(b"\n").expect("write");
        stdin.flush().expect("flush");
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// Waits until stderr contains `text`.
    pub fn wait_stderr(&self, text: &str, secs: f64) -> String {
        let deadline = Instant::now() + Duration::from_secs_f64(secs);
        loop {
            let e = self.stderr();
            if e.contains(text) {
                return e;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {text:?} on stderr; got:\n{e}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Closes stdin (end of input) and waits for a clean exit.
    pub fn finish(mut self) -> String {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "event-server failed: {}", self.stderr());
                return self.stderr();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("event-server did not exit at the end of input");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn sleep(secs: f64) {
    std::thread::sleep(Duration::from_secs_f64(secs));
}

/// The OSC type letters of a message, e.g. `,sssfsfsfsisssf`.
pub fn typetags(m: &OscMessage) -> String {
    let mut s = String::from(",");
    for a in &m.args {
        s.push(match a {
            OscType::String(_) => 's',
            OscType::Float(_) => 'f',
            OscType::Int(_) => 'i',
            OscType::Double(_) => 'd',
            _ => '?',
        });
    }
    s
}

/// The argument names of a message, in order.
pub fn names(m: &OscMessage) -> Vec<String> {
    m.args
        .chunks(2)
        .map(|p| match &p[0] {
            OscType::String(s) => s.clone(),
            other => panic!("a name that is not a string: {other:?}"),
        })
        .collect()
}
