//! The one two-pole filter (bilinear transform with prewarping, RBJ-cookbook responses): its coefficient design, its per-sample step, and the filter both the sampler and the voice-program VM run.
//!
//! The sampler's cutoff/hcutoff/bandf (SuperDirt's resonance mapped to damping beside the
//! sampler) and the VM's lpf/hpf/bpf/rlpf ([`damping_from_q`]) both call [`design`] and [`step`].
//! [`LowPassBiquad`] is the same low-pass in transposed form for the sampler's fused loop. The
//! VM's four-pole `ladder` is a different design (saturating, self-oscillating) and stays apart.

/// Which output of the filter is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SvfMode {
    LowPass,
    HighPass,
    /// Band-pass with unity gain at the centre, times `1/damping` (SuperDirt's `bpf` makeup).
    BandPass,
    /// Band-pass with unity gain at the centre (RBJ's constant 0 dB peak band-pass).
    BandPassUnity,
}

/// Biquad coefficients `[b0, b1, b2, a1, a2]` (`a0` normalised to 1).
pub type Coefficients = [f32; 5];

/// The VM's parameter mapping: its `q` (the reciprocal of `rq`) as damping `k` = 1/Q.
#[inline]
pub fn damping_from_q(q: f32) -> f32 {
    1.0 / q.abs().max(0.05)
}

/// Designs a two-pole filter at `cutoff` Hz with damping `k` (= 1/Q) for sample rate `sr`:
/// the bilinear transform of the analogue prototype, its frequency prewarped.
pub fn design(kind: SvfMode, cutoff: f32, damping: f32, sr: f32) -> Coefficients {
    let fc = cutoff.abs().clamp(10.0, sr * 0.49) as f64;
    let g = (std::f64::consts::PI * fc / sr as f64).tan();
    let k = damping.clamp(0.0005, 20.0) as f64;
    let d = 1.0 + g * g + g * k;
    let (b0, b1, b2) = match kind {
        SvfMode::LowPass => (g * g, 2.0 * g * g, g * g),
        SvfMode::HighPass => (1.0, -2.0, 1.0),
        SvfMode::BandPass => (g, 0.0, -g),
        SvfMode::BandPassUnity => (g * k, 0.0, -g * k),
    };
    [
        (b0 / d) as f32,
        (b1 / d) as f32,
        (b2 / d) as f32,
        (2.0 * (g * g - 1.0) / d) as f32,
        ((1.0 + g * g - g * k) / d) as f32,
    ]
}

/// One sample through a biquad in direct form I; `s` holds `[x1, x2, y1, y2]`. The feedback
/// path is one multiply and one add long, the shortest for a recursive filter.
#[inline(always)]
pub fn step(c: &Coefficients, s: &mut [f32; 4], x: f32) -> f32 {
    let ff = c[0] * x + c[1] * s[0] + c[2] * s[1] - c[4] * s[3];
    let y = ff - c[3] * s[2];
    *s = [x, s[0], y, s[2]];
    y
}

/// Coefficients and state for up to two channels.
#[derive(Clone, Copy, Debug)]
pub struct Svf {
    c: Coefficients,
    s: [[f32; 4]; 2],
}

impl Svf {
    /// A filter at `cutoff` Hz with damping `k` (= 1/Q) for sample rate `sr`.
    pub fn new(kind: SvfMode, cutoff: f32, damping: f32, sr: f32) -> Svf {
        Svf {
            c: design(kind, cutoff, damping, sr),
            s: [[0.0; 4]; 2],
        }
    }

    /// Filters one sample of channel `ch` (0 or 1).
    #[inline]
    pub fn tick(&mut self, ch: usize, v0: f32) -> f32 {
        step(&self.c, &mut self.s[ch], v0)
    }

    /// The same low-pass as a transposed direct-form II biquad (fewer operations per frame),
    /// for voices that fuse reading, filtering and mixing into one loop.
    pub fn low_pass_biquad(cutoff: f32, damping: f32, sr: f32) -> LowPassBiquad {
        let c = design(SvfMode::LowPass, cutoff, damping, sr);
        LowPassBiquad {
            b0: c[0],
            a1: c[3],
            a2: c[4],
            s1: [0.0; 2],
            s2: [0.0; 2],
        }
    }

