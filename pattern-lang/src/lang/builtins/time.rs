//! Builtins that move, scale and rearrange time: fast, slow, hurry, `rev`,
//! iter, ply, chunk, linger, zoom, swing, inside/outside, off, rot, run...

use super::helpers::memo_tparam;
use super::{number_as, pat, Builtin, Call, PatFn, R};
use crate::core::applicative::{app_left, squeeze_join, tparam, unwrap};
use crate::core::concat::{fast_from_list, slowcat, stack};
use crate::core::controls::times_speed;
use crate::core::cycles;
use crate::lang::error::LangError;
use crate::pattern::Pattern;
use crate::time::Time;
use crate::value::Value;

fn fast(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.time_pat(0)?, move |t| p.fast_by(*t)))
}

fn slow(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.time_pat(0)?, move |t| p.slow_by(*t)))
}

fn hurry(c: &Call) -> R {
    let x = c.time_pat(0)?;
    let p = c.pat(1)?;
    let faster = tparam(&x, move |t| p.fast_by(*t));
    pat(times_speed(&faster, &x))
}

fn fast_gap(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.time_pat(0)?, move |t| p.fast_gap(*t)))
}

fn rev(c: &Call) -> R {
    pat(c.pat(0)?.rev())
}

fn rot_l(c: &Call) -> R {
    pat(c.pat(1)?.rot_l(c.time(0)?))
}

fn rot_r(c: &Call) -> R {
    pat(c.pat(1)?.rot_r(c.time(0)?))
}

fn zoom(c: &Call) -> R {
    let (b, e) = c.time_pair(0)?;
    pat(c.pat(1)?.zoom(b, e))
}

fn compress(c: &Call) -> R {
    let (b, e) = c.time_pair(0)?;
    pat(c.pat(1)?.compress(b, e))
}

fn linger(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.time_pat(0)?, move |&n| cycles::linger(n, &p)))
}

fn trunc(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.time_pat(0)?, move |&t| {
        p.zoom(Time::ZERO, t).compress(Time::ZERO, t)
    }))
}

fn ply(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.time_pat(0)?, move |&n| {
        squeeze_join(&p.fmap(move |v| Pattern::pure(v.clone()).fast_by(n)))
    }))
}

fn ply_with(c: &Call) -> R {
    let f = c.func(1)?;
    let p = c.pat(2)?;
    let n = c.f64_pat(0)?;
    pat(memo_tparam(&n, move |&n| {
        let mut compound = p.clone();
        let mut k = 1.0;
        while k < n && k < 1024.0 {
            compound = stack(vec![p.clone(), f(compound)?]);
            k += 1.0;
        }
        Ok(crate::core::chords::arpeggiate(&compound))
    })?)
}

fn chunk(c: &Call) -> R {
    let p = c.pat(2)?;
    let fp = c.apply_to(1, &p)?;
    pat(tparam(&c.int_pat(0)?, move |&n| cycles::chunk(n, &fp, &p)))
}

fn chunk_back(c: &Call) -> R {
    let p = c.pat(2)?;
    let fp = c.apply_to(1, &p)?;
    pat(tparam(&c.int_pat(0)?, move |&n| {
        cycles::chunk_back(n, &fp, &p)
    }))
}

fn iter(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.int_pat(0)?, move |&n| cycles::iter(n, &p, false)))
}

fn iter_back(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.int_pat(0)?, move |&n| cycles::iter(n, &p, true)))
}

fn palindrome(c: &Call) -> R {
    let p = c.pat(0)?;
    pat(slowcat(vec![p.clone(), p.rev()]))
}

fn brak(c: &Call) -> R {
    pat(cycles::brak(c.pat(0)?))
}

/// `inside n f p = fast n $ f (slow n p)`.
fn inside_with(
    n: &Pattern<Time>,
    f: PatFn,
    p: Pattern<Value>,
    invert: bool,
) -> Result<Pattern<Value>, LangError> {
    memo_tparam(n, move |&n| {
        let n = if invert {
            n.recip().unwrap_or(Time::ZERO)
        } else {
            n
        };
        Ok(f(p.slow_by(n))?.fast_by(n))
    })
}

fn inside(c: &Call) -> R {
    pat(inside_with(&c.time_pat(0)?, c.func(1)?, c.pat(2)?, false)?)
}

fn outside(c: &Call) -> R {
    pat(inside_with(&c.time_pat(0)?, c.func(1)?, c.pat(2)?, true)?)
}

fn swing_by(c: &Call) -> R {
    let (x, p) = (c.time_pat(0)?, c.pat(2)?);
    pat(memo_tparam(&c.time_pat(1)?, move |&n| {
        Ok(cycles::swing_by(&x, n, &p))
    })?)
}

