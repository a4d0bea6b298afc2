//! Builtins that apply a function only sometimes: every, whenmod, within,
//! sometimesBy and its family, someCyclesBy, fix and contrast.

use super::{pat, Builtin, Call, PatFn, R};
use crate::core::applicative::{app_both, tparam, unwrap};
use crate::core::concat::stack;
use crate::core::cycles::{self, when_cycle};
use crate::core::random::{degrade_by, time_to_rand, undegrade_by};
use crate::lang::error::LangError;
use crate::lang::runtime::{apply, Val};
use crate::pattern::Pattern;
use crate::span::Span;
use crate::time::Time;
use crate::value::{values_equal, Value};

/// A test function of the session's code (`Int -> Bool`, `Time -> Bool`) called at query
/// time; an error in it counts as false.
fn test_fn(
    c: &Call,
    i: usize,
) -> Result<impl Fn(Value) -> bool + Send + Sync + 'static, LangError> {
    let f = c.val(i)?.clone();
    Ok(move |x: Value| match apply(&f, Val::Scalar(x)) {
        Ok(Val::Scalar(v)) => v.as_bool().unwrap_or(false),
        _ => false,
    })
}

/// `when test f p`: `f p` in the cycles whose number passes the test.
fn when(c: &Call) -> R {
    let test = test_fn(c, 0)?;
    let p = c.pat(2)?;
    let fp = c.apply_to(1, &p)?;
    pat(when_cycle(move |cyc| test(Value::I(cyc as i64)), fp, p))
}

/// `ifp test f g p`: `f p` in the cycles that pass the test, `g p` in the others.
fn ifp(c: &Call) -> R {
    let test = test_fn(c, 0)?;
    let p = c.pat(3)?;
    let (fp, gp) = (c.apply_to(1, &p)?, c.apply_to(2, &p)?);
    pat(when_cycle(move |cyc| test(Value::I(cyc as i64)), fp, gp))
}

/// `whenT test f p`: `f p` for the queries (cycle pieces) whose start passes the test.
fn when_time(c: &Call) -> R {
    let test = test_fn(c, 0)?;
    let p = c.pat(2)?;
    let fp = c.apply_to(1, &p)?;
    pat(Pattern::appending(move |st, out| {
        if test(Value::R(st.span.begin)) {
            fp.query_into(st, out)
        } else {
            p.query_into(st, out)
        }
    })
    .split_queries())
}

fn every(c: &Call) -> R {
    let p = c.pat(2)?;
    let fp = c.apply_to(1, &p)?;
    pat(tparam(&c.int_pat(0)?, move |&n| {
        if n == 0 {
            return p.clone();
        }
        when_cycle(move |cyc| cyc % n as i128 == 0, fp.clone(), p.clone())
    }))
}

fn every_offset(c: &Call) -> R {
    let p = c.pat(3)?;
    let fp = c.apply_to(2, &p)?;
    let offsets = c.int_pat(1)?;
    pat(unwrap(&c.int_pat(0)?.fmap(move |&n| {
        let (fp, p) = (fp.clone(), p.clone());
        unwrap(&offsets.fmap(move |&o| {
            if n == 0 {
                return Pattern::silence();
            }
            when_cycle(
                move |cyc| cyc.rem_euclid(n as i128) == o as i128,
                fp.clone(),
                p.clone(),
            )
        }))
    })))
}

fn whenmod(c: &Call) -> R {
    let p = c.pat(3)?;
    let fp = c.apply_to(2, &p)?;
    let args = app_both(&c.time_pat(0)?, &c.time_pat(1)?, |a, b| (*a, *b));
    pat(tparam(&args, move |&(a, b)| {
        let (fp, p) = (fp.clone(), p.clone());
        Pattern::appending(move |st, out| {
            let hit = st.span.begin.modulo(a).map(|m| m >= b).unwrap_or(false);
            if hit {
                fp.query_into(st, out)
            } else {
                p.query_into(st, out)
            }
        })
        .split_queries()
    }))
}

fn within(c: &Call) -> R {
    let (b, e) = c.time_pair(0)?;
    let p = c.pat(2)?;
    let fp = c.apply_to(1, &p)?;
    pat(cycles::within(b, e, fp, p))
}

fn within_zoomed(c: &Call) -> R {
    let (b, e) = c.time_pair(0)?;
    let p = c.pat(2)?;
    let fp = c.apply_to(1, &p.zoom(b, e))?.compress(b, e);
    pat(cycles::within(b, e, fp, p))
}

/// `sometimesBy x f p`: `f` applied to the events a random draw keeps.
fn sometimes_with(
    x: Pattern<f64>,
    f: &PatFn,
    p: &Pattern<Value>,
    after: bool,
) -> Result<Pattern<Value>, LangError> {
    let kept = {
        let p = p.clone();
        tparam(&x, move |&x| degrade_by(x, &p))
    };
    let changed = if after {
        let fp = f(p.clone())?;
        tparam(&x, move |&x| undegrade_by(x, &fp))
    } else {
        let p = p.clone();
        f(tparam(&x, move |&x| undegrade_by(x, &p)))?
    };
    Ok(stack(vec![kept, changed]))
}

