//! Band-limited oscillators (polyBLEP saw and pulse, integrated-pulse triangle), sine with phase modulation, noise.

use super::Sig;
use crate::engine::program::Wave;

/// State of an oscillator: phase (cycles), integrator (triangle).
pub const STATE: usize = 2;
/// State of a noise source: generator (two halves), three pink-noise poles.
pub const NOISE_STATE: usize = 5;

/// The correction that removes most aliasing from a unit step at phase 0 (`t` in cycles, `dt` the step).
#[inline(always)]
fn blep(t: f32, dt: f32) -> f32 {
    if t < dt {
        let x = t / dt;
        x + x - x * x - 1.0
    } else if t > 1.0 - dt {
        let x = (t - 1.0) / dt;
        x * x + x + x + 1.0
    } else {
        0.0
    }
}

/// Fills `out` with the waveform; `width` is the pulse's duty cycle, `pm` a phase offset in radians.
pub fn oscillator(
    wave: Wave,
    freq: Sig,
    width: Sig,
    pm: Sig,
    sr: f32,
    st: &mut [f32],
    out: &mut [f32],
) {
    let mut phase = st[0];
    let inv = 1.0 / sr;
    match wave {
        Wave::Saw => match freq {
            Sig::K(f) => {
                // constant pitch (the common case): the step and its inverse once per block. The
                // phase is accumulated frame by frame, so the output does not depend on where
                // blocks begin and end.
                let dt = (f * inv).abs().min(0.5);
                if dt > 0.0 {
                    let inv_dt = 1.0 / dt;
                    for o in out.iter_mut() {
                        let t = phase;
                        let mut y = 2.0 * t - 1.0;
                        if t < dt {
                            let x = t * inv_dt;
                            y -= x + x - x * x - 1.0;
                        } else if t > 1.0 - dt {
                            let x = (t - 1.0) * inv_dt;
                            y -= x * x + x + x + 1.0;
                        }
                        *o = y;
                        phase += dt;
                        if phase >= 1.0 {
                            phase -= 1.0;
                        }
                    }
                } else {
                    out.fill(2.0 * phase - 1.0);
                }
            }
            Sig::A(_) => {
                for (i, o) in out.iter_mut().enumerate() {
                    let dt = (freq.at(i) * inv).abs().min(0.5);
                    *o = 2.0 * phase - 1.0 - blep(phase, dt);
                    phase += dt;
                    if phase >= 1.0 {
                        phase -= 1.0;
                    }
                }
            }
        },
        Wave::Pulse | Wave::Triangle => {
            let mut integ = st[1];
            let tri = wave == Wave::Triangle;
            for (i, o) in out.iter_mut().enumerate() {
                let dt = (freq.at(i) * inv).abs().min(0.5);
                let w = if tri {
                    0.5
                } else {
                    width.at(i).clamp(0.01, 0.99)
                };
                let mut v = if phase < w { 1.0 } else { -1.0 };
                v += blep(phase, dt);
                let down = phase - w + if phase < w { 1.0 } else { 0.0 };
                v -= blep(down, dt);
                if tri {
                    // a leaky integral of the square wave, scaled to about ±1
                    integ = 0.999 * integ + 4.0 * dt * v;
                    *o = integ;
                } else {
                    *o = v;
                }
                phase += dt;
                if phase >= 1.0 {
                    phase -= 1.0;
                }
            }
            st[1] = integ;
        }
        Wave::Sine => {
            let tau = std::f32::consts::TAU;
            for (i, o) in out.iter_mut().enumerate() {
                *o = (tau * phase + pm.at(i)).sin();
                phase += freq.at(i) * inv;
                phase -= phase.floor();
            }
        }
    }
    st[0] = phase;
}

/// A noise generator's starting state for a voice (a non-zero 32-bit seed as two 16-bit halves).
pub fn noise_seed(voice: u32, offset: u32) -> [f32; 2] {
    let mut x = voice.wrapping_mul(0x9E37_79B9) ^ offset.wrapping_mul(0x85EB_CA6B) ^ 0x2545_F491;
    x ^= x >> 16;
    x |= 1;
    [(x & 0xFFFF) as f32, (x >> 16) as f32]
}

/// White or pink noise in about ±1.
pub fn noise(pink: bool, st: &mut [f32], out: &mut [f32]) {
    // the 32-bit xorshift state is kept as two exact 16-bit integers, so copies keep it exactly
    let mut x = (st[0] as u32 & 0xFFFF) | ((st[4] as u32 & 0xFFFF) << 16);
    if x == 0 {
        x = 1;
    }
    let (mut b0, mut b1, mut b2) = (st[1], st[2], st[3]);
    for o in out.iter_mut() {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let w = (x >> 8) as f32 / 8_388_608.0 - 1.0;
        if pink {
            b0 = 0.99765 * b0 + w * 0.099_046;
            b1 = 0.963 * b1 + w * 0.296_516_4;
            b2 = 0.57 * b2 + w * 1.052_691_3;
            *o = (b0 + b1 + b2 + w * 0.1848) * 0.25;
        } else {
            *o = w;
        }
    }
    st[0] = (x & 0xFFFF) as f32;
    st[4] = (x >> 16) as f32;
    st[1] = b0;
    st[2] = b1;
    st[3] = b2;
}
