//! Who plays and how their queries are run: the slots and `once` patterns,
//! each queried on its own worker thread, and the failure policy (a slot
//! that fails or is too slow goes back to its previous pattern).

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use pattern_lang::{Event, Pattern, Span, Time, Value};

use super::clock::NANOS;
use super::plan::{Batch, Pending};
use super::slots::{SlotId, Slots};
use super::warnings::Warnings;
use super::worker::Worker;

/// Work allowed to one slot in one frame (a few ms at most).
pub const SLOT_BUDGET: u64 = 200_000;
/// Slots playing at once at most (d1..d16 and `p "name"`): each has a
/// query thread, asked every frame.
pub const MAX_SLOTS: usize = 64;
/// How long a proven slot may go without answering in time before it goes
/// back to its previous pattern.
const LATE_LIMIT_NS: i128 = NANOS;

/// One cycle of a `once` pattern, already moved to where it plays.
struct Once {
    id: u64,
    pattern: Pattern<Value>,
    until: Time,
}

/// Whose query a worker thread runs.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Slot(SlotId),
    Once(u64),
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Slot(id) => write!(f, "{id}"),
            Key::Once(n) => write!(f, "once {n}"),
        }
    }
}

/// A query asked this frame: whose, and how to send its events.
struct Asked {
    key: Key,
    wire_id: String,
    orbit: Option<i32>,
    /// Answers to earlier frames' queries that come first (they are late).
    late_ones: usize,
}

/// The slots, the `once` patterns, and their query threads.
#[derive(Default)]
pub struct Players {
    pub slots: Slots,
    onces: Vec<Once>,
    next_once: u64,
    workers: HashMap<Key, Worker>,
    /// Since when each late slot has had no answer in time.
    late_since: HashMap<Key, i128>,
}

impl Players {
    /// `d1 $ pattern`, unless too many slots play already.
    pub fn play(&mut self, slot: SlotId, pattern: Pattern<Value>, orbit: Option<i32>) -> bool {
        if self.slots.get(&slot).is_none() && self.slots.len() >= MAX_SLOTS {
            return false;
        }
        self.slots.play(slot, pattern, orbit);
        true
    }

    /// One cycle of `pattern`, from cycle `start` on.
    pub fn once(&mut self, pattern: Pattern<Value>, start: Time) {
        let until = (start + Time::int(1)).unwrap_or(start);
        let moved = pattern
            .with_query_time(move |t| t - start)
            .with_result_time(move |t| t + start)
            .filter_events(move |e: &Event<Value>| {
                e.whole.is_some_and(|w| w.begin >= start && w.begin < until)
            });
        self.next_once += 1;
        self.onces.push(Once {
            id: self.next_once,
            pattern: moved,
            until,
        });
    }

    pub fn hush(&mut self) {
        self.slots.hush();
        self.onces.clear();
    }

    /// Forgets the `once` patterns (the cycles they were placed at are gone).
    pub fn clear_onces(&mut self) {
        self.onces.clear();
    }

    /// Everything before `until` has been sent: finished `once`s go.
    pub fn sent_until(&mut self, until: Time) {
        self.onces.retain(|o| o.until > until);
    }

    /// Every audible slot's (and `once`'s) events with an onset in `span`,
    /// each queried on its own worker thread, waiting `wait` at most. A slot
    /// whose query fails or panics goes back to its previous pattern; so
    /// does one with no answer within the wait, unless its pattern has
    /// answered in time before (a busy machine, more likely): then its
    /// queries queue up, and the events of late answers are kept if
    /// `in_time` says so, for up to `LATE_LIMIT_NS`. The others play on.
    pub fn gather(
        &mut self,
        span: Span,
        now: i128,
        wait: Duration,
        in_time: &dyn Fn(Time) -> bool,
        warnings: &mut Warnings,
    ) -> Vec<Batch> {
        let deadline = Instant::now() + wait;
        let asked = self.ask_all(span, now, warnings);
        let mut out = Vec::new();
        for Asked {
            key,
            wire_id,
            orbit,
            late_ones,
        } in asked
        {
            let Some(worker) = self.workers.get_mut(&key) else {
                continue;
            };
            let answers = worker.answers_by(deadline);
            let still_late = worker.outstanding() > 0;
            let mut events = Vec::new();
            let mut error = None;
            for (i, answer) in answers.into_iter().enumerate() {
                match answer {
                    Ok(answer) => {
                        let late = i < late_ones;
                        let mine = answer
                            .into_iter()
                            .filter_map(|e| Pending::from_event(e, &wire_id, orbit));
                        events.extend(mine.filter(|p| !late || in_time(p.onset)));
                    }
                    Err(message) => error = Some(message),
                }
            }
            if let Some(message) = error {
                self.workers.remove(&key);
                self.failed(&key, message, warnings);
                continue;
            }
            if still_late && !self.ride_out(&key, now, wait, warnings) {
                continue;
            }
            if !still_late {
                self.late_since.remove(&key);
                if let Key::Slot(id) = &key {
                    self.slots.prove(id);
                }
            }
            out.push(Batch {
                who: key.to_string(),
                events,
            });
        }
        self.forget_the_gone();
        out
    }

