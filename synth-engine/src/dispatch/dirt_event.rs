//! Reading the `name, value, ...` arguments of a `/dirt/play` message into a sanitised event.

use crate::dispatch::params::{Param, ParamSet};
use crate::dispatch::sanitise::sanitise;
use rosc::OscType;

/// One `/dirt/play` event as the engine understands it.
#[derive(Clone, Debug, PartialEq)]
pub struct DirtEvent {
    /// The sound (sample bank or synth) name, without any `:n` suffix.
    pub sound: Option<String>,
    /// Every recognised numeric parameter, sanitised.
    pub params: ParamSet,
    /// How many values were dropped or ignored (NaN, wrong type, unknown vowel...).
    pub rejected_values: u32,
}

/// Why a `/dirt/play` message could not be read at all.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EventError {
    #[error("arguments must come in name/value pairs, got {0} arguments")]
    OddArguments(usize),
    #[error("argument {0} should be a parameter name (string), got {1}")]
    NameNotString(usize, &'static str),
    #[error("sound name {0:?} is not a valid sample bank or synth name")]
    BadSoundName(String),
}

/// The vowels of the `vowel` effect, as codes 1..=5 (0 = none).
pub fn vowel_code(name: &str) -> Option<f32> {
    match name {
        "a" => Some(1.0),
        "e" => Some(2.0),
        "i" => Some(3.0),
        "o" => Some(4.0),
        "u" => Some(5.0),
        _ => None,
    }
}

/// `unit` codes: 0 = rate, 1 = cycles, 2 = seconds.
pub fn unit_code(name: &str) -> Option<f32> {
    match name {
        "r" | "rate" => Some(0.0),
        "c" => Some(1.0),
        "s" => Some(2.0),
        _ => None,
    }
}

fn type_name(v: &OscType) -> &'static str {
    match v {
        OscType::Int(_) => "int",
        OscType::Float(_) => "float",
        OscType::String(_) => "string",
        OscType::Blob(_) => "blob",
        OscType::Time(_) => "time",
        OscType::Long(_) => "long",
        OscType::Double(_) => "double",
        OscType::Char(_) => "char",
        OscType::Color(_) => "color",
        OscType::Midi(_) => "midi",
        OscType::Bool(_) => "bool",
        OscType::Array(_) => "array",
        OscType::Nil => "nil",
        OscType::Inf => "inf",
    }
}

