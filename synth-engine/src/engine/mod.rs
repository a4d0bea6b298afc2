//! The realtime engine: the audio callback's work. It never allocates, frees, locks, logs or blocks.

pub mod command;
pub mod limiter;
pub mod link;
pub mod load;
pub mod orbit;
pub mod orbit_effect;
pub mod pending;
pub mod playhead;
pub mod pool;
pub mod program_voice;
pub mod stats;
pub mod voice;

pub use crate::program::ugen::sizes as ugen_sizes;

use crate::program::{MAX_REGISTERS, VOICE_STATE};
use crate::samples::SampleBuffer;
use command::{
    ClockTick, Command, EffectSpec, Garbage, OrbitUpdate, ProgramInstall, SampleInstall, VoiceSpec,
};
use link::EngineLink;
use orbit::Orbit;
use pending::Pending;
use pool::VoicePool;
use program_voice::ProgramBank;
use stats::EngineStats;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The engine works in chunks of at most this many frames.
pub const MAX_BLOCK: usize = 128;
/// Number of sample slots.
pub const SLOT_COUNT: usize = 8192;
/// Events waiting for their frame.
pub const PENDING_CAPACITY: usize = 4096;
/// Commands in flight from the control side.
pub const COMMAND_CAPACITY: usize = 8192;
/// Garbage one program install gives back besides a state per orbit (the old program, the
/// spare states).
const PROGRAM_GARBAGE: usize = 2;

/// How the engine is sized.
#[derive(Clone, Copy, Debug)]
pub struct EngineConfig {
    pub sample_rate: u32,
    pub max_voices: usize,
    pub orbits: usize,
}

/// The audio side of the engine.
pub struct Engine {
    sample_rate: f32,
    /// Absolute frame of the next output frame.
    frame: u64,
    commands: rtrb::Consumer<Command>,
    installs: rtrb::Consumer<SampleInstall>,
    program_installs: rtrb::Consumer<ProgramInstall>,
    /// Compiled voice definitions by id, and the registers they run in.
    programs: ProgramBank,
    /// A voice's old state while it migrates into a new program.
    migrate_scratch: Box<[f32]>,
    /// What the garbage ring had no room for, handed back before anything new is taken.
    /// Never fuller than one install's worst case (see [`Engine::garbage_room`]).
    stale: Vec<Garbage>,
    garbage: rtrb::Producer<Garbage>,
    ticks: rtrb::Producer<ClockTick>,
    slots: Vec<Option<Arc<SampleBuffer>>>,
    slot_users: Vec<u32>,
    evict_pending: Vec<bool>,
    evictions_waiting: usize,
    pending: Pending,
    pool: VoicePool,
    orbits: Vec<Orbit>,
    scratch: Box<[[f32; MAX_BLOCK]; 2]>,
    mix: Box<[[f32; MAX_BLOCK]; 2]>,
    stats: Arc<EngineStats>,
    /// The voice limit that follows the render load (live outputs only).
    guard: load::LoadGuard,
}

fn blank_spec() -> VoiceSpec {
    VoiceSpec {
        start_frame: 0,
        asap: true,
        slot: 0,
        sample_key: 0,
        position: 0.0,
        region_start: 0.0,
        region_end: 0.0,
        rate: 0.0,
        rate_step: 0.0,
        length: 0,
        fade_in: 0,
        fade_out: 0,
        gain: 0.0,
        pan: 0.5,
        orbit: 0,
        cut: 0,
        effects: EffectSpec::default(),
        orbit_update: OrbitUpdate::default(),
        program: None,
    }
}

