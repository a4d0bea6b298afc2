//! The frame planner, pure: which span of cycles a frame covers, and the
//! events of that span with their times (caps, `cps` tempo changes at their
//! onsets, `nudge`, latency, NTP timetags). No clock is read and nothing is
//! sent here; the scheduler loop does both around it.

use pattern_lang::{Event, Span, Time, Value, ValueMap};
use rosc::OscMessage;

use super::clock::{check_tempo, ntp_timetag, rational_from_f64, Clock, ClockError, NANOS};
use crate::osc;

/// Events one slot may send per second of frames; beyond it the rest of a
/// frame's events are dropped (a runaway like `s "bd*100000"`).
pub const MAX_SLOT_EVENTS_PER_SECOND: i128 = 5_000;
/// Events all slots together may send per second of frames; beyond it each
/// slot gets a fair share, so a runaway cannot take a quiet slot's events.
pub const MAX_EVENTS_PER_SECOND: i128 = 40_000;
/// Query spans end on multiples of 1/2^16 cycle, so rationals stay small.
const GRID: i128 = 1 << 16;

/// An event about to be timed and sent.
#[derive(Debug, Clone)]
pub struct Pending {
    pub onset: Time,
    pub duration: Time,
    pub controls: ValueMap,
    pub wire_id: String,
    pub orbit: Option<i32>,
}

impl Pending {
    /// The event to send, if it has an onset in its part and controls.
    pub fn from_event(e: Event<Value>, wire_id: &str, orbit: Option<i32>) -> Option<Pending> {
        let whole = e.whole?;
        if whole.begin != e.part.begin {
            return None;
        }
        let Value::Map(controls) = e.value else {
            return None;
        };
        Some(Pending {
            onset: whole.begin,
            duration: whole.duration().ok()?,
            controls,
            wire_id: wire_id.to_string(),
            orbit,
        })
    }
}

/// One slot's (or `once`'s) events for a frame; `who` names it in warnings.
pub struct Batch {
    pub who: String,
    pub events: Vec<Pending>,
}

/// An event with its moment: `at_ns` (since the scheduler started, latency
/// and nudge included) and the same as an NTP timetag.
#[derive(Debug, Clone)]
pub struct Timed {
    // The UDP sink needs only the timetag and message; tests read these.
    #[cfg_attr(not(test), allow(dead_code))]
    pub onset: Time,
    #[cfg_attr(not(test), allow(dead_code))]
    pub at_ns: Time,
    pub ntp: u64,
    pub message: OscMessage,
}

/// A warning for the musician; `kind` groups the repeats that are said once
/// a second at most.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub kind: String,
    pub text: String,
}

impl Note {
    fn new(kind: impl Into<String>, text: String) -> Note {
        Note {
            kind: kind.into(),
            text,
        }
    }
}

/// The cycles a frame covers: `[begin, end)`, empty when `end <= begin`.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub begin: Time,
    pub end: Time,
    /// Said when the scheduler was held up and skipped ahead to `begin`.
    pub stall: Option<Note>,
}

impl Window {
    pub fn span(&self) -> Option<Span> {
        (self.end > self.begin).then(|| Span::new(self.begin, self.end))
    }
}

/// A planned frame: what to send in order, the clock after the tempo
/// changes it carried, and what to say.
pub struct Frame {
    pub events: Vec<Timed>,
    pub clock: Clock,
    pub notes: Vec<Note>,
}

/// The timing settings of the planner.
#[derive(Debug, Clone, Copy)]
pub struct Planner {
    pub latency_ns: i128,
    pub frame_ns: i128,
    /// The Unix time (ns) of the scheduler's start, for the timetags.
    pub origin_unix_ns: i128,
}