fn swing(c: &Call) -> R {
    let third = Time::new(1, 3).map_err(|e| c.err(e.to_string()))?;
    let p = c.pat(1)?;
    pat(memo_tparam(&c.time_pat(0)?, move |&n| {
        Ok(cycles::swing_by(&Pattern::pure(third), n, &p))
    })?)
}

fn off(c: &Call) -> R {
    let f = c.func(1)?;
    let p = c.pat(2)?;
    pat(memo_tparam(&c.time_pat(0)?, move |&t| {
        Ok(stack(vec![p.clone(), f(p.rot_r(t))?]))
    })?)
}

fn superimpose(c: &Call) -> R {
    let p = c.pat(1)?;
    let fp = c.apply_to(0, &p)?;
    pat(stack(vec![p, fp]))
}

fn rot(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.int_pat(0)?, move |&i| cycles::rot(i, p.clone())))
}

fn run_values(n: &Value, ty: &crate::lang::types::Ty) -> Vec<Value> {
    match n {
        Value::I(k) => (0..(*k).min(65_536))
            .map(|i| number_as(ty, i as f64))
            .collect(),
        other => {
            let top = other.as_f64().unwrap_or(0.0) - 1.0;
            let mut v = Vec::new();
            let mut x = 0.0;
            while x <= top + 0.5 && v.len() < 65_536 {
                v.push(number_as(ty, x));
                x += 1.0;
            }
            v
        }
    }
}

fn run(c: &Call) -> R {
    let ty = c.result_ty(1);
    pat(unwrap(
        &c.pat(0)?.fmap(move |n| fast_from_list(run_values(n, &ty))),
    ))
}

fn scan(c: &Call) -> R {
    let ty = c.result_ty(1);
    pat(unwrap(&c.pat(0)?.fmap(move |n| {
        let top = n.as_f64().unwrap_or(0.0).min(4096.0) as i64;
        slowcat(
            (1..=top)
                .map(|k| fast_from_list(run_values(&Value::I(k), &ty)))
                .collect(),
        )
    })))
}

fn segment(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.time_pat(0)?, move |&n| {
        app_left(&Pattern::pure(()).fast_by(n), &p, |_, v| v.clone())
    }))
}

fn repeat_cycles(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.int_pat(0)?, move |&n| {
        slowcat(vec![p.clone(); n.clamp(0, 65_536) as usize])
    }))
}

const TP: &str = "Pattern Time -> Pattern a -> Pattern a";
const IP: &str = "Pattern Int -> Pattern a -> Pattern a";

