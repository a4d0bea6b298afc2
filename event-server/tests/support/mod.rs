//! Test helpers: the real `event-server` binary driven through its stdin,
//! and a UDP receiver on loopback that records what it sends.

#![allow(dead_code)]

use std::process::Command;

use rosc::{OscMessage, OscPacket, OscType};
#[allow(unused_imports)] // each test binary uses a different part
pub use test_support::{names, ntp_bits, pair, sleep, typetags, wait_until, Packet, Repl};

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
        pair(&self.message.args, name)
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

/// Records every datagram sent to its port; reads them as plays and handshakes.
pub struct Receiver(test_support::Receiver);

impl std::ops::Deref for Receiver {
    type Target = test_support::Receiver;
    fn deref(&self) -> &test_support::Receiver {
        &self.0
    }
}

impl Receiver {
    pub fn new() -> Receiver {
        Receiver(test_support::Receiver::new())
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
                        Some(Play {
                            ntp: ntp_bits(b.timetag),
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

    /// The plays of the pattern with this `_id_` (`"1"` for `d1`), in arrival order.
    pub fn plays_of(&self, id: &str) -> Vec<Play> {
        let mut plays = self.plays();
        plays.retain(|p| p.string("_id_") == id);
        plays
    }

    pub fn handshakes(&self) -> Vec<Packet> {
        self.packets()
            .into_iter()
            .filter(|p| p.bytes.starts_with(b"/dirt/handshake\0"))
            .collect()
    }

    /// Waits until `test` holds for the plays so far, or panics at the deadline.
    pub fn wait_for(&self, what: &str, secs: f64, test: impl Fn(&[Play]) -> bool) -> Vec<Play> {
        test_support::wait_for_value(what, secs, || self.plays(), |p| test(p))
    }
}

test_support::repl_newtype!(
    /// The server, with its stdin to type into and its stdout and stderr collected.
    Server
);

impl Server {
    /// A receiver, and the REPL sending to it (see `start`).
    pub fn with_receiver(extra: &[&str]) -> (Receiver, Server) {
        let rx = Receiver::new();
        let server = Server::start(&rx.target(), extra);
        (rx, server)
    }

    /// Starts the REPL sending to `target`, fast frames and short latency.
    pub fn start(target: &str, extra: &[&str]) -> Server {
        let mut extra: Vec<&str> = extra.to_vec();
        for (flag, value) in [("--latency", "0.1"), ("--frame", "0.02")] {
            if !extra.contains(&flag) {
                extra.extend([flag, value]);
            }
        }
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_event-server"));
        cmd.args(["--target", target]).args(extra);
        Server(Repl::start(&mut cmd, "event-server"))
    }
}
