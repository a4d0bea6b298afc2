//! An orbit: a stereo bus the voices play into, with its reverb and delay, asleep when silent.
//!
//! The effects are voice-language definitions (voices/effects/reverb.voice and delay.voice, built in,
//! or a voices folder's own); the orbit keeps their settings and decides from them when each
//! one wakes and sleeps.

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
    /// This orbit's instance of the reverb and delay definitions, once installed.
    fx: [Option<EffectUnit>; 2],
}

impl Orbit {
    /// Allocates the orbit's effect memory.
    pub fn new(sr: f32) -> Orbit {
        Orbit {
            left: [0.0; MAX_BLOCK],
            right: [0.0; MAX_BLOCK],
            touched: false,
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
        self.delay_settings[0] = u.delay;
        if let Some(t) = u.delay_time {
            self.delay_settings[1] = t;
        }
        if let Some(f) = u.delay_feedback {
            self.delay_settings[2] = f;
        }
    }

    /// Whether `effect` would be heard if fed now (its send or level above zero).
    fn is_open(&self, effect: OrbitEffect) -> bool {
        match effect {
            OrbitEffect::Reverb => self.room > 0.0,
            OrbitEffect::Delay => self.delay_settings[0] > 0.0,
        }
    }

    /// Installs `effect` its state for this orbit, keeping what the
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
        if self.touched {
            for effect in OrbitEffect::ALL {
                if self.is_open(effect) {
                    self.wake[effect.index()].awake = true;
                }
            }
        }
        self.fed |= self.touched;
        self.grid_frames += n as u64;
        let controls = self.controls();
        let sr = self.sample_rate;
        let input = [&self.left[..n], &self.right[..n]];
        for effect in OrbitEffect::ALL {
            let k = effect.index();
            let (Some(program), Some(unit), true) = (
                bank.effects[k].as_deref(),
                self.fx[k].as_mut(),
                self.wake[k].awake,
            ) else {
                continue;
            };
            let block = unit.process(
                program,
                &controls,
                &mut bank.registers,
                sr,
                input,
                &mut out_l[..n],
                &mut out_r[..n],
            );
            // the running peak, infinite once anything non-finite came out
            let wake = &mut self.wake[k];
            wake.peak = if block.is_finite() {
                wake.peak.max(block)
            } else {
                f32::INFINITY
            };
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
                OrbitEffect::Delay => {
                    // its echo time, at most what its state can hold
                    let held = bank.effects[effect.index()]
                        .as_deref()
                        .map_or(0.0, |p| p.state_size as f32 / self.sample_rate);
                    self.delay_settings[1].clamp(0.0, held) + 0.1
                }
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
    /// Clears `effect`'s memory when it falls asleep.
    fn clear_effect(&mut self, effect: OrbitEffect, bank: &ProgramBank) {
        let k = effect.index();
        if let (Some(p), Some(unit)) = (bank.effects[k].as_deref(), self.fx[k].as_mut()) {
            unit.clear(p);
        }
    }
}
