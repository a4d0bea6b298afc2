//! Envelopes made of curved segments (perc, linen, adsr) and straight or exponential lines.

use crate::engine::program::{Segment, MAX_SCALARS};

/// State: next segment, frames left in the segment, level, and the segment's recurrence (a, d, g, w, linear).
pub const STATE: usize = 8;

/// Enters segment `index` (or holds the last level when there are no more).
fn enter(segs: &[Segment], sc: &[f32; MAX_SCALARS], sr: f32, st: &mut [f32]) {
    loop {
        let index = st[0] as usize;
        if index >= segs.len() {
            st[1] = f32::INFINITY;
            st[7] = 1.0;
            st[3] = 0.0; // linear with no slope: hold
            return;
        }
        let seg = segs[index];
        st[0] = (index + 1) as f32;
        // a segment starts exactly where the previous one was headed (no rounding left over)
        if index > 0 {
            st[2] = sc[segs[index - 1].target as usize];
        }
        let start = st[2];
        let target = sc[seg.target as usize];
        let frames = (sc[seg.seconds as usize] * sr).round();
        if frames < 1.0 || frames.is_nan() {
            st[2] = target;
            continue;
        }
        let curve = sc[seg.curve as usize];
        st[1] = frames;
        if curve.abs() < 0.001 || target == start {
            st[7] = 1.0;
            st[3] = (target - start) / frames;
        } else {
            // level(k) = a - d·w^k, w^frames = e^curve: reaches `target` exactly at the end
            let d = (target - start) / (1.0 - curve.exp());
            st[7] = 0.0;
            st[3] = start + d;
            st[4] = d;
            st[5] = 1.0;
            st[6] = (curve / frames).exp();
        }
        return;
    }
}

/// Renders the envelope into `out`.
pub fn envelope(
    segs: &[Segment],
    sc: &[f32; MAX_SCALARS],
    sr: f32,
    st: &mut [f32],
    out: &mut [f32],
) {
    let mut i = 0;
    while i < out.len() {
        if st[1] < 1.0 {
            enter(segs, sc, sr, st);
        }
        let run = (out.len() - i).min(st[1].min(1.0e9) as usize).max(1);
        let mut level = st[2];
        if st[7] != 0.0 {
            let step = st[3];
            if step == 0.0 {
                out[i..i + run].fill(level);
            } else {
                for o in &mut out[i..i + run] {
                    level += step;
                    *o = level;
                }
            }
        } else {
            let (a, d, w) = (st[3], st[4], st[6]);
            let mut g = st[5];
            for o in &mut out[i..i + run] {
                g *= w;
                level = a - d * g;
                *o = level;
            }
            st[5] = g;
        }
        st[2] = level;
        st[1] -= run as f32;
        i += run;
    }
}

/// A line from `a` to `b` over `frames`, then holding `b` (exponential: both must share a sign).
pub fn line(a: f32, b: f32, frames: f32, exponential: bool, pos: &mut f32, out: &mut [f32]) {
    let frames = frames.max(1.0);
    let ratio = if exponential && a != 0.0 && (b / a) > 0.0 {
        b / a
    } else {
        0.0
    };
    for o in out.iter_mut() {
        let t = (*pos / frames).min(1.0);
        *o = if exponential && ratio > 0.0 {
            a * ratio.powf(t)
        } else {
            a + (b - a) * t
        };
        *pos += 1.0;
    }
    *pos = pos.min(frames + 1.0);
}
