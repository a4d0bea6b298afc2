//! Combinators that work cycle by cycle: choosing by cycle number (`when`),
//! by part of the cycle (`within`), and rearranging each cycle (`chunk`,
//! `iter`, `linger`, `rot`, `swingBy`, `brak`). Each takes its numbers as
//! plain values, like Tidal's `_chunk`; `tparam` lifts them to patterns.

use crate::core::applicative::{tparam, unwrap};
use crate::core::concat::{fast_from_list, fastcat, slowcat, stack};
use crate::event::Event;
use crate::pattern::{Element, Pattern};
use crate::span::Span;
use crate::time::Time;

/// `when`: `fp` in the cycles where `test` holds, `p` elsewhere.
pub fn when_cycle<T: Element>(
    test: impl Fn(i128) -> bool + Send + Sync + 'static,
    fp: Pattern<T>,
    p: Pattern<T>,
) -> Pattern<T> {
    Pattern::appending(move |st, out| {
        if test(st.span.begin.floor_int()) {
            fp.query_into(st, out)
        } else {
            p.query_into(st, out)
        }
    })
    .split_queries()
}

/// `within (b, e) f p`, with `fp = f p` already built: `fp` in that part of
/// each cycle, `p` in the rest.
pub fn within<T: Element>(b: Time, e: Time, fp: Pattern<T>, p: Pattern<T>) -> Pattern<T> {
    let inside = move |t: Time| {
        let pos = t.cycle_pos();
        pos >= b && pos < e
    };
    stack(vec![
        fp.filter_when(inside),
        p.filter_when(move |t| !inside(t)),
    ])
}

/// `within` the `i`th of `n` parts of the cycle.
fn within_part<T: Element>(i: i64, n: i64, fp: &Pattern<T>, p: &Pattern<T>) -> Pattern<T> {
    match (
        Time::new(i as i128, n as i128),
        Time::new(i as i128 + 1, n as i128),
    ) {
        (Ok(b), Ok(e)) => within(b, e, fp.clone(), p.clone()),
        _ => Pattern::silence(),
    }
}

/// `_chunk n f p` with `fp = f p`: `fp` in the first quarter (for `n = 4`)
/// of the first cycle, the second quarter of the next, and so on.
pub fn chunk<T: Element>(n: i64, fp: &Pattern<T>, p: &Pattern<T>) -> Pattern<T> {
    let n = n.min(4096);
    slowcat((0..n.max(0)).map(|i| within_part(i, n, fp, p)).collect())
}

/// `_chunk'`: `chunk` going backwards through the parts.
pub fn chunk_back<T: Element>(n: i64, fp: &Pattern<T>, p: &Pattern<T>) -> Pattern<T> {
    let n = n.clamp(0, 4096);
    if n == 0 {
        return Pattern::silence();
    }
    let indices = fast_from_list((0..n).collect::<Vec<i64>>())
        .rev()
        .slow_by(Time::int(n));
    let (fp, p) = (fp.clone(), p.clone());
    unwrap(&indices.fmap(move |&i| within_part(i, n, &fp, &p)))
}

/// `_iter n p`: each cycle starts `1/n` of a cycle later in `p` than the
/// one before (`backwards`: earlier, `_iter'`).
pub fn iter<T: Element>(n: i64, p: &Pattern<T>, backwards: bool) -> Pattern<T> {
    let n = n.min(4096);
    slowcat(
        (0..n.max(0))
            .map(|i| match Time::new(i as i128, n as i128) {
                Ok(t) if backwards => p.rot_r(t),
                Ok(t) => p.rot_l(t),
                Err(_) => Pattern::silence(),
            })
            .collect(),
    )
}

/// `_linger n p`: the first `n` of each cycle repeated to fill it (a
/// negative `n`: the last part).
pub fn linger<T: Element>(n: Time, p: &Pattern<T>) -> Pattern<T> {
    let zoomed = if n < Time::ZERO {
        match n + Time::ONE {
            Ok(b) => p.zoom(b, Time::ONE),
            Err(_) => Pattern::silence(),
        }
    } else {
        p.zoom(Time::ZERO, n)
    };
    match n.recip() {
        Ok(r) => zoomed.fast_by(r),
        Err(_) => Pattern::silence(),
    }
}

/// `_rot i p`: shifts each cycle's values `i` steps along its events.
pub fn rot<T: Element + PartialEq>(i: i64, p: Pattern<T>) -> Pattern<T> {
    Pattern::new(move |st| {
        let cycle = Span::cycle_of(st.span.begin)?;
        let mut events = defragment(p.query(&st.with_span(cycle))?);
        events.sort_by_key(|a| (a.whole, a.part));
        let n = events.len();
        if n == 0 {
            return Ok(events);
        }
        let values: Vec<T> = events.iter().map(|e| e.value.clone()).collect();
        let shift = if i >= 0 {
            (i as usize) % n
        } else {
            (n - ((i.unsigned_abs() as usize) % n)) % n
        };
        for (k, e) in events.iter_mut().enumerate() {
            e.value = values[(k + shift) % n].clone();
        }
        Ok(events
            .into_iter()
            .filter_map(|mut e| {
                e.part = e.part.sub_span(&st.span)?;
                Some(e)
            })
            .collect())
    })
    .split_queries()
}

/// Joins fragments of one event that lie side by side (`defragParts`).
pub fn defragment<T: PartialEq>(events: Vec<Event<T>>) -> Vec<Event<T>> {
    let mut out: Vec<Event<T>> = Vec::with_capacity(events.len());
    'next: for e in events {
        for o in out.iter_mut() {
            if o.whole == e.whole
                && o.value == e.value
                && (o.part.end == e.part.begin || e.part.end == o.part.begin)
            {
                o.part = o.part.hull(&e.part);
                continue 'next;
            }
        }
        out.push(e);
    }
    out
}

/// `swingBy x n p = inside n (within (0.5, 1) (x ~>)) p`: in each of `n`
/// parts of the cycle, the second half starts `x` (of a part) later.
pub fn swing_by<T: Element>(x: &Pattern<Time>, n: Time, p: &Pattern<T>) -> Pattern<T> {
    let Ok(half) = Time::new(1, 2) else {
        return Pattern::silence();
    };
    let q = p.slow_by(n);
    let shifted = tparam(x, {
        let q = q.clone();
        move |t| q.rot_r(*t)
    });
    within(half, Time::ONE, shifted, q).fast_by(n)
}

/// `brak`: every other cycle squashed into its first half and shifted a
/// quarter of a cycle later.
pub fn brak<T: Element>(p: Pattern<T>) -> Pattern<T> {
    let Ok(quarter) = Time::new(1, 4) else {
        return p;
    };
    let fp = fastcat(vec![p.clone(), Pattern::silence()]).rot_r(quarter);
    when_cycle(|cyc| cyc.rem_euclid(2) == 1, fp, p)
}
