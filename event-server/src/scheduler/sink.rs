//! Where planned events go: a small trait the scheduler loop sends through,
//! UDP to the engines in production (with SuperDirt's handshake), a
//! recorder in tests.

use std::net::{SocketAddr, UdpSocket};

use super::clock::NANOS;
use super::plan::Timed;
use super::warnings::Warnings;
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

/// OSC bundles over UDP to every target, and the handshake until answered.
pub struct Udp {
    socket: UdpSocket,
    targets: Vec<SocketAddr>,
    handshake_answered: bool,
    next_handshake_ns: i128,
    handshakes_sent: u32,
}

impl Udp {
    pub fn new(targets: Vec<SocketAddr>) -> std::io::Result<Udp> {
        let any_remote = targets.iter().any(|t| !t.ip().is_loopback());
        let bind = if any_remote {
            "0.0.0.0:0"
        } else {
            "127.0.0.1:0"
        };
        let socket = UdpSocket::bind(bind)?;
        socket.set_nonblocking(true)?;
        Ok(Udp {
            socket,
            targets,
            handshake_answered: false,
            next_handshake_ns: 0,
            handshakes_sent: 0,
        })
    }

    fn handshake_if_due(&mut self, now: i128, warnings: &Warnings) {
        if self.handshake_answered || now < self.next_handshake_ns {
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

    fn poll_replies(&mut self, warnings: &Warnings) {
        let mut buf = [0u8; 65536];
        while let Ok((n, from)) = self.socket.recv_from(&mut buf) {
            if !self.handshake_answered && osc::is_handshake_reply(&buf[..n]) {
                self.handshake_answered = true;
                warnings.say(format!("connected to the engine at {from}"));
            }
        }
    }
}

impl Sink for Udp {
    fn tick(&mut self, now: i128, warnings: &mut Warnings) {
        self.poll_replies(warnings);
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
