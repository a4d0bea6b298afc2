//! Harmony: scales (every scale name Tidal knows), toScale, arpeggios in all
//! of Tidal's modes, rolled chords.

use super::helpers::wrap_index;
use super::scales::scale as scale_steps;
use super::{number_as, pat, Builtin, Call, R};
use crate::core::applicative::{app_left, tparam};
use crate::event::Event;
use crate::lang::runtime::Val;
use crate::pattern::Pattern;
use crate::span::Span;
use crate::time::Time;
use crate::value::Value;

/// The `x`th note of a scale, continuing into higher and lower octaves.
fn note_in_scale(steps: &[f64], octave: f64, x: i64) -> Option<f64> {
    let n = steps.len() as i64;
    let base = wrap_index(steps, x)?;
    Some(base + octave * x.div_euclid(n) as f64)
}

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

/// The notes of one chord rearranged by an arpeggio mode.
fn arp_mode(name: &str, x: Vec<Event<Value>>) -> Vec<Event<Value>> {
    fn init<T: Clone>(v: &[T]) -> Vec<T> {
        v[..v.len().saturating_sub(1)].to_vec()
    }
    fn rev<T: Clone>(v: &[T]) -> Vec<T> {
        v.iter().rev().cloned().collect()
    }
    fn converge<T: Clone>(v: &[T]) -> Vec<T> {
        let mut out = Vec::with_capacity(v.len());
        let (mut lo, mut hi) = (0usize, v.len());
        let mut front = true;
        while lo < hi {
            if front {
                out.push(v[lo].clone());
                lo += 1;
            } else {
                hi -= 1;
                out.push(v[hi].clone());
            }
            front = !front;
        }
        out
    }
    let cat =
        |a: Vec<Event<Value>>, b: Vec<Event<Value>>| a.into_iter().chain(b).collect::<Vec<_>>();
    match name {
        "up" => x.clone(),
        "down" => rev(&x),
        "updown" => cat(init(&x), init(&rev(&x))),
        "downup" => cat(init(&rev(&x)), init(&x)),
        "up&down" => cat(x.clone(), rev(&x)),
        "down&up" => cat(rev(&x), x.clone()),
        "converge" => converge(&x),
        "diverge" => rev(&converge(&x)),
        "disconverge" => {
            let c = converge(&x);
            let tail: Vec<_> = rev(&c).into_iter().skip(1).collect();
            cat(c, tail)
        }
        "pinkyup" | "pinkyupdown" => {
            let Some(pinky) = x.last().cloned() else {
                return vec![];
            };
            let up: Vec<_> = init(&x)
                .into_iter()
                .flat_map(|e| [e, pinky.clone()])
                .collect();
            if name == "pinkyup" {
                up
            } else {
                cat(init(&up), init(&rev(&up)))
            }
        }
        "thumbup" | "thumbupdown" => {
            let Some(thumb) = x.first().cloned() else {
                return vec![];
            };
            let up: Vec<_> = x
                .iter()
                .skip(1)
                .flat_map(|e| [thumb.clone(), e.clone()])
                .collect();
            if name == "thumbup" {
                up
            } else {
                cat(init(&up), init(&rev(&up)))
            }
        }
        _ => x,
    }
}

/// Events that share a whole, played one after another within it
/// (`arpWith`).
fn arp_with(p: &Pattern<Value>, mode: String) -> Pattern<Value> {
    p.with_events(move |mut events| {
        events.sort_by_key(|a| a.whole);
        let mut out = Vec::new();
        for chord in events.chunk_by(|a, b| a.whole == b.whole) {
            let group = arp_mode(&mode, chord.to_vec());
            let d = group.len();
            for (n, e) in group.into_iter().enumerate() {
                let Some(w) = e.whole else { continue };
                let dur = ((w.end - w.begin)? / Time::int(d as i64))?;
                let begin = (w.begin + (dur * Time::int(n as i64))?)?;
                let whole = Span::new(begin, (begin + dur)?);
                if let Some(part) = whole.sub_span(&e.part) {
                    out.push(Event::new(Some(whole), part, e.value));
                }
            }
        }
        Ok(out)
    })
}

/// Plays the notes of each chord one after another (`arpeggiate`).
pub fn arpeggiate(p: &Pattern<Value>) -> Pattern<Value> {
    arp_with(p, "up".to_string())
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

/// The notes of each chord start one after another over the first part of
/// it (`rolledWith`, Tidal 1.9).
fn rolled_with(t: Time, p: &Pattern<Value>) -> Pattern<Value> {
    p.with_events(move |mut events| {
        if t < Time::ZERO {
            events.reverse();
        }
        if t.is_zero() {
            return Ok(events);
        }
        let mut out = Vec::new();
        for chord in events.chunk_by(|a, b| a.whole == b.whole) {
            let d = chord.len() as i64;
            for (n, e) in chord.iter().cloned().enumerate() {
                let Some(w) = e.whole else {
                    out.push(e);
                    continue;
                };
                let scale = (t.max(-t).recip()? * Time::int(d))?;
                let dur = ((w.end - w.begin)? / scale)?;
                let begin = (w.begin + (dur * Time::int(n as i64))?)?;
                let whole = Span::new(begin, w.end);
                if let Some(part) = whole.sub_span(&e.part) {
                    out.push(Event::new(Some(whole), part, e.value));
                }
            }
        }
        Ok(out)
    })
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
    let names: Vec<&str> = super::scales::SCALES.iter().map(|(n, _)| *n).collect();
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