impl Planner {
    /// The span the frame at `now` (ns since start) covers: from the first
    /// cycle not yet sent to the cycle at `now + frame`, on the grid. If
    /// `sent_until` is already too late to send in time (a stall: suspended,
    /// overloaded), the span starts at `now` instead of bursting late events.
    pub fn window(&self, clock: &Clock, sent_until: Time, now: i128) -> Result<Window, ClockError> {
        let begin_ns = clock.nanos_at(sent_until)?;
        let latency = Time::new(self.latency_ns, 1)?;
        let mut begin = sent_until;
        let mut stall = None;
        if begin_ns.checked_add(latency)? < Time::new(now, 1)? {
            begin = grid_ceil(clock.cycle_at(now)?).max(sent_until);
            let late_s = (Time::new(now, 1)?.checked_sub(begin_ns)?).to_f64() / 1e9;
            let text = format!(
                "the scheduler was held up for {late_s:.3} s; skipping from cycle {:.3} to {:.3}",
                sent_until.to_f64(),
                begin.to_f64()
            );
            stall = Some(Note::new("stall", text));
        }
        let end = grid_floor(clock.cycle_at(now + self.frame_ns)?);
        Ok(Window { begin, end, stall })
    }

    /// Most events sent for one frame: `per_second` scaled to the frame.
    pub fn per_frame(&self, per_second: i128) -> usize {
        (per_second * self.frame_ns / NANOS).max(1) as usize
    }

    /// The frame's events within the caps, earliest first, each timed by the
    /// clock as `cps` controls before it left it.
    pub fn plan(&self, clock: Clock, batches: Vec<Batch>) -> Frame {
        let mut frame = Frame {
            events: Vec::new(),
            clock,
            notes: Vec::new(),
        };
        let mut pending = self.capped(batches, &mut frame.notes);
        pending.sort_by_key(|a| a.onset);
        for event in pending {
            // One event that cannot be timed never costs the others.
            match self.timed(&mut frame, event) {
                Ok(Some(t)) => frame.events.push(t),
                Ok(None) => {}
                Err(e) => frame
                    .notes
                    .push(Note::new("event", format!("an event was not sent: {e}"))),
            }
        }
        frame
    }

    /// Each batch within its cap, the earliest first, and all of them within
    /// the frame's cap by fair shares; notes which one overflowed.
    fn capped(&self, batches: Vec<Batch>, notes: &mut Vec<Note>) -> Vec<Pending> {
        let slot_cap = self.per_frame(MAX_SLOT_EVENTS_PER_SECOND);
        let counts: Vec<usize> = batches
            .iter()
            .map(|b| b.events.len().min(slot_cap))
            .collect();
        let shares = fair_shares(&counts, self.per_frame(MAX_EVENTS_PER_SECOND));
        let mut out = Vec::new();
        for (Batch { who, mut events }, share) in batches.into_iter().zip(shares) {
            if events.len() > share {
                let n = events.len();
                events.sort_by_key(|a| a.onset);
                events.truncate(share);
                let per_second = MAX_SLOT_EVENTS_PER_SECOND;
                let text = format!(
                    "{who}: {n} events in one frame (at most {per_second} a second are sent); \
                     playing the first {share}"
                );
                notes.push(Note::new(format!("cap {who}"), text));
            }
            out.extend(events);
        }
        out
    }

    /// Applies a `cps` control (tempo from this onset on), then times the
    /// event; `None` when it has nothing to play (no `s`).
    fn timed(&self, frame: &mut Frame, event: Pending) -> Result<Option<Timed>, ClockError> {
        if let Some(cps) = event.controls.get("cps").and_then(Value::as_f64) {
            match rational_from_f64(cps, 1_000_000).map(|c| (c, check_tempo(c))) {
                Some((c, Ok(()))) => {
                    if c != frame.clock.cps() {
                        frame.clock = frame.clock.with_tempo(event.onset, c)?;
                    }
                }
                Some((_, Err(e))) => frame
                    .notes
                    .push(Note::new("cps", format!("ignoring cps {cps}: {e}"))),
                None => frame
                    .notes
                    .push(Note::new("cps", format!("ignoring cps {cps}: not a tempo"))),
            }
        }
        let clock = frame.clock;
        let nudge_ns = event
            .controls
            .get("nudge")
            .and_then(Value::as_f64)
            .filter(|x| x.is_finite() && x.abs() < 60.0)
            .map(|x| (x * 1e9).round() as i128)
            .unwrap_or(0);
        let at_ns = clock
            .nanos_at(event.onset)?
            .checked_add(Time::new(self.latency_ns + nudge_ns, 1)?)?;
        let extras = osc::Extras {
            id: &event.wire_id,
            cps: clock.cps().to_f64(),
            cycle: event.onset.to_f64(),
            delta: event.duration.checked_div(clock.cps())?.to_f64(),
            orbit: event.orbit,
        };
        let Some(message) = osc::dirt_play(&event.controls, &extras) else {
            return Ok(None);
        };
        Ok(Some(Timed {
            onset: event.onset,
            at_ns,
            ntp: ntp_timetag(self.origin_unix_ns, at_ns)?,
            message,
        }))
    }
}