fn sometimes_by(c: &Call) -> R {
    pat(sometimes_with(
        c.f64_pat(0)?,
        &c.func(1)?,
        &c.pat(2)?,
        false,
    )?)
}

fn sometimes_by_after(c: &Call) -> R {
    pat(sometimes_with(
        c.f64_pat(0)?,
        &c.func(1)?,
        &c.pat(2)?,
        true,
    )?)
}

macro_rules! sometimes_fixed {
    ($($name:ident = $x:expr, $after:expr;)*) => {
        $(fn $name(c: &Call) -> R { pat(sometimes_with(Pattern::pure($x), &c.func(0)?, &c.pat(1)?, $after)?) })*
    };
}

sometimes_fixed! {
    sometimes = 0.5, false; often = 0.75, false; rarely = 0.25, false; almost_never = 0.1, false; almost_always = 0.9, false;
    sometimes_after = 0.5, true; often_after = 0.75, true; rarely_after = 0.25, true; almost_always_after = 0.9, true;
}

fn always(c: &Call) -> R {
    pat(c.apply_to(0, &c.pat(1)?)?)
}

fn never(c: &Call) -> R {
    pat(c.pat(1)?)
}

fn some_cycles_with(x: Pattern<f64>, c: &Call, fi: usize, pi: usize) -> R {
    let p = c.pat(pi)?;
    let fp = c.apply_to(fi, &p)?;
    pat(tparam(&x, move |&x| {
        when_cycle(
            move |cyc| time_to_rand(Time::new(cyc, 1).unwrap_or(Time::ZERO)) < x,
            fp.clone(),
            p.clone(),
        )
    }))
}

fn some_cycles_by(c: &Call) -> R {
    some_cycles_with(c.f64_pat(0)?, c, 1, 2)
}

fn some_cycles(c: &Call) -> R {
    some_cycles_with(Pattern::pure(0.5), c, 0, 1)
}

/// `contrast f g matcher p`: `f` on events whose controls contain the
/// matcher's (at their onset), `g` on the others.
fn contrast_with(
    f: &PatFn,
    g: &PatFn,
    matcher: Pattern<Value>,
    p: &Pattern<Value>,
) -> Result<Pattern<Value>, LangError> {
    let tagged = {
        let p = p.clone();
        Pattern::new(move |st| {
            let mut out = Vec::new();
            for e in p.query(st)? {
                let at = Span::point(e.whole_begin());
                let found = matcher.query(&st.with_span(at))?;
                let hit = match &e.value {
                    Value::Map(m) => found.iter().any(|x| match &x.value {
                        Value::Map(want) => want
                            .iter()
                            .all(|(k, v)| m.get(k).is_some_and(|w| values_equal(v, w))),
                        _ => false,
                    }),
                    _ => false,
                };
                out.push(crate::event::Event::new(e.whole, e.part, (hit, e.value)));
            }
            Ok(out)
        })
    };
    let matched = tagged.filter_map(|(hit, v)| if *hit { Some(v.clone()) } else { None });
    let unmatched = tagged.filter_map(|(hit, v)| if *hit { None } else { Some(v.clone()) });
    Ok(stack(vec![f(matched)?, g(unmatched)?]))
}

fn identity() -> PatFn {
    std::sync::Arc::new(Ok)
}

fn contrast(c: &Call) -> R {
    pat(contrast_with(
        &c.func(0)?,
        &c.func(1)?,
        c.pat(2)?,
        &c.pat(3)?,
    )?)
}

fn fix(c: &Call) -> R {
    pat(contrast_with(
        &c.func(0)?,
        &identity(),
        c.pat(1)?,
        &c.pat(2)?,
    )?)
}

fn unfix(c: &Call) -> R {
    pat(contrast_with(
        &identity(),
        &c.func(0)?,
        c.pat(1)?,
        &c.pat(2)?,
    )?)
}

const F3: &str = "(Pattern a -> Pattern a) -> Pattern a -> Pattern a";

