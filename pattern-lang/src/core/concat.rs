//! Putting patterns together: one per cycle (`slowcat`), squeezed into one
//! cycle (`fastcat`, `timecat`), or on top of each other (`stack`).

use crate::pattern::{Element, Events, Pattern, QueryError};
use crate::span::Span;
use crate::time::Time;

/// Each pattern plays for one cycle in turn, continuing where it left off
/// (`cat`, `slowcat`).
pub fn slowcat<T: Element>(pats: Vec<Pattern<T>>) -> Pattern<T> {
    if pats.is_empty() {
        return Pattern::silence();
    }
    if pats.len() == 1 {
        // One pattern still has its queries cut at cycle boundaries.
        return pats
            .into_iter()
            .next()
            .map(|p| p.split_queries())
            .unwrap_or_else(Pattern::silence);
    }
    let n = pats.len() as i128;
    Pattern::appending(move |st, out| {
        let query_cycle = |span: Span, out: &mut Events<T>| -> Result<(), QueryError> {
            let cyc = span.begin.floor_int();
            let i = cyc.rem_euclid(n);
            let offset = Time::new(cyc - (cyc - i).div_euclid(n), 1)?;
            if offset.is_zero() {
                return pats[i as usize].query_into(&st.with_span(span), out);
            }
            let shifted = span.map(|t| t - offset)?;
            let start = out.len();
            pats[i as usize].query_into(&st.with_span(shifted), out)?;
            for e in &mut out[start..] {
                e.map_times(|t| t + offset)?;
            }
            Ok(())
        };
        let span = st.span;
        if span.begin == span.end {
            return query_cycle(span, out);
        }
        let mut begin = span.begin;
        while begin < span.end {
            st.budget.charge(1)?;
            let end = begin.next_sam()?.min(span.end);
            query_cycle(Span::new(begin, end), out)?;
            begin = end;
        }
        Ok(())
    })
}

/// All patterns squeezed, in turn, into each cycle (`fastcat`).
pub fn fastcat<T: Element>(pats: Vec<Pattern<T>>) -> Pattern<T> {
    let n = pats.len() as i64;
    if n == 0 {
        return Pattern::silence();
    }
    slowcat(pats).fast_by(Time::int(n))
}

/// Patterns squeezed into each cycle, each taking a share of the cycle in
/// proportion to its weight (`timeCat`).
pub fn timecat<T: Element>(parts: Vec<(Time, Pattern<T>)>) -> Pattern<T> {
    let total = parts.iter().try_fold(Time::ZERO, |acc, (w, _)| acc + *w);
    let total = match total {
        Ok(t) if !t.is_zero() => t,
        Ok(_) => return Pattern::silence(),
        Err(e) => return crate::core::time_ops::failing(e.into()),
    };
    if parts.len() == 1 {
        // compress (0, 1) only cuts queries at cycle boundaries.
        return parts
            .into_iter()
            .next()
            .map(|(_, p)| p.split_queries())
            .unwrap_or_else(Pattern::silence);
    }
    let mut steps = Vec::with_capacity(parts.len());
    let mut begin = Time::ZERO;
    for (w, p) in parts {
        let end = match begin + w {
            Ok(e) => e,
            Err(e) => return crate::core::time_ops::failing(e.into()),
        };
        match (begin / total, end / total) {
            (Ok(b), Ok(e)) => steps.push((b, e, p)),
            (Err(e), _) | (_, Err(e)) => return crate::core::time_ops::failing(e.into()),
        }
        begin = end;
    }
    sequence_of_steps(steps)
}

/// A step of a sequence: its share `begin..end` of each cycle, the speed-up
/// `1 / (end - begin)`, its length `end - begin` and its pattern.
struct Step<T> {
    begin: Time,
    end: Time,
    rate: Time,
    length: Time,
    pattern: Pattern<T>,
}

