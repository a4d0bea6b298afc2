//! The control side: turns `/dirt/play` arguments into voices on the engine (shared by live and offline use).

use crate::dirt_event::{parse_play, EventError};
use crate::engine::command::Command;
use crate::engine::link::EngineLink;
use crate::engine::stats::EngineStats;
use crate::params::Param;
use crate::plan::{plan_sample, Placement, PlanError};
use crate::samples::cache::{CacheError, SampleCache};
use crate::samples::SampleLibrary;
use rosc::OscType;
use std::collections::HashSet;

/// Why an event was not played.
#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    #[error(transparent)]
    Event(#[from] EventError),
    #[error("event has no `s`")]
    NoSound,
    #[error("no sample bank or synth named {0:?}")]
    NotFound(String),
    #[error(transparent)]
    Sample(#[from] CacheError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("the engine's command queue is full")]
    QueueFull,
}

/// Owns the sample index and cache and the engine link.
pub struct Dispatcher {
    library: SampleLibrary,
    cache: SampleCache,
    pub link: EngineLink,
    reported_missing: HashSet<String>,
}

impl Dispatcher {
    /// `memory_bytes` bounds the decoded samples kept.
    pub fn new(library: SampleLibrary, link: EngineLink, memory_bytes: usize) -> Dispatcher {
        Dispatcher {
            library,
            cache: SampleCache::new(crate::engine::SLOT_COUNT, memory_bytes),
            link,
            reported_missing: HashSet::new(),
        }
    }

    /// The sample index.
    pub fn library(&self) -> &SampleLibrary {
        &self.library
    }

    /// Bytes of decoded samples held.
    pub fn sample_bytes(&self) -> usize {
        self.cache.used_bytes()
    }

    /// Plays one `/dirt/play` message at absolute output frame `frame` (`None` = at once).
    pub fn play(&mut self, args: &[OscType], frame: Option<f64>) -> Result<(), DispatchError> {
        self.housekeeping();
        let stats = self.link.stats.clone();
        EngineStats::bump(&stats.events);
        let result = self.play_inner(args, frame);
        match &result {
            Ok(()) => {}
            Err(DispatchError::NotFound(_)) => EngineStats::bump(&stats.sounds_not_found),
            Err(_) => EngineStats::bump(&stats.rejected_events),
        }
        result
    }

    fn play_inner(&mut self, args: &[OscType], frame: Option<f64>) -> Result<(), DispatchError> {
        let ev = parse_play(args)?;
        if ev.rejected_values > 0 {
            self.link.stats.rejected_values.fetch_add(
                ev.rejected_values as u64,
                std::sync::atomic::Ordering::Relaxed,
            );
        }
        let sound = ev.sound.ok_or(DispatchError::NoSound)?;
        let n = ev.params.get_or(Param::N, 0.0) as f64;
        let Some(file) = self.library.lookup(&sound, n).cloned() else {
            return Err(DispatchError::NotFound(sound));
        };
        let sample = self.cache.get(&file, &mut self.link)?;
        let spec = plan_sample(
            &ev.params,
            &sample,
            Placement {
                frame,
                sample_rate: self.link.sample_rate,
                orbits: self.link.orbits,
            },
        )?;
        if self.link.send(Command::Play(spec)) {
            Ok(())
        } else {
            Err(DispatchError::QueueFull)
        }
    }

    /// True the first time a missing name is seen (so it is reported once).
    pub fn first_report_of(&mut self, name: &str) -> bool {
        if self.reported_missing.len() > 1000 {
            return false;
        }
        self.reported_missing.insert(name.to_string())
    }

    /// Drops buffers the audio thread handed back and frees their slots.
    pub fn housekeeping(&mut self) {
        let cache = &mut self.cache;
        self.link.collect_garbage(|slot| cache.returned(slot));
    }

    /// Decodes every sample now (within the memory budget), reporting progress as (done, total).
    pub fn preload(&mut self, mut progress: impl FnMut(usize, usize)) -> Vec<CacheError> {
        let files: Vec<_> = self.library.all_files().cloned().collect();
        let mut errors = Vec::new();
        for (i, f) in files.iter().enumerate() {
            self.housekeeping();
            if let Err(e) = self.cache.get(f, &mut self.link) {
                errors.push(e);
            }
            progress(i + 1, files.len());
        }
        errors
    }
}
