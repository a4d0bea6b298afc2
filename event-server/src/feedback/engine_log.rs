//! Following the engine's log file (`--engine-log PATH`, which `./play`
//! fills with the engine's stdout and stderr): every line written to it is
//! printed as `engine: LINE` (without the engine's own `synth-engine: `),
//! from the start of the file on; a line repeated within a few seconds (a
//! count said every second) is printed once.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use super::notice::{Repeats, REPEAT_QUIET};

/// How often the file is looked at for more.
const POLL: Duration = Duration::from_millis(50);

/// Splits bytes as they come into finished lines. A carriage return (a
/// progress bar redrawing itself) keeps only what follows it.
#[derive(Default)]
pub struct Lines {
    partial: Vec<u8>,
}

impl Lines {
    pub fn push(&mut self, bytes: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        for &b in bytes {
            match b {
                b'\n' => {
                    let text = String::from_utf8_lossy(&self.partial).into_owned();
                    self.partial.clear();
                    if !text.trim().is_empty() {
                        out.push(text);
                    }
                }
                b'\r' => self.partial.clear(),
                _ => self.partial.push(b),
            }
        }
        out
    }
}

/// Engine lines that also reach the REPL as `/ostinato/notice` messages (attributed to the
/// slot, with a suggestion), so following the log does not say them a second time. The
/// log file keeps them.
const SAID_AS_NOTICES: [&str; 2] = ["no sample bank or synth named ", "reloaded "];

/// Whether a log line (without the engine's prefix) is one the notices already say.
fn said_as_notice(line: &str) -> bool {
    SAID_AS_NOTICES.iter().any(|p| line.starts_with(p))
}

/// Follows `path` on its own thread, sending `engine: LINE` for each line,
/// until the receiver goes away. A file that does not exist yet is waited
/// for; one that shrinks (started again) is read again from its start.
pub fn follow(path: PathBuf, out: Sender<String>) {
    std::thread::Builder::new()
        .name("engine-log".into())
        .spawn(move || {
            let mut file: Option<File> = None;
            let mut offset = 0u64;
            let mut lines = Lines::default();
            let mut repeats = Repeats::new(REPEAT_QUIET);
            let mut buf = vec![0u8; 16 * 1024];
            loop {
                if file.is_none() {
                    file = File::open(&path).ok();
                    offset = 0;
                }
                let Some(f) = file.as_mut() else {
                    std::thread::sleep(POLL);
                    continue;
                };
                let len = f.metadata().map(|m| m.len()).unwrap_or(0);
                if len < offset {
                    offset = 0;
                    lines = Lines::default();
                    if f.seek(SeekFrom::Start(0)).is_err() {
                        file = None;
                        continue;
                    }
                }
                match f.read(&mut buf) {
                    Ok(0) | Err(_) => std::thread::sleep(POLL),
                    Ok(n) => {
                        offset += n as u64;
                        let now = Instant::now();
                        for line in lines.push(&buf[..n]) {
                            let line = line.strip_prefix("synth-engine: ").unwrap_or(&line);
                            if said_as_notice(line) {
                                continue;
                            }
                            let said = format!("engine: {line}");
                            if repeats.fresh(&said, now) && out.send(said).is_err() {
                                return;
                            }
                        }
                    }
                }
            }
        })
        .expect("start the engine-log thread");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_the_notices_say_are_left_to_them() {
        assert!(said_as_notice("no sample bank or synth named \"bdd\""));
        assert!(said_as_notice(
            "reloaded acid: 2 of 3 nodes kept state (0.5 ms)"
        ));
        assert!(!said_as_notice("3 late event(s) played at once"));
        assert!(!said_as_notice("voice acid reloaded (kept: env, phase)"));
    }

    #[test]
    fn lines_are_said_when_finished() {
        let mut lines = Lines::default();
        assert!(lines.push(b"synth-engine re").is_empty());
        assert_eq!(lines.push(b"ady\nvoice"), ["synth-engine ready"]);
        assert_eq!(lines.push(b" ok\n\n  \n"), ["voice ok"]);
    }

    #[test]
    fn a_progress_bar_keeps_its_last_state() {
        let mut lines = Lines::default();
        assert_eq!(lines.push(b"10%\r50%\r100% done\n"), ["100% done"]);
        assert_eq!(lines.push(b"\xff bad\n"), ["\u{fffd} bad"]);
    }

    #[test]
    fn followed_from_the_start_and_again_when_shrunk_repeats_said_once() {
        let name = format!("ostinato-engine-{}.log", std::process::id());
        let path = std::env::temp_dir().join(name);
        let _ = std::fs::remove_file(&path);
        let (tx, rx) = std::sync::mpsc::channel();
        follow(path.clone(), tx);
        std::thread::sleep(Duration::from_millis(120));
        std::fs::write(&path, "first\nsynth-engine: second\nfirst\n").unwrap();
        let wait = Duration::from_secs(5);
        assert_eq!(rx.recv_timeout(wait).unwrap(), "engine: first");
        assert_eq!(rx.recv_timeout(wait).unwrap(), "engine: second");
        std::fs::write(&path, "new\n").unwrap();
        // the repeated "first" was not said
        assert_eq!(rx.recv_timeout(wait).unwrap(), "engine: new");
        let _ = std::fs::remove_file(&path);
    }
}
