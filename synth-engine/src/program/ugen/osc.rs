//! Band-limited oscillators (polyBLEP saw and pulse, integrated-pulse triangle), sine with phase modulation, noise.

use super::Sig;
use crate::program::Wave;

/// State of an oscillator: the phase (cycles) at an anchor frame, frames since the anchor,
/// the phase step of that run, and the integrator (triangle). The phase of a frame is
/// `anchor + frames * step`, a product rather than a running sum, so a constant-pitch saw
/// has no dependency from one frame to the next and a block's clean stretches (no wrap
/// near) are computed many frames at a time. The anchor moves at each wrap and pitch
/// change, at frames fixed by the signal, never by where blocks begin or end.
pub const STATE: usize = 4;
/// State of a noise source: generator (two halves), three pink-noise poles.
pub const NOISE_STATE: usize = 5;

/// Frames since the anchor beyond which the anchor moves (so `frames` stays an exact f32).
const MAX_RUN: f32 = 8_388_608.0;
/// Frames computed together in a clean stretch of a saw.
const LANES: usize = 8;

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

/// The phase now, from the anchored state.
#[inline(always)]
fn phase_of(st: &[f32]) -> f32 {
    st[0] + st[1] * st[2]
}

/// A constant-pitch band-limited saw: clean stretches eight frames at a time, frames near a
/// wrap one by one with the polyBLEP correction.
fn saw_steady(dt: f32, st: &mut [f32], out: &mut [f32]) {
    if st[2] != dt {
        // a new pitch: anchor the run here
        st[0] = phase_of(st);
        st[1] = 0.0;
        st[2] = dt;
    }
    let (mut anchor, mut k) = (st[0], st[1]);
    let inv_dt = 1.0 / dt;
    let mut i = 0;
    while i < out.len() {
        let first = anchor + k * dt;
        let lanes = (out.len() - i).min(LANES);
        if lanes == LANES
            && first >= dt
            && anchor + (k + (LANES - 1) as f32) * dt <= 1.0 - dt
            && k + (LANES as f32) < MAX_RUN
        {
            for (j, o) in out[i..i + LANES].iter_mut().enumerate() {
                *o = 2.0 * (anchor + (k + j as f32) * dt) - 1.0;
            }
            k += LANES as f32;
            i += LANES;
            continue;
        }
        let mut t = first;
        if t >= 1.0 || k >= MAX_RUN {
            anchor = if t >= 1.0 { t - 1.0 } else { t };
            k = 0.0;
            t = anchor;
        }
        let mut y = 2.0 * t - 1.0;
        if t < dt {
            let x = t * inv_dt;
            y -= x + x - x * x - 1.0;
        } else if t > 1.0 - dt {
            let x = (t - 1.0) * inv_dt;
            y -= x * x + x + x + 1.0;
        }
        out[i] = y;
        k += 1.0;
        i += 1;
    }
    st[0] = anchor;
    st[1] = k;
}

/// Fills `out` with the waveform; `width` is the pulse's duty cycle, `pm` a phase offset in radians.
#[inline]
pub fn oscillator(
    wave: Wave,
    freq: Sig,
    width: Sig,
    pm: Sig,
    sr: f32,
    st: &mut [f32],
    out: &mut [f32],
) {
    let inv = 1.0 / sr;
    if let (Wave::Saw, Sig::K(f)) = (wave, freq) {
        let dt = (f * inv).abs().min(0.5);
        if dt > 0.0 {
            saw_steady(dt, st, out);
        } else {
            out.fill(2.0 * phase_of(st) - 1.0);
        }
        return;
    }
    // a moving pitch: the phase is a running sum, anchored afresh at the end of the block
    let mut phase = phase_of(st);
    match wave {
        Wave::Saw => {
            for (i, o) in out.iter_mut().enumerate() {
                let dt = (freq.at(i) * inv).abs().min(0.5);
                *o = 2.0 * phase - 1.0 - blep(phase, dt);
                phase += dt;
                if phase >= 1.0 {
                    phase -= 1.0;
                }
            }
        }
        Wave::Pulse | Wave::Triangle => {
            let mut integ = st[3];
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
            st[3] = integ;
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
    st[1] = 0.0;
    st[2] = 0.0;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A block of a steady saw at 48 kHz, from the phase in `st`.
    fn saw_block(freq: f32, st: &mut [f32], out: &mut [f32]) {
        let none = Sig::K(0.0);
        oscillator(Wave::Saw, Sig::K(freq), none, none, 48000.0, st, out);
    }

    fn saw(freq: f32, blocks: &[usize]) -> Vec<f32> {
        let mut st = [0.0; STATE];
        let mut out = Vec::new();
        for &n in blocks {
            let mut buf = vec![0.0; n];
            saw_block(freq, &mut st, &mut buf);
            out.extend(buf);
        }
        out
    }

    #[test]
    fn a_steady_saw_does_not_depend_on_where_blocks_end() {
        let whole = saw(440.0, &[48000]);
        let pieces = saw(440.0, &[1, 7, 64, 3, 500, 13, 47412]);
        assert_eq!(whole.len(), pieces.len());
        let first = whole.iter().zip(&pieces).position(|(a, b)| a != b);
        assert_eq!(first, None, "first difference at frame {first:?}");
    }

    #[test]
    fn a_steady_saw_follows_the_running_phase_and_wraps_once_a_period() {
        let out = saw(110.0, &[48000]);
        let dt = 110.0f64 / 48000.0;
        let mut phase = 0.0f64;
        let mut wraps = 0;
        for (i, y) in out.iter().enumerate() {
            // away from the wraps the polyBLEP leaves the naive saw untouched
            if phase > 2.0 * dt && phase < 1.0 - 2.0 * dt {
                assert!(
                    (*y as f64 - (2.0 * phase - 1.0)).abs() < 1e-3,
                    "frame {i}: {y} vs phase {phase}"
                );
            }
            phase += dt;
            if phase >= 1.0 {
                phase -= 1.0;
                wraps += 1;
            }
        }
        assert_eq!(wraps, 110);
        // one peak a period: the saw rises between its falls
        let falls = out
            .windows(3)
            .filter(|w| w[1] > w[0] && w[1] > w[2])
            .count();
        assert!(
            (109..=110).contains(&falls),
            "{falls} falls in a second of 110 Hz"
        );
    }

    #[test]
    fn a_pitch_change_continues_from_the_phase_reached() {
        let mut st = [0.0; STATE];
        let mut a = vec![0.0; 100];
        saw_block(480.0, &mut st, &mut a);
        // 100 frames of 0.01 cycles: the phase is 1.0, i.e. back at 0 (to rounding)
        let reached = phase_of(&st);
        assert!(
            (reached - 1.0).abs() < 1e-4 || reached.abs() < 1e-4,
            "{reached}"
        );
        let mut b = vec![0.0; 10];
        saw_block(960.0, &mut st, &mut b);
        let after = phase_of(&st);
        assert!((after.fract() - 0.2).abs() < 1e-3, "{after}");
    }
}
