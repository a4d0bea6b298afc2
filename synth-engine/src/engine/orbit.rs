//! An orbit: a stereo bus the voices play into, with its reverb and delay, asleep when silent.

use crate::dsp::delay::Delay;
use crate::dsp::reverb::Reverb;
use crate::dsp::StereoEffect;
use crate::engine::command::OrbitUpdate;
use crate::engine::orbit_effect::EffectUnit;
use crate::engine::program_voice::ProgramBank;
use crate::engine::MAX_BLOCK;
use crate::program::{OrbitEffect, Program};

/// Peak below which an effect's tail counts as silent.
const SILENCE: f32 = 1.0e-6;
/// Longest path through the reverb (its loop delays), in seconds, with a margin.
const REVERB_MEMORY: f32 = 0.5;

/// Whether an orbit effect runs, and how long it has been silent.
#[derive(Clone, Copy, Debug, Default)]
struct Wake {
    awake: bool,
    /// Frames since the effect last heard input or made sound (counted on the block grid).
    quiet: u64,
    /// Its peak since the last grid boundary.
    peak: f32,
}

/// One orbit.
pub struct Orbit {
    left: [f32; MAX_BLOCK],
    right: [f32; MAX_BLOCK],
    /// Voices wrote into the bus this block.
    touched: bool,
    reverb: Reverb,
    delay: Delay,
    /// Whether each effect runs, by [`OrbitEffect::index`].
    wake: [Wake; 2],
    /// Input seen since the last grid boundary.
    fed: bool,
    grid_frames: u64,
    sample_rate: f32,
    room: f32,
    size: f32,
    dry: f32,
    /// The orbit's delay settings as last set (level, time in seconds, feedback).
    delay_settings: [f32; 3],
    /// The reverb and delay when defined in the voice language (else the built-in ones run).
    fx: [Option<EffectUnit>; 2],
}

impl Orbit {
    /// Allocates the orbit's effect memory.
    pub fn new(sr: f32) -> Orbit {
        Orbit {
            left: [0.0; MAX_BLOCK],
            right: [0.0; MAX_BLOCK],
            touched: false,
            reverb: Reverb::new(sr),
            delay: Delay::new(sr),
            wake: Default::default(),
            fed: false,
            grid_frames: 0,
            sample_rate: sr,
            room: 0.0,
            size: 0.1,
            dry: 0.0,
            delay_settings: [0.0, 0.25, 0.5],
            fx: [None, None],
        }
    }

    /// Marks the bus as written this block (clearing it first if it was clean).
    pub fn touch(&mut self) {
        if !self.touched {
            self.left.fill(0.0);
            self.right.fill(0.0);
            self.touched = true;
        }
    }

    /// The bus voices add into.
    pub fn bus_mut(&mut self) -> (&mut [f32; MAX_BLOCK], &mut [f32; MAX_BLOCK]) {
        (&mut self.left, &mut self.right)
    }

    /// Applies an event's orbit-wide settings (they persist, as SuperDirt's global effects do).
    pub fn apply(&mut self, u: &OrbitUpdate) {
        self.room = u.room.unwrap_or(self.room);
        self.size = u.size.unwrap_or(self.size);
        self.dry = u.dry.unwrap_or(self.dry);
        self.reverb.set(self.room, self.size, self.dry);
        self.delay_settings[0] = u.delay;
        if let Some(t) = u.delay_time {
            self.delay_settings[1] = t;
        }
        if let Some(f) = u.delay_feedback {
            self.delay_settings[2] = f;
        }
        let jump = !self.wake[OrbitEffect::Delay.index()].awake;
        self.delay
            .set(u.delay, u.delay_time, u.delay_feedback, jump);
    }

    /// Installs effect `k` (0 reverb, 1 delay) with its state for this orbit, keeping what the
    /// migration from `old` keeps (the tail); returns the previous state, to be freed elsewhere.
    pub fn install_effect(
        &mut self,
        effect: OrbitEffect,
        state: Box<[f32]>,
        old: Option<&Program>,
        program: &Program,
    ) -> Option<Box<[f32]>> {
        let k = effect.index();
        let unit = EffectUnit::new(state, program, self.fx[k].as_ref(), old);
        self.fx[k].replace(unit).map(|u| u.state)
    }

    fn controls(&self) -> [f32; 6] {
        let [d, t, f] = self.delay_settings;
        [self.room, self.size, self.dry, d, t, f]
    }

