//! Delay lines: plain, feedback combs (damped or not), echo, Schroeder allpass, and how a line migrates when its length changes.

use super::Sig;
use crate::program::DelayKind;

/// Feedback gain that decays by 60 dB in `decay` seconds for a loop of `time` seconds (negative decay: negative gain).
#[inline]
fn feedback(time: f32, decay: f32) -> f32 {
    if decay == 0.0 || time <= 0.0 {
        return 0.0;
    }
    let g = 0.001f32.powf(time / decay.abs());
    if decay < 0.0 {
        -g
    } else {
        g
    }
}

/// State in front of a delay line's ring: the write index and the loop filter's memory.
pub const HEAD: usize = 2;

/// State `[write index, loop filter, ring...]`: `st.len() - 2` frames of memory.
// called once per block; kept out of `run` so that its per-kind loops do not crowd out the
// inlining of the other nodes there
#[allow(clippy::too_many_arguments)]
#[inline(never)]
pub fn delay(
    kind: DelayKind,
    x: Sig,
    time: Sig,
    decay: Sig,
    damp: Sig,
    sr: f32,
    st: &mut [f32],
    out: &mut [f32],
) {
    let (head, ring) = st.split_at_mut(HEAD);
    let len = ring.len();
    if len < 2 {
        for (i, o) in out.iter_mut().enumerate() {
            *o = x.at(i);
        }
        return;
    }
    let max = (len - 1) as f32;
    let direct = matches!(kind, DelayKind::Feedback | DelayKind::DampedComb);
    let gain = |t: f32, d: f32| {
        if direct {
            d.clamp(-0.99, 0.99)
        } else {
            feedback(t, d)
        }
    };
    let g = gain(time.first(), decay.first());
    let moving = matches!(time, Sig::A(_)) || matches!(decay, Sig::A(_));
    let mut lp = head[1];
    let mut line = Line {
        time,
        decay,
        sr,
        max,
        gain,
        moving,
        g,
        ring,
        w: (head[0] as usize).min(len - 1),
    };
    // one loop per kind, so that the kind is not decided again for every frame
    match kind {
        DelayKind::Plain => line.run(x, out, |input, delayed, _, _| (input, delayed)),
        DelayKind::Comb => line.run(x, out, |input, delayed, g, _| {
            let y = input + g * delayed;
            (y, y)
        }),
        DelayKind::Allpass => line.run(x, out, |input, delayed, g, _| {
            let v = input + g * delayed;
            (v, delayed - g * v)
        }),
        DelayKind::Feedback => line.run(x, out, |input, delayed, g, _| {
            (input + g * delayed, delayed)
        }),
        DelayKind::DampedComb => {
            let mut comb = |input: f32, delayed: f32, g: f32, k: f32| {
                lp = delayed * (1.0 - k) + lp * k;
                (input + g * lp, delayed)
            };
            match damp {
                Sig::K(k) => {
                    let k = k.clamp(0.0, 0.99);
                    line.run(x, out, |input, delayed, g, _| comb(input, delayed, g, k))
                }
                Sig::A(k) => line.run(x, out, |input, delayed, g, i| {
                    comb(input, delayed, g, k[i].clamp(0.0, 0.99))
                }),
            }
        }
    }
    head[0] = line.w as f32;
    head[1] = if lp.is_finite() { lp } else { 0.0 };
}

/// A delay line's ring and read settings for one block.
struct Line<'a, G> {
    time: Sig<'a>,
    decay: Sig<'a>,
    sr: f32,
    /// Longest delay in frames.
    max: f32,
    /// The feedback gain for a time and a decay.
    gain: G,
    /// Whether the gain changes within the block.
    moving: bool,
    g: f32,
    ring: &'a mut [f32],
    /// The write index.
    w: usize,
}

impl<G: Fn(f32, f32) -> f32> Line<'_, G> {
    /// Runs the block: `step(input, delayed, gain, frame)` gives what is written and what is output.
    #[inline(always)]
    fn run(
        &mut self,
        x: Sig,
        out: &mut [f32],
        step: impl FnMut(f32, f32, f32, usize) -> (f32, f32),
    ) {
        let (sr, max) = (self.sr, self.max);
        // a time set once per block is turned into frames once
        match self.time {
            Sig::K(t) => {
                let d = (t * sr).clamp(1.0, max);
                self.run_with(x, out, |_| d, step);
            }
            Sig::A(t) => self.run_with(x, out, |i| (t[i] * sr).clamp(1.0, max), step),
        }
    }

    #[inline(always)]
    fn run_with(
        &mut self,
        x: Sig,
        out: &mut [f32],
        frames: impl Fn(usize) -> f32,
        mut step: impl FnMut(f32, f32, f32, usize) -> (f32, f32),
    ) {
        let len = self.ring.len();
        for (i, o) in out.iter_mut().enumerate() {
            let d = frames(i);
            if self.moving {
                self.g = (self.gain)(self.time.at(i), self.decay.at(i));
            }
            // positive and below 2^24, so truncating (to i32: one instruction) floors it
            // (a NaN time reads frame 0 either way)
            let pos = self.w as f32 + len as f32 - d;
            let base = pos as i32 as usize;
            let frac = pos - base as f32;
            // base < 2 len - 1: one subtraction wraps it
            let a = if base >= len { base - len } else { base };
            let b = if a + 1 == len { 0 } else { a + 1 };
            let delayed = self.ring[a] + (self.ring[b] - self.ring[a]) * frac;
            let (write, y) = step(x.at(i), delayed, self.g, i);
            self.ring[self.w] = if write.is_finite() { write } else { 0.0 };
            *o = y;
            self.w += 1;
            if self.w == len {
                self.w = 0;
            }
        }
    }
}

/// Copies a delay line into one of another length, keeping its newest samples in order.
///
/// Both slices are `[write index, loop filter, ring...]`.
pub fn migrate_ring(old: &[f32], new: &mut [f32]) {
    let (old_head, old_ring) = old.split_at(HEAD);
    let (new_head, new_ring) = new.split_at_mut(HEAD);
    new_head[1] = old_head[1];
    let (ol, nl) = (old_ring.len(), new_ring.len());
    if ol == 0 || nl == 0 {
        return;
    }
    let w = (old_head[0] as usize).min(ol - 1);
    let keep = ol.min(nl);
    // newest sample is old[w - 1]; it goes to new[keep - 1]
    for (k, slot) in new_ring[..keep].iter_mut().enumerate() {
        *slot = old_ring[(w + ol - keep + k) % ol];
    }
    new_ring[keep..].fill(0.0);
    new_head[0] = (keep % nl) as f32;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grown_ring_keeps_the_newest_samples_in_order() {
        // ring of 4 with write index 1: chronological order is 2,3,4,1 -> values at [1],[2],[3],[0]
        let old = [1.0, 0.5, 40.0, 10.0, 20.0, 30.0];
        let mut new = [0.0; 8];
        migrate_ring(&old, &mut new);
        assert_eq!(new, [4.0, 0.5, 10.0, 20.0, 30.0, 40.0, 0.0, 0.0]);
        let mut small = [0.0; 4];
        migrate_ring(&old, &mut small);
        assert_eq!(small, [0.0, 0.5, 30.0, 40.0]);
    }
}
