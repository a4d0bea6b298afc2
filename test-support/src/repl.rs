//! A child process driven through its stdin, as a user types into a REPL.

use crate::{collect, kill_if_running, wait_for_value, wait_until};
use std::io::Write;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};

/// The child, its stdin to type into, and its stdout and stderr gathered.
pub struct Repl {
    pub child: Child,
    stdin: Option<ChildStdin>,
    pub stdout: Arc<Mutex<String>>,
    pub stderr: Arc<Mutex<String>>,
}

impl Repl {
    /// Starts `cmd` with all three pipes.
    pub fn start(cmd: &mut Command, what: &str) -> Repl {
        let mut child = crate::process::spawn(cmd.stdin(Stdio::piped()), what);
        let stderr = collect(child.stderr.take().unwrap());
        let stdout = collect(child.stdout.take().unwrap());
        Repl {
            stdin: child.stdin.take(),
            child,
            stdout,
            stderr,
        }
    }

    /// Types a line.
    pub fn say(&mut self, line: &str) {
        self.say_bytes(line.as_bytes());
    }

    /// Types raw bytes (not necessarily UTF-8) as one line.
    pub fn say_bytes(&mut self, line: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(line).expect("write");
        stdin.write_all(b"\n").expect("write");
        stdin.flush().expect("flush");
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// Waits until stderr contains `text`; returns all of stderr then.
    pub fn wait_stderr(&self, text: &str, secs: f64) -> String {
        let what = format!("{text:?} on stderr");
        wait_for_value(&what, secs, || self.stderr(), |e| e.contains(text))
    }

    /// Closes stdin (end of input), waits (10 s at most) for a clean exit and returns stderr.
    pub fn finish(mut self) -> String {
        drop(self.stdin.take());
        let mut status = None;
        wait_until("the process to exit at the end of its input", 10.0, || {
            status = self.child.try_wait().expect("wait");
            status.is_some()
        });
        assert!(
            status.unwrap().success(),
            "exit {status:?}: {}",
            self.stderr()
        );
        self.stderr()
    }
}

impl Drop for Repl {
    fn drop(&mut self) {
        kill_if_running(&mut self.child);
    }
}

/// Declares `pub struct $name(Repl)`, which is used as the `Repl` it holds, for a suite
/// to give its own `start` (how it finds and runs the binary).
#[macro_export]
macro_rules! repl_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name(pub $crate::Repl);

        impl std::ops::Deref for $name {
            type Target = $crate::Repl;
            fn deref(&self) -> &$crate::Repl {
                &self.0
            }
        }

        impl std::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut $crate::Repl {
                &mut self.0
            }
        }

        impl $name {
            /// Closes stdin (end of input), waits for a clean exit and returns stderr.
            pub fn finish(self) -> String {
                self.0.finish()
            }
        }
    };
}
