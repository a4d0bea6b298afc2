//! Builtins that place a pattern's cycles and copies in time: press and pressBy, loopFirst
//! and timeLoop, seqP and seqPLoop, wedge, stutter, the ghost family, spin, and weave.

use super::{pat, Builtin, Call, R};
use crate::arith::{operate, Op};
use crate::core::applicative::{app_both, app_left, squeeze_join, tparam};
use crate::core::concat::{overlay, stack};
use crate::lang::error::LangError;
use crate::lang::runtime::Val;
use crate::pattern::Pattern;
use crate::span::Span;
use crate::time::Time;
use crate::value::{Value, ValueMap};

/// Each event squeezed into the part of its span from `r` (0..1) to its end.
fn press_by(r: Time, p: &Pattern<Value>) -> Pattern<Value> {
    squeeze_join(&p.fmap(move |v| Pattern::pure(v.clone()).compress_to(Span::new(r, Time::ONE))))
}

fn press(c: &Call) -> R {
    pat(press_by(Time::new(1, 2).unwrap_or(Time::ZERO), &c.pat(0)?))
}

fn press_by_b(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.time_pat(0)?, move |&r| press_by(r, &p)))
}

/// Every cycle plays the pattern's first cycle.
fn loop_first(p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    Pattern::appending(move |st, out| {
        let sam = st.span.begin.sam();
        let shifted = st.span.map(|t| t - sam)?;
        let start = out.len();
        p.query_into(&st.with_span(shifted), out)?;
        for e in &mut out[start..] {
            e.map_times(|t| t + sam)?;
        }
        Ok(())
    })
    .split_queries()
}

fn loop_first_b(c: &Call) -> R {
    pat(loop_first(&c.pat(0)?))
}

/// `timeLoop n`: the first `n` cycles, over and over.
fn time_loop(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.time_pat(0)?, move |&n| {
        if n <= Time::ZERO {
            return Pattern::silence();
        }
        loop_first(&p.fast_by(n)).slow_by(n)
    }))
}

/// `(begin, end, pattern)` triples of a `seqP` list.
fn sections(c: &Call, i: usize) -> Result<Vec<(Time, Time, Pattern<Value>)>, LangError> {
    c.list(i)?
        .iter()
        .map(|v| {
            let Val::Tuple(t) = v else {
                return Err(c.err("expected (begin, end, pattern) triples"));
            };
            match t.as_slice() {
                [Val::Scalar(b), Val::Scalar(e), p] => {
                    let (Some(b), Some(e)) = (b.as_time(), e.as_time()) else {
                        return Err(c.err("expected times in (begin, end, pattern)"));
                    };
                    let p = super::to_pattern(p)
                        .ok_or_else(|| c.err("expected a pattern in (begin, end, pattern)"))?;
                    Ok((b, e, p))
                }
                _ => Err(c.err("expected (begin, end, pattern) triples")),
            }
        })
        .collect()
}

/// Each pattern plays from its begin to its end cycle, starting from its own first cycle.
fn seq_p(parts: &[(Time, Time, Pattern<Value>)]) -> Pattern<Value> {
    stack(
        parts
            .iter()
            .map(|(b, e, p)| p.rot_r(b.sam()).play_for(*b, *e))
            .collect(),
    )
}

fn seq_p_b(c: &Call) -> R {
    pat(seq_p(&sections(c, 0)?))
}

/// `seqP`, looped over the span its sections cover.
fn seq_p_loop(c: &Call) -> R {
    let parts = sections(c, 0)?;
    let (Some(lo), Some(hi)) = (
        parts.iter().map(|p| p.0).min(),
        parts.iter().map(|p| p.1).max(),
    ) else {
        return pat(Pattern::silence());
    };
    let span = (hi - lo).map_err(|e| c.err(e.to_string()))?;
    if span <= Time::ZERO {
        return pat(Pattern::silence());
    }
    let p = seq_p(&parts).rot_l(lo);
    pat(loop_first(&p.fast_by(span)).slow_by(span))
}

/// `wedge t p q`: `p` squashed into the first `t` of each cycle, `q` into the rest.
fn wedge(c: &Call) -> R {
    let (p, q) = (c.pat(1)?, c.pat(2)?);
    pat(tparam(&c.time_pat(0)?, move |&t| {
        if t == Time::ZERO {
            return q.clone();
        }
        if t == Time::ONE {
            return p.clone();
        }
        let rest = (Time::ONE - t).and_then(|r| r.recip());
        match (t.recip(), rest) {
            (Ok(a), Ok(b)) => overlay(p.fast_gap(a), q.fast_gap(b).rot_r(t)),
            _ => Pattern::silence(),
        }
    }))
}