    /// Whether this orbit does any work this block.
    pub fn is_busy(&self) -> bool {
        self.touched || self.wake.iter().any(|w| w.awake)
    }

    /// Mixes the bus and its effects into `out_l/out_r` (first `n` frames). Costs nothing when idle.
    ///
    /// Effects fall asleep (and are cleared) once they have been silent, with no input, for
    /// longer than their own memory; that is decided only when `grid_end` is set.
    pub fn process(
        &mut self,
        n: usize,
        out_l: &mut [f32],
        out_r: &mut [f32],
        grid_end: bool,
        bank: &mut ProgramBank,
    ) {
        if !self.is_busy() {
            return;
        }
        if !self.touched {
            self.left[..n].fill(0.0);
            self.right[..n].fill(0.0);
        }
        for i in 0..n {
            out_l[i] += self.left[i];
            out_r[i] += self.right[i];
        }
        if self.touched && self.reverb.is_fed() {
            self.wake[OrbitEffect::Reverb.index()].awake = true;
        }
        if self.delay.is_open() && self.touched {
            self.wake[OrbitEffect::Delay.index()].awake = true;
        }
        self.fed |= self.touched;
        self.grid_frames += n as u64;
        let controls = self.controls();
        let sr = self.sample_rate;
        let input = [&self.left[..n], &self.right[..n]];
        for effect in OrbitEffect::ALL {
            let k = effect.index();
            if !self.wake[k].awake {
                continue;
            }
            let builtin: &mut dyn StereoEffect = match effect {
                OrbitEffect::Reverb => &mut self.reverb,
                OrbitEffect::Delay => &mut self.delay,
            };
            self.wake[k].peak = run_effect(
                bank.effects[k].as_deref(),
                self.fx[k].as_mut(),
                builtin,
                (&controls, &mut bank.registers, sr),
                input,
                [&mut out_l[..n], &mut out_r[..n]],
                self.wake[k].peak,
            );
        }
        self.touched = false;
        if grid_end {
            self.end_of_grid_block(bank);
        }
    }

    fn end_of_grid_block(&mut self, bank: &ProgramBank) {
        let frames = std::mem::take(&mut self.grid_frames);
        let fed = std::mem::take(&mut self.fed);
        for effect in OrbitEffect::ALL {
            // how long the effect remembers its input
            let memory = match effect {
                OrbitEffect::Reverb => REVERB_MEMORY,
                OrbitEffect::Delay => self.delay.time_seconds() + 0.1,
            };
            let limit = memory * self.sample_rate;
            let wake = &mut self.wake[effect.index()];
            let peak = std::mem::take(&mut wake.peak);
            if !wake.awake {
                continue;
            }
            let asleep = if !peak.is_finite() {
                true
            } else if fed || peak >= SILENCE {
                wake.quiet = 0;
                false
            } else {
                wake.quiet += frames;
                let silent_long = wake.quiet as f32 > limit;
                if silent_long {
                    wake.quiet = 0;
                }
                silent_long
            };
            if asleep {
                wake.awake = false;
                self.clear_effect(effect, bank);
            }
        }
    }
}

impl Orbit {
    /// Clears `effect`'s memory (built-in or defined) when it falls asleep.
    fn clear_effect(&mut self, effect: OrbitEffect, bank: &ProgramBank) {
        match effect {
            OrbitEffect::Reverb => self.reverb.clear(),
            OrbitEffect::Delay => self.delay.clear(),
        }
        let k = effect.index();
        if let (Some(p), Some(unit)) = (bank.effects[k].as_deref(), self.fx[k].as_mut()) {
            unit.clear(p);
        }
    }
}

/// One orbit effect for a block: its definition when one is loaded, else the built-in one.
/// Returns the running peak `peak` with this block's added (infinite once anything
/// non-finite came out).
fn run_effect(
    defined: Option<&Program>,
    unit: Option<&mut EffectUnit>,
    builtin: &mut dyn StereoEffect,
    (controls, registers, sr): (&[f32; 6], &mut [[f32; MAX_BLOCK]], f32),
    input: [&[f32]; 2],
    [out_l, out_r]: [&mut [f32]; 2],
    peak: f32,
) -> f32 {
    let block = match (defined, unit) {
        (Some(p), Some(unit)) => unit.process(p, controls, registers, sr, input, out_l, out_r),
        _ => builtin.process(input, [out_l, out_r]),
    };
    if block.is_finite() {
        peak.max(block)
    } else {
        f32::INFINITY
    }
}
