//! Child processes: finding the workspace's binaries, draining their pipes, stopping them.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// A binary of this workspace, next to the test executable (target/<profile>/deps/<test>).
/// For a binary of the package under test, `env!("CARGO_BIN_EXE_<name>")` says the same;
/// this serves the packages that do not own the binary.
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps/<test>");
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} is missing: build the binaries first with \
         `cargo build -p event-server -p synth-engine` (add --release for a release test run)",
        path.display()
    );
    path
}

/// Everything `r` yields, gathered by a thread into a shared string (a full pipe would
/// block the child).
pub fn collect(mut r: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let out = Arc::new(Mutex::new(String::new()));
    let o = out.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = r.read(&mut buf) {
            if n == 0 {
                break;
            }
            o.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    out
}

/// The lines `r` yields, passed on by a thread as they come.
pub fn lines(r: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(r).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

/// Starts `cmd` with stdout and stderr piped (the caller must drain them).
pub fn spawn(cmd: &mut Command, what: &str) -> Child {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {what}: {e}"))
}

/// Starts `cmd` with stdout and stderr piped; returns the child, its stdout lines and its
/// stderr gathered (both drained continuously).
pub fn spawn_piped(
    cmd: &mut Command,
    what: &str,
) -> (Child, mpsc::Receiver<String>, Arc<Mutex<String>>) {
    let mut child = spawn(cmd, what);
    let stderr = collect(child.stderr.take().unwrap());
    let stdout = lines(child.stdout.take().unwrap());
    (child, stdout, stderr)
}

/// Sends SIGTERM and waits (at most 10 s) for the exit.
pub fn terminate(child: &mut Child) -> ExitStatus {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill")
        .success();
    assert!(ok, "kill -TERM {}", child.id());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(Instant::now() < deadline, "no exit within 10 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Kills and reaps `child` if it still runs (for `Drop`).
pub fn kill_if_running(child: &mut Child) {
    if let Ok(None) = child.try_wait() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// A child that has said its ready line.
pub struct Started {
    pub child: Child,
    /// The first line on stdout.
    pub ready: String,
    /// The lines after it.
    pub stdout: mpsc::Receiver<String>,
    pub stderr: Arc<Mutex<String>>,
}

/// Starts `cmd` with its pipes drained and waits `secs` for its first stdout line (a
/// ready line). With no line in time the child is killed and what it said on stderr
/// comes back as the error.
pub fn start_until_ready(cmd: &mut Command, what: &str, secs: f64) -> Result<Started, String> {
    let (mut child, stdout, stderr) = spawn_piped(cmd, what);
    match stdout.recv_timeout(Duration::from_secs_f64(secs)) {
        Ok(ready) => Ok(Started {
            child,
            ready,
            stdout,
            stderr,
        }),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            // let the stderr reader take the last lines
            std::thread::sleep(Duration::from_millis(100));
            let said = stderr.lock().unwrap().clone();
            Err(said)
        }
    }
}
