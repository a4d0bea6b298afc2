//! Watching the voices folder: a saved definition arrives as a path to reload as soon as its writer has closed it.
//!
//! Editors save in three ways: in place (truncate, write, close), a new file under the old
//! name (the old one renamed to a backup first), or a temporary file renamed over the old
//! one. A file is announced at once when a writer closes it or when it is renamed into
//! place, never while it is being written; a plain modification with neither (a platform
//! without close events, or `truncate(2)`) is announced after [`DEBOUNCE`] of quiet. An
//! empty file (the first step of some saves) and a file whose text did not change are not
//! announced.

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How long a plainly modified file must be quiet before it is announced. Where the
/// platform reports a writer closing the file (Linux), that close announces it at once and
/// this is only a fallback for writes without one.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub const DEBOUNCE: Duration = Duration::from_millis(1000);
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// A running watch on one folder.
pub struct VoiceWatcher {
    _watcher: RecommendedWatcher,
    changes: Receiver<(PathBuf, Instant)>,
    /// A hash of each file's text when it was last announced (or when the watch began).
    seen: RefCell<HashMap<PathBuf, u64>>,
}

/// What a file-system event means for the files it names.
enum Meaning {
    /// Written and closed, or renamed into place: complete now.
    Done,
    /// Being written: complete once quiet (or closed).
    Busy,
    Nothing,
}

fn meaning(kind: &EventKind) -> Meaning {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write))
        | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)) => Meaning::Done,
        EventKind::Create(_)
        | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any | ModifyKind::Other)
        | EventKind::Modify(ModifyKind::Name(RenameMode::Any)) => Meaning::Busy,
        _ => Meaning::Nothing,
    }
}

impl VoiceWatcher {
    /// Watches `dir` and its subfolders (those made later too) for saved `.voice` files;
    /// `quiet` is the fallback quiet time for plain modifications ([`DEBOUNCE`]); `wake` is
    /// called after each announcement (to wake whoever polls [`VoiceWatcher::changed`]).
    pub fn spawn(
        dir: &Path,
        quiet: Duration,
        wake: impl Fn() + Send + 'static,
    ) -> Result<VoiceWatcher, notify::Error> {
        let (raw_tx, raw_rx) = channel::<notify::Result<Event>>();
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(raw_tx)?;
        watcher.watch(dir, RecursiveMode::Recursive)?;
        std::thread::Builder::new()
            .name("voice-watch".into())
            .spawn(move || sort_events(&raw_rx, &tx, quiet, &wake))
            .map_err(notify::Error::io)?;
        let seen = super::bank::voice_files(dir)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|f| Some((f.clone(), text_hash(&f)?)))
            .collect();
        Ok(VoiceWatcher {
            _watcher: watcher,
            changes: rx,
            seen: RefCell::new(seen),
        })
    }

    /// The files saved with new text since the last call (each once, with the time it was
    /// announced), existing and not empty ones only (a deleted definition keeps playing as
    /// it was).
    pub fn changed(&self) -> Vec<(PathBuf, Instant)> {
        let mut out: Vec<(PathBuf, Instant)> = Vec::new();
        let mut seen = self.seen.borrow_mut();
        while let Ok((p, t)) = self.changes.try_recv() {
            let Some(hash) = text_hash(&p) else {
                continue;
            };
            if seen.get(&p) == Some(&hash) || out.iter().any(|(q, _)| *q == p) {
                continue;
            }
            seen.insert(p.clone(), hash);
            out.push((p, t));
        }
        out
    }
}

/// A hash of a file's text; `None` if it cannot be read or is empty.
fn text_hash(path: &Path) -> Option<u64> {
    let bytes = std::fs::read(path).ok().filter(|b| !b.is_empty())?;
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    Some(h.finish())
}

