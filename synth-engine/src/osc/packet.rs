//! Unpacking an OSC packet into messages, each with the timetag of its innermost bundle.

use crate::dispatch::dirt_event::{parse_play, DirtEvent, EventError};
use rosc::{OscMessage, OscPacket, OscTime, OscType};

/// Deepest bundle nesting accepted (deeper packets are malformed).
const MAX_DEPTH: usize = 16;

/// A message and the timetag it should play at (`None` = bare message, at once).
#[derive(Debug, PartialEq)]
pub struct Timed {
    pub time: Option<OscTime>,
    pub message: OscMessage,
}

/// Why a packet was dropped.
#[derive(Debug, thiserror::Error)]
pub enum PacketError {
    #[error("not an OSC packet: {0}")]
    Decode(String),
    #[error("bundles nested deeper than {MAX_DEPTH}")]
    TooDeep,
}

/// Decodes a UDP datagram and flattens nested bundles.
pub fn unpack(bytes: &[u8]) -> Result<Vec<Timed>, PacketError> {
    let (_, packet) =
        rosc::decoder::decode_udp(bytes).map_err(|e| PacketError::Decode(format!("{e:?}")))?;
    let mut out = Vec::new();
    flatten(packet, None, 0, &mut out)?;
    Ok(out)
}

fn flatten(
    packet: OscPacket,
    time: Option<OscTime>,
    depth: usize,
    out: &mut Vec<Timed>,
) -> Result<(), PacketError> {
    if depth > MAX_DEPTH {
        return Err(PacketError::TooDeep);
    }
    match packet {
        OscPacket::Message(message) => out.push(Timed { time, message }),
        OscPacket::Bundle(b) => {
            for p in b.content {
                flatten(p, Some(b.timetag), depth + 1, out)?;
            }
        }
    }
    Ok(())
}

/// One message of a datagram as the server reads it: a `/dirt/play` becomes a sanitised event
/// (or the reason it cannot be played), anything else keeps its address.
#[derive(Debug, PartialEq)]
pub enum Decoded {
    Play {
        /// When it should sound, as Unix nanoseconds (`None` = at once).
        at: Option<crate::clock::UnixNanos>,
        event: Result<Box<DirtEvent>, EventError>,
    },
    Other(String),
}

/// The server's reading of one datagram, without acting on it: unpack the bundles, map
/// each timetag to Unix time, read each `/dirt/play`'s arguments into a sanitised event.
/// For fuzzing and property tests; untrusted bytes never panic here.
pub fn decode(bytes: &[u8]) -> Result<Vec<Decoded>, PacketError> {
    Ok(unpack(bytes)?
        .into_iter()
        .map(|m| match m.message.addr.as_str() {
            "/dirt/play" => Decoded::Play {
                at: m
                    .time
                    .and_then(|t| crate::clock::timetag_to_unix(t.seconds, t.fractional)),
                event: parse_play(&m.message.args).map(Box::new),
            },
            _ => Decoded::Other(m.message.addr),
        })
        .collect())
}

/// SuperDirt's handshake reply: `&serverHostname HOST &serverPort PORT &controlBusIndices i...`.
pub fn handshake_reply(host: &str, port: u16, control_buses: usize) -> OscPacket {
    let mut args = vec![
        OscType::String("&serverHostname".into()),
        OscType::String(host.into()),
        OscType::String("&serverPort".into()),
        OscType::Int(port as i32),
        OscType::String("&controlBusIndices".into()),
    ];
    args.extend((0..control_buses as i32).map(OscType::Int));
    OscPacket::Message(OscMessage {
        addr: "/dirt/handshake/reply".into(),
        args,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rosc::{encoder, OscBundle};

    fn msg(addr: &str) -> OscPacket {
        OscPacket::Message(OscMessage {
            addr: addr.into(),
            args: vec![OscType::String("s".into()), OscType::String("bd".into())],
        })
    }

    #[test]
    fn nested_bundles_keep_their_own_timetags() {
        let inner = OscPacket::Bundle(OscBundle {
            timetag: OscTime {
                seconds: 20,
                fractional: 0,
            },
            content: vec![msg("/dirt/play")],
        });
        let outer = OscPacket::Bundle(OscBundle {
            timetag: OscTime {
                seconds: 10,
                fractional: 0,
            },
            content: vec![msg("/a"), inner],
        });
        let bytes = encoder::encode(&outer).unwrap();
        let v = unpack(&bytes).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].time.unwrap().seconds, 10);
        assert_eq!(v[1].time.unwrap().seconds, 20);
        assert_eq!(v[1].message.addr, "/dirt/play");
        let bare = encoder::encode(&msg("/dirt/play")).unwrap();
        assert_eq!(unpack(&bare).unwrap()[0].time, None);
    }

    #[test]
    fn garbage_and_truncation_are_errors_not_panics() {
        assert!(unpack(b"").is_err());
        assert!(unpack(b"#bundle\0").is_err());
        let good = encoder::encode(&msg("/dirt/play")).unwrap();
        for cut in 0..good.len() {
            let _ = unpack(&good[..cut]);
        }
        let mut x = 0x1234_5678u32;
        for _ in 0..2000 {
            let len = (x % 64) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1664525).wrapping_add(1013904223);
                    (x >> 24) as u8
                })
                .collect();
            let _ = unpack(&bytes);
        }
    }
}
