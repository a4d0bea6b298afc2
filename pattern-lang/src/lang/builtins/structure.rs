//! Builtins that combine and restructure patterns: stack, cat, timeCat,
//! jux, stut, echo, struct, mask, sew, euclid, ur, fit, squeeze, bite, chew,
//! spread, select...

use std::sync::Arc;

use super::helpers::{memo_tparam, wrap_index};
use super::{pat, to_pattern, Builtin, Call, R};
use crate::arith::{self, Op};
use crate::core::applicative::{
    app_both, app_left, app_left_owned, squeeze_join, tparam, tparam2, tparam3, unwrap,
};
use crate::core::concat::{fastcat, slowcat, stack, timecat};
use crate::core::controls::{squeeze_join_up, stut};
use crate::core::euclid::{euclid_off, euclid_with};
use crate::core::random::{irand, rand, wchoose_by};
use crate::event::Event;
use crate::lang::error::LangError;
use crate::lang::runtime::{apply, Val};
use crate::pattern::Pattern;
use crate::time::Time;
use crate::value::{Value, ValueMap};

fn control(name: &'static str, v: Value) -> Value {
    Value::Map(ValueMap::singleton(name, v))
}

fn stack_b(c: &Call) -> R {
    pat(stack(c.pat_list(0)?))
}

fn overlay_b(c: &Call) -> R {
    pat(stack(vec![c.pat(0)?, c.pat(1)?]))
}

fn slowcat_b(c: &Call) -> R {
    pat(slowcat(c.pat_list(0)?))
}

fn fastcat_b(c: &Call) -> R {
    pat(fastcat(c.pat_list(0)?))
}

fn append_b(c: &Call) -> R {
    pat(slowcat(vec![c.pat(0)?, c.pat(1)?]))
}

fn fast_append_b(c: &Call) -> R {
    pat(slowcat(vec![c.pat(0)?, c.pat(1)?]).fast_by(Time::int(2)))
}

fn pair(c: &Call, v: &Val) -> Result<(Val, Val), LangError> {
    match v {
        Val::Tuple(t) if t.len() == 2 => Ok((t[0].clone(), t[1].clone())),
        _ => Err(c.err("expected a pair")),
    }
}

fn timecat_b(c: &Call) -> R {
    let mut parts = Vec::new();
    for item in c.list(0)?.iter() {
        let (w, p) = pair(c, item)?;
        let w = match w {
            Val::Scalar(v) => v.as_time().ok_or_else(|| c.err("expected a time"))?,
            _ => return Err(c.err("expected (time, pattern) pairs")),
        };
        parts.push((
            w,
            to_pattern(&p).ok_or_else(|| c.err("expected (time, pattern) pairs"))?,
        ));
    }
    pat(timecat(parts))
}

fn randcat_b(c: &Call) -> R {
    let pats = c.pat_list(0)?;
    let n = pats.len() as i64;
    let cat = slowcat(pats);
    let offsets = app_left(&Pattern::pure(()), &irand(n), |_, r| *r);
    pat(unwrap(
        &offsets.fmap(move |r| cat.rot_l(Time::int(*r as i64))),
    ))
}

fn wrandcat_b(c: &Call) -> R {
    let mut pairs = Vec::new();
    for item in c.list(0)?.iter() {
        let (p, w) = pair(c, item)?;
        let p = to_pattern(&p).ok_or_else(|| c.err("expected (pattern, weight) pairs"))?;
        let w = match w {
            Val::Scalar(v) => v.as_f64().ok_or_else(|| c.err("expected a weight"))?,
            _ => return Err(c.err("expected (pattern, weight) pairs")),
        };
        pairs.push((p, w));
    }
    let chooser = app_left(&Pattern::pure(()), &rand(), |_, r| *r);
    pat(unwrap(&wchoose_by(&chooser, pairs)))
}

fn layer_b(c: &Call) -> R {
    let x = c.val(1)?.clone();
    let mut out = Vec::new();
    for f in c.list(0)?.iter() {
        out.push(
            to_pattern(&apply(f, x.clone())?)
                .ok_or_else(|| c.err("layer: functions should give patterns"))?,
        );
    }
    pat(stack(out))
}

