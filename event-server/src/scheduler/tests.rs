//! Wall-clock tests of the scheduler thread (real worker threads, a query
//! that stalls on purpose, a recording sink) and helpers for the rest.

use super::*;
use pattern_lang::lang::Session;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;

/// The exact time `n/d` (nanoseconds, cycles or cycles per second), for
/// the tests of the scheduler's modules.
pub fn t(n: i128, d: i128) -> Time {
    Time::new(n, d).unwrap()
}

/// A sink that hands every event to the test.
pub struct Recorder(pub Sender<plan::Timed>);

impl Sink for Recorder {
    fn send(&mut self, event: plan::Timed, _now: i128, _warnings: &mut Warnings) {
        let _ = self.0.send(event);
    }
}

/// The cycles of the events the scheduler sends to `sent` for `secs`.
fn cycles_played(sent: &Receiver<plan::Timed>, secs: f64) -> Vec<f32> {
    let mut out = Vec::new();
    let end = Instant::now() + Duration::from_secs_f64(secs);
    while let Some(wait) = end.checked_duration_since(Instant::now()) {
        if let Ok(event) = sent.recv_timeout(wait) {
            out.push(event.onset.to_f64() as f32);
        }
    }
    out
}

/// A scheduler thread at 1 cps (latency 100 ms, frames of 20 ms, so a 50 ms
/// wait for answers) recording what it sends, with `pattern` playing in d1.
struct Running {
    commands: Sender<Command>,
    sent: Receiver<plan::Timed>,
    reports: Receiver<String>,
    thread: std::thread::JoinHandle<()>,
}

impl Running {
    fn start(pattern: Pattern<Value>) -> Running {
        let cfg = Config {
            cps: Time::int(1),
            latency_ns: 100_000_000,
            frame_ns: 20_000_000,
            targets: vec![],
        };
        let (report_tx, reports) = channel();
        let (commands, command_rx) = channel();
        let (sent_tx, sent) = channel();
        let recorder = Box::new(Recorder(sent_tx));
        let scheduler = Scheduler::with_sink(cfg, recorder, report_tx).unwrap();
        let thread = std::thread::spawn(move || scheduler.run(command_rx));
        let slot = SlotId::Number(1);
        let orbit = Some(0);
        commands
            .send(Command::Play {
                slot,
                pattern,
                orbit,
            })
            .unwrap();
        Running {
            commands,
            sent,
            reports,
            thread,
        }
    }

    /// Stops the thread; returns what it said.
    fn stop(self) -> Vec<String> {
        self.commands.send(Command::Stop).unwrap();
        self.thread.join().unwrap();
        self.reports.try_iter().collect()
    }
}

/// Plays `bd*8` in d1 for 2 s, its 25th query (half a second in) taking
/// `stall_ms`. Returns the cycles played, what the scheduler said, and the
/// queries made.
fn one_slow_query(stall_ms: u64) -> (Vec<f32>, Vec<String>, usize) {
    let (bd, _) = Session::new().pattern("s \"bd*8\"").unwrap();
    let queries = Arc::new(AtomicUsize::new(0));
    let q = queries.clone();
    let slow_once = Pattern::new(move |st| {
        if q.fetch_add(1, Ordering::SeqCst) == 25 {
            std::thread::sleep(Duration::from_millis(stall_ms));
        }
        bd.query_span_with(st.span, st.controls, st.budget)
    });
    let running = Running::start(slow_once);
    let cycles = cycles_played(&running.sent, 2.0);
    let said = running.stop();
    (cycles, said, queries.load(Ordering::SeqCst))
}

/// The scheduler said that d1 was late (and went on waiting for it).
fn assert_saw_the_stall(said: &[String]) {
    assert!(
        said.iter()
            .any(|r| r.starts_with("d1: no answer within 50 ms")),
        "the stall was seen: {said:?}"
    );
}

/// The eighths missing from `cycles`, which should run on in eighths.
fn missing(cycles: &[f32]) -> usize {
    let first = cycles.iter().copied().fold(f32::MAX, f32::min);
    let last = cycles.iter().copied().fold(0f32, f32::max);
    assert!(
        first < 0.5 && last >= 1.5,
        "d1 played cycles {first}..{last} in 2 s"
    );
    ((last - first) * 8.0) as usize + 1 - cycles.len()
}

#[test]
fn a_proven_slot_rides_out_a_slow_query_losing_only_what_came_too_late() {
    let (cycles, said, queries) = one_slow_query(300);
    assert_saw_the_stall(&said);
    assert!(
        !said
            .iter()
            .any(|r| r.contains("silenced") || r.contains("previous")),
        "d1 kept its pattern: {said:?}"
    );
    assert!(queries > 50, "it played on: {queries} queries");
    // 300 ms late with 100 ms of latency: about 200 ms of eighths were too late
    let lost = missing(&cycles);
    assert!((1..=6).contains(&lost), "{lost} eighths lost: {cycles:?}");
}

#[test]
fn a_short_stall_loses_nothing_the_late_answer_is_still_in_time() {
    let (cycles, said, _) = one_slow_query(70);
    assert_saw_the_stall(&said);
    assert_eq!(missing(&cycles), 0, "{cycles:?}");
}

#[test]
fn setcps_changes_the_tempo_from_the_first_cycle_not_yet_sent() {
    let (bd, _) = Session::new().pattern("s \"bd*4\"").unwrap();
    let running = Running::start(bd);
    let sent = &running.sent;
    let mut events = vec![sent.recv_timeout(Duration::from_secs(5)).unwrap()];
    running
        .commands
        .send(Command::SetCps(Time::int(2)))
        .unwrap();
    while events.len() < 12 {
        events.push(sent.recv_timeout(Duration::from_secs(5)).unwrap());
    }
    running.stop();
    // quarters of a cycle: 250 ms apart at 1 cps, then 125 ms at 2 cps; the
    // switch falls on the first cycle not yet sent, so the gap across it is
    // in between
    let gaps: Vec<Time> = events
        .windows(2)
        .map(|p| {
            assert_eq!((p[1].onset - p[0].onset).unwrap(), t(1, 4));
            (p[1].at_ns - p[0].at_ns).unwrap()
        })
        .collect();
    let (slow, fast) = (t(250_000_000, 1), t(125_000_000, 1));
    let across = gaps.iter().position(|g| *g != slow).unwrap();
    assert!(gaps[across] >= fast, "{gaps:?}");
    assert!(gaps[across + 1..].iter().all(|g| *g == fast), "{gaps:?}");
}
