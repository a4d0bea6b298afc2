//! The scheduler thread: every frame it asks the planner for the span from
//! the previous span's end (exact) to the cycle at `now + frame`, gathers
//! each audible slot's events for it (each on its own worker thread), has
//! them planned (caps, tempo, timetags) and sends each through the sink.

mod clock;
mod gather;
mod plan;
mod sink;
pub mod slots;
mod warnings;
mod worker;

use std::net::SocketAddr;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use pattern_lang::{Pattern, Time, Value};

pub use clock::check_tempo;
use clock::{Clock, ClockError};
use gather::{Players, MAX_SLOTS};
use plan::Planner;
pub use sink::Sink;
use slots::SlotId;
use warnings::Warnings;

/// What the REPL asks of the scheduler.
pub enum Command {
    /// `orbit`: d1..d16 give 0..15 (unless the pattern sets one); `p` none.
    Play {
        slot: SlotId,
        pattern: Pattern<Value>,
        orbit: Option<i32>,
    },
    /// One cycle of a pattern, starting with the next frame.
    Once(Pattern<Value>),
    Hush,
    SetCps(Time),
    Solo(SlotId, bool),
    Mute(SlotId, bool),
    ResetCycles,
    /// Finish and end the thread (sent after a last `Hush`).
    Stop,
}

pub struct Config {
    pub cps: Time,
    pub latency_ns: i128,
    pub frame_ns: i128,
    pub targets: Vec<SocketAddr>,
}

pub struct Scheduler {
    planner: Planner,
    clock: Clock,
    origin: Instant,
    /// The end of the last queried span: the first cycle not yet sent.
    sent_until: Time,
    players: Players,
    sink: Box<dyn Sink>,
    warnings: Warnings,
}

impl Scheduler {
    /// A scheduler sending over UDP to `cfg.targets`.
    pub fn new(cfg: Config, report: Sender<String>) -> anyhow::Result<Scheduler> {
        let sink = sink::Udp::new(cfg.targets.clone(), report.clone())?;
        Ok(Scheduler::with_sink(cfg, Box::new(sink), report)?)
    }

    /// A scheduler sending through `sink` (`cfg.targets` unused).
    pub fn with_sink(
        cfg: Config,
        sink: Box<dyn Sink>,
        report: Sender<String>,
    ) -> Result<Scheduler, ClockError> {
        let origin_unix_ns = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as i128)
            .unwrap_or(0);
        Ok(Scheduler {
            planner: Planner {
                latency_ns: cfg.latency_ns,
                frame_ns: cfg.frame_ns,
                origin_unix_ns,
            },
            clock: Clock::new(Time::int(0), Time::int(0), cfg.cps)?,
            origin: Instant::now(),
            sent_until: Time::int(0),
            players: Players::default(),
            sink,
            warnings: Warnings::new(report),
        })
    }

    fn now_ns(&self) -> i128 {
        self.origin.elapsed().as_nanos() as i128
    }

    /// Runs until `Stop` or until the REPL side goes away. Ticks fall on
    /// multiples of the frame since start, never accumulated.
    pub fn run(mut self, commands: Receiver<Command>) {
        let frame = self.planner.frame_ns.max(1);
        let mut next_tick = self.now_ns();
        loop {
            let now = self.now_ns();
            if now >= next_tick {
                self.tick();
                next_tick = (now / frame + 1) * frame;
                continue;
            }
            let wait = Duration::from_nanos((next_tick - now) as u64);
            match commands.recv_timeout(wait) {
                Ok(Command::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                Ok(command) => self.apply(command),
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
    }

    fn apply(&mut self, command: Command) {
        match command {
            Command::Play {
                slot,
                pattern,
                orbit,
            } => {
                if !self.players.play(slot.clone(), pattern, orbit) {
                    self.warnings.say(format!(
                        "{slot}: not played: {MAX_SLOTS} slots are playing already \
                         (hush, or play in one of them)"
                    ));
                }
            }
            Command::Once(pattern) => self.players.once(pattern, self.sent_until),
            Command::Hush => self.players.hush(),
            Command::SetCps(cps) => match self.clock.with_tempo(self.sent_until, cps) {
                Ok(c) => self.clock = c,
                Err(e) => self.warnings.say(format!("setcps: {e}")),
            },
            Command::Solo(id, on) => self.players.slots.set_soloed(id, on),
            Command::Mute(id, on) => self.players.slots.set_muted(id, on),
            Command::ResetCycles => match self.clock.renumbered(self.sent_until, Time::int(0)) {
                Ok(c) => {
                    self.clock = c;
                    self.sent_until = Time::int(0);
                    self.players.clear_onces();
                }
                Err(e) => self.warnings.say(format!("resetCycles: {e}")),
            },
            Command::Stop => {}
        }
    }

    fn tick(&mut self) {
        let now = self.now_ns();
        self.sink.tick(now, &mut self.warnings);
        if let Err(e) = self.play_frame(now) {
            let text = format!("clock: {e}; skipping this frame");
            self.warnings.limited("clock", now, text);
        }
    }

    fn play_frame(&mut self, now: i128) -> Result<(), ClockError> {
        let window = self.planner.window(&self.clock, self.sent_until, now)?;
        if let Some(note) = window.stall.clone() {
            self.warnings.limited(&note.kind, now, note.text);
        }
        self.sent_until = window.begin;
        let Some(span) = window.span() else {
            return Ok(());
        };
        let wait = Duration::from_nanos(self.wait_ns() as u64);
        let (clock, planner, origin) = (self.clock, self.planner, self.origin);
        // Whether an event at `onset` can still be sent before its timetag.
        let in_time = move |onset: Time| {
            let now = Time::new(origin.elapsed().as_nanos() as i128, 1);
            let latency = Time::new(planner.latency_ns, 1);
            match (clock.nanos_at(onset), latency, now) {
                (Ok(at), Ok(latency), Ok(now)) => (at + latency).is_ok_and(|t| t > now),
                _ => false,
            }
        };
        let batches = self
            .players
            .gather(span, now, wait, &in_time, &mut self.warnings);
        let frame = self.planner.plan(self.clock, batches);
        self.clock = frame.clock;
        for note in frame.notes {
            self.warnings.limited(&note.kind, now, note.text);
        }
        for event in frame.events {
            self.sink.send(event, now, &mut self.warnings);
        }
        self.sent_until = window.end;
        self.players.sent_until(window.end);
        Ok(())
    }

    /// How long a tick waits for the query threads: half the latency (at
    /// least 5 ms), so that the others' events are still sent in time.
    fn wait_ns(&self) -> i128 {
        (self.planner.latency_ns / 2).max(5_000_000)
    }
}

#[cfg(test)]
mod tests;
