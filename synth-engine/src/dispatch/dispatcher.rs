//! The control side: turns `/dirt/play` arguments into voices on the engine (shared by live and offline use).

use crate::dispatch::dirt_event::{parse_play, EventError};
use crate::dispatch::notice::{event_id, unknown_sound_text, Notice, NoticeKind};
use crate::dispatch::params::{Param, ParamSet};
use crate::dispatch::plan_program::plan_program;
use crate::dispatch::plan_sample::{plan_sample, Placement, PlanError};
use crate::engine::command::{Command, VoiceSpec};
use crate::engine::link::EngineLink;
use crate::engine::stats::EngineStats;
use crate::samples::cache::{CacheError, SampleCache};
use crate::samples::library::SampleFile;
use crate::samples::loader::Loader;
use crate::samples::{SampleLibrary, SampleRef};
use crate::voicelang::{ReloadReport, VoiceBank, VoiceError};
use rosc::OscType;
use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::Path;

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
    #[error("too many events are waiting for samples to load")]
    TooManyWaiting,
}

/// Events waiting for their sample to be decoded, at most.
const MAX_PARKED: usize = 4096;

/// An event waiting for its sample.
struct Parked {
    waiting: Waiting,
    key: u32,
    /// Who sent the event and its `_id_`, for a notice if it cannot be played.
    from: Option<SocketAddr>,
    id: String,
}

/// An event whose sample is being decoded.
enum Waiting {
    /// A sample bank event, planned once the sample is known.
    Sample {
        params: Box<ParamSet>,
        frame: Option<f64>,
    },
    /// A voice that plays a sample, planned already; it needs the sample's slot.
    Voice(Box<VoiceSpec>),
}

/// Owns the sample index and cache and the engine link.
pub struct Dispatcher {
    library: SampleLibrary,
    cache: SampleCache,
    pub link: EngineLink,
    reported_missing: HashSet<String>,
    loader: Option<Loader>,
    parked: Vec<Parked>,
    voices: VoiceBank,
    /// Samples the background loader could not decode, not yet reported.
    load_errors: Vec<String>,
    /// Notices about events that waited for their sample, not yet sent.
    notices: Vec<Notice>,
    /// Why the last event that waited for its sample was not played, for the summary.
    last_rejection: Option<String>,
    /// The sender and `_id_` of the event being played.
    origin: (Option<SocketAddr>, String),
}

/// Notices kept for the sender at most between two calls of [`Dispatcher::take_notices`].
const MAX_NOTICES: usize = 256;

/// Load errors kept for the report, at most (each file fails once: it is then known bad).
const MAX_LOAD_ERRORS: usize = 64;

impl Dispatcher {
    /// `memory_bytes` bounds the decoded samples kept.
    /// Installs the built-in orbit effects ([`BUILTIN_EFFECTS`](crate::voicelang::bank::BUILTIN_EFFECTS))
    /// on the engine, so that every orbit has its reverb and delay before any folder loads.
    pub fn new(library: SampleLibrary, link: EngineLink, memory_bytes: usize) -> Dispatcher {
        let mut d = Dispatcher {
            library,
            cache: SampleCache::new(crate::engine::SLOT_COUNT, memory_bytes),
            reported_missing: HashSet::new(),
            loader: None,
            parked: Vec::new(),
            voices: VoiceBank::new(link.sample_rate),
            load_errors: Vec::new(),
            notices: Vec::new(),
            last_rejection: None,
            origin: (None, String::new()),
            link,
        };
        let mut report = d.voices.load_builtin_effects();
        d.install(&mut report, Path::new("(built in)"));
        debug_assert!(report.errors.is_empty(), "{:?}", report.errors);
        d
    }

    /// Decodes samples on a background thread from now on (live use). Events for a sample
    /// that is not loaded yet wait for it; other events are not held up. Offline renders
    /// decode in place instead, so that they stay deterministic.
    pub fn load_in_background(&mut self) -> std::io::Result<()> {
        self.loader = Some(Loader::spawn(self.cache.max_frames())?);
        Ok(())
    }

    /// Whether samples are being decoded or events wait for them.
    pub fn loading(&self) -> bool {
        self.loader.as_ref().is_some_and(Loader::busy) || !self.parked.is_empty()
    }

    /// Loads (or reloads) voice definitions from a folder or one file and installs them on the
    /// engine; running voices of a reloaded definition migrate their state at the next block.
    /// A definition that does not compile changes nothing and is in the report's errors.
    pub fn load_voices(&mut self, path: &Path) -> ReloadReport {
        self.housekeeping();
        let mut report = self.voices.load(path);
        self.install(&mut report, path);
        report
    }

