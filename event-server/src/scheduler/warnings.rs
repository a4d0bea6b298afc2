//! What the scheduler says to the musician (through the REPL's stderr),
//! with repeats of one kind of warning limited to one a period.

use std::collections::HashMap;
use std::sync::mpsc::Sender;

use super::clock::NANOS;

pub struct Warnings {
    report: Sender<String>,
    /// When each kind of repeated warning was last said.
    last_ns: HashMap<String, i128>,
}

impl Warnings {
    pub fn new(report: Sender<String>) -> Warnings {
        Warnings {
            report,
            last_ns: HashMap::new(),
        }
    }

    pub fn say(&self, message: String) {
        let _ = self.report.send(message);
    }

    /// Says `message` unless a warning of the same `kind` was said less
    /// than a second before `now`.
    pub fn limited(&mut self, kind: &str, now: i128, message: String) {
        self.every(kind, NANOS, now, message);
    }

    /// Says `message` unless a warning of the same `kind` was said less
    /// than `period` ns before `now`.
    pub fn every(&mut self, kind: &str, period: i128, now: i128, message: String) {
        let due = match self.last_ns.get(kind) {
            Some(last) => now - last >= period,
            None => true,
        };
        if due {
            self.last_ns.insert(kind.to_string(), now);
            self.say(message);
        }
    }
}