/// The watch thread: turns raw events into announcements, holding plainly modified files
/// until they are closed or quiet. Ends when the watcher is dropped.
fn sort_events(
    raw: &Receiver<notify::Result<Event>>,
    tx: &Sender<(PathBuf, Instant)>,
    quiet: Duration,
    wake: &dyn Fn(),
) {
    let mut busy: HashMap<PathBuf, Instant> = HashMap::new();
    loop {
        let next = busy.values().min().copied();
        let event = match next {
            Some(due) => raw.recv_timeout(due.saturating_duration_since(Instant::now())),
            None => raw.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let mut announced = false;
        match event {
            Ok(Ok(event)) => {
                let how = meaning(&event.kind);
                // a rename names its target last
                let Some(path) = event.paths.last() else {
                    continue;
                };
                // a folder made or moved in may hold definitions written before it was watched
                let files = match (&how, &event.kind) {
                    (Meaning::Nothing, _) => Vec::new(),
                    (_, EventKind::Create(CreateKind::Folder)) => voice_files(path),
                    _ if path.is_dir() => voice_files(path),
                    _ if is_voice(path) => vec![path.clone()],
                    _ => Vec::new(),
                };
                for f in files {
                    match how {
                        Meaning::Done => {
                            busy.remove(&f);
                            announced |= tx.send((f, Instant::now())).is_ok();
                        }
                        _ => {
                            busy.insert(f, Instant::now() + quiet);
                        }
                    }
                }
            }
            Ok(Err(_)) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        let now = Instant::now();
        let due: Vec<PathBuf> = busy
            .iter()
            .filter(|(_, t)| **t <= now)
            .map(|(p, _)| p.clone())
            .collect();
        for f in due {
            busy.remove(&f);
            announced |= tx.send((f, now)).is_ok();
        }
        if announced {
            wake();
        }
    }
}

fn is_voice(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == super::EXTENSION)
}

fn voice_files(folder: &Path) -> Vec<PathBuf> {
    super::bank::voice_files(folder).unwrap_or_default()
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

#[cfg(test)]
mod editors {
    //! The three ways editors save, each written slowly (pauses longer than a debounce): the
    //! file is announced once, after the last write, with its final text.
    use super::*;
    use std::io::Write;

    const PAUSE: Duration = Duration::from_millis(120);
    const FINAL: &str = "voice pad\nparam freq = 330\nout pan(sine(freq) * 0.1, 0.5)\n";

    fn watched(name: &str) -> (test_support::TempDir, VoiceWatcher, PathBuf) {
        let dir = test_support::temp_dir("watch-editor", name);
        std::fs::create_dir_all(dir.join("keys")).unwrap();
        let file = dir.join("keys/pad.voice");
        std::fs::write(&file, FINAL.replace("330", "220")).unwrap();
        let w = VoiceWatcher::spawn(&dir, DEBOUNCE, || {}).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        (dir, w, file)
    }

    /// Nothing announced while a save is under way.
    fn nothing_yet(w: &VoiceWatcher) {
        std::thread::sleep(PAUSE);
        assert!(w.changed().is_empty(), "announced before the save ended");
    }

    /// Writes the final text in two halves with a pause between, then closes the file.
    fn write_slowly(mut file: std::fs::File, w: &VoiceWatcher) {
        let (a, b) = FINAL.split_at(FINAL.len() / 2);
        file.write_all(a.as_bytes()).unwrap();
        file.flush().unwrap();
        nothing_yet(w);
        file.write_all(b.as_bytes()).unwrap();
    }

    /// The file is announced exactly once, soon, and reads as the final text.
    fn announced_once_with_the_final_text(w: &VoiceWatcher, file: &Path) {
        let start = Instant::now();
        let mut got = Vec::new();
        while got.is_empty() && start.elapsed() < Duration::from_secs(3) {
            got = w.changed();
            std::thread::sleep(Duration::from_millis(1));
        }
        let latency = start.elapsed();
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, file);
        assert!(latency < Duration::from_millis(200), "{latency:?}");
        assert_eq!(std::fs::read_to_string(file).unwrap(), FINAL);
        std::thread::sleep(Duration::from_millis(300));
        assert!(w.changed().is_empty(), "announced twice");
    }

    #[test]
    fn in_place_truncated_then_written() {
        let (_dir, w, file) = watched("in-place");
        // truncate and close first (an empty file), then write it in two steps
        drop(std::fs::File::create(&file).unwrap());
        nothing_yet(&w);
        write_slowly(
            std::fs::OpenOptions::new().write(true).open(&file).unwrap(),
            &w,
        );
        announced_once_with_the_final_text(&w, &file);
    }

    #[test]
    fn old_file_renamed_to_a_backup_and_a_new_one_written() {
        let (_dir, w, file) = watched("backup");
        let backup = file.with_file_name("pad.voice~");
        std::fs::rename(&file, &backup).unwrap();
        write_slowly(std::fs::File::create(&file).unwrap(), &w);
        announced_once_with_the_final_text(&w, &file);
    }

    #[test]
    fn temporary_file_renamed_over() {
        let (_dir, w, file) = watched("rename-over");
        let temp = file.with_file_name(".pad.voice.tmp4711");
        write_slowly(std::fs::File::create(&temp).unwrap(), &w);
        nothing_yet(&w);
        std::fs::rename(&temp, &file).unwrap();
        announced_once_with_the_final_text(&w, &file);
    }
}
