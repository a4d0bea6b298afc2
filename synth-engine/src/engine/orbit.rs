//! An orbit: a stereo bus the voices play into, with its reverb and delay, asleep when silent.

use crate::dsp::delay::Delay;
use crate::dsp::reverb::Reverb;
use crate::engine::command::OrbitUpdate;
use crate::engine::orbit_effect::EffectUnit;
use crate::engine::program_voice::ProgramBank;
use crate::engine::MAX_BLOCK;
use crate::program::Program;

/// Peak below which an effect's tail counts as silent.
const SILENCE: f32 = 1.0e-6;
/// Longest path through the reverb (its loop delays), in seconds, with a margin.
const REVERB_MEMORY: f32 = 0.5;

/// One orbit.
pub struct Orbit {
    left: [f32; MAX_BLOCK],
    right: [f32; MAX_BLOCK],
    /// Voices wrote into the bus this block.
    touched: bool,
    reverb: Reverb,
    reverb_awake: bool,
    delay: Delay,
    delay_awake: bool,
    /// Frames since the reverb last heard input or made sound (counted on the block grid).
    reverb_quiet: u64,
    delay_quiet: u64,
    /// Peaks and input seen since the last grid boundary.
    reverb_peak: f32,
    delay_peak: f32,
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
            reverb_awake: false,
            delay: Delay::new(sr),
            delay_awake: false,
            reverb_quiet: 0,
            delay_quiet: 0,
            reverb_peak: 0.0,
            delay_peak: 0.0,
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
        let jump = !self.delay_awake;
        self.delay
            .set(u.delay, u.delay_time, u.delay_feedback, jump);
    }

    /// Installs effect `k` (0 reverb, 1 delay) with its state for this orbit, keeping what the
    /// migration from `old` keeps (the tail); returns the previous state, to be freed elsewhere.
    pub fn install_effect(
        &mut self,
        k: usize,
        state: Box<[f32]>,
        old: Option<&Program>,
        program: &Program,
    ) -> Option<Box<[f32]>> {
        let unit = EffectUnit::new(state, program, self.fx[k].as_ref(), old);
        self.fx[k].replace(unit).map(|u| u.state)
    }

    fn controls(&self) -> [f32; 6] {
        let [d, t, f] = self.delay_settings;
        [self.room, self.size, self.dry, d, t, f]
    }

    /// Whether this orbit does any work this block.
    pub fn is_busy(&self) -> bool {
        self.touched || self.reverb_awake || self.delay_awake
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
            self.reverb_awake = true;
        }
        if self.delay.is_open() && self.touched {
            self.delay_awake = true;
        }
        self.fed |= self.touched;
        self.grid_frames += n as u64;
        let controls = self.controls();
        let sr = self.sample_rate;
        let input = [&self.left[..n], &self.right[..n]];
        if self.reverb_awake {
            self.reverb_peak = run_effect(
                bank.effects[0].as_deref(),
                self.fx[0].as_mut(),
                &mut self.reverb,
                (&controls, &mut bank.registers, sr),
                input,
                [&mut out_l[..n], &mut out_r[..n]],
                self.reverb_peak,
            );
        }
        if self.delay_awake {
            self.delay_peak = run_effect(
                bank.effects[1].as_deref(),
                self.fx[1].as_mut(),
                &mut self.delay,
                (&controls, &mut bank.registers, sr),
                input,
                [&mut out_l[..n], &mut out_r[..n]],
                self.delay_peak,
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
        let reverb_peak = std::mem::take(&mut self.reverb_peak);
        let delay_peak = std::mem::take(&mut self.delay_peak);
        if self.reverb_awake {
            if !reverb_peak.is_finite() {
                self.clear_effect(0, bank);
                self.reverb_awake = false;
            } else if fed || reverb_peak >= SILENCE {
                self.reverb_quiet = 0;
            } else {
                self.reverb_quiet += frames;
                if self.reverb_quiet as f32 > REVERB_MEMORY * self.sample_rate {
                    self.clear_effect(0, bank);
                    self.reverb_awake = false;
                    self.reverb_quiet = 0;
                }
            }
        }
        if self.delay_awake {
            if !delay_peak.is_finite() {
                self.clear_effect(1, bank);
                self.delay_awake = false;
            } else if fed || delay_peak >= SILENCE {
                self.delay_quiet = 0;
            } else {
                self.delay_quiet += frames;
                let memory = self.delay.time_seconds() + 0.1;
                if self.delay_quiet as f32 > memory * self.sample_rate {
                    self.clear_effect(1, bank);
                    self.delay_awake = false;
                    self.delay_quiet = 0;
                }
            }
        }
    }
}

impl Orbit {
    /// Clears effect `k`'s memory (built-in or defined) when it falls asleep.
    fn clear_effect(&mut self, k: usize, bank: &ProgramBank) {
        if k == 0 {
            self.reverb.clear();
        } else {
            self.delay.clear();
        }
        if let (Some(p), Some(unit)) = (bank.effects[k].as_deref(), self.fx[k].as_mut()) {
            unit.clear(p);
        }
    }
}

/// The built-in reverb and delay, which play when no definition is loaded.
trait BuiltinEffect {
    /// Adds the effect of `in_l`/`in_r` to `out_l`/`out_r`; returns the block's peak.
    fn process(&mut self, in_l: &[f32], in_r: &[f32], out_l: &mut [f32], out_r: &mut [f32]) -> f32;
}

impl BuiltinEffect for Reverb {
    fn process(&mut self, in_l: &[f32], in_r: &[f32], out_l: &mut [f32], out_r: &mut [f32]) -> f32 {
        Reverb::process(self, in_l, in_r, out_l, out_r)
    }
}

impl BuiltinEffect for Delay {
    fn process(&mut self, in_l: &[f32], in_r: &[f32], out_l: &mut [f32], out_r: &mut [f32]) -> f32 {
        Delay::process(self, in_l, in_r, out_l, out_r)
    }
}

/// One orbit effect for a block: its definition when one is loaded, else the built-in one.
/// Returns the running peak `peak` with this block's added (infinite once anything
/// non-finite came out).
fn run_effect(
    defined: Option<&Program>,
    unit: Option<&mut EffectUnit>,
    builtin: &mut dyn BuiltinEffect,
    (controls, registers, sr): (&[f32; 6], &mut [[f32; MAX_BLOCK]], f32),
    input: [&[f32]; 2],
    [out_l, out_r]: [&mut [f32]; 2],
    peak: f32,
) -> f32 {
    let block = match (defined, unit) {
        (Some(p), Some(unit)) => unit.process(p, controls, registers, sr, input, out_l, out_r),
        _ => builtin.process(input[0], input[1], out_l, out_r),
    };
    if block.is_finite() {
        peak.max(block)
    } else {
        f32::INFINITY
    }
}
