//! The parameters of a `/dirt/play` event: interned ids, SuperDirt's aliases, and a `Copy` set of values.

/// Every numeric parameter the engine understands, by its SuperDirt name.
///
/// The string-valued ones (`s`, `vowel`, `unit`) are resolved to numbers
/// before they become a [`ParamSet`] entry (`vowel` and `unit` become codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Param {
    N,
    Note,
    Octave,
    Freq,
    Speed,
    Accelerate,
    Begin,
    End,
    Loop,
    Unit,
    Cut,
    Legato,
    Sustain,
    Delta,
    Cps,
    Cycle,
    Gain,
    Overgain,
    Amp,
    Pan,
    Nudge,
    Lag,
    Offset,
    Orbit,
    Channel,
    FadeTime,
    Cutoff,
    Resonance,
    HCutoff,
    HResonance,
    BandF,
    BandQ,
    Shape,
    Crush,
    Coarse,
    Vowel,
    Attack,
    Hold,
    Release,
    Curve,
    Squiz,
    Room,
    Size,
    Dry,
    Delay,
    DelayTime,
    DelayFeedback,
    Lock,
}

/// How many [`Param`] variants exist.
pub const PARAM_COUNT: usize = Param::Lock as usize + 1;
const _: () = assert!(PARAM_COUNT <= 64, "presence is a u64 mask");

/// Canonical names, indexed by `Param as usize`.
const NAMES: [&str; PARAM_COUNT] = [
    "n",
    "note",
    "octave",
    "freq",
    "speed",
    "accelerate",
    "begin",
    "end",
    "loop",
    "unit",
    "cut",
    "legato",
    "sustain",
    "delta",
    "cps",
    "cycle",
    "gain",
    "overgain",
    "amp",
    "pan",
    "nudge",
    "lag",
    "offset",
    "orbit",
    "channel",
    "fadeTime",
    "cutoff",
    "resonance",
    "hcutoff",
    "hresonance",
    "bandf",
    "bandq",
    "shape",
    "crush",
    "coarse",
    "vowel",
    "attack",
    "hold",
    "release",
    "curve",
    "squiz",
    "room",
    "size",
    "dry",
    "delay",
    "delaytime",
    "delayfeedback",
    "lock",
];

const ALL: [Param; PARAM_COUNT] = [
    Param::N,
    Param::Note,
    Param::Octave,
    Param::Freq,
    Param::Speed,
    Param::Accelerate,
    Param::Begin,
    Param::End,
    Param::Loop,
    Param::Unit,
    Param::Cut,
    Param::Legato,
    Param::Sustain,
    Param::Delta,
    Param::Cps,
    Param::Cycle,
    Param::Gain,
    Param::Overgain,
    Param::Amp,
    Param::Pan,
    Param::Nudge,
    Param::Lag,
    Param::Offset,
    Param::Orbit,
    Param::Channel,
    Param::FadeTime,
    Param::Cutoff,
    Param::Resonance,
    Param::HCutoff,
    Param::HResonance,
    Param::BandF,
    Param::BandQ,
    Param::Shape,
    Param::Crush,
    Param::Coarse,
    Param::Vowel,
    Param::Attack,
    Param::Hold,
    Param::Release,
    Param::Curve,
    Param::Squiz,
    Param::Room,
    Param::Size,
    Param::Dry,
    Param::Delay,
    Param::DelayTime,
    Param::DelayFeedback,
    Param::Lock,
];

/// SuperDirt's and Tidal's alternative names.
const ALIASES: [(&str, Param); 19] = [
    ("lpf", Param::Cutoff),
    ("ctf", Param::Cutoff),
    ("lpq", Param::Resonance),
    ("res", Param::Resonance),
    ("hpf", Param::HCutoff),
    ("hpq", Param::HResonance),
    ("bpf", Param::BandF),
    ("bpq", Param::BandQ),
    ("att", Param::Attack),
    ("rel", Param::Release),
    ("sz", Param::Size),
    ("delayt", Param::DelayTime),
    ("dt", Param::DelayTime),
    ("delayfb", Param::DelayFeedback),
    ("dfb", Param::DelayFeedback),
    ("sus", Param::Sustain),
    ("up", Param::Note),
    ("accel", Param::Accelerate),
    ("fadetime", Param::FadeTime),
];

