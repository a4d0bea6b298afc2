//! Moving and scaling time: fast, slow, rotations, rev, zoom, compress.

use crate::pattern::{Element, Pattern, QueryError};
use crate::span::Span;
use crate::time::Time;

impl<T: Element> Pattern<T> {
    /// Plays `rate` times faster (`_fast`); zero is silence and a negative
    /// rate plays backwards.
    pub fn fast_by(&self, rate: Time) -> Pattern<T> {
        if rate.is_zero() {
            return Pattern::silence();
        }
        if rate.is_negative() {
            return self.fast_by(-rate).rev();
        }
        match rate.recip() {
            Ok(inverse) => self
                .with_query_time(move |t| t * rate)
                .with_result_time(move |t| t * inverse),
            Err(e) => failing(e.into()),
        }
    }

    /// Plays `rate` times slower (`_slow`); zero is silence.
    pub fn slow_by(&self, rate: Time) -> Pattern<T> {
        if rate.is_zero() {
            return Pattern::silence();
        }
        match rate.recip() {
            Ok(r) => self.fast_by(r),
            Err(e) => failing(e.into()),
        }
    }

    /// Shifts the pattern earlier by `t` cycles (`rotL`, `<~`).
    pub fn rot_l(&self, t: Time) -> Pattern<T> {
        if t.is_zero() {
            return self.clone();
        }
        self.with_query_time(move |x| x + t)
            .with_result_time(move |x| x - t)
    }

    /// Shifts the pattern later by `t` cycles (`rotR`, `~>`).
    pub fn rot_r(&self, t: Time) -> Pattern<T> {
        self.rot_l(-t)
    }

    /// Each cycle reversed (`rev`).
    pub fn rev(&self) -> Pattern<T> {
        let p = self.clone();
        Pattern::appending(move |st, out| {
            let span = st.span;
            // Mirrored about the middle of the cycle, `c + 1/2`: t becomes
            // `2c + 1 - t` (wholes too, which keeps the distances between
            // part and whole, mirrored).
            let flip = Time::new(2 * span.begin.floor_int() + 1, 1)?;
            let mirror = |s: Span| -> Result<Span, QueryError> {
                Ok(Span::new((flip - s.end)?, (flip - s.begin)?))
            };
            let start = out.len();
            p.query_into(&st.with_span(mirror(span)?), out)?;
            for e in &mut out[start..] {
                let part = e.part;
                e.part = mirror(part)?;
                if let Some(w) = e.whole {
                    // Ends shared with the part are mirrored already.
                    let begin = if w.end == part.end {
                        e.part.begin
                    } else {
                        (flip - w.end)?
                    };
                    let end = if w.begin == part.begin {
                        e.part.end
                    } else {
                        (flip - w.begin)?
                    };
                    e.whole = Some(Span::new(begin, end));
                }
            }
            Ok(())
        })
        .split_queries()
    }

    /// Squashes each cycle into its first `1/rate`, leaving a gap
    /// (`_fastGap`).
    pub fn fast_gap(&self, rate: Time) -> Pattern<T> {
        if rate <= Time::ZERO {
            return Pattern::silence();
        }
        let r = rate.max(Time::ONE);
        let p = self.clone();
        let munge_query = move |t: Time| -> Result<Time, QueryError> {
            let sam = t.sam();
            Ok((sam + (r * t.cycle_pos())?.min(Time::ONE))?)
        };
        let munge_result = move |s: Span| -> Result<Span, QueryError> {
            let sam = s.begin.sam();
            Ok(Span::new(
                (sam + ((s.begin - sam)? / r)?)?,
                (sam + ((s.end - sam)? / r)?)?,
            ))
        };
        let inner = Pattern::appending(move |st, out| {
            let span = st.span;
            let q = Span::new(munge_query(span.begin)?, munge_query(span.end)?);
            if q.begin == span.begin.next_sam()? {
                return Ok(());
            }
            p.query_into(&st.with_span(q), out)
        });
        inner.with_result_span(munge_result).split_queries()
    }

    /// Squeezes each cycle into the span `begin..end` of the cycle
    /// (`compressArc`).
    pub fn compress(&self, begin: Time, end: Time) -> Pattern<T> {
        if begin > end
            || begin > Time::ONE
            || end > Time::ONE
            || begin < Time::ZERO
            || end < Time::ZERO
        {
            return Pattern::silence();
        }
        match (end - begin).and_then(|d| d.recip()) {
            Ok(rate) => self.fast_gap(rate).rot_r(begin),
            Err(_) => Pattern::silence(),
        }
    }

    /// `compress` for a span given in absolute time (`compressArcTo`).
    pub fn compress_to(&self, span: Span) -> Pattern<T> {
        match span.end - span.begin.sam() {
            Ok(end) => self.compress(span.begin.cycle_pos(), end),
            Err(e) => failing(e.into()),
        }
    }

    /// Plays only the part `begin..end` of each cycle, stretched to fill the
    /// cycle (`zoomArc`).
    pub fn zoom(&self, begin: Time, end: Time) -> Pattern<T> {
        let d = match end - begin {
            Ok(d) => d,
            Err(e) => return failing(e.into()),
        };
        if d.is_zero() {
            // Tidal divides by zero here; a zero-width zoom has no events.
            return Pattern::silence();
        }
        self.with_query_span(move |s| Ok(s.map_cycle(|t| (t * d).and_then(|x| x + begin))?))
            .with_result_span(move |s| Ok(s.map_cycle(|t| (t - begin).and_then(|x| x / d))?))
            .split_queries()
    }

    /// Only events that start inside `begin..end`, from that cycle on
    /// (`playFor`).
    pub fn play_for(&self, begin: Time, end: Time) -> Pattern<T> {
        let p = self.clone();
        Pattern::appending(
            move |st, out| match Span::new(begin, end).sub_span(&st.span) {
                Some(s) => p.query_into(&st.with_span(s), out),
                None => Ok(()),
            },
        )
    }
}

/// A pattern whose every query fails with `err` (used when building a
/// pattern already shows an impossible time).
pub fn failing<T: Element>(err: QueryError) -> Pattern<T> {
    Pattern::new(move |_| Err(err.clone()))
}
