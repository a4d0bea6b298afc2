//! The part of a pool voice that runs a compiled program: its parameters, scalars and state, and their migration.

use crate::engine::command::{EventValues, ProgramStart};
use crate::engine::MAX_BLOCK;
use crate::program::ugen::{self, BlockContext};
use crate::program::{In, OrbitEffect, Program, StateCopy, MAX_PARAMS, MAX_SCALARS, VOICE_STATE};
use crate::samples::SampleBuffer;

/// The installed programs (by id) and the block registers every program voice runs in.
pub struct ProgramBank {
    pub table: Vec<Option<Box<Program>>>,
    pub registers: Box<[[f32; MAX_BLOCK]]>,
    /// The orbit effect definitions (reverb, delay), when loaded.
    pub effects: [Option<Box<Program>>; OrbitEffect::ALL.len()],
}

/// Copies the state that a migration keeps from `old` into `new` (offsets as planned).
pub fn apply_copies(copies: &[StateCopy], old: &[f32], new: &mut [f32]) {
    for c in copies {
        match *c {
            StateCopy::Plain { from, to, len } => {
                let (f, t, l) = (from as usize, to as usize, len as usize);
                new[t..t + l].copy_from_slice(&old[f..f + l]);
            }
            StateCopy::Ring {
                from,
                old_len,
                to,
                new_len,
            } => {
                let (f, t) = (from as usize, to as usize);
                ugen::migrate_ring(
                    &old[f..f + old_len as usize],
                    &mut new[t..t + new_len as usize],
                );
            }
        }
    }
}

/// The program part of a pool voice: parameters and scalars. Its node state lives in the
/// pool's state arena (see [`VoiceStates`]) and is lent to each call.
pub struct ProgramVoice {
    /// The program slot this voice plays, if it plays one.
    pub id: Option<u16>,
    generation: u64,
    params: [f32; MAX_PARAMS],
    /// Which parameters came from the event (the others follow the definition's defaults).
    given: u32,
    /// Every value the event gave, by name.
    event: EventValues,
    scalars: [f32; MAX_SCALARS],
    seed: u32,
    /// Length of the voice's sample in seconds at its own speed, if it plays one.
    sample_seconds: Option<f32>,
    /// Frames rendered since the start.
    frames: u64,
}

impl std::fmt::Debug for ProgramVoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProgramVoice")
            .field("id", &self.id)
            .field("generation", &self.generation)
            .finish()
    }
}

impl Default for ProgramVoice {
    fn default() -> ProgramVoice {
        ProgramVoice {
            id: None,
            generation: 0,
            params: [0.0; MAX_PARAMS],
            given: 0,
            event: EventValues::default(),
            scalars: [0.0; MAX_SCALARS],
            seed: 0,
            sample_seconds: None,
            frames: 0,
        }
    }
}

impl ProgramVoice {
    /// Starts `program`; returns the voice's length in seconds.
    pub fn start(
        &mut self,
        start: &ProgramStart,
        program: &Program,
        seed: u32,
        sample: Option<&SampleBuffer>,
        state: &mut [f32],
    ) -> f32 {
        self.id = Some(start.id);
        self.seed = seed;
        self.sample_seconds = sample.map(|b| b.duration() as f32);
        self.frames = 0;
        (self.params, self.given) = if start.generation == program.generation {
            (start.params, start.given)
        } else {
            // the definition was reloaded between planning and starting
            remap(
                &start.params,
                start.given,
                start.generation,
                &start.event,
                program,
            )
        };
        self.event = start.event;
        self.generation = program.generation;
        program.eval_scalars(&self.params, &mut self.scalars);
        ugen::init_state(program, state, seed);
        program.length_seconds(&self.scalars, self.sample_seconds)
    }

    /// Ends the program part (the voice went back to the pool).
    pub fn clear(&mut self) {
        self.id = None;
    }

    /// Moves this voice from `old` into `new`: parameters by name, unchanged nodes' state
    /// copied, the rest fresh. `scratch` holds the old state meanwhile. Returns the new length in seconds.
    pub fn migrate(
        &mut self,
        old: Option<&Program>,
        new: &Program,
        state: &mut [f32],
        scratch: &mut [f32],
    ) -> f32 {
        let migration = new.migration.as_ref().filter(|m| {
            old.is_some_and(|o| o.generation == m.from_generation)
                && m.from_generation == self.generation
        });
        let old_size = old.map_or(0, |o| o.state_size);
        scratch[..old_size].copy_from_slice(&state[..old_size]);
        (self.params, self.given) =
            remap(&self.params, self.given, self.generation, &self.event, new);
        self.generation = new.generation;
        new.eval_scalars(&self.params, &mut self.scalars);
        ugen::init_state(new, state, self.seed);
        if let Some(m) = migration {
            apply_copies(&m.copies, scratch, state);
        }
        new.length_seconds(&self.scalars, self.sample_seconds)
    }

    /// Runs `frames` frames of `program` and writes its stereo output to `left`/`right`.
    #[allow(clippy::too_many_arguments)]
    pub fn render(
        &mut self,
        program: &Program,
        registers: &mut [[f32; MAX_BLOCK]],
        sample_rate: f32,
        sample: Option<&SampleBuffer>,
        state: &mut [f32],
        left: &mut [f32],
        right: &mut [f32],
    ) {
        let frames = left.len();
        let ctx = BlockContext {
            scalars: &self.scalars,
            sample_rate,
            sample,
            elapsed: self.frames,
        };
        ugen::run(program, &ctx, state, registers, frames);
        self.frames += frames as u64;
        for (o, input) in [(left, program.out[0]), (right, program.out[1])] {
            match input {
                In::Reg(r) => o.copy_from_slice(&registers[r as usize][..frames]),
                In::Scalar(s) => o.fill(self.scalars[s as usize]),
            }
        }
    }
}

/// The node state of every voice of a pool, `VOICE_STATE` values each, in one zeroed
/// allocation. An allocation this large is mapped fresh from the system, so its pages are
/// committed only when a voice first writes them: memory follows the voices that have
/// sounded, not the pool's size (as scsynth's real-time pool does).
pub struct VoiceStates {
    values: Box<[f32]>,
}

impl VoiceStates {
    pub fn new(voices: usize) -> VoiceStates {
        VoiceStates {
            values: vec![0.0; voices * VOICE_STATE].into_boxed_slice(),
        }
    }

    /// The state of voice `i`.
    pub fn of(&mut self, i: usize) -> &mut [f32] {
        &mut self.values[i * VOICE_STATE..(i + 1) * VOICE_STATE]
    }
}

/// Parameter values laid out for the program of `generation`, laid out for `program` instead:
/// values the event gave move by name (through the migration); a parameter new to the
/// definition takes the event's value of its name if the event gave one; the rest take the
/// new defaults.
fn remap(
    values: &[f32; MAX_PARAMS],
    given: u32,
    generation: u64,
    event: &EventValues,
    program: &Program,
) -> ([f32; MAX_PARAMS], u32) {
    let mut out = program.defaults();
    let mut out_given = 0;
    let migration = program
        .migration
        .as_ref()
        .filter(|m| m.from_generation == generation);
    for (i, (o, def)) in out.iter_mut().zip(&program.params).enumerate() {
        let from = migration.and_then(|m| m.param_map.get(i).copied().flatten());
        let value = match from {
            Some(j) => (given & (1 << j) != 0).then(|| values[j as usize]),
            None => event.get_key(def.key),
        };
        if let Some(v) = value {
            *o = v;
            out_given |= 1 << i;
        }
    }
    (out, out_given)
}
