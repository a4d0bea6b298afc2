//! A state-variable filter (trapezoidal, stable at any resonance) for low-, high- and band-pass.

/// Which output of the filter is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SvfMode {
    LowPass,
    HighPass,
    /// Band-pass with unity gain at the centre, times `1/damping` (SuperDirt's `bpf` makeup).
    BandPass,
    /// Band-pass with unity gain at the centre.
    BandPassUnity,
}

/// Coefficients and state for up to two channels.
#[derive(Clone, Copy, Debug)]
pub struct Svf {
    kind: SvfMode,
    k: f32,
    a1: f32,
    a2: f32,
    a3: f32,
    ic1: [f32; 2],
    ic2: [f32; 2],
}

impl Svf {
    /// A filter at `cutoff` Hz with damping `k` (= 1/Q) for sample rate `sr`.
    pub fn new(kind: SvfMode, cutoff: f32, damping: f32, sr: f32) -> Svf {
        let fc = cutoff.clamp(10.0, sr * 0.49);
        let g = (std::f32::consts::PI * fc / sr).tan();
        let k = damping.clamp(0.0005, 20.0);
        let a1 = 1.0 / (1.0 + g * (g + k));
        let a2 = g * a1;
        let a3 = g * a2;
        Svf {
            kind,
            k,
            a1,
            a2,
            a3,
            ic1: [0.0; 2],
            ic2: [0.0; 2],
        }
    }

    /// Filters one sample of channel `ch` (0 or 1).
    #[inline]
    pub fn tick(&mut self, ch: usize, v0: f32) -> f32 {
        let (ic1, ic2) = (self.ic1[ch], self.ic2[ch]);
        let v3 = v0 - ic2;
        let v1 = self.a1 * ic1 + self.a2 * v3;
        let v2 = ic2 + self.a2 * ic1 + self.a3 * v3;
        self.ic1[ch] = 2.0 * v1 - ic1;
        self.ic2[ch] = 2.0 * v2 - ic2;
        match self.kind {
            SvfMode::LowPass => v2,
            SvfMode::HighPass => v0 - self.k * v1 - v2,
            SvfMode::BandPass => v1,
            SvfMode::BandPassUnity => self.k * v1,
        }
    }

    /// The same low-pass as a transposed direct-form II biquad (fewer operations per frame),
    /// for voices that fuse reading, filtering and mixing into one loop.
    pub fn low_pass_biquad(cutoff: f32, damping: f32, sr: f32) -> LowPassBiquad {
        let fc = cutoff.clamp(10.0, sr * 0.49) as f64;
        let g = (std::f64::consts::PI * fc / sr as f64).tan();
        let k = damping.clamp(0.0005, 20.0) as f64;
        let d = 1.0 + g * g + g * k;
        LowPassBiquad {
            b0: (g * g / d) as f32,
            a1: (2.0 * (g * g - 1.0) / d) as f32,
            a2: ((1.0 + g * g - g * k) / d) as f32,
            s1: [0.0; 2],
            s2: [0.0; 2],
        }
    }

    /// Filters a block of one channel in place.
    ///
    /// The same filter as [`Svf::tick`], written as a 2x2 state update
    /// (`ic' = M·ic + c·x`) so the loop-carried dependency is one multiply and
    /// two adds, with the output kind chosen once per block instead of per sample.
    pub fn process(&mut self, ch: usize, block: &mut [f32]) {
        let (a1, a2, a3, k) = (self.a1, self.a2, self.a3, self.k);
        let (m11, m12, c1) = (2.0 * a1 - 1.0, -2.0 * a2, 2.0 * a2);
        let (m21, m22, c2) = (2.0 * a2, 1.0 - 2.0 * a3, 2.0 * a3);
        let (mut ic1, mut ic2) = (self.ic1[ch], self.ic2[ch]);
        macro_rules! run {
            ($out:expr) => {
                for x in block.iter_mut() {
                    let v0 = *x;
                    let v1 = a1 * ic1 + a2 * (v0 - ic2);
                    let v2 = ic2 + a2 * ic1 + a3 * (v0 - ic2);
                    let (n1, n2) = (
                        m11 * ic1 + m12 * ic2 + c1 * v0,
                        m21 * ic1 + m22 * ic2 + c2 * v0,
                    );
                    ic1 = n1;
                    ic2 = n2;
                    #[allow(clippy::redundant_closure_call)]
                    {
                        *x = ($out)(v0, v1, v2);
                    }
                }
            };
        }
        match self.kind {
            SvfMode::LowPass => run!(|_, _, v2| v2),
            SvfMode::HighPass => run!(|v0: f32, v1: f32, v2: f32| v0 - k * v1 - v2),
            SvfMode::BandPass => run!(|_, v1, _| v1),
            SvfMode::BandPassUnity => run!(|_, v1: f32, _| k * v1),
        }
        self.ic1[ch] = ic1;
        self.ic2[ch] = ic2;
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
