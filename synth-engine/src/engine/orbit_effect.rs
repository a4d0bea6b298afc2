//! An orbit effect defined in the voice language: its state in one orbit, fed by the orbit's bus and settings.

use crate::engine::program_voice::apply_copies;
use crate::engine::MAX_BLOCK;
use crate::program::ugen::{self, BlockContext};
use crate::program::{In, Program, MAX_SCALARS};

/// One orbit's instance of an effect definition.
pub struct EffectUnit {
    pub state: Box<[f32]>,
    /// The program generation the state is laid out for.
    generation: u64,
    scalars: [f32; MAX_SCALARS],
    /// Frames run since the effect last woke.
    frames: u64,
}

impl EffectUnit {
    /// Takes `state` (made off the audio thread for `program`) and, if `old` is the program the
    /// migration was planned from, copies what it keeps from `previous`.
    pub fn new(
        mut state: Box<[f32]>,
        program: &Program,
        previous: Option<&EffectUnit>,
        old: Option<&Program>,
    ) -> EffectUnit {
        if let (Some(m), Some(prev), Some(old)) = (program.migration.as_ref(), previous, old) {
            if m.from_generation == old.generation && prev.generation == old.generation {
                apply_copies(&m.copies, &prev.state, &mut state);
            }
        }
        EffectUnit {
            state,
            generation: program.generation,
            scalars: [0.0; MAX_SCALARS],
            frames: 0,
        }
    }

    /// Silences the effect (its memory is cleared).
    pub fn clear(&mut self, program: &Program) {
        ugen::init_state(program, &mut self.state, 0);
        self.frames = 0;
    }

    /// Runs the effect on the bus `input` and adds its output to `out`; returns the peak added.
    /// `controls` are the orbit's settings in [`ORBIT_CONTROLS`](crate::program::ORBIT_CONTROLS) order.
    #[allow(clippy::too_many_arguments)]
    pub fn process(
        &mut self,
        program: &Program,
        controls: &[f32; 6],
        registers: &mut [[f32; MAX_BLOCK]],
        sample_rate: f32,
        input: [&[f32]; 2],
        out_l: &mut [f32],
        out_r: &mut [f32],
    ) -> f32 {
        if program.generation != self.generation || self.state.len() < program.state_size {
            return 0.0;
        }
        let n = out_l.len();
        let mut params = program.defaults();
        for (p, &c) in params.iter_mut().zip(&program.controls) {
            if c > 0 {
                *p = controls[(c - 1) as usize];
            }
        }
        program.eval_scalars(&params, &mut self.scalars);
        registers[0][..n].copy_from_slice(input[0]);
        registers[1][..n].copy_from_slice(input[1]);
        let ctx = BlockContext {
            scalars: &self.scalars,
            sample_rate,
            sample: None,
            elapsed: self.frames,
        };
        ugen::run(program, &ctx, &mut self.state, registers, n);
        self.frames += n as u64;
        let mut peak = 0.0f32;
        for (o, side) in [(out_l, program.out[0]), (out_r, program.out[1])] {
            match side {
                In::Reg(r) => {
                    for (o, y) in o.iter_mut().zip(&registers[r as usize][..n]) {
                        peak = peak.max(y.abs());
                        *o += y;
                    }
                }
                In::Scalar(s) => {
                    let y = self.scalars[s as usize];
                    peak = peak.max(y.abs());
                    o.iter_mut().for_each(|o| *o += y);
                }
            }
        }
        if peak.is_finite() {
            peak
        } else {
            f32::INFINITY
        }
    }
}
