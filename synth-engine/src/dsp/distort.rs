//! Waveshaping effects: `shape`, `crush` (bit reduction) and `coarse` (sample-rate reduction).

/// SuperDirt's `shape`: a soft saturator whose drive grows towards 1.
#[inline]
pub fn shape(x: f32, amount: f32) -> f32 {
    let s = amount.min(0.9999);
    let k = 2.0 * s / (1.0 - s);
    (1.0 + k) * x / (1.0 + k * x.abs())
}

/// The quantisation step of `crush bits` (`0.5^(bits-1)`).
pub fn crush_step(bits: f32) -> f32 {
    0.5f32.powf(bits - 1.0)
}

/// Rounds to the nearest multiple of `step`.
#[inline]
pub fn crush(x: f32, step: f32) -> f32 {
    (x / step + 0.5).floor() * step
}

/// `coarse`: holds one input value for `every` frames (per channel).
#[derive(Clone, Copy, Debug, Default)]
pub struct Coarse {
    held: [f32; 2],
    countdown: [u32; 2],
}

impl Coarse {
    /// Processes one channel's block in place.
    pub fn process(&mut self, ch: usize, every: u32, block: &mut [f32]) {
        for x in block.iter_mut() {
            if self.countdown[ch] == 0 {
                self.held[ch] = *x;
                self.countdown[ch] = every.max(1);
            }
            self.countdown[ch] -= 1;
            *x = self.held[ch];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_saturates_but_keeps_sign_and_zero() {
        assert_eq!(shape(0.0, 0.9), 0.0);
        assert!((shape(1.0, 0.9) - 1.0).abs() < 1e-5);
        assert!(shape(0.1, 0.9) > 0.5);
        assert!(shape(-0.1, 0.9) < -0.5);
        assert!((shape(0.3, 0.0) - 0.3).abs() < 1e-7);
    }

    #[test]
    fn crush_quantises_and_coarse_holds() {
        let step = crush_step(2.0);
        assert_eq!(step, 0.5);
        assert_eq!(crush(0.3, step), 0.5);
        assert_eq!(crush(0.2, step), 0.0);
        let mut c = Coarse::default();
        let mut b = [1.0, 2.0, 3.0, 4.0, 5.0];
        c.process(0, 2, &mut b);
        assert_eq!(b, [1.0, 1.0, 3.0, 3.0, 5.0]);
    }
}
