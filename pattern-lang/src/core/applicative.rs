//! Combining two patterns value by value, with structure from the left, the
//! right or both; and flattening patterns of patterns (the joins).

use crate::event::Event;
use crate::pattern::{Element, Events, Pattern, QueryError, State};
use crate::span::Span;

/// Two patterns combined by `query`, given both and `f`; `pure (f a b)`
/// when both are constant (their cycles coincide).
#[inline]
fn binary<A: Element, B: Element, C: Element, F>(
    pa: &Pattern<A>,
    pb: &Pattern<B>,
    f: F,
    query: impl for<'a> Fn(
            &Pattern<A>,
            &Pattern<B>,
            &F,
            &State<'a>,
            &mut Events<C>,
        ) -> Result<(), QueryError>
        + Send
        + Sync
        + 'static,
) -> Pattern<C>
where
    F: Fn(&A, &B) -> C + Send + Sync + 'static,
{
    if let (Some(a), Some(b)) = (pa.constant(), pb.constant()) {
        return Pattern::pure(f(a, b));
    }
    let (pa, pb) = (pa.clone(), pb.clone());
    Pattern::appending(move |st, out| query(&pa, &pb, &f, st, out))
}

/// Structure from both sides: events where wholes meet (`<*>`, `|+|`).
pub fn app_both<A: Element, B: Element, C: Element>(
    pa: &Pattern<A>,
    pb: &Pattern<B>,
    f: impl Fn(&A, &B) -> C + Send + Sync + 'static,
) -> Pattern<C> {
    binary(pa, pb, f, |pa, pb, f, st, out| {
        let combine = |ea: &Event<A>, eb: &Event<B>, out: &mut Vec<Event<C>>| {
            let whole = match (ea.whole, eb.whole) {
                (Some(a), Some(b)) => match a.sub_span(&b) {
                    Some(w) => Some(w),
                    None => return,
                },
                _ => None,
            };
            if let Some(part) = ea.part.sub_span(&eb.part) {
                out.push(Event::new(whole, part, f(&ea.value, &eb.value)));
            }
        };
        let mut scratch_b = Vec::new();
        for ea in pa.query(st)? {
            scratch_b.clear();
            match ea.whole {
                None => {
                    pb.query_into(&st.with_span(ea.part), &mut scratch_b)?;
                    for eb in &scratch_b {
                        combine(&ea, eb, out);
                    }
                }
                Some(w) => {
                    pb.query_into(&st.with_span(w), &mut scratch_b)?;
                    for eb in &scratch_b {
                        if eb.whole.is_some() {
                            combine(&ea, eb, out);
                        }
                    }
                }
            }
        }
        let mut scratch_a = Vec::new();
        for eb in pb.query(st)? {
            if eb.whole.is_none() {
                scratch_a.clear();
                pa.query_into(&st.with_span(eb.part), &mut scratch_a)?;
                for ea in &scratch_a {
                    if ea.whole.is_some() {
                        combine(ea, &eb, out);
                    }
                }
            }
        }
        Ok(())
    })
}

/// Structure from the left: each left event takes values from the right
/// events it overlaps, and is cut into fragments where they change (`<*`,
/// `|+`, `#`).
pub fn app_left<A: Element, B: Element, C: Element>(
    pa: &Pattern<A>,
    pb: &Pattern<B>,
    f: impl Fn(&A, &B) -> C + Send + Sync + 'static,
) -> Pattern<C> {
    app_left_owned(pa, pb, move |a, b| f(&a, b))
}

/// [`app_left`] with `f` given the left value itself (cloned only when an
/// event is cut into several fragments), so it can reuse its storage.
pub fn app_left_owned<A: Element, B: Element, C: Element>(
    pa: &Pattern<A>,
    pb: &Pattern<B>,
    f: impl Fn(A, &B) -> C + Send + Sync + 'static,
) -> Pattern<C> {
    app_left_filter(pa, pb, move |a, b| Some(f(a, b)))
}

