//! Spans of time (Tidal's `Arc`): a begin and an end in cycles.

use crate::time::{Time, TimeOverflow, TimeResult};

/// A stretch of time from `begin` (inclusive) to `end` (exclusive).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct Span {
    pub begin: Time,
    pub end: Time,
}

impl Span {
    pub const fn new(begin: Time, end: Time) -> Span {
        Span { begin, end }
    }

    /// The zero-width span at `t`.
    pub const fn point(t: Time) -> Span {
        Span { begin: t, end: t }
    }

    /// The whole cycle containing `t`.
    pub fn cycle_of(t: Time) -> Result<Span, TimeOverflow> {
        let s = t.sam();
        Ok(Span::new(s, (s + Time::ONE)?))
    }

    pub fn duration(&self) -> TimeResult {
        self.end - self.begin
    }

    /// Both ends mapped through `f`.
    pub fn map(&self, f: impl Fn(Time) -> TimeResult) -> Result<Span, TimeOverflow> {
        Ok(Span::new(f(self.begin)?, f(self.end)?))
    }

    /// The intersection of the two spans, which may be inverted (`sect`).
    pub fn sect(&self, o: &Span) -> Span {
        Span::new(self.begin.max(o.begin), self.end.min(o.end))
    }

    /// The intersection, or `None` when the spans do not meet (`subArc`).
    /// Two adjacent spans do not meet, but a zero-width span meets a span that
    /// starts where it is.
    pub fn sub_span(&self, o: &Span) -> Option<Span> {
        let s = self.sect(o);
        if s.begin == s.end {
            if s.begin == self.end && self.begin < self.end {
                return None;
            }
            if s.begin == o.end && o.begin < o.end {
                return None;
            }
        }
        if s.begin <= s.end {
            Some(s)
        } else {
            None
        }
    }

    /// The span with its cycle removed from both ends (`cycleArc`).
    pub fn cycle_relative(&self) -> Result<Span, TimeOverflow> {
        let b = self.begin.cycle_pos();
        Ok(Span::new(b, (b + (self.end - self.begin)?)?))
    }

    /// `f` applied to the positions within the begin's cycle (`mapCycle`).
    pub fn map_cycle(&self, f: impl Fn(Time) -> TimeResult) -> Result<Span, TimeOverflow> {
        let sam = self.begin.sam();
        Ok(Span::new(
            (sam + f((self.begin - sam)?)?)?,
            (sam + f((self.end - sam)?)?)?,
        ))
    }

    /// The smallest span holding both.
    pub fn hull(&self, o: &Span) -> Span {
        Span::new(self.begin.min(o.begin), self.end.max(o.end))
    }

    /// The cycles touched by this span (`cyclesInArc`), as integers.
    pub fn cycle_numbers(&self) -> (i128, i128) {
        if self.begin > self.end {
            (0, 0)
        } else if self.begin == self.end {
            let c = self.begin.floor_int();
            (c, c + 1)
        } else {
            (self.begin.floor_int(), self.end.ceil_int())
        }
    }

    pub fn contains(&self, t: Time) -> bool {
        t >= self.begin && t < self.end
    }

    pub fn midpoint(&self) -> TimeResult {
        ((self.begin + self.end)?) / Time::int(2)
    }
}
