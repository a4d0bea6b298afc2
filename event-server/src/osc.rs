//! What goes on the wire: an event as the `/dirt/play` bundle real Tidal
//! sends (alphabetical name/value pairs, Tidal's OSC types), and the
//! handshake.

use pattern_lang::{Value, ValueMap};
use rosc::{OscBundle, OscMessage, OscPacket, OscTime, OscType};

/// The extra arguments Tidal adds to every event.
pub struct Extras<'a> {
    /// The pattern id: "1" for d1, the name for `p "name"`.
    pub id: &'a str,
    pub cps: f64,
    /// The event's whole start, in cycles.
    pub cycle: f64,
    /// The whole's duration in seconds.
    pub delta: f64,
    /// d1..d16 play on orbit 0..15 unless the pattern sets one.
    pub orbit: Option<i32>,
}

/// The OSC value of one control, typed as Tidal types it.
pub fn osc_value(v: &Value) -> Option<OscType> {
    match v {
        Value::S(s) => Some(OscType::String(s.to_string())),
        Value::F(x) | Value::N(x) => Some(OscType::Float(*x as f32)),
        Value::R(r) => Some(OscType::Float(r.to_f64() as f32)),
        Value::I(i) => Some(OscType::Int(
            (*i).clamp(i32::MIN as i64, i32::MAX as i64) as i32
        )),
        Value::B(b) => Some(OscType::Int(i32::from(*b))),
        Value::Map(_) => None,
    }
}

/// The `/dirt/play` message for an event's controls, or `None` when the
/// event has no `s` (Tidal never sends those).
pub fn dirt_play(controls: &ValueMap, extras: &Extras) -> Option<OscMessage> {
    controls.get("s")?;
    let mut pairs: Vec<(String, OscType)> = Vec::with_capacity(controls.len() + 5);
    for (name, value) in controls.iter() {
        // `^name` controls go to buses in Tidal, never in /dirt/play.
        if name.starts_with('^') {
            continue;
        }
        if let Some(v) = osc_value(value) {
            pairs.push((name.to_string(), v));
        }
    }
    // The pattern's own values win over these (Haskell's left-biased union).
    let mut add = |name: &str, v: OscType| {
        if !pairs.iter().any(|(n, _)| n == name) {
            pairs.push((name.to_string(), v));
        }
    };
    add("cps", OscType::Float(extras.cps as f32));
    add("cycle", OscType::Float(extras.cycle as f32));
    add("delta", OscType::Float(extras.delta as f32));
    if let Some(orbit) = extras.orbit {
        add("orbit", OscType::Int(orbit));
    }
    // `_id_` is set by the stream (`# pS "_id_"`), so it wins.
    pairs.retain(|(n, _)| n != "_id_");
    pairs.push(("_id_".to_string(), OscType::String(extras.id.to_string())));
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut args = Vec::with_capacity(pairs.len() * 2);
    for (name, value) in pairs {
        args.push(OscType::String(name));
        args.push(value);
    }
    Some(OscMessage {
        addr: "/dirt/play".to_string(),
        args,
    })
}

/// One message alone in a bundle stamped with an NTP timetag.
pub fn bundle(message: OscMessage, ntp: u64) -> Result<Vec<u8>, rosc::OscError> {
    let packet = OscPacket::Bundle(OscBundle {
        timetag: OscTime {
            seconds: (ntp >> 32) as u32,
            fractional: ntp as u32,
        },
        content: vec![OscPacket::Message(message)],
    });
    rosc::encoder::encode(&packet)
}

/// `/dirt/handshake` with no arguments.
pub fn handshake() -> Result<Vec<u8>, rosc::OscError> {
    rosc::encoder::encode(&OscPacket::Message(OscMessage {
        addr: "/dirt/handshake".to_string(),
        args: vec![],
    }))
}

/// True when `bytes` is a `/dirt/handshake/reply` (bare or in a bundle).
pub fn is_handshake_reply(bytes: &[u8]) -> bool {
    fn walk(p: &OscPacket) -> bool {
        match p {
            OscPacket::Message(m) => m.addr == "/dirt/handshake/reply",
            OscPacket::Bundle(b) => b.content.iter().any(walk),
        }
    }
    matches!(rosc::decoder::decode_udp(bytes), Ok((_, p)) if walk(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: Vec<(&'static str, Value)>) -> ValueMap {
        ValueMap::from_pairs(pairs)
    }

    #[test]
    fn arguments_are_tidals() {
        let controls = map(vec![("s", Value::str("bd")), ("speed", Value::F(2.0))]);
        let extras = Extras {
            id: "1",
            cps: 0.5625,
            cycle: 0.25,
            delta: 0.444_444_4,
            orbit: Some(0),
        };
        let m = dirt_play(&controls, &extras).unwrap();
        let tags: String = m
            .args
            .iter()
            .map(|a| match a {
                OscType::String(_) => 's',
                OscType::Float(_) => 'f',
                OscType::Int(_) => 'i',
                _ => '?',
            })
            .collect();
        assert_eq!(tags, "sssfsfsfsisssf");
        assert_eq!(m.args[0], OscType::String("_id_".into()));
    }

    #[test]
    fn a_pattern_orbit_wins_and_no_s_is_not_sent() {
        let extras = Extras {
            id: "2",
            cps: 1.0,
            cycle: 0.0,
            delta: 1.0,
            orbit: Some(1),
        };
        let m = dirt_play(
            &map(vec![("s", Value::str("x")), ("orbit", Value::I(5))]),
            &extras,
        )
        .unwrap();
        let i = m
            .args
            .iter()
            .position(|a| a == &OscType::String("orbit".into()));
        assert_eq!(m.args[i.unwrap() + 1], OscType::Int(5));
        assert!(dirt_play(&map(vec![("n", Value::F(1.0))]), &extras).is_none());
    }
}