/// [`app_left_owned`] keeping only the fragments `f` gives a value for
/// (`filterJust` after `<*`, in one pass).
pub fn app_left_filter<A: Element, B: Element, C: Element>(
    pa: &Pattern<A>,
    pb: &Pattern<B>,
    f: impl Fn(A, &B) -> Option<C> + Send + Sync + 'static,
) -> Pattern<C> {
    // Two constants make a constant: the right side is one event in each
    // of the left side's cycles.
    if let (Some(a), Some(b)) = (pa.constant(), pb.constant()) {
        return match f(a.clone(), b) {
            Some(c) => Pattern::pure(c),
            None => Pattern::silence(),
        };
    }
    let (pa, pb) = (pa.clone(), pb.clone());
    Pattern::appending(move |st, out| {
        let constant = pb.constant();
        let mut scratch = Vec::new();
        for ea in pa.query(st)? {
            let span = ea.whole_or_part();
            // A constant right side within one cycle is one event there.
            if let (Some(b), true) = (constant, within_one_cycle(&span)?) {
                if let Some(v) = f(ea.value, b) {
                    out.push(Event::new(ea.whole, ea.part, v));
                }
                continue;
            }
            scratch.clear();
            pb.query_into(&st.with_span(span), &mut scratch)?;
            // Each fragment is pushed once the next is found; the last one
            // takes the value itself.
            let mut pending: Option<(Span, usize)> = None;
            for (i, eb) in scratch.iter().enumerate() {
                if let Some(part) = ea.part.sub_span(&eb.part) {
                    if let Some((p, j)) = pending.replace((part, i)) {
                        if let Some(v) = f(ea.value.clone(), &scratch[j].value) {
                            out.push(Event::new(ea.whole, p, v));
                        }
                    }
                }
            }
            if let Some((p, j)) = pending {
                if let Some(v) = f(ea.value, &scratch[j].value) {
                    out.push(Event::new(ea.whole, p, v));
                }
            }
        }
        Ok(())
    })
}

/// True when the span lies inside a single cycle (a zero-width span at a
/// cycle start counts as inside that cycle).
fn within_one_cycle(span: &Span) -> Result<bool, crate::pattern::QueryError> {
    // `end <= sam + 1`, with integers only: `ceiling end <= floor begin + 1`.
    Ok(span.begin < span.end && span.end.ceil_int() <= span.begin.floor_int() + 1)
}

/// Structure from the right (`*>`, `+|`).
pub fn app_right<A: Element, B: Element, C: Element>(
    pa: &Pattern<A>,
    pb: &Pattern<B>,
    f: impl Fn(&A, &B) -> C + Send + Sync + 'static,
) -> Pattern<C> {
    binary(pa, pb, f, |pa, pb, f, st, out| {
        let constant = pa.constant();
        let mut scratch = Vec::new();
        for eb in &pb.query(st)? {
            let span = eb.whole_or_part();
            if let (Some(a), true) = (constant, within_one_cycle(&span)?) {
                out.push(Event::new(eb.whole, eb.part, f(a, &eb.value)));
                continue;
            }
            scratch.clear();
            pa.query_into(&st.with_span(span), &mut scratch)?;
            for ea in &scratch {
                if let Some(part) = ea.part.sub_span(&eb.part) {
                    out.push(Event::new(eb.whole, part, f(&ea.value, &eb.value)));
                }
            }
        }
        Ok(())
    })
}

/// Which side gives the structure when two patterns are combined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Structure {
    Left,
    Right,
    Both,
    /// The outer events' timing, the inner pattern squeezed into each.
    Squeeze,
}

/// Combines two patterns with the chosen structure.
pub fn app_with<A: Element, B: Element, C: Element>(
    how: Structure,
    pa: &Pattern<A>,
    pb: &Pattern<B>,
    f: impl Fn(&A, &B) -> C + Send + Sync + 'static,
) -> Pattern<C> {
    match how {
        Structure::Left => app_left(pa, pb, f),
        Structure::Right => app_right(pa, pb, f),
        Structure::Both => app_both(pa, pb, f),
        Structure::Squeeze => {
            let f = std::sync::Arc::new(f);
            let pb = pb.clone();
            squeeze_join(&pa.fmap(move |a| {
                let (a, f) = (a.clone(), f.clone());
                pb.fmap(move |b| f(&a, b))
            }))
        }
    }
}

/// Flattens with wholes from both outer and inner (`unwrap`, monadic bind).
pub fn unwrap<T: Element>(pp: &Pattern<Pattern<T>>) -> Pattern<T> {
    if let Some(inner) = pp.constant() {
        // One outer event per cycle: the inner pattern cut at cycles, its
        // wholes met with the cycle.
        let inner = inner.clone();
        return Pattern::appending(move |st, out| {
            for e in inner.query(st)? {
                let cycle = Span::cycle_of(e.part.begin)?;
                let whole = match e.whole {
                    Some(w) => match cycle.sub_span(&w) {
                        Some(w) => Some(w),
                        None => continue,
                    },
                    None => None,
                };
                out.push(Event::new(whole, e.part, e.value));
            }
            Ok(())
        })
        .split_queries();
    }
    join_by(pp, move |st, outer, out| {
        for inner in outer.value.query(&st.with_span(outer.part))? {
            push_within(outer.whole, outer.part, inner, out);
        }
        Ok(())
    })
}

