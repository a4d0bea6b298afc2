//! What crosses the rings between the control side and the audio thread.
//!
//! [`Command`]s are small `Copy` values. A decoded sample buffer travels as an
//! [`SampleInstall`] (moving an `Arc` through a ring neither allocates nor frees), and
//! every buffer the audio thread lets go of comes back as [`Garbage`] so that it
//! is dropped on the control side.

use crate::program::{Program, MAX_PARAMS};
use crate::samples::SampleBuffer;
use std::sync::Arc;

/// Most event values a voice keeps by name for parameters a reload may add.
pub const EVENT_VALUES: usize = 24;

/// The event's values by name (a hash of the parameter's canonical name), kept with a voice
/// so that a parameter a reload adds takes the value the event gave it, not its default.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EventValues {
    keys: [u32; EVENT_VALUES],
    values: [f32; EVENT_VALUES],
    len: u8,
}

impl Default for EventValues {
    fn default() -> EventValues {
        EventValues {
            keys: [0; EVENT_VALUES],
            values: [0.0; EVENT_VALUES],
            len: 0,
        }
    }
}

impl EventValues {
    /// Keeps `value` under `name` (the first value of a name wins; beyond capacity, dropped).
    pub fn insert(&mut self, name: &str, value: f32) {
        let key = value_key(name);
        let len = self.len as usize;
        if len < EVENT_VALUES && !self.keys[..len].contains(&key) {
            self.keys[len] = key;
            self.values[len] = value;
            self.len += 1;
        }
    }

    /// The value the event gave `name` (or one of its aliases), if any. Hashes the name:
    /// the audio thread uses [`EventValues::get_key`] with a key resolved beforehand.
    pub fn get(&self, name: &str) -> Option<f32> {
        self.get_key(value_key(name))
    }

    /// The value the event gave the name whose [`value_key`] is `key`, if any.
    pub fn get_key(&self, key: u32) -> Option<f32> {
        let len = self.len as usize;
        self.keys[..len]
            .iter()
            .position(|k| *k == key)
            .map(|i| self.values[i])
    }
}

/// A name's key: FNV-1a of its canonical SuperDirt name (`lpf` and `cutoff` are one key).
/// Computed on the control side (event planning, compilation), never on the audio thread.
pub fn value_key(name: &str) -> u32 {
    let name = crate::dispatch::params::Param::from_name(name).map_or(name, |p| p.name());
    name.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ b as u32).wrapping_mul(0x0100_0193)
    })
}

/// What starts a compiled voice: which program, the one its parameters were laid out for, and their values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProgramStart {
    pub id: u16,
    pub generation: u64,
    pub params: [f32; MAX_PARAMS],
    /// Bit `i` set: parameter `i` came from the event (else it is the definition's default,
    /// and a reload that changes the default changes it).
    pub given: u32,
    /// Every value the event gave, by name, for parameters a reload adds.
    pub event: EventValues,
    /// The voice reads the sample in the spec's `slot`.
    pub uses_sample: bool,
}

/// A per-voice filter: cutoff in Hz (already limited below Nyquist) and damping `k` (= 1/Q).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FilterSpec {
    pub cutoff: f32,
    pub damping: f32,
}

/// Attack/hold/release envelope (`Env.linen` with a curve); `release: None` means it never closes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnvelopeSpec {
    pub attack: u32,
    pub hold: u32,
    pub release: Option<u32>,
    pub curve: f32,
}

/// The per-voice effects an event asked for; `None` costs nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EffectSpec {
    /// Vowel code 1..=5 (a e i o u) and the resonance that shapes it.
    pub vowel: Option<(u8, f32)>,
    pub shape: Option<f32>,
    pub hpf: Option<FilterSpec>,
    /// Band-pass centre and damping (1/bandq).
    pub bpf: Option<FilterSpec>,
    /// Quantisation step of `crush`.
    pub crush: Option<f32>,
    /// Hold each value for this many frames.
    pub coarse: Option<u32>,
    pub lpf: Option<FilterSpec>,
    pub envelope: Option<EnvelopeSpec>,
    pub squiz: Option<f32>,
}

/// Orbit-wide effect settings carried by an event (SuperDirt's global effects).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct OrbitUpdate {
    pub room: Option<f32>,
    pub size: Option<f32>,
    pub dry: Option<f32>,
    /// The delay's output level: the event's `delay`, or 0 when absent (as SuperDirt).
    pub delay: f32,
    /// Delay time in seconds (`lock` already applied).
    pub delay_time: Option<f32>,
    pub delay_feedback: Option<f32>,
}

/// Everything the audio thread needs to start one sampler voice, computed off the audio thread.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VoiceSpec {
    /// Absolute output frame of the onset.
    pub start_frame: u64,
    /// Play as soon as possible (a bare message or an "immediately" timetag); never counted late.
    pub asap: bool,
    pub slot: u32,
    /// Identity of the sample, for negative `cut`.
    pub sample_key: u32,
    /// Where reading starts, in frames of the file.
    pub position: f64,
    /// The played region `[region_start, region_end)` in frames of the file.
    pub region_start: f64,
    pub region_end: f64,
    /// File frames advanced per output frame at the onset (negative = backwards).
    pub rate: f64,
    /// Change of `rate` per output frame (`accelerate`).
    pub rate_step: f64,
    /// Total length in output frames including the fades.
    pub length: u64,
    pub fade_in: u32,
    pub fade_out: u32,
    /// Linear gain: `amp * (gain + overgain)^4`.
    pub gain: f32,
    /// 0 = left, 0.5 = centre, 1 = right.
    pub pan: f32,
    pub orbit: u16,
    /// Cut group (0 = none, negative = only the same sample).
    pub cut: i32,
    pub effects: EffectSpec,
    pub orbit_update: OrbitUpdate,
    /// A compiled voice instead of a sample (then `slot` and the sample fields are unused).
    pub program: Option<ProgramStart>,
}

/// A command to the audio thread.
#[derive(Clone, Copy, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)] // boxing would allocate; the ring holds values
pub enum Command {
    /// Start a voice at its frame.
    Play(VoiceSpec),
    /// Give the buffer in this slot back once no voice reads it.
    Evict { slot: u32 },
    /// Fade out every voice at once (`hush` on the engine side).
    Silence,
}

/// A decoded buffer for a slot, moved (not copied) to the audio thread.
pub struct SampleInstall {
    pub slot: u32,
    pub buffer: Arc<SampleBuffer>,
}

/// A compiled voice definition for program slot `id`, moved to the audio thread; it replaces
/// the one there at the next block, and running voices migrate their state into it.
pub struct ProgramInstall {
    pub id: u16,
    pub program: Box<Program>,
    /// For an orbit effect: a fresh state buffer for each orbit (the old ones come back as garbage).
    pub states: Vec<Box<[f32]>>,
}

/// Something the audio thread let go of, to be dropped on the control side.
pub enum Garbage {
    Sample {
        slot: u32,
        buffer: Arc<SampleBuffer>,
    },
    Program(Box<Program>),
    EffectState(Box<[f32]>),
    EffectStates(Vec<Box<[f32]>>),
}

/// One observation for the clock model: the first frame of a callback and the wall time it stands for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClockTick {
    pub frame: u64,
    /// Nanoseconds since the Unix epoch.
    pub unix_nanos: u64,
}