/// How many of each slot's `counts` events to send when all together may
/// send `total`: everyone gets an equal share, and what a slot does not use
/// goes to the others (so a quiet slot always sends all of its events).
pub fn fair_shares(counts: &[usize], total: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by_key(|&i| counts[i]);
    let mut shares = vec![0; counts.len()];
    let mut left = total;
    for (done, &i) in order.iter().enumerate() {
        let share = counts[i].min(left / (counts.len() - done));
        shares[i] = share;
        left -= share;
    }
    shares
}

fn grid_floor(t: Time) -> Time {
    t.numer()
        .checked_mul(GRID)
        .and_then(|n| Time::new(n.div_euclid(t.denom()), GRID).ok())
        .unwrap_or(t)
}

fn grid_ceil(t: Time) -> Time {
    let f = grid_floor(t);
    if f == t {
        t
    } else {
        (f + Time::new(1, GRID).unwrap_or(Time::int(0))).unwrap_or(t)
    }
}

#[cfg(test)]
mod tests {
    use super::super::gather::SLOT_BUDGET;
    use super::super::tests::t;
    use super::super::worker;
    use super::*;
    use pattern_lang::lang::Session;
    use rosc::OscType;

    /// Frames of 50 ms, 100 ms of latency, started at the Unix epoch.
    const PLANNER: Planner = Planner {
        latency_ns: 100_000_000,
        frame_ns: 50_000_000,
        origin_unix_ns: 0,
    };

    fn clock(cps: Time) -> Clock {
        Clock::new(Time::int(0), Time::int(0), cps).unwrap()
    }

    /// The events of `src` with an onset in `[from, to)`, as slot `who`'s.
    fn batch(who: &str, src: &str, from: Time, to: Time) -> Batch {
        let (pattern, _) = Session::new().pattern(src).unwrap();
        let events = worker::query(&pattern, Span::new(from, to), SLOT_BUDGET).unwrap();
        Batch {
            who: who.to_string(),
            events: events
                .into_iter()
                .filter_map(|e| Pending::from_event(e, who, None))
                .collect(),
        }
    }

    fn arg(event: &Timed, name: &str) -> Option<OscType> {
        let args = &event.message.args;
        let at = args
            .iter()
            .position(|a| a == &OscType::String(name.into()))?;
        args.get(at + 1).cloned()
    }

    #[test]
    fn a_window_runs_from_what_was_sent_to_a_frame_ahead_on_the_grid() {
        let c = clock(Time::int(1));
        let w = PLANNER.window(&c, t(1, 4), 250_000_000).unwrap();
        // the cycle at 300 ms is 3/10, floored to the 1/65536 grid
        assert_eq!(w.begin, t(1, 4));
        assert_eq!(w.end, t(19660, 65536));
        assert_eq!(w.stall, None);
        assert!(w.span().is_some());
        // nothing new yet: an empty window
        let w = PLANNER.window(&c, t(1, 2), 250_000_000).unwrap();
        assert_eq!(w.span(), None);
    }

    #[test]
    fn a_stall_skips_ahead_instead_of_sending_late_events() {
        let c = clock(Time::int(1));
        // cycle 0 is due at 0 s + 100 ms of latency; it is 1.5 s now
        let w = PLANNER.window(&c, Time::int(0), 1_500_000_000).unwrap();
        assert_eq!(w.begin, t(3, 2));
        assert_eq!(w.end, t(101580, 65536)); // 1.55 cycles, floored
        let note = w.stall.unwrap();
        assert_eq!(note.kind, "stall");
        assert!(note.text.contains("held up for 1.500 s"), "{}", note.text);
    }

