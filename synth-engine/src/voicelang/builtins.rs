//! The unit generators and functions a voice can call: names, arguments with defaults, and what each one is.

use crate::program::{Binary, DelayKind, FilterKind, Unary, Wave};

/// What a builtin is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Unary(Unary),
    Binary(Binary),
    Clip,
    Osc(Wave),
    Noise {
        pink: bool,
    },
    Perc,
    Linen,
    Adsr,
    Line {
        exponential: bool,
    },
    Filter(FilterKind),
    /// Resonant low-pass taking `rq` (1/Q).
    Rlpf,
    Ladder,
    Delay(DelayKind),
    Shape,
    Pan,
    Mix,
    Play,
    /// An effect's stereo input (the orbit's bus).
    Input,
    /// One side of a stereo signal (0 left, 1 right).
    Side(u8),
    /// Two mono signals as one stereo signal.
    Stereo,
}

/// A builtin: its name, its arguments (`None` = required) and a one-line description.
pub struct Builtin {
    pub name: &'static str,
    pub args: &'static [(&'static str, Option<f64>)],
    pub kind: Kind,
    pub doc: &'static str,
}

const X: (&str, Option<f64>) = ("in", None);

/// Every builtin.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "saw",
        args: &[("freq", Some(440.0))],
        kind: Kind::Osc(Wave::Saw),
        doc: "band-limited sawtooth (polyBLEP), -1..1",
    },
    Builtin {
        name: "pulse",
        args: &[("freq", Some(440.0)), ("width", Some(0.5))],
        kind: Kind::Osc(Wave::Pulse),
        doc: "band-limited pulse; width is the duty cycle 0..1",
    },
    Builtin {
        name: "tri",
        args: &[("freq", Some(440.0))],
        kind: Kind::Osc(Wave::Triangle),
        doc: "band-limited triangle (integrated pulse)",
    },
    Builtin {
        name: "sine",
        args: &[("freq", Some(440.0)), ("pm", Some(0.0))],
        kind: Kind::Osc(Wave::Sine),
        doc: "sine; pm is a phase offset in radians (phase modulation); feed freq for FM",
    },
    Builtin {
        name: "play",
        args: &[("rate", Some(1.0))],
        kind: Kind::Play,
        doc: "plays file `n` of the voice's `sample BANK` once (cubic interpolation), at rate times its own speed",
    },
    Builtin {
        name: "input",
        args: &[],
        kind: Kind::Input,
        doc: "an effect's input: the orbit's stereo bus",
    },
    Builtin {
        name: "left",
        args: &[X],
        kind: Kind::Side(0),
        doc: "the left side of a stereo signal",
    },
    Builtin {
        name: "right",
        args: &[X],
        kind: Kind::Side(1),
        doc: "the right side of a stereo signal",
    },
    Builtin {
        name: "stereo",
        args: &[("left", None), ("right", None)],
        kind: Kind::Stereo,
        doc: "two signals as one stereo signal",
    },
    Builtin {
        name: "white",
        args: &[],
        kind: Kind::Noise { pink: false },
        doc: "white noise",
    },
    Builtin {
        name: "pink",
        args: &[],
        kind: Kind::Noise { pink: true },
        doc: "pink noise (-3 dB/octave)",
    },
    Builtin {
        name: "perc",
        args: &[
            ("attack", Some(0.01)),
            ("release", Some(1.0)),
            ("curve", Some(-4.0)),
        ],
        kind: Kind::Perc,
        doc: "0 -> 1 over attack, -> 0 over release",
    },
    Builtin {
        name: "linen",
        args: &[
            ("attack", Some(0.01)),
            ("sustain", Some(1.0)),
            ("release", Some(1.0)),
            ("curve", Some(-4.0)),
        ],
        kind: Kind::Linen,
        doc: "0 -> 1 over attack, hold sustain, -> 0 over release",
    },
    Builtin {
        name: "adsr",
        args: &[
            ("attack", Some(0.01)),
            ("decay", Some(0.3)),
            ("level", Some(0.5)),
            ("release", Some(1.0)),
            ("hold", Some(1.0)),
            ("curve", Some(-4.0)),
        ],
        kind: Kind::Adsr,
        doc: "attack, decay to level, held until `hold` seconds from the start, then release",
    },
    Builtin {
        name: "line",
        args: &[("from", Some(1.0)), ("to", Some(0.0)), ("dur", Some(1.0))],
        kind: Kind::Line { exponential: false },
        doc: "straight line, then holds `to`",
    },
    Builtin {
        name: "xline",
        args: &[("from", Some(1.0)), ("to", Some(0.001)), ("dur", Some(1.0))],
        kind: Kind::Line { exponential: true },
        doc: "exponential line (from and to of the same sign), then holds `to`",
    },
    Builtin {
        name: "lpf",
        args: &[
            X,
            ("freq", Some(1000.0)),
            ("q", Some(std::f64::consts::FRAC_1_SQRT_2)),
        ],
        kind: Kind::Filter(FilterKind::LowPass),
        doc: "2nd-order low-pass (Butterworth at the default q)",
    },
    Builtin {
        name: "hpf",
        args: &[
            X,
            ("freq", Some(1000.0)),
            ("q", Some(std::f64::consts::FRAC_1_SQRT_2)),
        ],
        kind: Kind::Filter(FilterKind::HighPass),
        doc: "2nd-order high-pass",
    },
    Builtin {
        name: "bpf",
        args: &[X, ("freq", Some(1000.0)), ("q", Some(1.0))],
        kind: Kind::Filter(FilterKind::BandPass),
        doc: "2nd-order band-pass, 0 dB at the centre",
    },
    Builtin {
        name: "rlpf",
        args: &[X, ("freq", Some(1000.0)), ("rq", Some(1.0))],
        kind: Kind::Rlpf,
        doc: "resonant 2nd-order low-pass; rq = 1/Q",
    },
    Builtin {
        name: "ladder",
        args: &[X, ("freq", Some(1000.0)), ("res", Some(0.0))],
        kind: Kind::Ladder,
        doc: "4-pole low-pass ladder with a saturating input; res 0..1",
    },
    Builtin {
        name: "delay",
        args: &[X, ("time", Some(0.01)), ("max", Some(0.05))],
        kind: Kind::Delay(DelayKind::Plain),
        doc: "delay line (linear interpolation); max is a constant, in seconds",
    },
    Builtin {
        name: "comb",
        args: &[
            X,
            ("time", Some(0.01)),
            ("decay", Some(1.0)),
            ("max", Some(0.05)),
        ],
        kind: Kind::Delay(DelayKind::Comb),
        doc: "feedback comb: 60 dB decay in `decay` seconds",
    },
    Builtin {
        name: "allpass",
        args: &[
            X,
            ("time", Some(0.01)),
            ("decay", Some(1.0)),
            ("max", Some(0.05)),
        ],
        kind: Kind::Delay(DelayKind::Allpass),
        doc: "Schroeder allpass",
    },
    Builtin {
        name: "fbdelay",
        args: &[X, ("time", Some(0.25)), ("feedback", Some(0.5)), ("max", Some(1.0))],
        kind: Kind::Delay(DelayKind::Feedback),
        doc: "echo: the delayed signal, fed back into the line by `feedback` (-0.99..0.99)",
    },
    Builtin {
        name: "lpcomb",
        args: &[X, ("time", Some(0.03)), ("feedback", Some(0.8)), ("damp", Some(0.2)), ("max", Some(0.1))],
        kind: Kind::Delay(DelayKind::DampedComb),
        doc: "feedback comb with a one-pole low-pass (`damp` 0..1) in its loop; outputs the delayed signal",
    },
    Builtin {
        name: "shape",
        args: &[X, ("amount", Some(0.5))],
        kind: Kind::Shape,
        doc: "waveshaper (SuperDirt's shape curve), amount 0..1",
    },
    Builtin {
        name: "pan",
        args: &[X, ("pos", Some(0.5))],
        kind: Kind::Pan,
        doc: "equal-power pan to stereo: 0 left, 0.5 centre (-3 dB), 1 right",
    },
    Builtin {
        name: "mix",
        args: &[],
        kind: Kind::Mix,
        doc: "sum of any number of signals",
    },
    Builtin {
        name: "clip",
        args: &[X, ("lo", Some(-1.0)), ("hi", Some(1.0))],
        kind: Kind::Clip,
        doc: "hard clip",
    },
    Builtin {
        name: "tanh",
        args: &[X],
        kind: Kind::Unary(Unary::Tanh),
        doc: "soft clip",
    },
    Builtin {
        name: "abs",
        args: &[X],
        kind: Kind::Unary(Unary::Abs),
        doc: "absolute value",
    },
    Builtin {
        name: "exp",
        args: &[X],
        kind: Kind::Unary(Unary::Exp),
        doc: "e^x",
    },
    Builtin {
        name: "sin",
        args: &[X],
        kind: Kind::Unary(Unary::Sin),
        doc: "sine of radians",
    },
    Builtin {
        name: "cos",
        args: &[X],
        kind: Kind::Unary(Unary::Cos),
        doc: "cosine of radians",
    },
    Builtin {
        name: "sqrt",
        args: &[X],
        kind: Kind::Unary(Unary::Sqrt),
        doc: "square root (0 below 0)",
    },
    Builtin {
        name: "midicps",
        args: &[X],
        kind: Kind::Unary(Unary::Midicps),
        doc: "MIDI note to Hz",
    },
    Builtin {
        name: "dbamp",
        args: &[X],
        kind: Kind::Unary(Unary::Dbamp),
        doc: "decibels to gain",
    },
    Builtin {
        name: "min",
        args: &[("a", None), ("b", None)],
        kind: Kind::Binary(Binary::Min),
        doc: "smaller",
    },
    Builtin {
        name: "max",
        args: &[("a", None), ("b", None)],
        kind: Kind::Binary(Binary::Max),
        doc: "larger",
    },
    Builtin {
        name: "pow",
        args: &[("a", None), ("b", None)],
        kind: Kind::Binary(Binary::Pow),
        doc: "|a|^b",
    },
];

/// The builtin called `name`.
pub fn lookup(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}
