//! Filters: RBJ-cookbook biquads (low-pass, high-pass, band-pass, resonant low-pass) and a four-pole ladder.

use super::Sig;
use crate::program::FilterKind;

/// State: four delays (x1, x2, y1, y2), the cutoff and Q the coefficients were made for, five coefficients.
pub const STATE: usize = 11;
/// State: four one-pole stages and the stage coefficient.
pub const LADDER_STATE: usize = 5;
/// Frames between coefficient updates when the cutoff moves at audio rate, counted from the
/// node's first frame (so the output does not depend on where blocks begin).
const CONTROL: u64 = 16;

fn coefficients(kind: FilterKind, freq: f32, q: f32, sr: f32, st: &mut [f32]) {
    let f = freq.abs().clamp(10.0, sr * 0.49);
    let q = q.abs().max(0.05);
    let w = std::f32::consts::TAU * f / sr;
    let (sin, cos) = w.sin_cos();
    let alpha = sin / (2.0 * q);
    let a0 = 1.0 + alpha;
    let (b0, b1, b2) = match kind {
        FilterKind::LowPass => ((1.0 - cos) * 0.5, 1.0 - cos, (1.0 - cos) * 0.5),
        FilterKind::HighPass => ((1.0 + cos) * 0.5, -(1.0 + cos), (1.0 + cos) * 0.5),
        FilterKind::BandPass => (alpha, 0.0, -alpha),
    };
    st[4] = freq;
    st[5] = q;
    st[6] = b0 / a0;
    st[7] = b1 / a0;
    st[8] = b2 / a0;
    st[9] = -2.0 * cos / a0;
    st[10] = (1.0 - alpha) / a0;
}

/// A biquad in direct form I (its feedback path is one multiply and one add long, the
/// shortest for a recursive filter); coefficients follow `freq`/`q` (per block, or every 16
/// frames when they move).
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn biquad(
    kind: FilterKind,
    x: Sig,
    freq: Sig,
    q: Sig,
    sr: f32,
    st: &mut [f32],
    out: &mut [f32],
    elapsed: u64,
) {
    let (mut x1, mut x2, mut y1, mut y2) = (st[0], st[1], st[2], st[3]);
    let moving = matches!(freq, Sig::A(_)) || matches!(q, Sig::A(_));
    let mut i = 0;
    while i < out.len() {
        let now = elapsed + i as u64;
        let end = if moving {
            (i + (CONTROL - now % CONTROL) as usize).min(out.len())
        } else {
            out.len()
        };
        // a moving cutoff is read on the node's own 16-frame grid (or at once if never read)
        let on_grid = !moving || now.is_multiple_of(CONTROL) || st[6] == 0.0;
        let (f, qq) = (freq.at(i), q.at(i));
        if on_grid && (f != st[4] || qq != st[5]) {
            coefficients(kind, f, qq, sr, st);
        }
        let (b0, b1, b2, a1, a2) = (st[6], st[7], st[8], st[9], st[10]);
        let mut tick = |s: f32| {
            let ff = b0 * s + b1 * x1 + b2 * x2 - a2 * y2;
            let y = ff - a1 * y1;
            x2 = x1;
            x1 = s;
            y2 = y1;
            y1 = y;
            y
        };
        match x {
            Sig::A(input) => {
                for (o, s) in out[i..end].iter_mut().zip(&input[i..end]) {
                    *o = tick(*s);
                }
            }
            Sig::K(k) => {
                for o in out[i..end].iter_mut() {
                    *o = tick(k);
                }
            }
        }
        i = end;
    }
    if !(y1.is_finite() && y2.is_finite()) {
        (x1, x2, y1, y2) = (0.0, 0.0, 0.0, 0.0);
    }
    st[0] = x1;
    st[1] = x2;
    st[2] = y1;
    st[3] = y2;
}

/// A four-pole low-pass ladder with a saturating input; `res` 0..1 (self-oscillates near 1).
#[allow(clippy::too_many_arguments)]
pub fn ladder(x: Sig, freq: Sig, res: Sig, sr: f32, st: &mut [f32], out: &mut [f32], elapsed: u64) {
    let (mut y1, mut y2, mut y3, mut y4) = (st[0], st[1], st[2], st[3]);
    let mut g = st[4];
    for (i, o) in out.iter_mut().enumerate() {
        if (elapsed + i as u64).is_multiple_of(CONTROL) || g == 0.0 {
            let f = freq.at(i).abs().clamp(10.0, sr * 0.45);
            g = 1.0 - (-std::f32::consts::TAU * f / sr).exp();
        }
        let k = 4.0 * res.at(i).clamp(0.0, 1.1);
        let u = (x.at(i) - k * y4).tanh();
        y1 += g * (u - y1);
        y2 += g * (y1 - y2);
        y3 += g * (y2 - y3);
        y4 += g * (y3 - y4);
        *o = y4;
    }
    if !y4.is_finite() {
        (y1, y2, y3, y4) = (0.0, 0.0, 0.0, 0.0);
    }
    st[0] = y1;
    st[1] = y2;
    st[2] = y3;
    st[3] = y4;
    st[4] = g;
}
