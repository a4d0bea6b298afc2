//! A compiled voice program: flat operations over block registers, a fixed state layout, and a state migration.
//!
//! Programs are built off the audio thread (by [`crate::voicelang`]) and moved to it in a
//! `Box`; the audio thread only reads them, and hands replaced ones back to be dropped.

pub mod ugen;

/// Parameters a program may declare.
pub const MAX_PARAMS: usize = 32;
/// Per-voice scalars (parameters, constants and expressions of them) a program may use.
pub const MAX_SCALARS: usize = 192;
/// Block registers a program may use.
pub const MAX_REGISTERS: usize = 96;
/// State values (`f32`) of one voice, reserved once per pool voice (a delay line of 1.3 s at
/// 48 kHz fits). The pool's pages are committed only as voices write them, so the reserve
/// costs address space, not memory.
pub const VOICE_STATE: usize = 1 << 16;
/// State values of one orbit effect (its delay lines: 4 s of stereo at 192 kHz fits).
pub const EFFECT_STATE: usize = 1 << 22;
/// Segments of one envelope.
pub const MAX_SEGMENTS: usize = 4;

/// The orbit effects a definition can be (`effect reverb`, `effect delay`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrbitEffect {
    Reverb,
    Delay,
}

impl OrbitEffect {
    /// Every orbit effect, in the order orbits run them.
    pub const ALL: [OrbitEffect; 2] = [OrbitEffect::Reverb, OrbitEffect::Delay];

    /// The name a definition gives it (`effect NAME`).
    pub fn name(self) -> &'static str {
        match self {
            OrbitEffect::Reverb => "reverb",
            OrbitEffect::Delay => "delay",
        }
    }

    /// The effect a definition's name stands for.
    pub fn from_name(name: &str) -> Option<OrbitEffect> {
        OrbitEffect::ALL.into_iter().find(|e| e.name() == name)
    }

    /// Its place in per-effect arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}
/// The orbit settings an effect's parameters can take by name.
pub const ORBIT_CONTROLS: [&str; 6] =
    ["room", "size", "dry", "delay", "delaytime", "delayfeedback"];

/// An operand: a per-voice scalar or a block register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum In {
    Scalar(u16),
    Reg(u16),
}

/// One-argument functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unary {
    Neg,
    Abs,
    Tanh,
    Exp,
    Sin,
    Cos,
    Sqrt,
    Midicps,
    /// 20·log10 inverse: decibels to a gain.
    Dbamp,
}

/// Two-argument functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binary {
    Add,
    Sub,
    Mul,
    Div,
    Min,
    Max,
    Pow,
}

impl Unary {
    #[inline(always)]
    pub fn apply(self, x: f32) -> f32 {
        match self {
            Unary::Neg => -x,
            Unary::Abs => x.abs(),
            Unary::Tanh => x.tanh(),
            Unary::Exp => x.exp(),
            Unary::Sin => x.sin(),
            Unary::Cos => x.cos(),
            Unary::Sqrt => x.max(0.0).sqrt(),
            Unary::Midicps => 440.0 * ((x - 69.0) / 12.0).exp2(),
            Unary::Dbamp => 10f32.powf(x / 20.0),
        }
    }
}

impl Binary {
    #[inline(always)]
    pub fn apply(self, a: f32, b: f32) -> f32 {
        match self {
            Binary::Add => a + b,
            Binary::Sub => a - b,
            Binary::Mul => a * b,
            Binary::Div => {
                if b == 0.0 {
                    0.0
                } else {
                    a / b
                }
            }
            Binary::Min => a.min(b),
            Binary::Max => a.max(b),
            Binary::Pow => a.abs().powf(b),
        }
    }
}

/// Computes a per-voice scalar (at voice start and after a reload).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScalarOp {
    Const {
        out: u16,
        value: f32,
    },
    Param {
        out: u16,
        index: u16,
    },
    Unary {
        op: Unary,
        a: u16,
        out: u16,
    },
    Binary {
        op: Binary,
        a: u16,
        b: u16,
        out: u16,
    },
}

/// Oscillator waveforms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wave {
    Saw,
    Pulse,
    Triangle,
    Sine,
}

/// Filter responses (2nd order, RBJ biquads).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterKind {
    LowPass,
    HighPass,
    BandPass,
}

/// Delay-line kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DelayKind {
    Plain,
    Comb,
    Allpass,
    /// Output the delayed signal, write input plus `feedback` times it.
    Feedback,
    /// A feedback comb with a one-pole low-pass in its loop (`damp` 0..1).
    DampedComb,
}

/// One envelope segment: go to `target` over `seconds` with `curve` (all scalars).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Segment {
    pub target: u16,
    pub seconds: u16,
    pub curve: u16,
}

/// One audio-rate operation. `out` registers are always above every input register.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    Unary {
        op: Unary,
        a: In,
        out: u16,
    },
    Binary {
        op: Binary,
        a: In,
        b: In,
        out: u16,
    },
    Clip {
        x: In,
        lo: In,
        hi: In,
        out: u16,
    },
    Osc {
        wave: Wave,
        freq: In,
        width: In,
        pm: In,
        out: u16,
        state: u32,
    },
    Noise {
        pink: bool,
        out: u16,
        state: u32,
    },
    Envelope {
        segments: [Segment; MAX_SEGMENTS],
        count: u8,
        out: u16,
        state: u32,
    },
    Line {
        from: u16,
        to: u16,
        seconds: u16,
        exponential: bool,
        out: u16,
        state: u32,
    },
    Filter {
        kind: FilterKind,
        x: In,
        freq: In,
        q: In,
        out: u16,
        state: u32,
    },
    Ladder {
        x: In,
        freq: In,
        res: In,
        out: u16,
        state: u32,
    },
    Delay {
        kind: DelayKind,
        x: In,
        time: In,
        decay: In,
        damp: In,
        len: u32,
        out: u16,
        state: u32,
    },
    Shape {
        x: In,
        amount: In,
        out: u16,
    },
    Pan {
        x: In,
        pos: In,
        out: u16,
    },
    /// Plays the voice's sample (cubic interpolation) at `rate` times its own speed.
    Play {
        rate: In,
        out: u16,
        state: u32,
    },
}