/// Builds an engine and the link that feeds it. Everything the audio thread needs is allocated here.
pub fn new(config: EngineConfig) -> (Engine, EngineLink) {
    let (cmd_tx, cmd_rx) = rtrb::RingBuffer::new(COMMAND_CAPACITY);
    let (inst_tx, inst_rx) = rtrb::RingBuffer::new(SLOT_COUNT);
    let (prog_tx, prog_rx) = rtrb::RingBuffer::new(crate::voicelang::bank::MAX_DEFINITIONS);
    let (garb_tx, garb_rx) = rtrb::RingBuffer::new(SLOT_COUNT * 2);
    let (tick_tx, tick_rx) = rtrb::RingBuffer::new(1024);
    let stats = Arc::new(EngineStats::default());
    let sr = config.sample_rate as f32;
    let orbits = config.orbits.clamp(1, 256);
    let engine = Engine {
        sample_rate: sr,
        frame: 0,
        commands: cmd_rx,
        installs: inst_rx,
        program_installs: prog_rx,
        programs: ProgramBank {
            table: (0..crate::voicelang::bank::MAX_DEFINITIONS)
                .map(|_| None)
                .collect(),
            registers: vec![[0.0; MAX_BLOCK]; MAX_REGISTERS].into_boxed_slice(),
            effects: [None, None],
        },
        migrate_scratch: vec![0.0; VOICE_STATE].into_boxed_slice(),
        stale: Vec::with_capacity(orbits + PROGRAM_GARBAGE),
        garbage: garb_tx,
        ticks: tick_tx,
        slots: (0..SLOT_COUNT).map(|_| None).collect(),
        slot_users: vec![0; SLOT_COUNT],
        evict_pending: vec![false; SLOT_COUNT],
        evictions_waiting: 0,
        pending: Pending::new(PENDING_CAPACITY, blank_spec()),
        pool: VoicePool::new(config.max_voices, blank_spec(), sr),
        orbits: (0..orbits).map(|_| Orbit::new(sr)).collect(),
        scratch: Box::new([[0.0; MAX_BLOCK]; 2]),
        mix: Box::new([[0.0; MAX_BLOCK]; 2]),
        stats: stats.clone(),
        guard: load::LoadGuard::new(config.max_voices.max(1)),
    };
    let link = EngineLink {
        commands: cmd_tx,
        installs: inst_tx,
        programs: prog_tx,
        garbage: garb_rx,
        ticks: tick_rx,
        stats,
        sample_rate: config.sample_rate,
        orbits,
    };
    (engine, link)
}

impl Engine {
    /// Sheds the oldest voices when rendering takes too long for real time (live outputs call
    /// this; offline renders do not, and stay deterministic). See [`load::LoadGuard`].
    pub fn keep_real_time(&mut self) {
        self.guard.enable();
    }

    /// The absolute frame the next call starts at.
    pub fn frame(&self) -> u64 {
        self.frame
    }

    /// Orbits doing any work (voices, or reverb/delay tails still ringing).
    pub fn busy_orbits(&self) -> usize {
        self.orbits.iter().filter(|o| o.is_busy()).count()
    }

    /// Voices sounding now.
    pub fn active_voices(&self) -> usize {
        self.pool.active_count()
    }

    /// Renders interleaved output (`channels` per frame; the first two get left and right).
    ///
    /// `unix_nanos` is the wall time the first frame stands for (for the clock model).
    pub fn process(&mut self, out: &mut [f32], channels: usize, unix_nanos: u64) {
        let channels = channels.max(1);
        let _ = self.ticks.push(ClockTick {
            frame: self.frame,
            unix_nanos,
        });
        EngineStats::bump(&self.stats.callbacks);
        // Sub-blocks end at multiples of MAX_BLOCK (absolute frames), at event onsets and at the
        // end of the callback. Every event starts on a sub-block's first frame, and every
        // decision that is not per frame (orbits falling asleep) is taken on the absolute grid,
        // so the output does not depend on the callback size.
        let started = self.guard.enabled().then(std::time::Instant::now);
        let mut done = 0;
        let total = out.len() / channels;
        while done < total {
            self.return_stale();
            // programs first (their migrations can take a while), then the samples and the
            // commands that may need them, so that little time passes between the two
            self.take_programs();
            self.take_installs();
            self.take_commands();
            self.start_due();
            let grid_end = (self.frame / MAX_BLOCK as u64 + 1) * MAX_BLOCK as u64;
            let mut end = grid_end.min(self.frame + (total - done) as u64);
            // every due event has started, so the next one starts after this frame
            if let Some(k) = self.pending.next_key() {
                end = end.min(k.max(self.frame + 1));
            }
            let n = (end - self.frame) as usize;
            self.block(n, end == grid_end);
            let [l, r] = &*self.mix;
            let chunk = &mut out[done * channels..(done + n) * channels];
            for (i, frame) in chunk.chunks_exact_mut(channels).enumerate() {
                if channels == 1 {
                    frame[0] = 0.5 * (l[i] + r[i]);
                } else {
                    frame[0] = l[i];
                    frame[1] = r[i];
                    for x in frame[2..].iter_mut() {
                        *x = 0.0;
                    }
                }
            }
            done += n;
        }
        if let Some(started) = started {
            self.follow_load(started.elapsed().as_secs_f64(), total);
        }
    }

    /// Updates the voice limit from this callback's render time; sheds voices over it.
    fn follow_load(&mut self, busy: f64, frames: usize) {
        let sounding = self.pool.sounding();
        let shed = self.guard.observe(busy, frames, self.sample_rate, sounding);
        self.pool.set_cap(self.guard.cap());
        if shed > 0 {
            let stopped = self.pool.shed(shed);
            self.stats
                .voices_shed
                .fetch_add(stopped as u64, Ordering::Relaxed);
        }
        let permille = (self.guard.load() * 1000.0).clamp(0.0, 1.0e9) as u64;
        self.stats.load_permille.store(permille, Ordering::Relaxed);
        self.stats
            .voice_cap
            .store(self.guard.cap() as u64, Ordering::Relaxed);
    }

