//! A state-variable filter (trapezoidal, stable at any resonance) for low-, high- and band-pass.

/// Which output of the filter is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterKind {
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
    kind: FilterKind,
    k: f32,
    a1: f32,
    a2: f32,
    a3: f32,
    ic1: [f32; 2],
    ic2: [f32; 2],
}

impl Svf {
    /// A filter at `cutoff` Hz with damping `k` (= 1/Q) for sample rate `sr`.
    pub fn new(kind: FilterKind, cutoff: f32, damping: f32, sr: f32) -> Svf {
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
            FilterKind::LowPass => v2,
            FilterKind::HighPass => v0 - self.k * v1 - v2,
            FilterKind::BandPass => v1,
            FilterKind::BandPassUnity => self.k * v1,
        }
    }

    /// Filters a block of one channel in place.
    pub fn process(&mut self, ch: usize, block: &mut [f32]) {
        for x in block.iter_mut() {
            *x = self.tick(ch, *x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gain_at(kind: FilterKind, cutoff: f32, freq: f32) -> f32 {
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
        assert!((gain_at(FilterKind::LowPass, 1000.0, 100.0) - 1.0).abs() < 0.02);
        assert!(gain_at(FilterKind::LowPass, 1000.0, 10000.0) < 0.02);
        assert!(gain_at(FilterKind::HighPass, 1000.0, 100.0) < 0.02);
        assert!((gain_at(FilterKind::HighPass, 1000.0, 10000.0) - 1.0).abs() < 0.02);
        assert!((gain_at(FilterKind::BandPassUnity, 1000.0, 1000.0) - 1.0).abs() < 0.02);
    }

    #[test]
    fn extreme_settings_stay_finite() {
        let mut f = Svf::new(FilterKind::LowPass, 1.0e9, 0.0, 48000.0);
        for n in 0..100000 {
            let y = f.tick(1, if n % 2 == 0 { 1.0 } else { -1.0 });
            assert!(y.is_finite());
        }
    }
}
