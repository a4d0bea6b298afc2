//! Watching the sample folders: files and banks added, changed or removed are reported, so the index is rescanned at once.

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// How long the folders must be quiet before a rescan (copying a bank writes many files).
pub const QUIET: Duration = Duration::from_millis(150);

/// A running watch on the sample folders (and their bank folders).
pub struct SampleWatcher {
    _watcher: RecommendedWatcher,
    events: Receiver<Vec<PathBuf>>,
    /// Paths changed since the last rescan, and when the last change came.
    changed: HashSet<PathBuf>,
    last: Option<Instant>,
}

impl SampleWatcher {
    /// Watches every root, recursively. Reading a file (decoding it) is not a change, nor is
    /// one to a file that is not a sample (a recording written beside the banks).
    pub fn spawn(roots: &[PathBuf]) -> notify::Result<SampleWatcher> {
        let (tx, rx) = channel();
        let watched = roots.to_vec();
        let mut watcher =
            notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
                if let Ok(e) = result {
                    if !matches!(e.kind, EventKind::Access(_)) {
                        let paths: Vec<PathBuf> = e
                            .paths
                            .into_iter()
                            .filter(|p| relevant(p, &watched))
                            .collect();
                        if !paths.is_empty() {
                            let _ = tx.send(paths);
                        }
                    }
                }
            })?;
        for root in roots {
            watcher.watch(root, RecursiveMode::Recursive)?;
        }
        Ok(SampleWatcher {
            _watcher: watcher,
            events: rx,
            changed: HashSet::new(),
            last: None,
        })
    }

    /// The paths changed, once the folders have been quiet for [`QUIET`] after a change;
    /// `None` while nothing changed or changes are still coming.
    pub fn settled(&mut self) -> Option<HashSet<PathBuf>> {
        for paths in self.events.try_iter() {
            self.last = Some(Instant::now());
            for p in paths {
                if self.changed.len() < 100_000 {
                    self.changed.insert(p);
                }
            }
        }
        let last = self.last?;
        if last.elapsed() < QUIET {
            return None;
        }
        self.last = None;
        Some(std::mem::take(&mut self.changed))
    }
}

/// Whether a change to `path` can change the index: a bank folder (not an audio file beside
/// the banks, such as a recording) or an audio file in a bank.
fn relevant(path: &Path, roots: &[PathBuf]) -> bool {
    let Some(parent) = path.parent() else {
        return false;
    };
    if roots.iter().any(|r| r == parent) {
        // a bank folder (made, renamed, removed); not a recording beside the banks
        return !super::library::is_audio(path);
    }
    let in_bank = parent
        .parent()
        .is_some_and(|g| roots.iter().any(|r| r == g));
    in_bank && super::library::is_audio(path)
}

/// Whether `path` is one of `changed` or inside one of them (a bank folder removed or renamed).
pub fn touched(path: &Path, changed: &HashSet<PathBuf>) -> bool {
    path.ancestors().any(|a| changed.contains(a))
}