pub fn builtins() -> Vec<Builtin> {
    vec![
        Builtin::new(
            "fast",
            TP,
            "plays the pattern faster by the given factor",
            "fast \"<1 2>\" $ s \"bd sn\"",
            fast,
        ),
        Builtin::new(
            "density",
            TP,
            "same as fast",
            "density 2 $ s \"bd sn\"",
            fast,
        ),
        Builtin::new(
            "slow",
            TP,
            "plays the pattern slower by the given factor",
            "slow 2 $ s \"bd sn hh cp\"",
            slow,
        ),
        Builtin::new(
            "sparsity",
            TP,
            "same as slow",
            "sparsity 2 $ s \"bd sn\"",
            slow,
        ),
        Builtin::new(
            "hurry",
            "Pattern Time -> ControlPattern -> ControlPattern",
            "speeds up both the pattern and the sample playback",
            "hurry \"<1 2>\" $ s \"bd sn\"",
            hurry,
        ),
        Builtin::new(
            "fastGap",
            TP,
            "plays each cycle faster, leaving a gap at the end",
            "fastGap 2 $ s \"bd sn\"",
            fast_gap,
        ),
        Builtin::new(
            "densityGap",
            TP,
            "same as fastGap",
            "densityGap 2 $ s \"bd sn\"",
            fast_gap,
        ),
        Builtin::new(
            "rev",
            "Pattern a -> Pattern a",
            "reverses each cycle",
            "rev $ s \"bd sn hh\"",
            rev,
        ),
        Builtin::new(
            "rotL",
            "Time -> Pattern a -> Pattern a",
            "shifts the pattern earlier by a plain time",
            "rotL 0.25 $ s \"bd sn\"",
            rot_l,
        ),
        Builtin::new(
            "rotR",
            "Time -> Pattern a -> Pattern a",
            "shifts the pattern later by a plain time",
            "rotR 0.25 $ s \"bd sn\"",
            rot_r,
        ),
        Builtin::new(
            "zoom",
            "(Time, Time) -> Pattern a -> Pattern a",
            "plays only part of each cycle, stretched to fill it",
            "zoom (0.25, 0.75) $ s \"bd sn hh cp\"",
            zoom,
        ),
        Builtin::new(
            "zoomArc",
            "(Time, Time) -> Pattern a -> Pattern a",
            "same as zoom",
            "zoomArc (0, 0.5) $ s \"bd sn\"",
            zoom,
        ),
        Builtin::new(
            "compress",
            "(Time, Time) -> Pattern a -> Pattern a",
            "squeezes each cycle into part of the cycle",
            "compress (0.25, 0.75) $ s \"bd sn\"",
            compress,
        ),
        Builtin::new(
            "linger",
            TP,
            "repeats the start of each cycle (negative: the end)",
            "linger 0.25 $ n \"0 .. 7\" # s \"arpy\"",
            linger,
        ),
        Builtin::new(
            "trunc",
            TP,
            "plays only the start of each cycle, leaving silence",
            "trunc 0.75 $ s \"bd sn hh cp\"",
            trunc,
        ),
        Builtin::new(
            "ply",
            TP,
            "repeats each event the given number of times",
            "ply 2 $ s \"bd sn\"",
            ply,
        ),
        Builtin::new(
            "plyWith",
            "Pattern Double -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
            "repeats each event, applying the function again to each repeat",
            "plyWith 3 (|* gain 0.8) $ s \"bd sn\"",
            ply_with,
        ),
        Builtin::new(
            "chunk",
            "Pattern Int -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
            "applies the function to one part of the cycle in turn",
            "chunk 4 (hurry 2) $ s \"bd sn hh cp\"",
            chunk,
        ),
        Builtin::new(
            "chunk'",
            "Pattern Int -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
            "like chunk, moving backwards through the cycle",
            "chunk' 4 (# speed 2) $ s \"bd sn hh cp\"",
            chunk_back,
        ),
        Builtin::new(
            "iter",
            IP,
            "shifts the pattern by one more step each cycle",
            "iter 4 $ s \"bd sn hh cp\"",
            iter,
        ),
        Builtin::new(
            "iter'",
            IP,
            "like iter, shifting the other way",
            "iter' 4 $ s \"bd sn hh cp\"",
            iter_back,
        ),
        Builtin::new(
            "palindrome",
            "Pattern a -> Pattern a",
            "plays forwards, then backwards, alternating cycles",
            "palindrome $ s \"bd sn hh\"",
            palindrome,
        ),
        Builtin::new(
            "brak",
            "Pattern a -> Pattern a",
            "squashes every other cycle and shifts it by a quarter (breakbeat feel)",
            "brak $ s \"bd sn\"",
            brak,
        ),
        Builtin::new(
            "swingBy",
            "Pattern Time -> Pattern Time -> Pattern a -> Pattern a",
            "delays every other subdivision by the given amount",
            "swingBy (1/3) 4 $ s \"hh*8\"",
            swing_by,
        ),
        Builtin::new("swing", TP, "swingBy (1/3)", "swing 4 $ s \"hh*8\"", swing),
        Builtin::new(
            "inside",
            "Pattern Time -> (Pattern a -> Pattern b) -> Pattern a -> Pattern b",
            "applies a function inside a faster cycle",
            "inside 2 rev $ n \"0 .. 7\" # s \"arpy\"",
            inside,
        ),
        Builtin::new(
            "outside",
            "Pattern Time -> (Pattern a -> Pattern b) -> Pattern a -> Pattern b",
            "applies a function across several cycles",
            "outside 2 rev $ n \"<[0 1] [2 3]>\" # s \"arpy\"",
            outside,
        ),
        Builtin::new(
            "off",
            "Pattern Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
            "adds a shifted copy of the pattern with the function applied",
            "off 0.25 (# crush 4) $ s \"bd sn\"",
            off,
        ),
        Builtin::new(
            "superimpose",
            "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
            "plays the pattern and a transformed copy together",
            "superimpose (fast 2) $ s \"bd sn\"",
            superimpose,
        ),
        Builtin::new(
            "rot",
            IP,
            "shifts values (not timing) along the events of each cycle",
            "rot \"<1 2>\" $ n \"0 1 2 3\" # s \"arpy\"",
            rot,
        ),
        Builtin::new(
            "run",
            "Num a => Pattern a -> Pattern a",
            "0 up to n-1 in one cycle",
            "n (run 4) # s \"arpy\"",
            run,
        ),
        Builtin::new(
            "scan",
            "Num a => Pattern a -> Pattern a",
            "runs of growing length, one per cycle",
            "n (scan 4) # s \"arpy\"",
            scan,
        ),
        Builtin::new(
            "segment",
            TP,
            "samples the pattern n times per cycle (gives structure to signals)",
            "n (segment 4 $ irand 8) # s \"drum\"",
            segment,
        ),
        Builtin::new(
            "discretise",
            TP,
            "same as segment",
            "n (discretise 4 $ irand 8) # s \"drum\"",
            segment,
        ),
        Builtin::new(
            "repeatCycles",
            IP,
            "repeats each cycle the given number of times",
            "repeatCycles 2 $ n \"<0 1 2>\" # s \"arpy\"",
            repeat_cycles,
        ),
    ]
}
