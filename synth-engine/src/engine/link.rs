//! The control side's ends of the engine's rings.

use crate::engine::command::{ClockTick, Command, Garbage, ProgramInstall, SampleInstall};
use crate::engine::stats::EngineStats;
use crate::program::Program;
use crate::samples::cache::SlotSink;
use crate::samples::SampleBuffer;
use std::sync::Arc;

/// Held by whoever feeds the engine (the OSC thread, or the offline renderer).
pub struct EngineLink {
    pub(crate) commands: rtrb::Producer<Command>,
    pub(crate) installs: rtrb::Producer<SampleInstall>,
    pub(crate) programs: rtrb::Producer<ProgramInstall>,
    pub(crate) garbage: rtrb::Consumer<Garbage>,
    pub(crate) ticks: rtrb::Consumer<ClockTick>,
    pub stats: Arc<EngineStats>,
    pub sample_rate: u32,
    pub orbits: usize,
}

impl EngineLink {
    /// Queues a command; false (and counted) if the ring is full.
    pub fn send(&mut self, cmd: Command) -> bool {
        match self.commands.push(cmd) {
            Ok(()) => true,
            Err(_) => {
                EngineStats::bump(&self.stats.queue_full);
                false
            }
        }
    }

    /// Sends a compiled voice to the audio thread (given back if the ring is full).
    pub fn install_program(
        &mut self,
        id: u16,
        program: Box<Program>,
        states: Vec<Box<[f32]>>,
    ) -> Result<(), Box<Program>> {
        self.programs
            .push(ProgramInstall {
                id,
                program,
                states,
            })
            .map_err(|rtrb::PushError::Full(p)| p.program)
    }

    /// Free space in the command ring.
    pub fn command_space(&self) -> usize {
        self.commands.slots()
    }

    /// Drops what the audio thread handed back; returns the slots that are free again.
    pub fn collect_garbage(&mut self, mut on_slot: impl FnMut(u32)) {
        while let Ok(g) = self.garbage.pop() {
            match g {
                Garbage::Sample { slot, buffer } => {
                    drop(buffer);
                    on_slot(slot);
                }
                Garbage::Program(p) => drop(p),
                Garbage::EffectState(s) => drop(s),
                Garbage::EffectStates(v) => drop(v),
            }
        }
    }

    /// The newest clock observations.
    pub fn drain_ticks(&mut self, mut f: impl FnMut(ClockTick)) {
        while let Ok(t) = self.ticks.pop() {
            f(t);
        }
    }
}

impl SlotSink for EngineLink {
    fn install(&mut self, slot: u32, buffer: Arc<SampleBuffer>) -> bool {
        self.installs.push(SampleInstall { slot, buffer }).is_ok()
    }

    fn evict(&mut self, slot: u32) -> bool {
        self.send(Command::Evict { slot })
    }
}