fn number(v: &OscType) -> Option<f64> {
    match v {
        OscType::Int(i) => Some(*i as f64),
        OscType::Float(f) => Some(*f as f64),
        OscType::Double(d) => Some(*d),
        OscType::Long(l) => Some(*l as f64),
        OscType::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        OscType::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
}

/// A sound name is a plain word: letters, digits, `_ - .`; never a path.
pub fn valid_sound_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// Reads the arguments of one `/dirt/play` message.
pub fn parse_play(args: &[OscType]) -> Result<DirtEvent, EventError> {
    if !args.len().is_multiple_of(2) {
        return Err(EventError::OddArguments(args.len()));
    }
    let mut ev = DirtEvent {
        sound: None,
        params: ParamSet::default(),
        rejected_values: 0,
    };
    let mut sound_n: Option<f32> = None;
    for (i, pair) in args.chunks_exact(2).enumerate() {
        let name = match &pair[0] {
            OscType::String(s) => s.as_str(),
            other => return Err(EventError::NameNotString(i * 2, type_name(other))),
        };
        let value = &pair[1];
        match name {
            "s" | "sound" => {
                let text = match value {
                    OscType::String(s) => s.clone(),
                    other => match number(other) {
                        Some(n) if n.fract() == 0.0 => format!("{n}"),
                        _ => {
                            ev.rejected_values += 1;
                            continue;
                        }
                    },
                };
                let (bank, index) = match text.split_once(':') {
                    Some((b, n)) => (b.to_string(), Some(n)),
                    None => (text.clone(), None),
                };
                if !valid_sound_name(&bank) {
                    return Err(EventError::BadSoundName(text));
                }
                if let Some(n) = index {
                    match n.parse::<f64>().ok().and_then(|v| sanitise(Param::N, v)) {
                        Some(v) => sound_n = Some(v),
                        None => ev.rejected_values += 1,
                    }
                }
                ev.sound = Some(bank);
            }
            // names given as words, kept as their codes
            "vowel" | "unit" => {
                let (param, code_of): (Param, fn(&str) -> Option<f32>) = match name {
                    "vowel" => (Param::Vowel, vowel_code),
                    _ => (Param::Unit, unit_code),
                };
                match value {
                    OscType::String(s) => match code_of(s.trim()) {
                        Some(c) => ev.params.set(param, c),
                        None => ev.rejected_values += 1,
                    },
                    _ => ev.rejected_values += 1,
                }
            }
            // SuperDirt passes unknown names on to synths; samplers ignore them.
            _ => {
                if let Some(p) = Param::from_name(name) {
                    match number(value).and_then(|v| sanitise(p, v)) {
                        Some(v) => ev.params.set(p, v),
                        None => ev.rejected_values += 1,
                    }
                }
            }
        }
    }
    // "bd:3" means s bd n 3; SuperDirt's splitName only runs when `s` is absent,
    // so an explicit n wins over the suffix.
    if let Some(n) = sound_n {
        if !ev.params.has(Param::N) {
            ev.params.set(Param::N, n);
        }
    }
    Ok(ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> OscType {
        OscType::String(x.into())
    }

    #[test]
    fn reads_tidal_style_arguments() {
        let ev = parse_play(&[
            s("_id_"),
            s("1"),
            s("cps"),
            OscType::Float(0.5625),
            s("orbit"),
            OscType::Int(0),
            s("s"),
            s("bd:3"),
            s("lpf"),
            OscType::Double(800.0),
            s("dt"),
            OscType::Long(1),
            s("lock"),
            OscType::Bool(true),
        ])
        .unwrap();
        assert_eq!(ev.sound.as_deref(), Some("bd"));
        assert_eq!(ev.params.get(Param::N), Some(3.0));
        assert_eq!(ev.params.get(Param::Cutoff), Some(800.0));
        assert_eq!(ev.params.get(Param::DelayTime), Some(1.0));
        assert_eq!(ev.params.get(Param::Lock), Some(1.0));
        assert_eq!(ev.params.get(Param::Orbit), Some(0.0));
    }

    #[test]
    fn rejects_paths_and_odd_lists_and_drops_bad_values() {
        assert!(matches!(
            parse_play(&[s("s"), s("../etc/passwd")]),
            Err(EventError::BadSoundName(_))
        ));
        assert!(matches!(
            parse_play(&[s("s"), s("/abs")]),
            Err(EventError::BadSoundName(_))
        ));
        assert!(matches!(
            parse_play(&[s("s")]),
            Err(EventError::OddArguments(1))
        ));
        assert!(matches!(
            parse_play(&[OscType::Int(1), s("x")]),
            Err(EventError::NameNotString(0, "int"))
        ));
        let ev = parse_play(&[
            s("s"),
            s("bd"),
            s("speed"),
            OscType::Float(f32::NAN),
            s("gain"),
            OscType::Double(1e300),
            s("vowel"),
            s("x"),
        ])
        .unwrap();
        assert_eq!(ev.params.get(Param::Speed), None);
        assert_eq!(ev.params.get(Param::Gain), Some(2.0));
        assert_eq!(ev.params.get(Param::Vowel), None);
        assert_eq!(ev.rejected_values, 2);
    }

    #[test]
    fn random_argument_lists_never_panic_and_give_finite_values() {
        let mut x = 0x9e37_79b9u32;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        let names: Vec<&str> = Param::all()
            .iter()
            .map(|p| p.name())
            .chain(["s", "sound", "vowel", "unit", "lpf", "dt", "zzz", ""])
            .collect();
        for _ in 0..20000 {
            let len = (next() % 12) as usize;
            let args: Vec<OscType> = (0..len)
                .map(|i| {
                    let r = next();
                    if i % 2 == 0 && r % 8 != 0 {
                        return OscType::String(names[(r as usize) % names.len()].into());
                    }
                    match r % 9 {
                        0 => OscType::Int(next() as i32),
                        1 => OscType::Float(f32::from_bits(next())),
                        2 => {
                            OscType::Double(f64::from_bits(((next() as u64) << 32) | next() as u64))
                        }
                        3 => OscType::Long(((next() as i64) << 32) | next() as i64),
                        4 => OscType::Bool(r & 16 != 0),
                        5 => OscType::String(
                            ["bd:3", "a", "../x", "c", "", "1e999", "nan"][(next() % 7) as usize]
                                .into(),
                        ),
                        6 => OscType::Nil,
                        7 => OscType::Blob(vec![1, 2, 3]),
                        _ => OscType::Char('x'),
                    }
                })
                .collect();
            if let Ok(ev) = parse_play(&args) {
                for p in Param::all() {
                    if let Some(v) = ev.params.get(*p) {
                        assert!(v.is_finite(), "{p:?} = {v} from {args:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn explicit_n_wins_over_colon_suffix() {
        let ev = parse_play(&[s("n"), OscType::Float(1.0), s("sound"), s("sn:4")]).unwrap();
        assert_eq!(ev.params.get(Param::N), Some(1.0));
        assert_eq!(ev.sound.as_deref(), Some("sn"));
    }
}