    /// Renders `n` frames (all events due by now have been started).
    fn block(&mut self, n: usize, grid_end: bool) {
        let [l, r] = &mut *self.mix;
        l[..n].fill(0.0);
        r[..n].fill(0.0);
        self.pool.render(
            n,
            &self.slots,
            &mut self.programs,
            &mut self.scratch,
            &mut self.orbits,
            &mut self.slot_users,
        );
        for orbit in self.orbits.iter_mut() {
            orbit.process(n, &mut l[..n], &mut r[..n], grid_end, &mut self.programs);
        }
        if limiter::needs_limiting(&l[..n]) || limiter::needs_limiting(&r[..n]) {
            let mut bad = 0u64;
            for x in l[..n].iter_mut().chain(r[..n].iter_mut()) {
                if !x.is_finite() {
                    bad += 1;
                }
                *x = limiter::limit(*x);
            }
            if bad > 0 {
                self.stats
                    .non_finite_samples
                    .fetch_add(bad, Ordering::Relaxed);
            }
        }
        if self.evictions_waiting > 0 {
            self.finish_evictions();
        }
        self.frame += n as u64;
        self.stats
            .frames_rendered
            .store(self.frame, Ordering::Relaxed);
        let active = self.pool.active_count() as u64;
        self.stats.active_voices.store(active, Ordering::Relaxed);
        self.stats
            .max_active_voices
            .fetch_max(active, Ordering::Relaxed);
    }

    fn take_installs(&mut self) {
        // an install gives back at most one buffer: take one only when it has a place to go
        while self.garbage_room() >= 1 {
            let Ok(SampleInstall { slot, buffer }) = self.installs.pop() else {
                break;
            };
            let s = slot as usize;
            if s >= self.slots.len() {
                self.give_back(Garbage::Sample { slot, buffer });
                continue;
            }
            self.evict_pending[s] = false;
            if let Some(old) = self.slots[s].replace(buffer) {
                // the control side never installs into an occupied slot; if it did, hand the old one back
                self.give_back(Garbage::Sample { slot, buffer: old });
            }
        }
    }

    fn take_commands(&mut self) {
        while let Ok(cmd) = self.commands.pop() {
            match cmd {
                Command::Play(spec) => {
                    let key = if spec.asap { 0 } else { spec.start_frame };
                    if !self.pending.push(key, spec) {
                        EngineStats::bump(&self.stats.pending_overflow);
                    }
                }
                Command::Evict { slot } => {
                    let s = slot as usize;
                    if s < self.evict_pending.len() && !self.evict_pending[s] {
                        self.evict_pending[s] = true;
                        self.evictions_waiting += 1;
                    }
                }
                Command::Silence => {
                    self.pending.clear();
                    self.pool.silence();
                }
            }
        }
    }

    /// Starts the events whose frame has come (late ones too), in time order.
    fn start_due(&mut self) {
        // the earliest due event first (as soon as possible = 0)
        while let Some(spec) = self.pending.pop_before(self.frame + 1) {
            let wait = if spec.asap || spec.start_frame < self.frame {
                if !spec.asap {
                    EngineStats::bump(&self.stats.late_events);
                    self.stats
                        .max_late_frames
                        .fetch_max(self.frame - spec.start_frame, Ordering::Relaxed);
                }
                0
            } else {
                (spec.start_frame - self.frame) as u32
            };
            self.start_voice(spec, wait);
        }
    }

    /// Installs new programs at this block boundary: voices playing the old one continue in the
    /// new one with their state migrated, orbit effects keep their tails; what is replaced goes
    /// back to the control side.
    fn take_programs(&mut self) {
        // an install gives back at most a state per orbit and two more: take one only when
        // all of that has a place to go
        while self.garbage_room() >= self.orbits.len() + PROGRAM_GARBAGE {
            let Ok(ProgramInstall {
                id,
                program,
                mut states,
            }) = self.program_installs.pop()
            else {
                break;
            };
            if let Some(effect) = program.effect {
                let k = effect.index();
                let old = self.programs.effects[k].take();
                for i in 0..self.orbits.len() {
                    let Some(state) = states.pop() else { break };
                    let previous =
                        self.orbits[i].install_effect(effect, state, old.as_deref(), &program);
                    if let Some(previous) = previous {
                        self.give_back(Garbage::EffectState(previous));
                    }
                }
                self.give_back(Garbage::EffectStates(states));
                self.programs.effects[k] = Some(program);
                if let Some(old) = old {
                    self.give_back(Garbage::Program(old));
                }
                continue;
            }
            self.give_back(Garbage::EffectStates(states));
            let Some(entry) = self.programs.table.get_mut(id as usize) else {
                self.give_back(Garbage::Program(program));
                continue;
            };
            let old = entry.take();
            self.pool
                .migrate(id, old.as_deref(), &program, &mut self.migrate_scratch);
            self.programs.table[id as usize] = Some(program);
            if let Some(old) = old {
                self.give_back(Garbage::Program(old));
            }
        }
    }

