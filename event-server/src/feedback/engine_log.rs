//! Following the engine's log file (`--engine-log PATH`, which `./play`
//! fills with the engine's stdout and stderr): every line written to it is
//! printed as `engine: LINE`, from the start of the file on.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::time::Duration;

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
                        for line in lines.push(&buf[..n]) {
                            if out.send(format!("engine: {line}")).is_err() {
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
    fn a_file_is_followed_from_its_start_and_again_when_it_shrinks() {
        let name = format!("ostinato-engine-{}.log", std::process::id());
        let path = std::env::temp_dir().join(name);
        let _ = std::fs::remove_file(&path);
        let (tx, rx) = std::sync::mpsc::channel();
        follow(path.clone(), tx);
        std::thread::sleep(Duration::from_millis(120));
        std::fs::write(&path, "first\nsecond\n").unwrap();
        let wait = Duration::from_secs(5);
        assert_eq!(rx.recv_timeout(wait).unwrap(), "engine: first");
        assert_eq!(rx.recv_timeout(wait).unwrap(), "engine: second");
        std::fs::write(&path, "new\n").unwrap();
        assert_eq!(rx.recv_timeout(wait).unwrap(), "engine: new");
        let _ = std::fs::remove_file(&path);
    }
}