pub fn builtins() -> Vec<Builtin> {
    vec![
        Builtin::new("when", "(Int -> Bool) -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "applies the function in the cycles whose number passes the test", "when ((== 0) . (flip mod 4)) (striate 4) $ s \"bd sn\"", when),
        Builtin::new("ifp", "(Int -> Bool) -> (Pattern a -> Pattern a) -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "one function in the cycles whose number passes the test, the other in the rest", "ifp ((== 0) . (flip mod 2)) (striate 4) (# coarse \"24 48\") $ s \"bd sn\"", ifp),
        Builtin::new("whenT", "(Time -> Bool) -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "applies the function where the time (of each cycle's piece) passes the test", "whenT ((< 0.5) . cyclePos) (# speed 2) $ s \"bd*4\"", when_time),
        Builtin::new("every", "Pattern Int -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "applies the function every n cycles", "every 3 (fast 2) $ s \"bd sn\"", every),
        Builtin::new("every'", "Pattern Int -> Pattern Int -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "every n cycles, starting at cycle o", "every' 4 2 (fast 2) $ s \"bd sn\"", every_offset),
        Builtin::new("whenmod", "Pattern Time -> Pattern Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "applies the function when cycle mod a >= b", "whenmod 8 6 rev $ n \"0 1 2\" # s \"arpy\"", whenmod),
        Builtin::new("within", "(Time, Time) -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "applies the function to part of each cycle", "within (0, 0.5) (fast 2) $ s \"bd sn hh cp\"", within),
        Builtin::new("within'", "(Time, Time) -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "like within, the function sees that part stretched to a cycle", "within' (0, 0.5) (fast 2) $ s \"bd sn hh cp\"", within_zoomed),
        Builtin::new("sometimesBy", "Pattern Double -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "applies the function to events at random, with the given probability", "sometimesBy 0.3 (# speed 2) $ s \"bd*8\"", sometimes_by),
        Builtin::new("sometimesBy'", "Pattern Double -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "like sometimesBy, choosing events after the function", "sometimesBy' 0.3 (# speed 2) $ s \"bd*8\"", sometimes_by_after),
        Builtin::new("sometimes", F3, "sometimesBy 0.5", "sometimes (# speed 2) $ s \"bd*8\"", sometimes),
        Builtin::new("sometimes'", F3, "sometimesBy' 0.5", "sometimes' (# speed 2) $ s \"bd*8\"", sometimes_after),
        Builtin::new("often", F3, "sometimesBy 0.75", "often (# crush 4) $ s \"hh*8\"", often),
        Builtin::new("often'", F3, "sometimesBy' 0.75", "often' (# crush 4) $ s \"hh*8\"", often_after),
        Builtin::new("rarely", F3, "sometimesBy 0.25", "rarely (hurry 2) $ s \"bd sn\"", rarely),
        Builtin::new("rarely'", F3, "sometimesBy' 0.25", "rarely' (hurry 2) $ s \"bd sn\"", rarely_after),
        Builtin::new("almostNever", F3, "sometimesBy 0.1", "almostNever (# speed 2) $ s \"bd*8\"", almost_never),
        Builtin::new("almostNever'", F3, "sometimesBy 0.1", "almostNever' (# speed 2) $ s \"bd*8\"", almost_never),
        Builtin::new("almostAlways", F3, "sometimesBy 0.9", "almostAlways (# speed 2) $ s \"bd*8\"", almost_always),
        Builtin::new("almostAlways'", F3, "sometimesBy' 0.9", "almostAlways' (# speed 2) $ s \"bd*8\"", almost_always_after),
        Builtin::new("always", F3, "always applies the function", "always (# speed 2) $ s \"bd*2\"", always),
        Builtin::new("never", F3, "never applies the function", "never (# speed 2) $ s \"bd*2\"", never),
        Builtin::new("someCyclesBy", "Pattern Double -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "applies the function to whole cycles at random", "someCyclesBy 0.3 (fast 2) $ s \"bd sn\"", some_cycles_by),
        Builtin::new("somecyclesBy", "Pattern Double -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a", "same as someCyclesBy", "somecyclesBy 0.3 (fast 2) $ s \"bd sn\"", some_cycles_by),
        Builtin::new("someCycles", F3, "someCyclesBy 0.5", "someCycles (# speed 2) $ s \"bd*4\"", some_cycles),
        Builtin::new("somecycles", F3, "someCyclesBy 0.5", "somecycles (# speed 2) $ s \"bd*4\"", some_cycles),
        Builtin::new("contrast", "(ControlPattern -> ControlPattern) -> (ControlPattern -> ControlPattern) -> ControlPattern -> ControlPattern -> ControlPattern", "one function on events matching the controls, another on the rest", "contrast (# speed 2) (# speed 0.5) (n \"1\") $ s \"drum\" # n \"1 2\"", contrast),
        Builtin::new("fix", "(ControlPattern -> ControlPattern) -> ControlPattern -> ControlPattern -> ControlPattern", "applies the function to events matching the controls", "fix (fast 2) (s \"hh\") $ s \"bd hh sn hh\"", fix),
        Builtin::new("unfix", "(ControlPattern -> ControlPattern) -> ControlPattern -> ControlPattern -> ControlPattern", "applies the function to events not matching the controls", "unfix (# crush 4) (n 1) $ s \"drum\" # n \"1 2\"", unfix),
    ]
}