fn pan_pattern(p: &Pattern<f64>) -> Pattern<Value> {
    p.fmap(|x| control("pan", Value::F(*x)))
}

/// `juxBy n f p`: the pattern panned one way, `f` of it the other.
fn jux_by(
    n: Pattern<f64>,
    f: super::PatFn,
    p: Pattern<Value>,
) -> Result<Pattern<Value>, LangError> {
    let half = pan_pattern(&app_both(&n, &Pattern::pure(2.0), |a, b| a / b));
    let centre = Pattern::pure(control("pan", Value::F(0.5)));
    // `p |+ pan 0.5 |- pan (n/2)` (or `|+` for the other side).
    let side = |op: Op| match half.constant() {
        // With a constant `n` both steps are taken in one pass: the same
        // fragments (both cut each event at the same cycles), each value
        // combined with the two constants in turn.
        Some(h) => {
            let (c, h) = (control("pan", Value::F(0.5)), h.clone());
            app_left_owned(&p, &Pattern::pure(()), move |x, _| {
                arith::operate_owned(op, arith::operate_owned(Op::Add, x, &c), &h)
            })
        }
        None => {
            let add = |a: &Pattern<Value>, b: &Pattern<Value>, op: Op| {
                app_left(a, b, move |x, y| arith::operate(op, x, y))
            };
            add(&add(&p, &centre, Op::Add), &half, op)
        }
    };
    Ok(stack(vec![side(Op::Sub), f(side(Op::Add))?]))
}

fn jux_b(c: &Call) -> R {
    pat(jux_by(Pattern::pure(1.0), c.func(0)?, c.pat(1)?)?)
}

fn jux_by_b(c: &Call) -> R {
    pat(jux_by(c.f64_pat(0)?, c.func(1)?, c.pat(2)?)?)
}

fn stut_b(c: &Call) -> R {
    let p = c.pat(3)?;
    let (count, feedback, step) = (c.int_pat(0)?, c.f64_pat(1)?, c.time_pat(2)?);
    pat(tparam3(&count, &feedback, &step, move |&n, &fb, &t| {
        stut(n, fb, t, &p)
    }))
}

/// `_stutWith`: `f` applied once more to each later copy.
fn echo_with(
    count: i64,
    step: Time,
    f: &super::PatFn,
    p: &Pattern<Value>,
) -> Result<Pattern<Value>, LangError> {
    if count <= 1 {
        return Ok(p.clone());
    }
    let mut acc = p.clone();
    for _ in 1..count.min(1024) {
        acc = stack(vec![f(acc.rot_r(step))?, p.clone()]);
    }
    Ok(acc)
}

fn stut_with_b(c: &Call) -> R {
    let f = c.func(2)?;
    let p = c.pat(3)?;
    let args = app_left(&c.int_pat(0)?, &c.time_pat(1)?, |n, t| (*n, *t));
    pat(memo_tparam(&args, move |&(n, t)| echo_with(n, t, &f, &p))?)
}

fn echo_b(c: &Call) -> R {
    let p = c.pat(3)?;
    let (count, step, feedback) = (c.int_pat(0)?, c.time_pat(1)?, c.f64_pat(2)?);
    pat(tparam3(
        &count,
        &step,
        &feedback,
        move |&count, &step, &feedback| {
            let gain = Pattern::pure(control("gain", Value::F(feedback)));
            let f: super::PatFn = Arc::new(move |q: Pattern<Value>| {
                Ok(app_left(&q, &gain, |a, b| arith::operate(Op::Mul, a, b)))
            });
            echo_with(count, step, &f, &p).unwrap_or_else(|_| Pattern::silence())
        },
    ))
}

fn struct_b(c: &Call) -> R {
    let bools = c.bool_pat(0)?;
    pat(
        app_left(&bools, &c.pat(1)?, |b, v| (*b, v.clone())).filter_map(|(b, v)| {
            if *b {
                Some(v.clone())
            } else {
                None
            }
        }),
    )
}

