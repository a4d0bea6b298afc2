//! OSC: encoding, numbers of any width, and the name/value argument pairs of `/dirt/play`.

use rosc::{OscMessage, OscPacket, OscType};

/// Encodes a packet.
pub fn encode(p: &OscPacket) -> Vec<u8> {
    rosc::encoder::encode(p).unwrap()
}

/// A number of any OSC width as f64; panics on anything else.
pub fn number(v: &OscType) -> f64 {
    match v {
        OscType::Float(x) => *x as f64,
        OscType::Double(x) => *x,
        OscType::Int(x) => *x as f64,
        OscType::Long(x) => *x as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// The value after the name `name` in name/value argument pairs.
pub fn pair<'a>(args: &'a [OscType], name: &str) -> Option<&'a OscType> {
    args.chunks(2)
        .find(|p| p[0] == OscType::String(name.to_string()))
        .map(|p| &p[1])
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

/// Name/value pairs as one argument list, the names as OSC strings.
pub fn named(pairs: &[(&str, OscType)]) -> Vec<OscType> {
    pairs
        .iter()
        .flat_map(|(name, value)| [OscType::String(name.to_string()), value.clone()])
        .collect()
}

/// A `/dirt/play` message with these name/value arguments.
pub fn dirt_message(pairs: &[(&str, OscType)]) -> OscPacket {
    OscPacket::Message(OscMessage {
        addr: "/dirt/play".into(),
        args: named(pairs),
    })
}