    /// Sends the report's compiled definitions to the engine; a full queue is an error in it.
    fn install(&mut self, report: &mut ReloadReport, path: &Path) {
        for install in std::mem::take(&mut report.installs) {
            // an orbit effect gets a state buffer per orbit, made here (the audio thread never allocates)
            let states = match install.program.effect {
                Some(_) => (0..self.link.orbits)
                    .map(|_| {
                        let mut s = vec![0.0f32; install.program.state_size].into_boxed_slice();
                        crate::program::ugen::seed_noise(&install.program, &mut s, 0);
                        s
                    })
                    .collect(),
                None => Vec::new(),
            };
            if let Err(program) = self
                .link
                .install_program(install.id, install.program, states)
            {
                report.errors.push(VoiceError {
                    file: path.display().to_string(),
                    line: 1,
                    col: 1,
                    message: format!(
                        "{}: the engine's program queue is full; not installed",
                        program.name
                    ),
                });
            }
        }
    }

    /// The loaded voice definitions.
    pub fn voices(&self) -> &VoiceBank {
        &self.voices
    }

    /// The sample index.
    pub fn library(&self) -> &SampleLibrary {
        &self.library
    }

    /// Indexes the sample folders again after `changed` paths changed: new banks and files
    /// are playable at once; removed or changed files are dropped from the cache (a voice
    /// playing one ends as it would have). Returns the banks and files now indexed.
    pub fn rescan_samples(
        &mut self,
        changed: &HashSet<std::path::PathBuf>,
    ) -> Result<(usize, usize), crate::samples::library::LibraryError> {
        self.housekeeping();
        let fresh = self.library.rescan()?;
        let live: HashSet<u32> = fresh.all_files().map(|f| f.key).collect();
        let stale: Vec<u32> = self
            .library
            .all_files()
            .filter(|f| !live.contains(&f.key) || crate::samples::watch::touched(&f.path, changed))
            .map(|f| f.key)
            .collect();
        for key in stale {
            self.cache.forget(key, &mut self.link);
        }
        self.library = fresh;
        // a name missing before may be a bank now, and is reported again if not
        self.reported_missing.clear();
        Ok((self.library.bank_names().len(), live.len()))
    }

    /// Bytes of decoded samples held.
    pub fn sample_bytes(&self) -> usize {
        self.cache.used_bytes()
    }

    /// Plays one `/dirt/play` message at absolute output frame `frame` (`None` = at once).
    pub fn play(&mut self, args: &[OscType], frame: Option<f64>) -> Result<(), DispatchError> {
        self.play_from(args, frame, None)
    }

    /// As [`Dispatcher::play`], for an event sent from `from`: what goes wrong with it after
    /// this call returns (its sample fails to decode) comes back from [`Dispatcher::take_notices`].
    pub fn play_from(
        &mut self,
        args: &[OscType],
        frame: Option<f64>,
        from: Option<SocketAddr>,
    ) -> Result<(), DispatchError> {
        self.origin = (from, event_id(args));
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
        // voices come before sample banks, as SuperDirt looks up synths first
        if let Some((id, program)) = self.voices.find(&sound) {
            let spec = plan_program(
                &ev.params,
                args,
                id,
                program,
                Placement {
                    frame,
                    sample_rate: self.link.sample_rate,
                    orbits: self.link.orbits,
                },
            );
            if let Some(bank) = program.bank.clone() {
                // a voice that plays a sample: file `n` of its bank, decoded here if needed
                let n = ev.params.get_or(Param::N, 0.0) as f64;
                let Some(file) = self.library.lookup(&bank, n).cloned() else {
                    return Err(DispatchError::NotFound(bank));
                };
                let sample = match self.cache.lookup(file.key)? {
                    Some(s) => s,
                    None => match self.loader.is_some() {
                        // live: decoded in the background, so other events are not held up
                        true => return self.park(&file, Waiting::Voice(Box::new(spec))),
                        false => self.cache.get(&file, &mut self.link)?,
                    },
                };
                return self.send_program(spec, &sample);
            }
            return self.send_spec(spec);
        }
        let n = ev.params.get_or(Param::N, 0.0) as f64;
        let Some(file) = self.library.lookup(&sound, n).cloned() else {
            return Err(DispatchError::NotFound(sound));
        };
        if let Some(sample) = self.cache.lookup(file.key)? {
            return self.send_sample(&ev.params, &sample, frame);
        }
        if self.loader.is_some() {
            let waiting = Waiting::Sample {
                params: Box::new(ev.params),
                frame,
            };
            return self.park(&file, waiting);
        }
        let sample = self.cache.get(&file, &mut self.link)?;
        self.send_sample(&ev.params, &sample, frame)
    }

    /// Asks the background loader for `file`; the event waits for it.
    fn park(&mut self, file: &SampleFile, waiting: Waiting) -> Result<(), DispatchError> {
        let Some(loader) = self.loader.as_mut() else {
            return Err(DispatchError::TooManyWaiting);
        };
        if self.parked.len() >= MAX_PARKED {
            return Err(DispatchError::TooManyWaiting);
        }
        loader.request(file);
        self.parked.push(Parked {
            waiting,
            key: file.key,
            from: self.origin.0,
            id: self.origin.1.clone(),
        });
        Ok(())
    }