fn mask_with(bools: &Pattern<bool>, p: &Pattern<Value>) -> Pattern<Value> {
    app_left(p, &bools.filter_values(|b| *b), |v, _| v.clone())
}

fn mask_b(c: &Call) -> R {
    pat(mask_with(&c.bool_pat(0)?, &c.pat(1)?))
}

fn sew_b(c: &Call) -> R {
    let b = c.bool_pat(0)?;
    pat(stack(vec![
        mask_with(&b, &c.pat(1)?),
        mask_with(&b.fmap(|x| !x), &c.pat(2)?),
    ]))
}

fn struct_with(bools: &Pattern<bool>, p: &Pattern<Value>) -> Pattern<Value> {
    app_left(bools, p, |b, v| (*b, v.clone()))
        .filter_map(|(b, v)| if *b { Some(v.clone()) } else { None })
}

fn stitch_b(c: &Call) -> R {
    let b = c.bool_pat(0)?;
    pat(stack(vec![
        struct_with(&b, &c.pat(1)?),
        struct_with(&b.fmap(|x| !x), &c.pat(2)?),
    ]))
}

fn while_b(c: &Call) -> R {
    let b = c.bool_pat(0)?;
    let p = c.pat(2)?;
    let fp = c.apply_to(1, &p)?;
    pat(stack(vec![
        mask_with(&b, &fp),
        mask_with(&b.fmap(|x| !x), &p),
    ]))
}

fn inv_b(c: &Call) -> R {
    pat(c.pat(0)?.fmap(|v| match v {
        Value::B(b) => Value::B(!b),
        other => other.clone(),
    }))
}

fn euclid_b(c: &Call) -> R {
    let p = c.pat(2)?;
    pat(tparam2(&c.int_pat(0)?, &c.int_pat(1)?, move |&n, &k| {
        euclid_with(n, k, false, &p)
    }))
}

fn euclid_inv_b(c: &Call) -> R {
    let p = c.pat(2)?;
    pat(tparam2(&c.int_pat(0)?, &c.int_pat(1)?, move |&n, &k| {
        euclid_with(n, k, true, &p)
    }))
}

fn euclid_full_b(c: &Call) -> R {
    let (n, k) = (c.int_pat(0)?, c.int_pat(1)?);
    let (pa, pb) = (c.pat(2)?, c.pat(3)?);
    let on = tparam2(&n, &k, move |&n, &k| euclid_with(n, k, false, &pa));
    let off = tparam2(&n, &k, move |&n, &k| euclid_with(n, k, true, &pb));
    pat(stack(vec![on, off]))
}

fn euclid_off_b(c: &Call) -> R {
    let p = c.pat(3)?;
    pat(crate::core::euclid::euclid_off_pat(
        &c.int_pat(0)?,
        &c.int_pat(1)?,
        &c.int_pat(2)?,
        &p,
        euclid_off,
    ))
}

