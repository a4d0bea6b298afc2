//! Builtins that cut samples up: chop, striate, striateBy, slice, splice,
//! loopAt, gap.

use super::{pat, Builtin, Call, R};
use crate::arith::{self, Op};
use crate::core::applicative::{app_left, tparam, tparam2};
use crate::core::concat::{fastcat, slowcat};
use crate::core::controls::times_speed;
use crate::event::Event;
use crate::pattern::Pattern;
use crate::span::Span;
use crate::time::Time;
use crate::value::{Value, ValueMap};

fn get(m: &ValueMap, key: &str, default: f64) -> f64 {
    m.get(key).and_then(Value::as_f64).unwrap_or(default)
}

/// The map with `begin` and `end` replaced.
fn with_range(v: &Value, b: f64, e: f64) -> Value {
    match v {
        Value::Map(m) => {
            Value::Map(m.with_entries(&[("begin", Value::F(b)), ("end", Value::F(e))]))
        }
        other => other.clone(),
    }
}

/// Each event cut into `n` parts, each playing its share of the sample
/// (`_chop`).
fn chop_by(n: i64, p: &Pattern<Value>) -> Pattern<Value> {
    if n <= 0 {
        return Pattern::silence();
    }
    let n = n.min(4096);
    let p = p.clone();
    Pattern::appending(move |st, out| {
        let events = p.query(st)?;
        out.reserve(events.len() * n as usize);
        for e in &events {
            let Some(w) = e.whole else { continue };
            let Value::Map(m) = &e.value else { continue };
            let (b, en) = (get(m, "begin", 0.0), get(m, "end", 1.0));
            let d = en - b;
            // Piece i spans `begin + len * i/n ..`: one step added at a time.
            let step = ((w.end - w.begin)? / Time::int(n))?;
            let mut next = w.begin;
            for i in 0..n {
                let begin = next;
                next = if i + 1 == n { w.end } else { (begin + step)? };
                let piece = Span::new(begin, next);
                let Some(part) = e.part.sub_span(&piece) else {
                    continue;
                };
                let b2 = (i as f64 / n as f64) * d + b;
                let e2 = ((i + 1) as f64 / n as f64) * d + b;
                out.push(Event::new(Some(piece), part, with_range(&e.value, b2, e2)));
            }
        }
        Ok(())
    })
}

fn chop(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.int_pat(0)?, move |&n| chop_by(n, &p)))
}

fn striate(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.int_pat(0)?, move |&n| {
        let n = n.clamp(0, 4096);
        fastcat(
            (0..n)
                .map(|i| {
                    let (b, e) = (i as f64 / n as f64, (i + 1) as f64 / n as f64);
                    p.fmap(move |v| match v {
                        Value::Map(m) => {
                            let (b0, e0) = (get(m, "begin", 0.0), get(m, "end", 1.0));
                            let d = e0 - b0;
                            with_range(v, b * d + b0, e * d + b0)
                        }
                        other => other.clone(),
                    })
                })
                .collect(),
        )
    }))
}

fn striate_by(c: &Call) -> R {
    let p = c.pat(2)?;
    pat(tparam2(&c.int_pat(0)?, &c.f64_pat(1)?, move |&n, &f| {
        let n = n.clamp(0, 4096);
        let slot = (1.0 - f) / n as f64;
        fastcat(
            (0..n)
                .map(|i| {
                    let b = slot * i as f64;
                    let range = Pattern::pure(Value::Map(ValueMap::from_pairs(vec![
                        ("begin", Value::F(b)),
                        ("end", Value::F(b + f)),
                    ])));
                    app_left(&p, &range, |a, r| arith::operate(Op::KeepRight, a, r))
                })
                .collect(),
        )
    }))
}

/// `slice n i p`: begin and end from the index pattern's structure, the
/// sound from `p`.
fn slice_pats(n: &Pattern<i64>, i: &Pattern<i64>, p: &Pattern<Value>) -> Pattern<Value> {
    let div = |num: i64, den: i64| {
        if den == 0 {
            0.0
        } else {
            num.rem_euclid(den) as f64 / den as f64
        }
    };
    let ranges = app_left(i, n, move |&i, &n| {
        let b = div(i, n);
        let e = b + div(1, n);
        Value::Map(ValueMap::from_pairs(vec![
            ("begin", Value::F(b)),
            ("end", Value::F(e)),
        ]))
    });
    app_left(&ranges, p, |r, v| arith::operate(Op::KeepRight, r, v))
}

