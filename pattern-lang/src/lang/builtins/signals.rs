//! Continuous signals (sine, saw, tri, square, envelopes, their bipolar
//! forms) and the functions that scale and step them: range, rangex,
//! quantise, smooth.

use super::{number_as, Builtin, Call, R};
use crate::arith::{self, Op};
use crate::core::applicative::app_right;
use crate::core::signals as sig;
use crate::lang::runtime::Val;
use crate::pattern::Pattern;
use crate::span::Span;
use crate::time::Time;

fn typed(c: &Call, p: Pattern<f64>) -> R {
    let ty = c.result_ty(0);
    Ok(Val::Pat(p.fmap(move |x| number_as(&ty, *x))))
}

macro_rules! signals {
    ($($name:ident = $e:expr;)*) => {
        $(fn $name(c: &Call) -> R { typed(c, $e) })*
    };
}

fn bipolar(p: Pattern<f64>) -> Pattern<f64> {
    p.fmap(|x| x * 2.0 - 1.0)
}

signals! {
    sine = sig::sine();
    cosine = sig::cosine();
    saw = sig::saw();
    isaw = sig::isaw();
    tri = sig::tri();
    square = sig::square();
    env_l = sig::env_l();
    env_lr = sig::env_lr();
    env_eq = sig::env_eq();
    env_eqr = sig::env_eqr();
    sine2 = bipolar(sig::sine());
    cosine2 = bipolar(sig::cosine());
    saw2 = bipolar(sig::saw());
    isaw2 = bipolar(sig::isaw());
    tri2 = bipolar(sig::tri());
    square2 = bipolar(sig::square());
}

fn range(c: &Call) -> R {
    let (from, to, p) = (c.pat(0)?, c.pat(1)?, c.pat(2)?);
    let bounds = app_right(&from, &to, |a, b| (a.clone(), b.clone()));
    Ok(Val::Pat(app_right(&bounds, &p, |(from, to), v| {
        let span = arith::operate(Op::Sub, to, from);
        arith::operate(Op::Add, &arith::operate(Op::Mul, v, &span), from)
    })))
}

fn rangex(c: &Call) -> R {
    let (from, to) = (c.f64(0)?, c.f64(1)?);
    let ty = c.result_ty(3);
    Ok(Val::Pat(
        sig::rangex(from, to, &c.f64_pat(2)?).fmap(move |x| number_as(&ty, *x)),
    ))
}

fn quantise(c: &Call) -> R {
    let n = c.f64(0)?;
    let ty = c.result_ty(2);
    Ok(Val::Pat(c.f64_pat(1)?.fmap(move |x| {
        number_as(&ty, (x * n).round_ties_even() / n)
    })))
}

/// Glides linearly from each event's value to the next one's (`smooth`).
fn smooth(c: &Call) -> R {
    let p = c.f64_pat(0)?;
    let ty = c.result_ty(1);
    let smoothed = Pattern::new(move |st| {
        let span = st.span;
        let mid = span.midpoint()?;
        let here = p.query(&st.with_span(Span::point(mid)))?;
        let Some(e) = here.first() else {
            return Ok(Vec::new());
        };
        let whole = e.whole_or_part();
        let next = p.query(&st.with_span(Span::point(whole.end)))?;
        let value = match next.first() {
            None => e.value,
            Some(n) => {
                let d = (whole.end - whole.begin)?;
                let pc = if d.is_zero() {
                    0.0
                } else {
                    ((e.part.begin - whole.begin)? / d)?.to_f64()
                };
                e.value + (n.value - e.value) * pc
            }
        };
        Ok(vec![crate::event::Event::new(Some(span), span, value)])
    });
    Ok(Val::Pat(smoothed.fmap(move |x| number_as(&ty, *x))))
}

const SIG: &str = "Fractional a => Pattern a";