fn ur_b(c: &Call) -> R {
    let t = c.time(0)?;
    let outer = c.pat(1)?;
    let mut named: Vec<(String, Pattern<Value>)> = Vec::new();
    for item in c.list(2)?.iter() {
        let (name, p) = pair(c, item)?;
        let Val::Str(name) = name else {
            return Err(c.err("ur: expected (name, pattern) pairs"));
        };
        named.push((
            name.to_string(),
            to_pattern(&p)
                .ok_or_else(|| c.err("ur: expected patterns"))?
                .fast_by(t),
        ));
    }
    let mut funcs: Vec<(String, Val)> = Vec::new();
    for item in c.list(3)?.iter() {
        let (name, f) = pair(c, item)?;
        let Val::Str(name) = name else {
            return Err(c.err("ur: expected (name, function) pairs"));
        };
        funcs.push((name.to_string(), f));
    }
    let src = c.src;
    let timed = outer.filter_digital().with_events(move |events| {
        Ok(events
            .into_iter()
            .map(|e| {
                let whole = e.whole.unwrap_or(e.part);
                Event::new(e.whole, e.part, (whole, e.value))
            })
            .collect())
    });
    let placed = timed.fmap(move |(whole, v)| {
        let text = v.as_str().unwrap_or("").to_string();
        let mut fields = text.split(':').filter(|f| !f.is_empty());
        let name = fields.next().unwrap_or("");
        let p = named
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.clone())
            .unwrap_or_else(Pattern::silence);
        match fields.next() {
            None => p,
            Some(fname) => {
                let Some((_, f)) = funcs.iter().find(|(n, _)| n == fname) else {
                    return p;
                };
                let Ok(d) = whole.end - whole.begin else {
                    return Pattern::silence();
                };
                let Ok(n) = d.recip() else {
                    return Pattern::silence();
                };
                let f = f.clone();
                let applied = (|| -> Result<Pattern<Value>, LangError> {
                    let slowed = p.slow_by(n);
                    let out = apply(&f, Val::Pat(slowed))?;
                    to_pattern(&out).ok_or_else(|| {
                        LangError::eval(src, "ur: the function should give a pattern")
                    })
                })();
                match applied {
                    Ok(q) => q.fast_by(n).rot_r(whole.begin),
                    Err(_) => Pattern::silence(),
                }
            }
        }
    });
    pat(unwrap(&placed).slow_by(t))
}

fn fit_b(c: &Call) -> R {
    let items: Vec<Value> = c
        .list(1)?
        .iter()
        .map(|v| match v {
            Val::Scalar(x) => Ok(x.clone()),
            Val::Str(s) => Ok(Value::S(s.clone())),
            _ => Err(c.err("fit: expected a list of plain values")),
        })
        .collect::<Result<_, _>>()?;
    let p = c.int_pat(2)?;
    pat(tparam(&c.int_pat(0)?, move |&per_cycle| {
        let items = items.clone();
        p.with_events(move |events| {
            Ok(events
                .into_iter()
                .filter_map(|e| {
                    let pos = per_cycle.wrapping_mul(e.part.begin.floor_int() as i64);
                    let v = wrap_index(&items, e.value.wrapping_add(pos))?;
                    Some(Event::new(e.whole, e.part, v))
                })
                .collect())
        })
    }))
}

fn squeeze_b(c: &Call) -> R {
    let pats = c.pat_list(1)?;
    if pats.is_empty() {
        return pat(Pattern::silence());
    }
    pat(squeeze_join(&c.int_pat(0)?.fmap(move |i| {
        wrap_index(&pats, *i).unwrap_or_else(Pattern::silence)
    })))
}

fn zoom_slice(p: &Pattern<Value>, n: i64, i: i64) -> Pattern<Value> {
    let i = i.rem_euclid(n.max(1));
    match (
        Time::new(i as i128, n as i128),
        Time::new(i as i128 + 1, n as i128),
    ) {
        (Ok(b), Ok(e)) => p.zoom(b, e),
        _ => Pattern::silence(),
    }
}

fn bite_b(c: &Call) -> R {
    let (ipat, p) = (c.int_pat(1)?, c.pat(2)?);
    pat(tparam(&c.int_pat(0)?, move |&n| {
        let p = p.clone();
        if n == 0 {
            return Pattern::silence();
        }
        squeeze_join(&ipat.fmap(move |&i| zoom_slice(&p, n, i)))
    }))
}

fn chew_b(c: &Call) -> R {
    let (ipat, p) = (c.int_pat(1)?, c.pat(2)?);
    pat(tparam(&c.int_pat(0)?, move |&n| {
        if n == 0 {
            return Pattern::silence();
        }
        let p = p.clone();
        let chewed = squeeze_join_up(&ipat.fmap(move |&i| zoom_slice(&p, n, i)));
        let speed = Pattern::pure(control("speed", Value::F(n as f64)));
        app_left(&chewed, &speed, |a, b| arith::operate(Op::Div, a, b))
    }))
}