    /// Room for garbage: free places in the ring, none while anything waits in `stale` (so that
    /// what waits goes first and `stale` never grows past one install's worth).
    fn garbage_room(&self) -> usize {
        if self.stale.is_empty() {
            self.garbage.slots()
        } else {
            0
        }
    }

    /// Hands what waits in `stale` to the control side, as far as the ring has room.
    fn return_stale(&mut self) {
        while let Some(g) = self.stale.pop() {
            if let Err(rtrb::PushError::Full(g)) = self.garbage.push(g) {
                self.stale.push(g);
                break;
            }
        }
    }

    /// Hands something to the control side to be freed there (never here). Callers take work
    /// only when [`Engine::garbage_room`] has room for all it can give back, so the ring has a
    /// place; `stale` (sized for one install) is the second line.
    fn give_back(&mut self, g: Garbage) {
        if let Err(rtrb::PushError::Full(g)) = self.garbage.push(g) {
            if self.stale.len() < self.stale.capacity() {
                self.stale.push(g);
            } else {
                // unreachable by the room check; keeping it beats freeing it here
                std::mem::forget(g);
            }
        }
    }

    fn start_voice(&mut self, spec: VoiceSpec, wait: u32) {
        let slot = spec.slot as usize;
        let no_sample = self.slots.get(slot).is_none_or(Option::is_none);
        let missing = match spec.program {
            Some(p) => {
                self.programs
                    .table
                    .get(p.id as usize)
                    .is_none_or(Option::is_none)
                    || (p.uses_sample && no_sample)
            }
            None => no_sample,
        };
        if missing {
            EngineStats::bump(&self.stats.sounds_not_found);
            return;
        }
        if let Some(orbit) = self.orbits.get_mut(spec.orbit as usize) {
            orbit.apply(&spec.orbit_update);
        }
        let report = self.pool.start(
            spec,
            wait,
            self.sample_rate,
            &mut self.slot_users,
            &self.programs.table,
            &self.slots,
        );
        EngineStats::bump(&self.stats.voices_started);
        if report.stolen {
            EngineStats::bump(&self.stats.voices_stolen);
        }
    }

    fn finish_evictions(&mut self) {
        for s in 0..self.evict_pending.len() {
            if self.evict_pending[s] && self.slot_users[s] == 0 {
                if self.garbage_room() == 0 {
                    return; // the rest next block
                }
                self.evict_pending[s] = false;
                self.evictions_waiting -= 1;
                if let Some(buffer) = self.slots[s].take() {
                    self.give_back(Garbage::Sample {
                        slot: s as u32,
                        buffer,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::cache::SlotSink;

    #[test]
    fn a_full_garbage_ring_drops_nothing_on_the_audio_thread() {
        let (mut engine, mut link) = new(EngineConfig {
            sample_rate: 48000,
            max_voices: 4,
            orbits: 2,
        });
        let buffer = Arc::new(SampleBuffer::new(vec![vec![0.0; 16]], 48000));
        let mut out = vec![0.0; 2 * MAX_BLOCK];
        // installs into a slot that does not exist each come straight back: three ringfuls
        // without collecting, more than the garbage ring holds
        let mut sent = 0usize;
        for _ in 0..3 {
            while link.install(SLOT_COUNT as u32, buffer.clone()) {
                sent += 1;
            }
            engine.process(&mut out, 2, 0);
        }
        assert!(sent > 2 * SLOT_COUNT, "{sent}");
        // nothing was freed on the audio thread: every clone is in a ring or held by the engine
        assert_eq!(Arc::strong_count(&buffer), sent + 1);
        let mut returned = 0usize;
        for _ in 0..8 {
            link.collect_garbage(|_| returned += 1);
            engine.process(&mut out, 2, 0);
        }
        link.collect_garbage(|_| returned += 1);
        assert_eq!(returned, sent);
        assert_eq!(Arc::strong_count(&buffer), 1);
    }
}