    /// Asks each audible slot's (and `once`'s) worker for `span`, first
    /// letting go of those late for too long.
    fn ask_all(&mut self, span: Span, now: i128, warnings: &mut Warnings) -> Vec<Asked> {
        let mut jobs: Vec<(Key, Pattern<Value>, String, Option<i32>)> = self
            .slots
            .audible()
            .map(|(id, slot)| {
                let key = Key::Slot(id.clone());
                (key, slot.pattern.clone(), slot.wire_id.clone(), slot.orbit)
            })
            .collect();
        jobs.extend(
            self.onces
                .iter()
                .map(|o| (Key::Once(o.id), o.pattern.clone(), "once".to_string(), None)),
        );
        let mut asked = Vec::with_capacity(jobs.len());
        for (key, pattern, wire_id, orbit) in jobs {
            if let Some(since) = self.late_since.get(&key).copied() {
                if now - since >= LATE_LIMIT_NS {
                    // Dropping the worker lets its thread end when the
                    // query (bounded by its allowance) does.
                    self.workers.remove(&key);
                    let ms = (now - since) / 1_000_000;
                    self.failed(&key, format!("too slow (late for {ms} ms)"), warnings);
                    continue;
                }
            }
            let worker = match self.workers.entry(key.clone()) {
                Entry::Occupied(o) => o.into_mut(),
                Entry::Vacant(v) => match Worker::spawn(&key.to_string(), SLOT_BUDGET) {
                    Ok(w) => v.insert(w),
                    Err(e) => {
                        warnings.say(format!("{key}: cannot start a query thread: {e}"));
                        continue;
                    }
                },
            };
            let late_ones = worker.outstanding();
            if worker.ask(&pattern, span) {
                asked.push(Asked {
                    key,
                    wire_id,
                    orbit,
                    late_ones,
                });
            }
        }
        asked
    }

    /// A query not answered within `wait`: a proven slot rides it out
    /// (true), anything else fails.
    fn ride_out(&mut self, key: &Key, now: i128, wait: Duration, warnings: &mut Warnings) -> bool {
        let ms = wait.as_secs_f64() * 1e3;
        let proven = match key {
            Key::Slot(id) => self.slots.get(id).is_some_and(|s| s.proven),
            Key::Once(_) => false,
        };
        if !proven {
            self.workers.remove(key);
            self.failed(
                key,
                format!("too slow (no answer within {ms:.0} ms)"),
                warnings,
            );
            return false;
        }
        self.late_since.entry(key.clone()).or_insert(now);
        warnings.limited(
            &format!("late {key}"),
            now,
            format!(
                "{key}: no answer within {ms:.0} ms (a busy machine?); \
                 its events are sent when it answers, if still in time"
            ),
        );
        true
    }

    /// Threads of slots that are gone end with their worker.
    fn forget_the_gone(&mut self) {
        let (slots, onces) = (&self.slots, &self.onces);
        let alive = |key: &Key| match key {
            Key::Slot(id) => slots.get(id).is_some(),
            Key::Once(n) => onces.iter().any(|o| o.id == *n),
        };
        self.workers.retain(|key, _| alive(key));
        self.late_since.retain(|key, _| alive(key));
    }

    fn failed(&mut self, key: &Key, message: String, warnings: &Warnings) {
        match key {
            Key::Slot(id) => {
                let what = if self.slots.fall_back(id) {
                    "back to its previous pattern"
                } else {
                    "silenced"
                };
                warnings.say(format!("{id}: {message}; {what}"));
            }
            Key::Once(n) => {
                self.onces.retain(|o| o.id != *n);
                warnings.say(format!("once: {message}; dropped"));
            }
        }
    }
}
