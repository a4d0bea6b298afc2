//! Watching the voices folder: saved definitions arrive, debounced, as paths to reload.

use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
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
    /// Watches `dir` and its subfolders (those made later too) for changed `.voice` files; `wake` is called after
    /// each batch of changes (to wake whoever polls [`VoiceWatcher::changed`]).
    pub fn spawn(
        dir: &Path,
        debounce: Duration,
        wake: impl Fn() + Send + 'static,
    ) -> Result<VoiceWatcher, notify_debouncer_mini::notify::Error> {
        let (tx, rx) = channel();
        let mut folders: HashSet<PathBuf> = folders_in(dir);
        let mut debouncer = new_debouncer(debounce, move |result: DebounceEventResult| {
            let now = Instant::now();
            if let Ok(events) = result {
                let mut any = false;
                for e in events {
                    // a folder made or moved in may hold definitions written before it was watched
                    // (once: listing a folder makes the watcher fire again)
                    let files = match e.path.is_dir() {
                        true if folders.insert(e.path.clone()) => {
                            super::bank::voice_files(&e.path).unwrap_or_default()
                        }
                        true => continue,
                        false => vec![e.path],
                    };
                    for f in files {
                        if f.extension().is_some_and(|x| x == super::EXTENSION) {
                            let _ = tx.send((f, now));
                            any = true;
                        }
                    }
                }
                if any {
                    wake();
                }
            }
        })?;
        debouncer.watcher().watch(dir, RecursiveMode::Recursive)?;
        let seen = super::bank::voice_files(dir)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|f| Some((f.clone(), std::fs::metadata(&f).ok()?.modified().ok()?)))
            .collect();
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

/// `dir` and every folder inside it.
fn folders_in(dir: &Path) -> HashSet<PathBuf> {
    let mut found = HashSet::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        if let Ok(entries) = std::fs::read_dir(&d) {
            todo.extend(
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.path()),
            );
        }
        found.insert(d);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Polls `w` until it has announced files (or 3 s pass); their paths inside `dir`.
    fn announced(w: &VoiceWatcher, dir: &Path) -> Vec<PathBuf> {
        let start = Instant::now();
        let mut out = Vec::new();
        while start.elapsed() < Duration::from_secs(3) {
            out.extend(w.changed().into_iter().map(|(p, _)| p));
            if !out.is_empty() {
                // let any late duplicate arrive
                std::thread::sleep(Duration::from_millis(200));
                out.extend(w.changed().into_iter().map(|(p, _)| p));
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        out.iter()
            .map(|p| p.strip_prefix(dir).unwrap().to_path_buf())
            .collect()
    }

    #[test]
    fn a_definition_saved_in_a_subfolder_or_a_new_one_is_announced_once() {
        let dir = test_support::temp_dir("watch", "subfolders");
        std::fs::create_dir_all(dir.join("keys")).unwrap();
        std::fs::write(dir.join("keys/pad.voice"), "voice pad\n").unwrap();
        let w = VoiceWatcher::spawn(&dir, DEBOUNCE, || {}).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        assert!(w.changed().is_empty());

        std::fs::write(dir.join("keys/pad.voice"), "voice pad\nparam a = 1\n").unwrap();
        assert_eq!(announced(&w, &dir), [Path::new("keys/pad.voice")]);

        std::fs::create_dir_all(dir.join("drums/new")).unwrap();
        std::fs::write(dir.join("drums/new/hit.voice"), "voice hit\n").unwrap();
        assert_eq!(announced(&w, &dir), [Path::new("drums/new/hit.voice")]);

        std::thread::sleep(Duration::from_millis(100));
        std::fs::write(dir.join("drums/new/hit.voice"), "voice hit\nparam b = 2\n").unwrap();
        assert_eq!(announced(&w, &dir), [Path::new("drums/new/hit.voice")]);
    }
}