    #[test]
    fn events_are_timed_by_onset_latency_and_nudge() {
        let b = batch("1", "s \"bd sn\" # nudge \"0 0.01\"", t(0, 1), t(1, 1));
        let frame = PLANNER.plan(clock(t(1, 2)), vec![b]);
        let at: Vec<Time> = frame.events.iter().map(|e| e.at_ns).collect();
        // at 1/2 cps, cycle 1/2 is 1 s in; then latency, then nudge
        assert_eq!(at, vec![t(100_000_000, 1), t(1_110_000_000, 1)]);
        assert_eq!(frame.events[0].ntp, ntp_timetag(0, at[0]).unwrap());
        assert_eq!(arg(&frame.events[1], "delta"), Some(OscType::Float(1.0)));
        assert!(frame.notes.is_empty());
    }

    #[test]
    fn a_cps_control_changes_tempo_at_its_onset() {
        let b = batch("1", "s \"bd*4\" # cps \"<1.5 3>\"", t(0, 1), t(2, 1));
        let frame = PLANNER.plan(clock(Time::int(1)), vec![b]);
        assert_eq!(frame.events.len(), 8);
        // each gap follows the tempo of the event it starts from
        for pair in frame.events.windows(2) {
            let cps = match arg(&pair[0], "cps") {
                Some(OscType::Float(x)) => x,
                other => panic!("{other:?}"),
            };
            let gap = (pair[1].at_ns - pair[0].at_ns).unwrap();
            let want = t(250_000_000, 1).checked_div(Time::from_f64(cps as f64).unwrap());
            assert_eq!(gap, want.unwrap(), "at cycle {:?}", pair[0].onset);
        }
        // cycle 1 comes after four quarters at 1.5 cps: 2/3 s
        assert_eq!(frame.events[4].onset, Time::int(1));
        assert_eq!(frame.events[4].at_ns, t(2_300_000_000, 3));
        assert_eq!(frame.clock.cps(), Time::int(3));
        assert_eq!(
            frame.clock.nanos_at(Time::int(1)).unwrap(),
            t(2_000_000_000, 3)
        );
    }

    #[test]
    fn tempos_no_clock_can_keep_are_ignored_with_a_note() {
        let b = batch("2", "s \"bd*4\" # cps \"-1 0 1e12 101\"", t(0, 1), t(1, 1));
        let frame = PLANNER.plan(clock(Time::int(1)), vec![b]);
        assert_eq!(frame.events.len(), 4, "the events still play");
        assert_eq!(frame.clock, clock(Time::int(1)));
        assert_eq!(frame.notes.len(), 4);
        assert!(frame.notes.iter().all(|n| n.kind == "cps"));
        assert!(frame.notes[3].text.starts_with("ignoring cps 101"));
    }

    #[test]
    fn a_runaway_slot_is_capped_and_a_quiet_one_keeps_every_event() {
        // 5000 events a second: 250 in a 50 ms frame
        let runaway = batch("d1", "s \"bd*100000\"", t(0, 1), t(1, 20));
        let quiet = batch("d2", "s \"hh*8\"", t(0, 1), t(1, 2));
        assert_eq!(quiet.events.len(), 4);
        let frame = PLANNER.plan(clock(Time::int(1)), vec![runaway, quiet]);
        let ids = |id: &str| {
            let id = Some(OscType::String(id.into()));
            frame.events.iter().filter(|e| arg(e, "_id_") == id).count()
        };
        assert_eq!((ids("d1"), ids("d2")), (250, 4));
        assert_eq!(frame.notes.len(), 1);
        assert_eq!(frame.notes[0].kind, "cap d1");
        assert!(frame.notes[0]
            .text
            .starts_with("d1: 5000 events in one frame"));
        assert!(frame.notes[0].text.ends_with("playing the first 250"));
        // the first ones are kept, and everything goes out in time order
        assert_eq!(frame.events[0].onset, Time::int(0));
        assert!(frame.events.windows(2).all(|p| p[0].onset <= p[1].onset));
    }

    #[test]
    fn fair_shares_keep_quiet_slots_whole() {
        assert_eq!(fair_shares(&[3, 5000, 8], 1000), vec![3, 989, 8]);
        assert_eq!(fair_shares(&[10, 20], 1000), vec![10, 20]);
        assert_eq!(fair_shares(&[900, 900, 900], 1000), vec![333, 333, 334]);
        assert_eq!(fair_shares(&[], 1000), Vec::<usize>::new());
    }
}
