//! Query workers: each slot's pattern is queried on its own thread with a
//! work allowance, so a slow or failing pattern can only hold up itself.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::Instant;

use pattern_lang::{Budget, Event, Pattern, Span, Value, ValueMap};

/// Events, or why there are none.
pub type Answer = Result<Vec<Event<Value>>, String>;

/// A thread that answers queries one at a time, in the order asked. A
/// query can be asked while earlier ones are still running (they queue).
pub struct Worker {
    jobs: Sender<(Pattern<Value>, Span)>,
    answers: Receiver<Answer>,
    /// Queries asked and not yet answered.
    outstanding: usize,
}

impl Worker {
    pub fn spawn(name: &str, budget: u64) -> std::io::Result<Worker> {
        let (jobs, job_rx) = channel::<(Pattern<Value>, Span)>();
        let (answer_tx, answers) = channel();
        std::thread::Builder::new()
            .name(format!("query {name}"))
            .spawn(move || {
                for (pattern, span) in job_rx {
                    if answer_tx.send(query(&pattern, span, budget)).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Worker {
            jobs,
            answers,
            outstanding: 0,
        })
    }

    /// Queues a query; false when the thread has gone.
    pub fn ask(&mut self, pattern: &Pattern<Value>, span: Span) -> bool {
        let sent = self.jobs.send((pattern.clone(), span)).is_ok();
        if sent {
            self.outstanding += 1;
        }
        sent
    }

    /// Queries asked and not yet answered.
    pub fn outstanding(&self) -> usize {
        self.outstanding
    }

    /// The answers, in the order asked, waiting until all are in or until
    /// `deadline`, whichever comes first.
    pub fn answers_by(&mut self, deadline: Instant) -> Vec<Answer> {
        let mut out = Vec::new();
        while self.outstanding > 0 {
            let wait = deadline.saturating_duration_since(Instant::now());
            match self.answers.recv_timeout(wait) {
                Ok(answer) => {
                    self.outstanding -= 1;
                    out.push(answer);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    self.outstanding = 0;
                    out.push(Err("the query thread stopped".to_string()));
                }
            }
        }
        out
    }
}

/// Queries with a work allowance, turning errors and panics into a message.
pub fn query(pattern: &Pattern<Value>, span: Span, budget: u64) -> Answer {
    let budget = Budget::new(budget);
    let controls = ValueMap::new();
    match catch_unwind(AssertUnwindSafe(|| {
        pattern.query_span_with(span, &controls, &budget)
    })) {
        Ok(Ok(events)) => Ok(events),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the pattern failed (internal error while querying)".to_string()),
    }
}
