//! Where planned events go: a small trait the scheduler loop sends through,
//! UDP to the engines in production (with SuperDirt's handshake, and a
//! thread that hears what the engines send back), a recorder in tests.

use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::clock::NANOS;
use super::plan::Timed;
use super::warnings::Warnings;
use crate::feedback::notice::{self, Repeats, REPEAT_QUIET};
use crate::osc;

/// How often a target that cannot be reached is mentioned.
const SEND_WARNING_EVERY_NS: i128 = 10 * NANOS;
/// The handshake is repeated this often until answered.
const HANDSHAKE_EVERY_NS: i128 = 2 * NANOS;

/// Receives the scheduler's events. A failure is said through `warnings`,
/// never returned: one event or target that fails costs the others nothing.
pub trait Sink: Send {
    /// Once a tick (at `now`, ns since start), before the frame's events.
    fn tick(&mut self, _now: i128, _warnings: &mut Warnings) {}

    /// Sends one timed event.
    fn send(&mut self, event: Timed, now: i128, warnings: &mut Warnings);
}

/// How often the listening thread looks for replies (the socket is
/// non-blocking, for the scheduler's sends).
const LISTEN_EVERY: Duration = Duration::from_millis(10);

/// OSC bundles over UDP to every target, and the handshake until answered.
/// Replies (the handshake's, the engines' notices) are read on a thread of
/// their own, so that none ever delays a tick.
pub struct Udp {
    socket: UdpSocket,
    targets: Vec<SocketAddr>,
    handshake_answered: Arc<AtomicBool>,
    /// Tells the listening thread to end.
    closed: Arc<AtomicBool>,
    next_handshake_ns: i128,
    handshakes_sent: u32,
}

impl Udp {
    /// Sends from a new socket on an ephemeral port; what comes back to it
    /// is said through `report`.
    pub fn new(targets: Vec<SocketAddr>, report: Sender<String>) -> std::io::Result<Udp> {
        let any_remote = targets.iter().any(|t| !t.ip().is_loopback());
        let bind = if any_remote {
            "0.0.0.0:0"
        } else {
            "127.0.0.1:0"
        };
        let socket = UdpSocket::bind(bind)?;
        socket.set_nonblocking(true)?;
        let handshake_answered = Arc::new(AtomicBool::new(false));
        let closed = Arc::new(AtomicBool::new(false));
        let listener = Listener {
            socket: socket.try_clone()?,
            handshake_answered: handshake_answered.clone(),
            closed: closed.clone(),
            report,
        };
        std::thread::Builder::new()
            .name("replies".into())
            .spawn(move || listener.run())?;
        Ok(Udp {
            socket,
            targets,
            handshake_answered,
            closed,
            next_handshake_ns: 0,
            handshakes_sent: 0,
        })
    }

    fn handshake_if_due(&mut self, now: i128, warnings: &Warnings) {
        let answered = self.handshake_answered.load(Ordering::Relaxed);
        if answered || now < self.next_handshake_ns {
            return;
        }
        self.next_handshake_ns = now + HANDSHAKE_EVERY_NS;
        if self.handshakes_sent == 1 {
            let targets: Vec<String> = self.targets.iter().map(|t| t.to_string()).collect();
            warnings.say(format!(
                "waiting for the engine's handshake reply from {} (playing anyway)",
                targets.join(", ")
            ));
        }
        self.handshakes_sent += 1;
        if let Ok(bytes) = osc::handshake() {
            for target in &self.targets {
                let _ = self.socket.send_to(&bytes, target);
            }
        }
    }
}

impl Drop for Udp {
    fn drop(&mut self) {
        self.closed.store(true, Ordering::Relaxed);
    }
}

impl Sink for Udp {
    fn tick(&mut self, now: i128, warnings: &mut Warnings) {
        self.handshake_if_due(now, warnings);
    }

    fn send(&mut self, event: Timed, now: i128, warnings: &mut Warnings) {
        let bytes = match osc::bundle(event.message, event.ntp) {
            Ok(bytes) => bytes,
            Err(e) => {
                warnings.limited("encode", now, format!("encoding an event: {e}"));
                return;
            }
        };
        for target in &self.targets {
            // one target that cannot be reached never costs the others
            if let Err(e) = self.socket.send_to(&bytes, target) {
                let text = format!("sending to {target}: {e}; playing on");
                warnings.every("send", SEND_WARNING_EVERY_NS, now, text);
            }
        }
    }
}

/// Reads what the engines send back to the sending socket: the handshake's
/// reply, and `/ostinato/notice` messages, each said once per quiet time.
struct Listener {
    socket: UdpSocket,
    handshake_answered: Arc<AtomicBool>,
    closed: Arc<AtomicBool>,
    report: Sender<String>,
}

impl Listener {
    fn run(self) {
        let mut buf = vec![0u8; 65536];
        let mut repeats = Repeats::new(REPEAT_QUIET);
        while !self.closed.load(Ordering::Relaxed) {
            let Ok((n, from)) = self.socket.recv_from(&mut buf) else {
                std::thread::sleep(LISTEN_EVERY);
                continue;
            };
            let bytes = &buf[..n];
            if osc::is_handshake_reply(bytes) {
                if !self.handshake_answered.swap(true, Ordering::Relaxed) {
                    let _ = self
                        .report
                        .send(format!("connected to the engine at {from}"));
                }
                continue;
            }
            let now = Instant::now();
            for notice in notice::decode(bytes) {
                if repeats.fresh(&notice, now) && self.report.send(notice.line()).is_err() {
                    return;
                }
            }
        }
    }
}