/// Steps squeezed into their shares of each cycle: the same events as a
/// stack of `compress (begin, end)` layers (Tidal's `timeCat`), computed
/// without the layers and skipping steps outside the query.
fn sequence_of_steps<T: Element>(parts: Vec<(Time, Time, Pattern<T>)>) -> Pattern<T> {
    let mut steps = Vec::with_capacity(parts.len());
    let mut layers = Vec::with_capacity(parts.len());
    for (b, e, p) in parts {
        if b >= e || b < Time::ZERO || e > Time::ONE {
            continue;
        }
        let Ok(length) = e - b else {
            continue;
        };
        let Ok(rate) = length.recip() else {
            continue;
        };
        layers.push(p.compress(b, e));
        steps.push(Step {
            begin: b,
            end: e,
            rate,
            length,
            pattern: p,
        });
    }
    // Steps follow one another unless some weights were negative; then
    // every step is looked at.
    let in_order = steps
        .windows(2)
        .all(|w| w[0].begin <= w[1].begin && w[0].end <= w[1].end);
    // Zero-width queries take the general path, edge cases and all.
    let general = stack(layers);
    Pattern::appending(move |st, out| {
        let span = st.span;
        if span.begin >= span.end {
            return general.query_into(st, out);
        }
        let mut s = span.begin;
        while s < span.end {
            st.budget.charge(1)?;
            let c = s.sam();
            let next = (c + Time::ONE)?;
            let e = next.min(span.end);
            // Positions within the cycle.
            let (rs, re) = ((s - c)?, (e - c)?);
            let first = if in_order {
                steps.partition_point(|step| step.end <= rs)
            } else {
                0
            };
            for step in &steps[first..] {
                if step.begin >= re {
                    if in_order {
                        break;
                    }
                    continue;
                }
                if step.end <= rs {
                    continue;
                }
                // A constant step is one event filling its share.
                if let Some(v) = step.pattern.constant() {
                    let (cb, ce) = ((c + step.begin)?, (c + step.end)?);
                    let whole = Span::new(cb, ce);
                    out.push(crate::event::Event::new(
                        Some(whole),
                        Span::new(s.max(cb), e.min(ce)),
                        v.clone(),
                    ));
                    continue;
                }
                // rotR begin, then fastGap rate, restricted to cycle c.
                let from = (step.rate * (rs - step.begin)?.max(Time::ZERO))?.min(Time::ONE);
                if from == Time::ONE {
                    continue;
                }
                let to = (step.rate * (re - step.begin)?)?.min(Time::ONE);
                let q = Span::new((c + from)?, (c + to)?);
                // Back from the step's time: `sam + (t - sam) * length + begin`
                // with `sam` the cycle of the span's begin, which is
                // `t * length + offset(sam)`; the offset for this cycle is
                // worked out once.
                let offset = |sam: Time| -> Result<Time, QueryError> {
                    Ok(((sam - (sam * step.length)?)? + step.begin)?)
                };
                let here = offset(c)?;
                let offset_at = |sam: Time| if sam == c { Ok(here) } else { offset(sam) };
                let unsquash = |a: Span| -> Result<Span, QueryError> {
                    let off = offset_at(a.begin.sam())?;
                    Ok(Span::new(
                        ((a.begin * step.length)? + off)?,
                        ((a.end * step.length)? + off)?,
                    ))
                };
                let start = out.len();
                step.pattern.query_into(&st.with_span(q), out)?;
                for ev in &mut out[start..] {
                    let sam = ev.part.begin.sam();
                    match ev.whole {
                        // Whole and part in the same cycle: one map for both.
                        Some(w) if w.begin.sam() != sam => {
                            ev.whole = Some(unsquash(w)?);
                            ev.part = unsquash(ev.part)?;
                        }
                        _ => {
                            let off = offset_at(sam)?;
                            ev.map_times(|t| (t * step.length)? + off)?;
                        }
                    }
                }
            }
            s = e;
        }
        Ok(())
    })
}

/// All patterns at once (`stack`).
pub fn stack<T: Element>(pats: Vec<Pattern<T>>) -> Pattern<T> {
    match pats.len() {
        0 => Pattern::silence(),
        1 => pats.into_iter().next().unwrap_or_else(Pattern::silence),
        _ => Pattern::appending(move |st, out| {
            for p in &pats {
                p.query_into(st, out)?;
            }
            Ok(())
        }),
    }
}

/// Two patterns at once (`overlay`).
pub fn overlay<T: Element>(a: Pattern<T>, b: Pattern<T>) -> Pattern<T> {
    stack(vec![a, b])
}

/// The values as a sequence squeezed into one cycle (`fastFromList`).
pub fn fast_from_list<T: Element>(values: Vec<T>) -> Pattern<T> {
    // Constant steps of equal length: the same events as `fastcat` of
    // `pure`s, as a sequence of steps (no time scaling per event).
    timecat(
        values
            .into_iter()
            .map(|v| (Time::ONE, Pattern::pure(v)))
            .collect(),
    )
}
