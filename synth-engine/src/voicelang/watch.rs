//! Watching the voices folder: saved definitions arrive, debounced, as paths to reload.

use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant, SystemTime};

/// How long a file must be quiet before it is reloaded (editors write in several steps).
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// A running watch on one folder.
pub struct VoiceWatcher {
    _debouncer: Debouncer<RecommendedWatcher>,
    changes: Receiver<(PathBuf, Instant)>,
    /// Modification time of each file when it was last reported: reading a file also makes
    /// the watcher fire (access events), which must not reload it again.
    seen: RefCell<HashMap<PathBuf, SystemTime>>,
}

impl VoiceWatcher {
    /// Watches `dir` (not its subfolders) for changed `.voice` files; `wake` is called after
    /// each batch of changes (to wake whoever polls [`VoiceWatcher::changed`]).
    pub fn spawn(
        dir: &Path,
        debounce: Duration,
        wake: impl Fn() + Send + 'static,
    ) -> Result<VoiceWatcher, notify_debouncer_mini::notify::Error> {
        let (tx, rx) = channel();
        let mut debouncer = new_debouncer(debounce, move |result: DebounceEventResult| {
            let now = Instant::now();
            if let Ok(events) = result {
                let mut any = false;
                for e in events {
                    if e.path.extension().is_some_and(|x| x == super::EXTENSION) {
                        let _ = tx.send((e.path, now));
                        any = true;
                    }
                }
                if any {
                    wake();
                }
            }
        })?;
        debouncer
            .watcher()
            .watch(dir, RecursiveMode::NonRecursive)?;
        let seen = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter_map(|e| Some((e.path(), e.metadata().ok()?.modified().ok()?)))
                    .collect()
            })
            .unwrap_or_default();
        Ok(VoiceWatcher {
            _debouncer: debouncer,
            changes: rx,
            seen: RefCell::new(seen),
        })
    }

    /// The files modified since the last call (each once, with the time its change was
    /// announced), existing ones only (a deleted definition keeps playing as it was).
    pub fn changed(&self) -> Vec<(PathBuf, Instant)> {
        let mut out: Vec<(PathBuf, Instant)> = Vec::new();
        let mut seen = self.seen.borrow_mut();
        while let Ok((p, t)) = self.changes.try_recv() {
            let Ok(modified) = std::fs::metadata(&p).and_then(|m| m.modified()) else {
                continue;
            };
            if seen.get(&p) == Some(&modified) || out.iter().any(|(q, _)| *q == p) {
                continue;
            }
            seen.insert(p.clone(), modified);
            out.push((p, t));
        }
        out
    }
}
