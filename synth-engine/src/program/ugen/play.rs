//! Playing the voice's sample once with cubic interpolation (as a `PlayBuf` that frees its synth at the end).

use super::Sig;
use crate::engine::voice::read;
use crate::samples::buffer::{SampleBuffer, PAD};

/// State: the whole frames played and the fraction past them.
pub const STATE: usize = 2;

/// Fills `out` from `sample` at `rate` times the file's own speed (silence past the end or without a sample).
pub fn play(sample: Option<&SampleBuffer>, rate: Sig, sr: f32, st: &mut [f32], out: &mut [f32]) {
    let Some(buf) = sample else {
        out.fill(0.0);
        return;
    };
    let frames = buf.frames() as f64;
    let scale = buf.sample_rate() as f64 / sr as f64;
    // positions beyond 2^24 frames would lose their integer part in an f32: keep whole and fraction apart
    let mut pos = st[0] as f64 + st[1] as f64;
    let stereo = buf.channel_count() > 1;
    let (c0, c1) = (buf.padded(0), buf.padded(1));
    let at = |pos: f64| {
        let whole = pos.trunc();
        let idx = whole as usize + PAD;
        let frac = (pos - whole) as f32;
        if stereo {
            0.5 * (read(c0, idx, frac) + read(c1, idx, frac))
        } else {
            read(c0, idx, frac)
        }
    };
    match rate {
        Sig::K(r) if r > 0.0 && pos >= 0.0 => {
            // constant forward rate (the common case): 32.32 fixed point, no end test in the loop
            let step = r as f64 * scale;
            let left = ((frames - pos) / step).ceil().max(0.0) as usize;
            let live = left.min(out.len());
            let one = (1u64 << 32) as f64;
            let mut fixed = (pos * one) as u64;
            let inc = (step * one) as u64;
            let inv = 1.0 / one as f32;
            if stereo {
                for o in out[..live].iter_mut() {
                    let (idx, frac) = ((fixed >> 32) as usize + PAD, (fixed as u32) as f32 * inv);
                    *o = 0.5 * (read(c0, idx, frac) + read(c1, idx, frac));
                    fixed += inc;
                }
            } else {
                for o in out[..live].iter_mut() {
                    let (idx, frac) = ((fixed >> 32) as usize + PAD, (fixed as u32) as f32 * inv);
                    *o = read(c0, idx, frac);
                    fixed += inc;
                }
            }
            out[live..].fill(0.0);
            pos = if live < out.len() {
                frames
            } else {
                fixed as f64 / one
            };
        }
        _ => {
            for (i, o) in out.iter_mut().enumerate() {
                *o = if pos < 0.0 || pos >= frames {
                    0.0
                } else {
                    at(pos)
                };
                pos += rate.at(i) as f64 * scale;
            }
        }
    }
    let whole = pos.floor().clamp(-1.0, frames);
    st[0] = whole as f32;
    st[1] = (pos - whole).clamp(0.0, 1.0) as f32;
}