fn spread_with(c: &Call, fast: bool) -> R {
    let f = c.val(0)?.clone();
    let x = c.val(2)?.clone();
    let mut pats = Vec::new();
    for v in c.list(1)?.iter() {
        let applied = apply(&apply(&f, v.clone())?, x.clone())?;
        pats.push(
            to_pattern(&applied)
                .ok_or_else(|| c.err("spread: the function should give patterns"))?,
        );
    }
    pat(if fast { fastcat(pats) } else { slowcat(pats) })
}

fn spread_b(c: &Call) -> R {
    spread_with(c, false)
}

fn fastspread_b(c: &Call) -> R {
    spread_with(c, true)
}

fn select_b(c: &Call) -> R {
    let pats = c.pat_list(1)?;
    if pats.is_empty() {
        return pat(Pattern::silence());
    }
    pat(tparam(&c.f64_pat(0)?, move |&f| {
        let i = (f.clamp(0.0, 1.0) * (pats.len() - 1) as f64).floor() as usize;
        pats[i.min(pats.len() - 1)].clone()
    }))
}

fn applied_list(c: &Call, i: usize, p: &Pattern<Value>) -> Result<Vec<Pattern<Value>>, LangError> {
    c.list(i)?
        .iter()
        .map(|f| {
            to_pattern(&apply(f, Val::Pat(p.clone()))?)
                .ok_or_else(|| c.err("the functions should give patterns"))
        })
        .collect()
}

fn select_f_b(c: &Call) -> R {
    let p = c.pat(2)?;
    let results = applied_list(c, 1, &p)?;
    if results.is_empty() {
        return pat(Pattern::silence());
    }
    pat(tparam(&c.f64_pat(0)?, move |&f| {
        let i = (f.clamp(0.0, 0.999999) * results.len() as f64).floor() as usize;
        results[i.min(results.len() - 1)].clone()
    }))
}

fn pick_f_b(c: &Call) -> R {
    let p = c.pat(2)?;
    let results = applied_list(c, 1, &p)?;
    pat(tparam(&c.int_pat(0)?, move |&i| {
        wrap_index(&results, i).unwrap_or_else(Pattern::silence)
    }))
}

fn silence_b(_: &Call) -> R {
    pat(Pattern::silence())
}

