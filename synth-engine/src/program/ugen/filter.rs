//! The VM's filter nodes: lpf/hpf/bpf/rlpf run `dsp::filter`'s two-pole design and step; the four-pole ladder is its own design.

use super::Sig;
use crate::dsp::filter::{damping_from_q, design, step, Coefficients, SvfMode};
use crate::program::FilterKind;

/// State: four delays (x1, x2, y1, y2), the cutoff and Q the coefficients were made for, five coefficients.
pub const STATE: usize = 11;
/// State: four one-pole stages and the stage coefficient.
pub const LADDER_STATE: usize = 5;
/// Frames between coefficient updates when the cutoff moves at audio rate, counted from the
/// node's first frame (so the output does not depend on where blocks begin).
const CONTROL: u64 = 16;

fn coefficients(kind: FilterKind, freq: f32, q: f32, sr: f32, st: &mut [f32]) {
    let mode = match kind {
        FilterKind::LowPass => SvfMode::LowPass,
        FilterKind::HighPass => SvfMode::HighPass,
        FilterKind::BandPass => SvfMode::BandPassUnity,
    };
    st[4] = freq;
    st[5] = q;
    st[6..11].copy_from_slice(&design(mode, freq, damping_from_q(q), sr));
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
    let mut s = [st[0], st[1], st[2], st[3]];
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
        let c: Coefficients = [st[6], st[7], st[8], st[9], st[10]];
        let mut tick = |x: f32| step(&c, &mut s, x);
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
    if !(s[2].is_finite() && s[3].is_finite()) {
        s = [0.0; 4];
    }
    st[..4].copy_from_slice(&s);
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
