//! The control side's ends of the engine's rings.

use super::command::{ClockTick, Command, Garbage, Install};
use super::stats::EngineStats;
use crate::samples::cache::SlotSink;
use crate::samples::SampleBuffer;
use std::sync::Arc;

/// Held by whoever feeds the engine (the OSC thread, or the offline renderer).
pub struct EngineLink {
    pub(crate) commands: rtrb::Producer<Command>,
    pub(crate) installs: rtrb::Producer<Install>,
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
        self.installs.push(Install { slot, buffer }).is_ok()
    }

    fn evict(&mut self, slot: u32) -> bool {
        self.send(Command::Evict { slot })
    }
}
