//! Query workers: each slot's pattern is queried on its own thread with a
//! work allowance, so a slow or failing pattern can only hold up itself.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::time::Instant;

use pattern_lang::{Budget, Event, Pattern, Span, Value, ValueMap};

/// Events, or why there are none.
pub type Answer = Result<Vec<Event<Value>>, String>;

/// What a worker said by the deadline.
pub enum Reply {
    Answer(Answer),
    /// Still working: too slow for this frame.
    Late,
}

/// A thread that answers one query at a time.
pub struct Worker {
    jobs: Sender<(Pattern<Value>, Span)>,
    answers: Receiver<Answer>,
    busy: bool,
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
            busy: false,
        })
    }

    /// Starts a query; false when the thread has gone.
    pub fn ask(&mut self, pattern: &Pattern<Value>, span: Span) -> bool {
        self.busy = self.jobs.send((pattern.clone(), span)).is_ok();
        self.busy
    }

    pub fn is_busy(&self) -> bool {
        self.busy
    }

    /// The answer to the query it is busy with, if it has come.
    pub fn try_take(&mut self) -> Option<Answer> {
        match self.answers.try_recv() {
            Ok(answer) => {
                self.busy = false;
                Some(answer)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.busy = false;
                Some(Err("the query thread stopped".to_string()))
            }
        }
    }

    /// The answer, waiting at most until `deadline`.
    pub fn reply_by(&mut self, deadline: Instant) -> Reply {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.answers.recv_timeout(wait) {
            Ok(answer) => {
                self.busy = false;
                Reply::Answer(answer)
            }
            Err(RecvTimeoutError::Timeout) => Reply::Late,
            Err(RecvTimeoutError::Disconnected) => {
                self.busy = false;
                Reply::Answer(Err("the query thread stopped".to_string()))
            }
        }
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