pub fn builtins() -> Vec<Builtin> {
    let lp = "[Pattern a] -> Pattern a";
    vec![
        Builtin::new("silence", "Pattern a", "no events", "silence", silence_b),
        Builtin::new("stack", lp, "plays all the patterns at once", "stack [s \"bd\", s \"hh*2\"]", stack_b),
        Builtin::new("overlay", "Pattern a -> Pattern a -> Pattern a", "plays two patterns at once", "overlay (s \"bd sn\") (s \"hh*3\")", overlay_b),
        Builtin::new("cat", lp, "one pattern per cycle, in turn", "cat [s \"bd*2\", s \"sn cp\"]", slowcat_b),
        Builtin::new("slowcat", lp, "one pattern per cycle, in turn (same as cat)", "slowcat [s \"bd\", s \"sn\"]", slowcat_b),
        Builtin::new("slowCat", lp, "same as slowcat", "slowCat [s \"bd\", s \"sn\"]", slowcat_b),
        Builtin::new("fastcat", lp, "all the patterns squeezed into one cycle", "fastcat [s \"bd\", s \"sn\"]", fastcat_b),
        Builtin::new("fastCat", lp, "same as fastcat", "fastCat [s \"bd\", s \"sn\"]", fastcat_b),
        Builtin::new("append", "Pattern a -> Pattern a -> Pattern a", "alternates two patterns cycle by cycle", "append (s \"bd\") (s \"sn\")", append_b),
        Builtin::new("slowAppend", "Pattern a -> Pattern a -> Pattern a", "same as append", "slowAppend (s \"bd\") (s \"sn\")", append_b),
        Builtin::new("slowappend", "Pattern a -> Pattern a -> Pattern a", "same as append", "slowappend (s \"bd\") (s \"sn\")", append_b),
        Builtin::new("fastAppend", "Pattern a -> Pattern a -> Pattern a", "both patterns squeezed into one cycle", "fastAppend (s \"bd\") (s \"sn\")", fast_append_b),
        Builtin::new("fastappend", "Pattern a -> Pattern a -> Pattern a", "same as fastAppend", "fastappend (s \"bd\") (s \"sn\")", fast_append_b),
        Builtin::new("timeCat", "[(Time, Pattern a)] -> Pattern a", "patterns squeezed into a cycle with relative lengths", "timeCat [(1, s \"bd*4\"), (1, s \"hh27*8\")]", timecat_b),
        Builtin::new("timecat", "[(Time, Pattern a)] -> Pattern a", "same as timeCat", "timecat [(1, s \"bd\"), (2, s \"sn\")]", timecat_b),
        Builtin::new("randcat", lp, "a randomly chosen pattern each cycle", "randcat [s \"bd*2\", s \"sn\"]", randcat_b),
        Builtin::new("wrandcat", "[(Pattern a, Double)] -> Pattern a", "a pattern chosen each cycle by weight", "wrandcat [(s \"bd\", 0.75), (s \"sn\", 0.25)]", wrandcat_b),
        Builtin::new("layer", "[a -> Pattern b] -> a -> Pattern b", "applies several functions and stacks the results", "layer [rev, fast 2] $ s \"bd sn\"", layer_b),
        Builtin::new("jux", "(ControlPattern -> ControlPattern) -> ControlPattern -> ControlPattern", "the pattern on the left, the transformed copy on the right", "jux rev $ s \"bd sn hh\"", jux_b),
        Builtin::new("juxBy", "Pattern Double -> (ControlPattern -> ControlPattern) -> ControlPattern -> ControlPattern", "like jux with a narrower stereo spread", "juxBy 0.5 (fast 2) $ s \"bd sn\"", jux_by_b),
        Builtin::new("stut", "Pattern Int -> Pattern Double -> Pattern Time -> ControlPattern -> ControlPattern", "echoes with decaying gain: count, feedback, time", "stut 3 0.5 0.125 $ s \"bd sn\"", stut_b),
        Builtin::new("echo", "Pattern Int -> Pattern Time -> Pattern Double -> ControlPattern -> ControlPattern", "echoes: count, time, feedback (Tidal 1.9's echo)", "echo 3 0.2 0.5 $ s \"bd sn\"", echo_b),
        Builtin::new("stutWith", "Pattern Int -> Pattern Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "echoes, applying the function again to each echo", "stutWith 3 (1/8) (# speed 2) $ s \"bd sn\"", stut_with_b),
        Builtin::new("stut'", "Pattern Int -> Pattern Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "same as stutWith", "stut' 3 (1/8) (# speed 2) $ s \"bd sn\"", stut_with_b),
        Builtin::new("echoWith", "Pattern Int -> Pattern Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "same as stutWith", "echoWith 3 (1/8) (# speed 2) $ s \"bd sn\"", stut_with_b),
        Builtin::new("struct", "Pattern Bool -> Pattern a -> Pattern a", "gives the pattern the rhythm of the true values", "struct \"t ~ t t\" $ s \"bd\"", struct_b),
        Builtin::new("mask", "Pattern Bool -> Pattern a -> Pattern a", "removes events where the boolean pattern is false", "mask \"1 0 1 1\" $ s \"hh*8\"", mask_b),
        Builtin::new("sew", "Pattern Bool -> Pattern a -> Pattern a -> Pattern a", "switches between two patterns, keeping their structure", "sew \"t f\" (n \"0*4\") (n \"1*8\")", sew_b),
        Builtin::new("stitch", "Pattern Bool -> Pattern a -> Pattern a -> Pattern a", "switches between two patterns with the boolean pattern's structure", "stitch \"t f t t\" (s \"bd\") (s \"sn\")", stitch_b),
        Builtin::new("while", "Pattern Bool -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "applies the function where the boolean pattern is true", "while \"1 0\" (fast 2) $ s \"bd sn hh cp\"", while_b),
        Builtin::new("inv", "Pattern Bool -> Pattern Bool", "inverts a boolean pattern", "struct (inv \"t f\") $ s \"bd\"", inv_b),
        Builtin::new("euclid", "Pattern Int -> Pattern Int -> Pattern a -> Pattern a", "a Euclidean rhythm: k onsets over n steps", "euclid 3 8 $ s \"bd\"", euclid_b),
        Builtin::new("euclidInv", "Pattern Int -> Pattern Int -> Pattern a -> Pattern a", "the rests of a Euclidean rhythm", "euclidInv 3 8 $ s \"bd\"", euclid_inv_b),
        Builtin::new("euclidFull", "Pattern Int -> Pattern Int -> Pattern a -> Pattern a -> Pattern a", "one pattern on the onsets, another on the rests", "euclidFull 3 8 (s \"bd\") (s \"hh\")", euclid_full_b),
        Builtin::new("euclidOff", "Pattern Int -> Pattern Int -> Pattern Int -> Pattern a -> Pattern a", "a rotated Euclidean rhythm", "euclidOff 3 8 2 $ s \"bd\"", euclid_off_b),
        Builtin::new("eoff", "Pattern Int -> Pattern Int -> Pattern Int -> Pattern a -> Pattern a", "same as euclidOff", "eoff 3 8 2 $ s \"bd\"", euclid_off_b),
        Builtin::new("ur", "Time -> Pattern String -> [(String, Pattern a)] -> [(String, Pattern a -> Pattern a)] -> Pattern a", "a pattern of named patterns (and transformations), over n cycles", "ur 4 \"a b\" [(\"a\", s \"bd*4\"), (\"b\", s \"sn*2\")] []", ur_b),
        Builtin::new("fit", "Pattern Int -> [a] -> Pattern Int -> Pattern a", "picks from a list, stepping further along each cycle", "s (fit 1 [\"bd\", \"sn\", \"arpy\"] \"0 [~ 1] 2\")", fit_b),
        Builtin::new("squeeze", "Pattern Int -> [Pattern a] -> Pattern a", "squeezes the chosen pattern's cycle into each event", "squeeze \"<0 1>\" [s \"bd sn\", s \"hh*3\"]", squeeze_b),
        Builtin::new("bite", "Pattern Int -> Pattern Int -> Pattern a -> Pattern a", "slices each cycle into n bites and plays them in the given order", "bite 4 \"0 2*2\" $ n \"0 .. 7\" # s \"drum\"", bite_b),
        Builtin::new("chew", "Pattern Int -> Pattern Int -> ControlPattern -> ControlPattern", "like bite, also changing playback speed", "chew 4 \"0 1 [2 3]\" $ n \"0 .. 7\" # s \"drum\"", chew_b),
        Builtin::new("spread", "(a -> t -> Pattern b) -> [a] -> t -> Pattern b", "applies the function with each value in turn, one per cycle", "spread fast [1,2] $ s \"bd sn\"", spread_b),
        Builtin::new("slowspread", "(a -> t -> Pattern b) -> [a] -> t -> Pattern b", "same as spread", "slowspread fast [1,2] $ s \"bd sn\"", spread_b),
        Builtin::new("fastspread", "(a -> t -> Pattern b) -> [a] -> t -> Pattern b", "like spread, all within one cycle", "fastspread fast [1,2] $ s \"bd sn\"", fastspread_b),
        Builtin::new("select", "Pattern Double -> [Pattern a] -> Pattern a", "chooses a pattern by a number from 0 to 1", "select \"<0 0.5 1>\" [s \"bd*2\", s \"sn\", s \"hh*3\"]", select_b),
        Builtin::new("selectF", "Pattern Double -> [Pattern a -> Pattern a] -> Pattern a -> Pattern a", "chooses a function by a number from 0 to 1", "selectF \"<0 0.5>\" [rev, fast 2] $ s \"bd sn\"", select_f_b),
        Builtin::new("pickF", "Pattern Int -> [Pattern a -> Pattern a] -> Pattern a -> Pattern a", "chooses a function by index", "pickF \"<0 1>\" [rev, fast 2] $ s \"bd sn\"", pick_f_b),
    ]
}