/// Where one stateful node keeps its state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeSlot {
    /// Stable path: the `let` name, or `name.kindK` for a node nested in an expression.
    pub path: String,
    /// Node type (`saw`, `rlpf`, `delay`...).
    pub kind: &'static str,
    pub offset: u32,
    pub size: u32,
}

/// A declared parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamDef {
    pub name: String,
    pub default: f32,
    /// The name's key among an event's values, resolved here so the audio thread never hashes.
    pub key: u32,
}

impl ParamDef {
    /// A parameter `name` with its `default` (computes the name's key; off the audio thread).
    pub fn new(name: &str, default: f32) -> ParamDef {
        ParamDef {
            name: name.to_string(),
            default,
            key: crate::engine::command::value_key(name),
        }
    }
}

/// One state copy of a migration (offsets into the old and new state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateCopy {
    Plain {
        from: u32,
        to: u32,
        len: u32,
    },
    /// A delay line whose length changed: `[write index, loop filter, ring...]`; the newest samples are kept.
    Ring {
        from: u32,
        old_len: u32,
        to: u32,
        new_len: u32,
    },
}

/// How voices of the previous program carry over into this one.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Migration {
    pub from_generation: u64,
    /// For each parameter of this program, the index of the same name in the previous one.
    pub param_map: Vec<Option<u16>>,
    pub copies: Vec<StateCopy>,
}

/// A compiled voice definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub name: String,
    /// Unique per compiled program.
    pub generation: u64,
    pub sample_rate: f32,
    pub params: Vec<ParamDef>,
    pub scalar_ops: Vec<ScalarOp>,
    pub scalar_count: usize,
    pub ops: Vec<Op>,
    pub registers: usize,
    /// Left and right output.
    pub out: [In; 2],
    pub state_size: usize,
    pub layout: Vec<NodeSlot>,
    /// Scalars holding each envelope's total length in seconds: the voice lasts the longest.
    pub lengths: Vec<u16>,
    /// Scalar giving the length when there is no envelope (the `sustain` parameter).
    pub fallback_length: u16,
    /// The sample bank a `play` node reads (file `n` of it), if any.
    pub bank: Option<String>,
    /// The scalar rate of the first `play` node: without an envelope the voice lasts as long as
    /// the sample plays (as a `PlayBuf` that frees its synth).
    pub play_rate: Option<u16>,
    /// For an orbit effect: which one, and for each parameter the orbit
    /// setting that feeds it (an index into [`ORBIT_CONTROLS`] plus one; 0 = its default).
    pub effect: Option<OrbitEffect>,
    pub controls: Vec<u8>,
    pub migration: Option<Migration>,
}

impl Program {
    /// Fills `scalars` from parameter values (no allocation).
    pub fn eval_scalars(&self, params: &[f32; MAX_PARAMS], scalars: &mut [f32; MAX_SCALARS]) {
        for op in &self.scalar_ops {
            match *op {
                ScalarOp::Const { out, value } => scalars[out as usize] = value,
                ScalarOp::Param { out, index } => scalars[out as usize] = params[index as usize],
                ScalarOp::Unary { op, a, out } => {
                    scalars[out as usize] = op.apply(scalars[a as usize])
                }
                ScalarOp::Binary { op, a, b, out } => {
                    scalars[out as usize] = op.apply(scalars[a as usize], scalars[b as usize])
                }
            }
            let last = match *op {
                ScalarOp::Const { out, .. }
                | ScalarOp::Param { out, .. }
                | ScalarOp::Unary { out, .. }
                | ScalarOp::Binary { out, .. } => out as usize,
            };
            if !scalars[last].is_finite() {
                scalars[last] = 0.0;
            }
        }
    }

    /// Length of a voice in seconds, from its scalars and, if it plays a sample, the
    /// sample's length in seconds at its own speed.
    pub fn length_seconds(&self, scalars: &[f32; MAX_SCALARS], sample_seconds: Option<f32>) -> f32 {
        if self.lengths.is_empty() {
            if let (Some(r), Some(s)) = (self.play_rate, sample_seconds) {
                let rate = scalars[r as usize].abs();
                return if rate > 0.0 {
                    (s / rate).min(600.0)
                } else {
                    0.0
                };
            }
            return scalars[self.fallback_length as usize].max(0.0);
        }
        self.lengths
            .iter()
            .map(|&s| scalars[s as usize])
            .fold(0.0f32, f32::max)
    }

    /// The stateful nodes that kept their state in this program's migration.
    pub fn kept_nodes(&self) -> usize {
        self.migration.as_ref().map_or(0, |m| m.copies.len())
    }

    /// Default parameter values, in declaration order.
    pub fn defaults(&self) -> [f32; MAX_PARAMS] {
        let mut out = [0.0; MAX_PARAMS];
        for (o, p) in out.iter_mut().zip(&self.params) {
            *o = p.default;
        }
        out
    }
}