pub fn builtins() -> Vec<Builtin> {
    let _ = Time::ZERO;
    vec![
        Builtin::new(
            "sine",
            SIG,
            "a sine wave from 0 to 1, once per cycle",
            "s \"bd*8\" # pan sine",
            sine,
        ),
        Builtin::new(
            "cosine",
            SIG,
            "sine shifted by a quarter cycle",
            "s \"bd*8\" # pan cosine",
            cosine,
        ),
        Builtin::new(
            "saw",
            SIG,
            "a ramp from 0 up to 1 each cycle",
            "s \"bd*8\" # pan saw",
            saw,
        ),
        Builtin::new(
            "isaw",
            SIG,
            "a ramp from 1 down to 0 each cycle",
            "s \"bd*8\" # pan isaw",
            isaw,
        ),
        Builtin::new(
            "tri",
            SIG,
            "a triangle wave from 0 to 1 and back each cycle",
            "s \"bd*8\" # pan tri",
            tri,
        ),
        Builtin::new(
            "square",
            SIG,
            "0 for half a cycle, then 1",
            "s \"bd*8\" # pan square",
            square,
        ),
        Builtin::new(
            "envL",
            SIG,
            "a ramp from 0 to 1 over the first cycle, then 1",
            "s \"bd*8\" # gain envL",
            env_l,
        ),
        Builtin::new(
            "envLR",
            SIG,
            "a ramp from 1 to 0 over the first cycle, then 0",
            "s \"bd*8\" # gain envLR",
            env_lr,
        ),
        Builtin::new(
            "envR",
            SIG,
            "same as envLR",
            "s \"bd*8\" # gain envR",
            env_lr,
        ),
        Builtin::new(
            "envEq",
            SIG,
            "an equal-power fade over the first cycle",
            "s \"bd*8\" # gain envEq",
            env_eq,
        ),
        Builtin::new(
            "envEqR",
            SIG,
            "envEq reversed",
            "s \"bd*8\" # gain envEqR",
            env_eqr,
        ),
        Builtin::new(
            "sine2",
            SIG,
            "a sine wave from -1 to 1",
            "s \"bd*8\" # speed (1 + sine2)",
            sine2,
        ),
        Builtin::new(
            "cosine2",
            SIG,
            "cosine from -1 to 1",
            "s \"bd*8\" # speed (1 + cosine2)",
            cosine2,
        ),
        Builtin::new(
            "saw2",
            SIG,
            "a ramp from -1 to 1",
            "s \"bd*8\" # speed (1 + saw2)",
            saw2,
        ),
        Builtin::new(
            "isaw2",
            SIG,
            "a ramp from 1 to -1",
            "s \"bd*8\" # speed (1 + isaw2)",
            isaw2,
        ),
        Builtin::new(
            "tri2",
            SIG,
            "a triangle from -1 to 1",
            "s \"bd*8\" # speed (1 + tri2)",
            tri2,
        ),
        Builtin::new(
            "square2",
            SIG,
            "-1 for half a cycle, then 1",
            "s \"bd*8\" # speed (1 + square2)",
            square2,
        ),
        Builtin::new(
            "range",
            "Num a => Pattern a -> Pattern a -> Pattern a -> Pattern a",
            "scales a 0..1 pattern to the given range",
            "s \"hh*8\" # gain (range 0.8 1 rand)",
            range,
        ),
        Builtin::new(
            "rangex",
            "Floating a => a -> a -> Pattern a -> Pattern a",
            "scales a 0..1 pattern exponentially",
            "s \"bd*8\" # speed (rangex 1 4 sine)",
            rangex,
        ),
        Builtin::new(
            "quantise",
            "Fractional a => a -> Pattern a -> Pattern a",
            "rounds values to the nearest 1/n",
            "n (quantise 1 $ segment 4 $ range 0 7 sine) # s \"arpy\"",
            quantise,
        ),
        Builtin::new(
            "smooth",
            "Fractional a => Pattern a -> Pattern a",
            "glides between the values of a pattern",
            "s \"bd*8\" # pan (smooth \"0 1 0.5\")",
            smooth,
        ),
    ]
}
