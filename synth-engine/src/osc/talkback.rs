//! Talking back: `/ostinato/notice` messages to the sender of an event or to every client, rate-limited.

use crate::dispatch::notice::{Notice, NoticeKind};
use crate::engine::stats::EngineStats;
use rosc::{OscMessage, OscPacket, OscType};
use std::collections::HashMap;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

/// The address of every notice.
pub const NOTICE_ADDRESS: &str = "/ostinato/notice";
/// The same problem for the same id and client is told at most once in this window.
pub const NOTICE_WINDOW: Duration = Duration::from_secs(3);
/// Clients that sent an event this recently hear about problems the audio thread counted.
const RECENT_SENDER: Duration = Duration::from_secs(5);
/// Handshake clients, recent senders and remembered notices kept at most (a flood cannot grow them).
const MAX_TRACKED: usize = 1024;
/// Notices sent per second at most, to all clients together (a flood of bad events costs little).
const MAX_PER_SECOND: u32 = 100;

/// Who is told what, and what was told when.
#[derive(Default)]
pub struct Talkback {
    /// Clients that sent `/dirt/handshake`, told about voice reloads.
    clients: Vec<SocketAddr>,
    /// Clients that sent events, and when last.
    senders: HashMap<SocketAddr, Instant>,
    /// When each (client, id, kind, text) was last told.
    told: HashMap<(SocketAddr, String, NoticeKind, String), Instant>,
    late_seen: u64,
    shed_seen: u64,
    overflow_seen: u64,
    counters_read: Option<Instant>,
    /// The start of the current second and the notices sent in it.
    budget: Option<(Instant, u32)>,
}

impl Talkback {
    /// A client sent a handshake: it hears about reloads from now on.
    pub fn handshake(&mut self, from: SocketAddr) {
        if !self.clients.contains(&from) && self.clients.len() < MAX_TRACKED {
            self.clients.push(from);
        }
    }

    /// A client sent an event.
    pub fn sender(&mut self, from: SocketAddr) {
        if self.senders.len() >= MAX_TRACKED && !self.senders.contains_key(&from) {
            self.senders.retain(|_, t| t.elapsed() < RECENT_SENDER);
            if self.senders.len() >= MAX_TRACKED {
                return;
            }
        }
        self.senders.insert(from, Instant::now());
    }

    /// Whether a notice may go out this second (check before building one: under a flood
    /// of bad events, the engine spends nothing on notices once the second's budget is used).
    pub fn may_tell(&mut self) -> bool {
        match self.budget {
            Some((start, n)) if start.elapsed() < Duration::from_secs(1) => n < MAX_PER_SECOND,
            _ => {
                self.budget = Some((Instant::now(), 0));
                true
            }
        }
    }

    /// Sends `notice` to its client (or to every handshake client), unless the same was told
    /// within [`NOTICE_WINDOW`] or this second's budget is used. Returns how many went out.
    pub fn tell(&mut self, socket: &UdpSocket, notice: &Notice) -> usize {
        let targets = match notice.to {
            Some(to) => vec![to],
            None => self.clients.clone(),
        };
        let mut sent = 0;
        for to in targets {
            if !self.may_tell() || !self.fresh(to, notice) {
                continue;
            }
            if send(socket, notice, to) {
                sent += 1;
            }
        }
        sent
    }

    /// Whether `notice` to `to` was not told within the window (and notes that it is told now).
    fn fresh(&mut self, to: SocketAddr, notice: &Notice) -> bool {
        let key = (to, notice.id.clone(), notice.kind, notice.text.clone());
        if let Some(t) = self.told.get(&key) {
            if t.elapsed() < NOTICE_WINDOW {
                return false;
            }
        }
        if self.told.len() >= MAX_TRACKED {
            self.told.retain(|_, t| t.elapsed() < NOTICE_WINDOW);
            if self.told.len() >= MAX_TRACKED {
                return false;
            }
        }
        self.told.insert(key, Instant::now());
        if let Some((_, n)) = &mut self.budget {
            *n += 1;
        }
        true
    }

    /// Tells recent senders (id "") about what the audio thread counted since the last call:
    /// events that started late, voices shed under load, events the engine had no room for.
    pub fn counters(&mut self, socket: &UdpSocket, stats: &EngineStats, sample_rate: f64) {
        if self
            .counters_read
            .is_some_and(|t| t.elapsed() < Duration::from_secs(1))
        {
            return;
        }
        let first = self.counters_read.is_none();
        self.counters_read = Some(Instant::now());
        let late = EngineStats::get(&stats.late_events);
        let shed = EngineStats::get(&stats.voices_shed);
        let overflow = EngineStats::get(&stats.pending_overflow);
        if first {
            (self.late_seen, self.shed_seen, self.overflow_seen) = (late, shed, overflow);
            return;
        }
        let mut notices = Vec::new();
        if late > self.late_seen {
            let worst_ms =
                EngineStats::get(&stats.max_late_frames) as f64 * 1000.0 / sample_rate.max(1.0);
            notices.push((
                NoticeKind::Late,
                format!(
                    "{} event(s) started late (worst so far {worst_ms:.1} ms)",
                    late - self.late_seen
                ),
            ));
        }
        if shed > self.shed_seen {
            notices.push((
                NoticeKind::VoicesShed,
                format!(
                    "the machine could not keep up: {} voice(s) faded out to keep real time",
                    shed - self.shed_seen
                ),
            ));
        }
        if overflow > self.overflow_seen {
            notices.push((
                NoticeKind::Dropped,
                format!(
                    "{} event(s) dropped: too many waiting in the engine",
                    overflow - self.overflow_seen
                ),
            ));
        }
        (self.late_seen, self.shed_seen, self.overflow_seen) = (late, shed, overflow);
        if notices.is_empty() {
            return;
        }
        self.senders.retain(|_, t| t.elapsed() < RECENT_SENDER);
        let senders: Vec<SocketAddr> = self.senders.keys().copied().collect();
        for (kind, text) in notices {
            for to in &senders {
                let notice = Notice {
                    to: Some(*to),
                    id: String::new(),
                    kind,
                    // the counts change every time; the window holds per kind, so the text is fixed here
                    text: text.clone(),
                };
                self.tell_once_per_kind(socket, &notice);
            }
        }
    }

    /// As [`Talkback::tell`], rate-limited by kind alone (the text carries changing counts).
    fn tell_once_per_kind(&mut self, socket: &UdpSocket, notice: &Notice) {
        let probe = Notice {
            text: String::new(),
            ..notice.clone()
        };
        let Some(to) = notice.to else { return };
        if self.may_tell() && self.fresh(to, &probe) {
            send(socket, notice, to);
        }
    }
}

/// Sends one notice (counting it against the second's budget); whether it went out.
fn send(socket: &UdpSocket, notice: &Notice, to: SocketAddr) -> bool {
    match rosc::encoder::encode(&notice_packet(notice)) {
        Ok(bytes) => socket.send_to(&bytes, to).is_ok(),
        Err(_) => false,
    }
}

/// The OSC message of a notice: id, kind, text (three strings).
pub fn notice_packet(notice: &Notice) -> OscPacket {
    OscPacket::Message(OscMessage {
        addr: NOTICE_ADDRESS.into(),
        args: vec![
            OscType::String(notice.id.clone()),
            OscType::String(notice.kind.as_str().into()),
            OscType::String(notice.text.clone()),
        ],
    })
}