    /// Filters a block of one channel in place (the same as [`Svf::tick`] on each sample).
    pub fn process(&mut self, ch: usize, block: &mut [f32]) {
        let c = self.c;
        let mut s = self.s[ch];
        for x in block.iter_mut() {
            *x = step(&c, &mut s, *x);
        }
        self.s[ch] = s;
    }
}

/// A 2-pole low-pass (bilinear transform, same response as [`Svf`]'s low-pass) for two channels.
#[derive(Clone, Copy, Debug, Default)]
pub struct LowPassBiquad {
    pub(crate) b0: f32,
    pub(crate) a1: f32,
    pub(crate) a2: f32,
    pub(crate) s1: [f32; 2],
    pub(crate) s2: [f32; 2],
}

impl LowPassBiquad {
    /// Filters one sample of channel `ch`.
    #[inline(always)]
    pub fn tick(&mut self, ch: usize, x: f32) -> f32 {
        let bx = self.b0 * x;
        let y = bx + self.s1[ch];
        self.s1[ch] = 2.0 * bx + self.s2[ch] - self.a1 * y;
        self.s2[ch] = bx - self.a2 * y;
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gain_at(kind: SvfMode, cutoff: f32, freq: f32) -> f32 {
        let sr = 48000.0;
        let mut f = Svf::new(kind, cutoff, std::f32::consts::SQRT_2, sr);
        let mut peak = 0.0f32;
        for n in 0..48000 {
            let x = (2.0 * std::f32::consts::PI * freq * n as f32 / sr).sin();
            let y = f.tick(0, x);
            if n > 24000 {
                peak = peak.max(y.abs());
            }
        }
        peak
    }

    #[test]
    fn low_pass_passes_lows_and_cuts_highs() {
        assert!((gain_at(SvfMode::LowPass, 1000.0, 100.0) - 1.0).abs() < 0.02);
        assert!(gain_at(SvfMode::LowPass, 1000.0, 10000.0) < 0.02);
        assert!(gain_at(SvfMode::HighPass, 1000.0, 100.0) < 0.02);
        assert!((gain_at(SvfMode::HighPass, 1000.0, 10000.0) - 1.0).abs() < 0.02);
        assert!((gain_at(SvfMode::BandPassUnity, 1000.0, 1000.0) - 1.0).abs() < 0.02);
    }

    #[test]
    fn block_processing_equals_sample_processing() {
        for kind in [
            SvfMode::LowPass,
            SvfMode::HighPass,
            SvfMode::BandPass,
            SvfMode::BandPassUnity,
        ] {
            let mut a = Svf::new(kind, 1234.0, 0.3, 48000.0);
            let mut b = a;
            let input: Vec<f32> = (0..4000)
                .map(|n| ((n * 7919) % 200) as f32 / 100.0 - 1.0)
                .collect();
            let mut block = input.clone();
            for chunk in block.chunks_mut(100) {
                a.process(1, chunk);
            }
            for (n, x) in input.iter().enumerate() {
                let y = b.tick(1, *x);
                assert!(
                    (y - block[n]).abs() < 1e-4,
                    "{kind:?} at {n}: {y} vs {}",
                    block[n]
                );
            }
        }
    }

    #[test]
    fn the_biquad_low_pass_equals_the_state_variable_one() {
        let mut a = Svf::new(SvfMode::LowPass, 700.0, 0.2, 48000.0);
        let mut b = Svf::low_pass_biquad(700.0, 0.2, 48000.0);
        for n in 0..3000 {
            let x = ((n * 31) % 17) as f32 / 8.0 - 1.0;
            let y = a.tick(0, x);
            let z = b.tick(0, x);
            assert!((y - z).abs() < 1e-3, "{n}: {y} vs {z}");
        }
    }

    #[test]
    fn extreme_settings_stay_finite() {
        let mut f = Svf::new(SvfMode::LowPass, 1.0e9, 0.0, 48000.0);
        for n in 0..100000 {
            let y = f.tick(1, if n % 2 == 0 { 1.0 } else { -1.0 });
            assert!(y.is_finite());
        }
    }
}