impl Param {
    /// Looks a name or alias up (`lpf` -> `cutoff`). `s`/`sound` are not parameters here.
    ///
    /// The table is built on first use, on the control side (the audio thread never looks
    /// names up: parameter keys are resolved when a voice is compiled).
    pub fn from_name(name: &str) -> Option<Param> {
        static BY_NAME: std::sync::OnceLock<std::collections::HashMap<&'static str, Param>> =
            std::sync::OnceLock::new();
        let table = BY_NAME.get_or_init(|| {
            let mut m: std::collections::HashMap<&'static str, Param> =
                ALIASES.iter().copied().collect();
            m.extend(NAMES.iter().copied().zip(ALL.iter().copied()));
            m
        });
        table.get(name).copied()
    }

    /// The canonical SuperDirt name.
    pub fn name(self) -> &'static str {
        NAMES[self as usize]
    }

    /// All parameters, in id order.
    pub fn all() -> &'static [Param] {
        &ALL
    }
}

/// A fixed-size set of parameter values: `Copy`, no heap, safe to send to the audio thread.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamSet {
    present: u64,
    values: [f32; PARAM_COUNT],
}

impl Default for ParamSet {
    fn default() -> Self {
        ParamSet {
            present: 0,
            values: [0.0; PARAM_COUNT],
        }
    }
}

impl ParamSet {
    /// The set holding exactly these values (the caller has sanitised them).
    pub fn of(values: &[(Param, f32)]) -> ParamSet {
        let mut set = ParamSet::default();
        for &(p, v) in values {
            set.set(p, v);
        }
        set
    }

    /// Sets a value (the caller has sanitised it).
    pub fn set(&mut self, p: Param, v: f32) {
        self.present |= 1 << (p as u64);
        self.values[p as usize] = v;
    }

    /// The value if the event carried it.
    pub fn get(&self, p: Param) -> Option<f32> {
        if self.has(p) {
            Some(self.values[p as usize])
        } else {
            None
        }
    }

    /// The value, or `default` when absent.
    pub fn get_or(&self, p: Param, default: f32) -> f32 {
        self.get(p).unwrap_or(default)
    }

    /// Whether the event carried this parameter.
    pub fn has(&self, p: Param) -> bool {
        self.present & (1 << (p as u64)) != 0
    }

    /// Removes a value.
    pub fn clear(&mut self, p: Param) {
        self.present &= !(1 << (p as u64));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_ids_fit_a_u64_mask() {
        for p in Param::all() {
            assert_eq!(Param::from_name(p.name()), Some(*p));
            assert_eq!(ALL[*p as usize], *p);
        }
    }

    #[test]
    fn aliases_resolve_to_superdirt_names() {
        for (alias, canon) in [
            ("lpf", "cutoff"),
            ("ctf", "cutoff"),
            ("lpq", "resonance"),
            ("hpf", "hcutoff"),
            ("hpq", "hresonance"),
            ("bpf", "bandf"),
            ("bpq", "bandq"),
            ("att", "attack"),
            ("rel", "release"),
            ("sz", "size"),
            ("delayt", "delaytime"),
            ("dt", "delaytime"),
            ("delayfb", "delayfeedback"),
            ("dfb", "delayfeedback"),
        ] {
            assert_eq!(Param::from_name(alias).map(Param::name), Some(canon));
        }
        assert_eq!(Param::from_name("nonsense"), None);
    }

    #[test]
    fn param_set_tracks_presence() {
        let mut s = ParamSet::default();
        assert_eq!(s.get(Param::Speed), None);
        s.set(Param::Speed, 2.0);
        assert_eq!(s.get(Param::Speed), Some(2.0));
        assert_eq!(s.get_or(Param::Gain, 1.0), 1.0);
        s.clear(Param::Speed);
        assert!(!s.has(Param::Speed));
    }
}
