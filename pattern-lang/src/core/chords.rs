//! Chords played out: arpeggios in each of Tidal's modes (`arpWith`,
//! `arpeggiate`) and rolled chords (`rolledWith`). A chord is the events
//! that share a whole.

use crate::event::Event;
use crate::pattern::Pattern;
use crate::span::Span;
use crate::time::Time;
use crate::value::Value;

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
pub fn arp_with(p: &Pattern<Value>, mode: String) -> Pattern<Value> {
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

/// The notes of each chord start one after another over the first part of
/// it (`rolledWith`, Tidal 1.9).
pub fn rolled_with(t: Time, p: &Pattern<Value>) -> Pattern<Value> {
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