/// A pattern of patterns flattened by `each`, given every outer event.
#[inline]
fn join_by<T: Element>(
    pp: &Pattern<Pattern<T>>,
    each: impl for<'a> Fn(&State<'a>, Event<Pattern<T>>, &mut Events<T>) -> Result<(), QueryError>
        + Send
        + Sync
        + 'static,
) -> Pattern<T> {
    let pp = pp.clone();
    Pattern::appending(move |st, out| {
        for outer in pp.query(st)? {
            each(st, outer, out)?;
        }
        Ok(())
    })
}

/// Pushes an inner event seen through an outer one: its whole where both
/// wholes meet (none if either has none; dropped if they do not meet), its
/// part where the parts meet (dropped if they do not).
#[inline]
fn push_within<T>(
    outer_whole: Option<Span>,
    outer_part: Span,
    inner: Event<T>,
    out: &mut Events<T>,
) {
    let whole = match (outer_whole, inner.whole) {
        (Some(a), Some(b)) => match a.sub_span(&b) {
            Some(w) => Some(w),
            None => return,
        },
        _ => None,
    };
    if let Some(part) = outer_part.sub_span(&inner.part) {
        out.push(Event::new(whole, part, inner.value));
    }
}

/// Flattens keeping the inner pattern's structure (`innerJoin`): how
/// patterned parameters such as `fast "1 2"` work.
pub fn inner_join<T: Element>(pp: &Pattern<Pattern<T>>) -> Pattern<T> {
    join_by(pp, move |st, outer, out| {
        for inner in outer.value.query(&st.with_span(outer.part))? {
            let Some(p) = st.span.sub_span(&inner.part) else {
                continue;
            };
            let Some(p) = p.sub_span(&st.span) else {
                continue;
            };
            out.push(Event::new(inner.whole, p, inner.value));
        }
        Ok(())
    })
}

/// Flattens keeping the outer pattern's structure, sampling the inner at
/// each outer onset (`outerJoin`).
pub fn outer_join<T: Element>(pp: &Pattern<Pattern<T>>) -> Pattern<T> {
    join_by(pp, move |st, outer, out| {
        let at = Span::point(outer.whole_begin());
        for inner in outer.value.query(&st.with_span(at))? {
            if let Some(p) = st.span.sub_span(&outer.part) {
                out.push(Event::new(outer.whole, p, inner.value));
            }
        }
        Ok(())
    })
}

/// Flattens by squeezing a whole cycle of each inner pattern into its outer
/// event (`squeezeJoin`).
pub fn squeeze_join<T: Element>(pp: &Pattern<Pattern<T>>) -> Pattern<T> {
    join_by(pp, move |st, outer, out| {
        let w = outer.whole_or_part().cycle_relative()?;
        let squeezed = outer.value.compress(w.begin, w.end);
        for inner in squeezed.query(&st.with_span(outer.part))? {
            push_within(outer.whole, outer.part, inner, out);
        }
        Ok(())
    })
}

/// A function of a plain value lifted to a patterned one, with the
/// parameter pattern's cycles cutting the result (`tParam`).
pub fn tparam<A: Element, T: Element>(
    param: &Pattern<A>,
    f: impl Fn(&A) -> Pattern<T> + Send + Sync + 'static,
) -> Pattern<T> {
    // With a constant parameter the join only cuts queries at cycles.
    if let Some(a) = param.constant() {
        return f(a).split_queries();
    }
    inner_join(&param.fmap(f))
}

/// Like [`tparam`] but each result squeezed into its parameter's event
/// (`tParamSqueeze`).
pub fn tparam_squeeze<A: Element, T: Element>(
    param: &Pattern<A>,
    f: impl Fn(&A) -> Pattern<T> + Send + Sync + 'static,
) -> Pattern<T> {
    squeeze_join(&param.fmap(f))
}

/// Three-parameter version of [`tparam`] (`tParam3`).
pub fn tparam3<A: Element, B: Element, C: Element, T: Element>(
    pa: &Pattern<A>,
    pb: &Pattern<B>,
    pc: &Pattern<C>,
    f: impl Fn(&A, &B, &C) -> Pattern<T> + Send + Sync + 'static,
) -> Pattern<T> {
    let ab = app_both(pa, pb, |a, b| (a.clone(), b.clone()));
    let abc = app_both(&ab, pc, |(a, b), c| (a.clone(), b.clone(), c.clone()));
    inner_join(&abc.fmap(move |(a, b, c)| f(a, b, c)))
}

/// Two-parameter version of [`tparam`] (`tParam2`).
pub fn tparam2<A: Element, B: Element, T: Element>(
    pa: &Pattern<A>,
    pb: &Pattern<B>,
    f: impl Fn(&A, &B) -> Pattern<T> + Send + Sync + 'static,
) -> Pattern<T> {
    inner_join(&app_both(pa, pb, f))
}
