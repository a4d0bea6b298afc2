//! The VM's envelopes: perc, linen and adsr run as `dsp::envelope::CurvedSegment`s (here computed eight frames at a time), and straight or exponential lines.

use crate::dsp::envelope::CurvedSegment;
use crate::program::{Segment, MAX_SCALARS};

/// State: next segment, frames left in the segment, level, the segment's recurrence (a, d, g,
/// w, linear), and the frame within the current group of `LANES`.
pub const STATE: usize = 9;

/// Frames of a curved segment computed together. A curved segment's level at its frame `k` is
/// `a - d·w^k`, with `w^k` taken as `w^(LANES·m) · w^(j+1)` for `k = LANES·m + j + 1`: the first
/// factor is carried from group to group, the second comes from a table of powers, so the
/// frames of a group do not wait on one another, and the value of a frame depends only on its
/// place in the segment, never on where blocks begin or end.
const LANES: usize = 8;

/// Enters segment `index` (or holds the last level when there are no more).
fn enter(segs: &[Segment], sc: &[f32; MAX_SCALARS], sr: f32, st: &mut [f32]) {
    loop {
        let index = st[0] as usize;
        if index >= segs.len() {
            // hold exactly where the last segment was headed
            if let Some(last) = segs.last() {
                st[2] = sc[last.target as usize];
            }
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
        st[1] = frames;
        let curve = sc[seg.curve as usize] as f64;
        match CurvedSegment::new(start as f64, target as f64, frames as f64, curve) {
            CurvedSegment::Straight { slope } => {
                st[7] = 1.0;
                st[3] = slope as f32;
            }
            CurvedSegment::Curved { a, d, w } => {
                st[7] = 0.0;
                st[3] = a as f32;
                st[4] = d as f32;
                st[5] = 1.0;
                st[6] = w as f32;
                st[8] = 0.0;
            }
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
            let mut powers = [w; LANES];
            for q in 1..LANES {
                powers[q] = powers[q - 1] * w;
            }
            let group = powers[LANES - 1];
            let (mut g, mut j) = (st[5], st[8] as usize % LANES);
            let mut k = i;
            let end = i + run;
            while k < end {
                if j == 0 && end - k >= LANES {
                    for (o, p) in out[k..k + LANES].iter_mut().zip(&powers) {
                        *o = a - d * (g * p);
                    }
                    g *= group;
                    k += LANES;
                } else {
                    out[k] = a - d * (g * powers[j]);
                    j += 1;
                    if j == LANES {
                        g *= group;
                        j = 0;
                    }
                    k += 1;
                }
            }
            level = out[end - 1];
            st[5] = g;
            st[8] = j as f32;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A rise to 1 over 0.01 s with curve 2, then a fall to 0 over 0.2 s with curve -4.
    fn render(blocks: &[usize]) -> Vec<f32> {
        let mut sc = [0.0; MAX_SCALARS];
        sc[..5].copy_from_slice(&[1.0, 0.01, 2.0, 0.2, -4.0]);
        sc[5] = 0.0;
        let segs = [
            Segment {
                target: 0,
                seconds: 1,
                curve: 2,
            },
            Segment {
                target: 5,
                seconds: 3,
                curve: 4,
            },
        ];
        let mut st = [0.0; STATE];
        let mut out = Vec::new();
        for &n in blocks {
            let mut buf = vec![0.0; n];
            envelope(&segs, &sc, 48000.0, &mut st, &mut buf);
            out.extend(buf);
        }
        out
    }

    #[test]
    fn curved_segments_do_not_depend_on_where_blocks_end() {
        let whole = render(&[12000]);
        let pieces = render(&[3, 1, 250, 5, 64, 77, 9, 11591]);
        assert_eq!(whole.len(), pieces.len());
        let first = whole.iter().zip(&pieces).position(|(a, b)| a != b);
        assert_eq!(first, None, "first difference at frame {first:?}");
    }

    #[test]
    fn curved_segments_follow_the_curve_and_land_on_their_targets() {
        let out = render(&[12000]);
        // level(k) = start + (target - start) (1 - e^(curve k / frames)) / (1 - e^curve)
        let curve_at = |start: f64, target: f64, curve: f64, frames: f64, k: f64| {
            start + (target - start) * (1.0 - (curve * k / frames).exp()) / (1.0 - curve.exp())
        };
        for k in 1..=480 {
            let want = curve_at(0.0, 1.0, 2.0, 480.0, k as f64);
            assert!(
                (out[k - 1] as f64 - want).abs() < 1e-4,
                "rise, frame {k}: {} vs {want}",
                out[k - 1]
            );
        }
        for k in 1..=9600 {
            let want = curve_at(1.0, 0.0, -4.0, 9600.0, k as f64);
            let got = out[480 + k - 1] as f64;
            assert!(
                (got - want).abs() < 1e-4,
                "fall, frame {k}: {got} vs {want}"
            );
        }
        assert!(out[480 + 9600 - 1].abs() < 1e-5);
        assert!(
            out[480 + 9600..].iter().all(|x| *x == 0.0),
            "holds the last target"
        );
    }
}