/// `stutter n t p`: `n` copies of `p`, each `t` later than the one before.
fn stutter(c: &Call) -> R {
    let (n, t, p) = (c.int(0)?.clamp(0, 4096), c.time(1)?, c.pat(2)?);
    let mut copies = Vec::new();
    for i in 0..n {
        let shift = (t * Time::int(i)).map_err(|e| c.err(e.to_string()))?;
        copies.push(p.rot_r(shift));
    }
    pat(stack(copies))
}

/// `ghost'' a f p`: `p` with two copies changed by `f`, `1.5 a` and `2.5 a` later.
fn ghost_with(
    a: Time,
    p: &Pattern<Value>,
    f: impl Fn(Pattern<Value>) -> Result<Pattern<Value>, LangError>,
) -> Result<Pattern<Value>, LangError> {
    let at = |k: (i128, i128)| Time::new(k.0, k.1).and_then(|k| a * k);
    let (near, far) = match (at((3, 2)), at((5, 2))) {
        (Ok(n), Ok(f)) => (n, f),
        (Err(e), _) | (_, Err(e)) => {
            return Err(LangError::eval(Default::default(), e.to_string()))
        }
    };
    let inner = stack(vec![p.clone(), f(p.clone())?.rot_r(near)]);
    Ok(stack(vec![inner.clone(), f(inner)?.rot_r(far)]))
}

/// The change a ghost note gets: quieter, shorter, a little higher.
fn ghostly(p: Pattern<Value>) -> Result<Pattern<Value>, LangError> {
    let with = |p: &Pattern<Value>, op: Op, name: &'static str, x: f64| {
        let m = Pattern::pure(Value::Map(ValueMap::singleton(name, Value::F(x))));
        app_both(p, &m, move |a, b| operate(op, a, b))
    };
    let p = with(&p, Op::Mul, "speed", 1.25);
    let p = app_left(
        &p,
        &Pattern::pure(Value::Map(ValueMap::singleton("end", Value::F(0.2)))),
        |a, b| operate(Op::KeepRight, a, b),
    );
    Ok(with(&p, Op::Mul, "gain", 0.7))
}

fn ghost(c: &Call) -> R {
    pat(ghost_with(
        Time::new(1, 8).unwrap_or(Time::ZERO),
        &c.pat(0)?,
        ghostly,
    )?)
}

fn ghost_at(c: &Call) -> R {
    pat(ghost_with(c.time(0)?, &c.pat(1)?, ghostly)?)
}

fn ghost_fn(c: &Call) -> R {
    let f = c.func(1)?;
    pat(ghost_with(c.time(0)?, &c.pat(2)?, |p| f(p))?)
}

/// `spin n p`: `n` copies of `p`, each shifted earlier by `i/n` cycle and panned to `i/n`.
fn spin(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.int_pat(0)?, move |&n| {
        let n = n.clamp(0, 4096);
        stack(
            (0..n)
                .filter_map(|i| {
                    let offset = Time::new(i as i128, n as i128).ok()?;
                    let pan = Value::Map(ValueMap::singleton("pan", Value::F(offset.to_f64())));
                    Some(app_left(&p.rot_l(offset), &Pattern::pure(pan), |a, b| {
                        operate(Op::KeepRight, a, b)
                    }))
                })
                .collect(),
        )
    }))
}

/// `weaveWith t p fs`: each function applied to `p` stretched over `t` cycles, the
/// results offset from one another by an equal share of those cycles.
fn weave_with(
    t: Time,
    p: &Pattern<Value>,
    fs: Vec<super::PatFn>,
) -> Result<Pattern<Value>, LangError> {
    let l = fs.len() as i128;
    if l == 0 || t <= Time::ZERO {
        return Ok(Pattern::silence());
    }
    let stretched = p.slow_by(t);
    let mut layers = Vec::with_capacity(fs.len());
    for (i, f) in fs.iter().enumerate() {
        let offset = Time::new(i as i128, l)
            .map_err(|e| LangError::eval(Default::default(), e.to_string()))?;
        layers.push(f(stretched.clone())?.fast_by(t).rot_l(offset));
    }
    Ok(stack(layers).slow_by(t))
}

