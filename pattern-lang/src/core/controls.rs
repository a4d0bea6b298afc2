//! Controls as pattern functions: a pattern of values under one name,
//! `sound`, which reads `name:index` into `s` and `n`, and the combinators
//! that set controls to follow what they do to time (`hurry`'s speed,
//! `squeezeJoinUp`, `_slice`'s begin and end, `_stut`'s gain).

use crate::arith::{self, Op};
use crate::core::applicative::app_left;
use crate::core::concat::stack;
use crate::event::Event;
use crate::pattern::Pattern;
use crate::time::Time;
use crate::value::{Name, Value, ValueMap};

/// The pattern's values under the control `key`.
pub fn control(key: Name, p: Pattern<Value>) -> Pattern<Value> {
    p.fmap(move |v| Value::Map(ValueMap::singleton(key, v.clone())))
}

/// `s`/`sound`: a sample or synth name; `name:i` also sets `n` to `i`.
pub fn sound(p: &Pattern<Value>) -> Pattern<Value> {
    let (s, n): (Name, Name) = ("s", "n");
    p.fmap(move |v| {
        let Value::S(text) = v else {
            return Value::Map(ValueMap::new());
        };
        if !text.contains(':') {
            return Value::Map(ValueMap::singleton(s, v.clone()));
        }
        let mut fields = text.split(':').filter(|f| !f.is_empty());
        let mut pairs = Vec::with_capacity(2);
        if let Some(name) = fields.next() {
            pairs.push((s, Value::str(name)));
        }
        if let Some(index) = fields.next().and_then(read_double) {
            pairs.push((n, Value::F(index)));
        }
        Value::Map(ValueMap::from_pairs(pairs))
    })
}

/// A number in Haskell's `read` syntax for `Double` (`3`, `-1.5`, `2e3`).
pub fn read_double(text: &str) -> Option<f64> {
    let body = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let exp_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    if digits(int) && frac.is_none_or(digits) && exp_ok {
        text.parse().ok()
    } else {
        None
    }
}

/// `p |* speed x`, with `x` a pattern of times.
pub fn times_speed(p: &Pattern<Value>, x: &Pattern<Time>) -> Pattern<Value> {
    let speed = x.fmap(|t| Value::Map(ValueMap::singleton("speed", Value::F(t.to_f64()))));
    app_left(p, &speed, |a, b| arith::operate(Op::Mul, a, b))
}

/// `squeezeJoinUp`: like squeezing, with playback sped up to match.
pub fn squeeze_join_up(pp: &Pattern<Pattern<Value>>) -> Pattern<Value> {
    let pp = pp.filter_digital();
    Pattern::new(move |st| {
        let mut out = Vec::new();
        for outer in pp.query(st)? {
            let Some(w) = outer.whole else { continue };
            let d = (w.end - w.begin)?;
            let rel = w.cycle_relative()?;
            let faster = times_speed(&outer.value, &Pattern::pure(d.recip()?));
            for inner in faster
                .compress(rel.begin, rel.end)
                .query(&st.with_span(outer.part))?
            {
                let Some(iw) = inner.whole else { continue };
                let (Some(w2), Some(p2)) = (w.sub_span(&iw), outer.part.sub_span(&inner.part))
                else {
                    continue;
                };
                out.push(Event::new(Some(w2), p2, inner.value));
            }
        }
        Ok(out)
    })
}

/// `_slice n i p`: the `i`th of `n` slices of each sample.
pub fn slice_at(p: &Pattern<Value>, n: i64, i: i64) -> Pattern<Value> {
    let (b, e) = (i as f64 / n as f64, (i + 1) as f64 / n as f64);
    let range = Pattern::pure(Value::Map(ValueMap::from_pairs(vec![
        ("begin", Value::F(b)),
        ("end", Value::F(e)),
    ])));
    app_left(p, &range, |a, r| arith::operate(Op::KeepRight, a, r))
}

/// `_stut count feedback step p`: `count` copies of `p`, each `step` later
/// and quieter than the one before (`gain` scaled down to `feedback`).
pub fn stut(count: i64, feedback: f64, step: Time, p: &Pattern<Value>) -> Pattern<Value> {
    let count = count.min(1024);
    let scale = |x: f64| feedback + (1.0 - feedback) * ((count as f64 - x) / count as f64);
    let mut layers = vec![p.clone()];
    for x in 1..count.max(1) {
        let gain = Pattern::pure(Value::Map(ValueMap::singleton(
            "gain",
            Value::F(scale(x as f64)),
        )));
        let quieter = app_left(p, &gain, |a, b| arith::operate(Op::Mul, a, b));
        match Time::int(x) * step {
            Ok(t) => layers.push(quieter.rot_r(t)),
            Err(_) => break,
        }
    }
    stack(layers)
}