    /// Sends a planned voice that plays `sample`.
    fn send_program(
        &mut self,
        mut spec: VoiceSpec,
        sample: &SampleRef,
    ) -> Result<(), DispatchError> {
        spec.slot = sample.slot;
        spec.sample_key = sample.key;
        self.send_spec(spec)
    }

    fn send_spec(&mut self, spec: VoiceSpec) -> Result<(), DispatchError> {
        if self.link.send(Command::Play(spec)) {
            Ok(())
        } else {
            Err(DispatchError::QueueFull)
        }
    }

    /// Plans a sampler voice for `sample` and queues it.
    fn send_sample(
        &mut self,
        params: &ParamSet,
        sample: &SampleRef,
        frame: Option<f64>,
    ) -> Result<(), DispatchError> {
        let spec = plan_sample(
            params,
            sample,
            Placement {
                frame,
                sample_rate: self.link.sample_rate,
                orbits: self.link.orbits,
            },
        )?;
        self.send_spec(spec)
    }

    /// True the first time a missing name is seen (so it is reported once).
    pub fn first_report_of(&mut self, name: &str) -> bool {
        if self.reported_missing.len() > 1000 {
            return false;
        }
        self.reported_missing.insert(name.to_string())
    }

    /// Drops buffers the audio thread handed back and frees their slots; installs samples
    /// the loader has finished and plays the events that waited for them.
    pub fn housekeeping(&mut self) {
        let cache = &mut self.cache;
        self.link.collect_garbage(|slot| cache.returned(slot));
        let Some(loader) = self.loader.as_mut() else {
            return;
        };
        for (file, decoded) in loader.finished() {
            let result = self.cache.insert(&file, decoded, &mut self.link);
            if let Err(e) = &result {
                if self.load_errors.len() < MAX_LOAD_ERRORS {
                    self.load_errors.push(e.to_string());
                }
            }
            let (ready, waiting): (Vec<Parked>, Vec<Parked>) = std::mem::take(&mut self.parked)
                .into_iter()
                .partition(|p| p.key == file.key);
            self.parked = waiting;
            for p in ready {
                let sent = match (&result, p.waiting) {
                    (Ok(sample), Waiting::Sample { params, frame }) => {
                        self.send_sample(&params, sample, frame)
                    }
                    (Ok(sample), Waiting::Voice(spec)) => self.send_program(*spec, sample),
                    (Err(e), _) => Err(DispatchError::Sample(CacheError::KnownBad(e.to_string()))),
                };
                if let Err(e) = sent {
                    EngineStats::bump(&self.link.stats.rejected_events);
                    self.last_rejection = Some(e.to_string());
                    if self.notices.len() < MAX_NOTICES {
                        let notice = match &result {
                            Err(e) => Notice {
                                to: p.from,
                                id: p.id,
                                kind: NoticeKind::DecodeFailed,
                                text: format!("cannot play a sample: {e}"),
                            },
                            Ok(_) => self.notice_for(&e, p.from, p.id),
                        };
                        self.notices.push(notice);
                    }
                }
            }
        }
    }

    /// Why the last event that waited for its sample was not played, once.
    pub fn take_last_rejection(&mut self) -> Option<String> {
        self.last_rejection.take()
    }

    /// Notices about events that waited for a sample and could not be played, since the last call.
    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// The notice that tells the sender of an event why it was not played.
    pub fn notice_for(&self, e: &DispatchError, to: Option<SocketAddr>, id: String) -> Notice {
        let (kind, text) = match e {
            DispatchError::NotFound(name) => {
                let voices = self.voices.names();
                let known = self
                    .library
                    .bank_names()
                    .into_iter()
                    .chain(voices.iter().map(String::as_str));
                (NoticeKind::UnknownSound, unknown_sound_text(name, known))
            }
            DispatchError::Sample(CacheError::Decode(d)) => (
                NoticeKind::DecodeFailed,
                format!("cannot play a sample: {d}"),
            ),
            DispatchError::Sample(CacheError::KnownBad(path)) => (
                NoticeKind::DecodeFailed,
                format!("cannot play a sample: {path} failed to decode"),
            ),
            other => (NoticeKind::Dropped, format!("event not played: {other}")),
        };
        Notice { to, id, kind, text }
    }

    /// The samples the background loader failed to decode since the last call (each names its file).
    pub fn take_load_errors(&mut self) -> Vec<String> {
        std::mem::take(&mut self.load_errors)
    }

    /// Decodes every sample now, reporting progress as (done, total); stops early when the
    /// memory budget is full (the rest loads when played). Returns the files that failed.
    pub fn preload(&mut self, mut progress: impl FnMut(usize, usize)) -> Vec<CacheError> {
        let mut files: Vec<_> = self.library.all_files().cloned().collect();
        files.sort_by_key(|f| f.key);
        let mut errors = Vec::new();
        for (i, f) in files.iter().enumerate() {
            self.housekeeping();
            if self.cache.used_bytes() >= self.cache.budget() {
                progress(files.len(), files.len());
                break;
            }
            if let Err(e) = self.cache.get(f, &mut self.link) {
                errors.push(e);
            }
            progress(i + 1, files.len());
        }
        errors
    }
}