fn weave_with_b(c: &Call) -> R {
    let fs = c
        .list(2)?
        .iter()
        .map(|f| super::func_of(f, c.src))
        .collect::<Vec<_>>();
    pat(weave_with(c.time(0)?, &c.pat(1)?, fs)?)
}

/// `weave t p ps`: each of `ps` takes its controls from `p` (`q # p`), offset across `t` cycles.
fn weave(c: &Call) -> R {
    let fs = c
        .pat_list(2)?
        .into_iter()
        .map(|q| -> super::PatFn {
            std::sync::Arc::new(move |p: Pattern<Value>| {
                Ok(app_left(&q, &p, |a, b| operate(Op::KeepRight, a, b)))
            })
        })
        .collect();
    pat(weave_with(c.time(0)?, &c.pat(1)?, fs)?)
}

#[rustfmt::skip]
pub fn builtins() -> Vec<Builtin> {
    const WEAVE_WITH: &str = "Time -> Pattern a -> [Pattern a -> Pattern a] -> Pattern a";
    vec![
        Builtin::new("press", "Pattern a -> Pattern a", "moves each event to the second half of its span", "press $ s \"bd sn hh cp\"", press),
        Builtin::new("pressBy", "Pattern Time -> Pattern a -> Pattern a", "moves each event to start the given fraction into its span", "pressBy \"<0 0.25 0.5>\" $ s \"bd sn hh cp\"", press_by_b),
        Builtin::new("loopFirst", "Pattern a -> Pattern a", "repeats the first cycle", "loopFirst $ s \"<bd sn> hh\"", loop_first_b),
        Builtin::new("timeLoop", "Pattern Time -> Pattern a -> Pattern a", "repeats the first n cycles", "timeLoop 2 $ s \"<bd sn cp>\"", time_loop),
        Builtin::new("seqP", "[(Time, Time, Pattern a)] -> Pattern a", "plays each pattern from its begin to its end cycle", "seqP [(0, 4, s \"bd*2\"), (2, 6, s \"hh*4\")]", seq_p_b),
        Builtin::new("seqPLoop", "[(Time, Time, Pattern a)] -> Pattern a", "seqP, looped", "seqPLoop [(0, 2, s \"bd*2\"), (1, 3, s \"hh*4\")]", seq_p_loop),
        Builtin::new("wedge", "Pattern Time -> Pattern a -> Pattern a -> Pattern a", "squashes one pattern into the first part of each cycle and another into the rest", "wedge (1/4) (s \"bd*2\") (s \"hh*3\")", wedge),
        Builtin::new("stutter", "Int -> Time -> Pattern a -> Pattern a", "n copies, each the given time after the one before", "stutter 4 (1/16) $ s \"bd cp\"", stutter),
        Builtin::new("ghost", "ControlPattern -> ControlPattern", "adds quieter, shorter ghost notes after each event", "ghost $ s \"~ sn\"", ghost),
        Builtin::new("ghost'", "Time -> ControlPattern -> ControlPattern", "ghost with the given spacing", "ghost' (1/16) $ s \"~ sn\"", ghost_at),
        Builtin::new("ghost''", "Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "ghost notes made by the given function", "ghost'' (1/8) (# crush 4) $ s \"~ sn\"", ghost_fn),
        Builtin::new("spin", "Pattern Int -> ControlPattern -> ControlPattern", "copies shifted in time and spread across the stereo field", "spin 2 $ s \"bd sn\"", spin),
        Builtin::new("weave", "Time -> ControlPattern -> [ControlPattern] -> ControlPattern", "applies each control pattern to a long pattern, offset across its cycles", "weave 4 (pan sine) [s \"bd sn\", s \"hh*4\"]", weave),
        Builtin::new("weaveWith", WEAVE_WITH, "applies each function to a long pattern, offset across its cycles", "weaveWith 3 (s \"bd [sn drum:2*2] bd*2 [sn drum:1]\") [fast 2, (# speed \"0.5\"), chop 16]", weave_with_b),
        Builtin::new("weave'", WEAVE_WITH, "same as weaveWith", "weave' 3 (s \"bd sn\") [fast 2, (# speed 2)]", weave_with_b),
    ]
}