fn slice(c: &Call) -> R {
    pat(slice_pats(&c.int_pat(0)?, &c.int_pat(1)?, &c.pat(2)?))
}

fn splice(c: &Call) -> R {
    let (ipat, p) = (c.int_pat(1)?, c.pat(2)?);
    pat(tparam(&c.int_pat(0)?, move |&bits| {
        let sliced = slice_pats(&Pattern::pure(bits), &ipat, &p);
        let sized = sliced.with_events(move |events| {
            let mut out = Vec::with_capacity(events.len());
            for mut e in events {
                let w = e.whole_or_part();
                let d = (1.0 / bits as f64) / (w.end - w.begin)?.to_f64();
                if let Value::Map(m) = &e.value {
                    let speed = match m.get("speed") {
                        Some(Value::F(s)) => d * s,
                        _ => d,
                    };
                    e.value = Value::Map(
                        m.union_with(&ValueMap::singleton("speed", Value::F(speed)), |_, r| {
                            r.clone()
                        }),
                    );
                }
                out.push(e);
            }
            Ok(out)
        });
        let unit = Pattern::pure(Value::Map(ValueMap::singleton("unit", Value::str("c"))));
        app_left(&sized, &unit, |a, u| arith::operate(Op::KeepRight, a, u))
    }))
}

fn loop_at(c: &Call) -> R {
    let n = c.time_pat(0)?;
    let p = c.pat(1)?;
    let slower = tparam(&n, move |t| p.slow_by(*t));
    let faster = times_speed(&slower, &n.filter_map(|t| t.recip().ok()));
    let unit = Pattern::pure(Value::Map(ValueMap::singleton("unit", Value::str("c"))));
    pat(app_left(&faster, &unit, |a, u| {
        arith::operate(Op::KeepRight, a, u)
    }))
}

fn gap(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.int_pat(0)?, move |&n| {
        if n <= 0 {
            return Pattern::silence();
        }
        // Tidal's mask is the number 1 as a control pattern, `n` 1, which
        // joins every event that has no `n` of its own.
        let one = Value::Map(ValueMap::singleton("n", Value::I(1)));
        let mask = slowcat(vec![Pattern::pure(one), Pattern::silence()]).fast_by(Time::int(n));
        crate::core::applicative::app_both(&mask, &chop_by(n, &p), |a, v| {
            arith::operate(Op::KeepRight, a, v)
        })
    }))
}

const CP: &str = "Pattern Int -> ControlPattern -> ControlPattern";

pub fn builtins() -> Vec<Builtin> {
    vec![
        Builtin::new(
            "chop",
            CP,
            "cuts each event into n parts, each playing part of the sample",
            "chop 4 $ s \"bev*2\"",
            chop,
        ),
        Builtin::new(
            "striate",
            CP,
            "interlaces n parts of each sample across the cycle",
            "striate 4 $ s \"bev*2 sn\"",
            striate,
        ),
        Builtin::new(
            "striateBy",
            "Pattern Int -> Pattern Double -> ControlPattern -> ControlPattern",
            "like striate with parts of the given length",
            "striateBy 3 0.25 $ s \"bev\"",
            striate_by,
        ),
        Builtin::new(
            "striate'",
            "Pattern Int -> Pattern Double -> ControlPattern -> ControlPattern",
            "same as striateBy",
            "striate' 3 0.25 $ s \"bev\"",
            striate_by,
        ),
        Builtin::new(
            "slice",
            "Pattern Int -> Pattern Int -> ControlPattern -> ControlPattern",
            "plays the chosen of n slices of each sample",
            "slice 4 \"0 2\" $ s \"bev\"",
            slice,
        ),
        Builtin::new(
            "splice",
            "Pattern Int -> Pattern Int -> ControlPattern -> ControlPattern",
            "like slice, with speed set so each slice fills its event",
            "splice 4 \"0 2\" $ s \"bev\"",
            splice,
        ),
        Builtin::new(
            "loopAt",
            "Pattern Time -> ControlPattern -> ControlPattern",
            "fits the sample to n cycles",
            "loopAt 2 $ chop 4 $ s \"break\"",
            loop_at,
        ),
        Builtin::new(
            "gap",
            CP,
            "chops into n parts and keeps every other one",
            "gap 4 $ s \"bev\"",
            gap,
        ),
    ]
}
