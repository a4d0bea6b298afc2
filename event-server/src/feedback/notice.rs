//! `/ostinato/notice id kind text`: what the engine says about an event (or,
//! with id "", about itself), attributed to the slot that sent the event and
//! said once however often it repeats within a few seconds.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::{Duration, Instant};

use rosc::{OscPacket, OscType};

/// How long the same notice (or log line) stays quiet after it was said.
pub const REPEAT_QUIET: Duration = Duration::from_secs(5);

/// One notice as the engine sent it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Notice {
    /// The event's `_id_` as sent: "1" for d1, "drums" for `p "drums"`,
    /// "" for the engine itself.
    pub id: String,
    /// `unknown-sound`, `decode-failed`, `late`, `dropped`, `voices-shed`,
    /// `unknown-param`, `reload`, `reload-error`, or a kind added later.
    pub kind: String,
    pub text: String,
}

impl Notice {
    /// Who the notice is about, as the musician wrote it: `d1`,
    /// `p "drums"`, or `engine`.
    pub fn source(&self) -> String {
        let id = self.id.as_str();
        if id.is_empty() {
            "engine".to_string()
        } else if id.bytes().all(|b| b.is_ascii_digit()) {
            format!("d{id}")
        } else {
            format!("p {id:?}")
        }
    }

    /// The line printed for it: `d1: no sample bank or voice named "bdd"`.
    pub fn line(&self) -> String {
        format!("{}: {}", self.source(), self.text)
    }
}

/// The notices in one datagram (a bare message or a bundle of them); none
/// when it holds anything else or is not OSC.
pub fn decode(bytes: &[u8]) -> Vec<Notice> {
    fn walk(packet: OscPacket, out: &mut Vec<Notice>) {
        match packet {
            OscPacket::Bundle(b) => b.content.into_iter().for_each(|p| walk(p, out)),
            OscPacket::Message(m) if m.addr == "/ostinato/notice" => {
                let mut strings = m.args.into_iter().map(|a| match a {
                    OscType::String(s) => Some(s),
                    _ => None,
                });
                if let (Some(Some(id)), Some(Some(kind)), Some(Some(text))) =
                    (strings.next(), strings.next(), strings.next())
                {
                    out.push(Notice {
                        id: printable(&id),
                        kind: printable(&kind),
                        text: printable(&text),
                    });
                }
            }
            OscPacket::Message(_) => {}
        }
    }
    let mut out = Vec::new();
    if let Ok((_, packet)) = rosc::decoder::decode_udp(bytes) {
        walk(packet, &mut out);
    }
    out
}

/// `text` without control characters, which a terminal would obey.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Remembers when each message (a notice, a log line) was last said, to
/// say a repeat only after `quiet` has passed.
pub struct Repeats<K> {
    quiet: Duration,
    said: HashMap<K, Instant>,
}

impl<K: Clone + Eq + Hash> Repeats<K> {
    pub fn new(quiet: Duration) -> Repeats<K> {
        Repeats {
            quiet,
            said: HashMap::new(),
        }
    }

    /// Whether `message`, arriving at `now`, should be said.
    pub fn fresh(&mut self, message: &K, now: Instant) -> bool {
        if let Some(last) = self.said.get(message) {
            if now.duration_since(*last) < self.quiet {
                return false;
            }
        }
        // Forget what has been quiet long enough, so the map stays small.
        let quiet = self.quiet;
        self.said
            .retain(|_, last| now.duration_since(*last) < quiet);
        self.said.insert(message.clone(), now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rosc::{OscBundle, OscMessage, OscTime};

    fn notice(id: &str, text: &str) -> Notice {
        Notice {
            id: id.into(),
            kind: "unknown-sound".into(),
            text: text.into(),
        }
    }

    fn encode(packet: OscPacket) -> Vec<u8> {
        rosc::encoder::encode(&packet).unwrap()
    }

    fn message(args: Vec<OscType>) -> OscPacket {
        OscPacket::Message(OscMessage {
            addr: "/ostinato/notice".into(),
            args,
        })
    }

    #[test]
    fn attributed_to_the_slot_as_written() {
        assert_eq!(notice("1", "x").line(), "d1: x");
        assert_eq!(notice("16", "x").line(), "d16: x");
        assert_eq!(notice("drums", "x").line(), "p \"drums\": x");
        assert_eq!(notice("", "x").line(), "engine: x");
    }

    #[test]
    fn decoded_bare_or_in_a_bundle_and_anything_else_ignored() {
        let s = |t: &str| OscType::String(t.into());
        let bare = message(vec![s("1"), s("unknown-sound"), s("no bdd")]);
        assert_eq!(decode(&encode(bare.clone())), vec![notice("1", "no bdd")]);
        let bundle = OscPacket::Bundle(OscBundle {
            timetag: OscTime {
                seconds: 0,
                fractional: 1,
            },
            content: vec![bare.clone(), bare],
        });
        assert_eq!(decode(&encode(bundle)).len(), 2);
        assert!(decode(&encode(message(vec![s("1"), s("late")]))).is_empty());
        assert!(decode(&encode(message(vec![s("1"), OscType::Int(3), s("x")]))).is_empty());
        assert!(decode(b"\0\0\0garbage").is_empty());
        let escape = message(vec![s("1"), s("late"), s("a\x1b[2Jb\nc")]);
        assert_eq!(decode(&encode(escape))[0].text, "a [2Jb c");
        let reply = OscPacket::Message(OscMessage {
            addr: "/dirt/handshake/reply".into(),
            args: vec![],
        });
        assert!(decode(&encode(reply)).is_empty());
    }

    #[test]
    fn a_repeat_is_said_once_within_the_quiet_time() {
        let mut repeats = Repeats::new(Duration::from_secs(5));
        let start = Instant::now();
        let at = |s: u64| start + Duration::from_secs(s);
        let bdd = notice("1", "no bdd");
        assert!(repeats.fresh(&bdd, at(0)));
        assert!(!repeats.fresh(&bdd, at(1)));
        assert!(!repeats.fresh(&bdd, at(4)));
        // another slot, or another text, is another notice
        assert!(repeats.fresh(&notice("2", "no bdd"), at(4)));
        assert!(repeats.fresh(&notice("1", "no sn2"), at(4)));
        assert!(repeats.fresh(&bdd, at(5)));
        assert!(!repeats.fresh(&bdd, at(6)));
    }
}
