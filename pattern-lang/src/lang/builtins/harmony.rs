//! Harmony builtins: scale, toScale, scaleList, arp and arpeggiate, rolled
//! chords; the scales and chord-playing live in core.

use super::{number_as, pat, Builtin, Call, R};
use crate::core::applicative::{app_left, tparam};
use crate::core::chords::{arp_with, arpeggiate, rolled_with};
use crate::core::scales::{note_in_scale, scale as scale_steps, SCALES};
use crate::lang::runtime::Val;
use crate::pattern::Pattern;
use crate::time::Time;

fn scale(c: &Call) -> R {
    let ty = c.result_ty(2);
    let names = c.pat(0)?;
    let degrees = c.int_pat(1)?;
    pat(app_left(&degrees, &names, move |&x, name| {
        let steps = name.as_str().and_then(scale_steps).unwrap_or(&[0.0]);
        number_as(&ty, note_in_scale(steps, 12.0, x).unwrap_or(0.0))
    }))
}

fn to_scale_with(c: &Call, octave: f64, list: usize, degrees: usize) -> R {
    let ty = c.result_ty(degrees + 1);
    let steps: Vec<f64> = c
        .list(list)?
        .iter()
        .map(|v| match v {
            Val::Scalar(x) => x.as_f64().ok_or_else(|| c.err("toScale: expected numbers")),
            _ => Err(c.err("toScale: expected a list of numbers")),
        })
        .collect::<Result<_, _>>()?;
    if steps.is_empty() {
        return pat(Pattern::silence());
    }
    pat(c
        .int_pat(degrees)?
        .filter_map(move |&x| note_in_scale(&steps, octave, x).map(|v| number_as(&ty, v))))
}

fn to_scale(c: &Call) -> R {
    to_scale_with(c, 12.0, 0, 1)
}

fn to_scale_octave(c: &Call) -> R {
    let octave = c.f64(0)?;
    to_scale_with(c, octave, 1, 2)
}

fn arpeggiate_b(c: &Call) -> R {
    pat(arpeggiate(&c.pat(0)?))
}

fn arp(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.pat(0)?, move |mode| {
        arp_with(&p, mode.as_str().unwrap_or("up").to_string())
    }))
}

fn rolled_by(c: &Call) -> R {
    let p = c.pat(1)?;
    let t = app_left(&Pattern::pure(()), &c.time_pat(0)?, |_, t| *t);
    pat(tparam(&t, move |&t| rolled_with(t, &p)))
}

fn rolled(c: &Call) -> R {
    let quarter = Time::new(1, 4).map_err(|e| c.err(e.to_string()))?;
    pat(rolled_with(quarter, &c.pat(0)?).split_queries())
}

fn scale_list(_: &Call) -> R {
    let names: Vec<&str> = SCALES.iter().map(|(n, _)| *n).collect();
    Ok(Val::Str(names.join(" ").into()))
}

pub fn builtins() -> Vec<Builtin> {
    vec![
        Builtin::new("scale", "Fractional a => Pattern String -> Pattern Int -> Pattern a", "scale degrees to notes, in the named scale", "n (scale \"major\" \"0 .. 7\") # s \"superpiano\"", scale),
        Builtin::new("scaleList", "String", "the names of every scale", "scaleList", scale_list),
        Builtin::new("toScale", "Num a => [a] -> Pattern Int -> Pattern a", "scale degrees to notes, with the scale given as a list", "n (toScale [0, 2, 7] \"0 1 2 3\") # s \"superpiano\"", to_scale),
        Builtin::new("toScale'", "Num a => Int -> [a] -> Pattern Int -> Pattern a", "like toScale with a given octave size", "n (toScale' 10 [0, 2, 7] \"0 1 2 3\") # s \"superpiano\"", to_scale_octave),
        Builtin::new("arp", "Pattern String -> Pattern a -> Pattern a", "arpeggiates chords: up down updown downup up&down down&up converge diverge disconverge pinkyup pinkyupdown thumbup thumbupdown", "n (arp \"<up downup>\" \"<c'maj e'min>\") # s \"superpiano\"", arp),
        Builtin::new("arpeggiate", "Pattern a -> Pattern a", "plays the notes of each chord one after another", "arpeggiate $ n \"c'maj e'min\" # s \"superpiano\"", arpeggiate_b),
        Builtin::new("arpg", "Pattern a -> Pattern a", "same as arpeggiate", "arpg $ n \"c'maj\" # s \"superpiano\"", arpeggiate_b),
        Builtin::new("rolled", "Pattern a -> Pattern a", "strums each chord over the first quarter of it", "rolled $ n \"c'maj e'min\" # s \"superpiano\"", rolled),
        Builtin::new("rolledBy", "Pattern Time -> Pattern a -> Pattern a", "strums each chord over the given part of it (negative: downwards)", "rolledBy \"<0.25 -0.5>\" $ n \"c'maj9\" # s \"superpiano\"", rolled_by),
    ]
}
