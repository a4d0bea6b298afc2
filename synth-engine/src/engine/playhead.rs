//! The sampler's read position in 32.32 fixed point: integer steps, no float-to-int conversions per frame.

use crate::samples::buffer::PAD;

const ONE: f64 = 4_294_967_296.0;
/// Fastest read rate in file frames per output frame (beyond it a sample is only noise).
pub const MAX_RATE: f64 = 8192.0;

/// Where a voice reads, how fast, and the region it loops over.
#[derive(Clone, Copy, Debug, Default)]
pub struct Playhead {
    pos: u64,
    rate: i64,
    step: i64,
    start: u64,
    end: u64,
}

impl Playhead {
    /// `position`, `start`, `end` in frames of the file; `rate` and `step` in frames per output frame.
    pub fn new(position: f64, rate: f64, step: f64, start: f64, end: f64) -> Playhead {
        let fixed = |x: f64| (x.max(0.0) * ONE) as u64;
        let signed = |x: f64| (x.clamp(-MAX_RATE, MAX_RATE) * ONE) as i64;
        let start_fp = fixed(start);
        let end_fp = fixed(end).max(start_fp + 1);
        Playhead {
            pos: fixed(position).clamp(start_fp, end_fp - 1),
            rate: signed(rate),
            step: signed(step),
            start: start_fp,
            end: end_fp,
        }
    }

    /// Index into a padded channel of the frame at or before the position, and the fraction past it.
    #[inline(always)]
    pub fn index_frac(&self) -> (usize, f32) {
        (
            (self.pos >> 32) as usize + PAD,
            (self.pos as u32) as f32 * (1.0 / ONE as f32),
        )
    }

    /// Moves on by one output frame, wrapping around the region.
    #[inline(always)]
    pub fn advance(&mut self) {
        self.pos = self.pos.wrapping_add(self.rate as u64);
        // the planner keeps both ends of a glide within MAX_RATE, so this cannot overflow;
        // wrapping keeps even a hostile value harmless (the position is wrapped into the region)
        self.rate = self.rate.wrapping_add(self.step);
        if self.pos >= self.end || self.pos < self.start {
            self.wrap();
        }
    }

    #[cold]
    fn wrap(&mut self) {
        let span = (self.end - self.start) as i128;
        let offset = self.pos.wrapping_sub(self.start) as i64 as i128;
        self.pos = self.start + offset.rem_euclid(span) as u64;
    }

    /// The position in frames (for tests).
    pub fn position(&self) -> f64 {
        self.pos as f64 / ONE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advances_wraps_forwards_and_backwards() {
        let mut p = Playhead::new(0.0, 1.5, 0.0, 0.0, 10.0);
        for _ in 0..8 {
            p.advance();
        }
        assert!((p.position() - 2.0).abs() < 1e-9); // 12 wraps to 2
        let mut b = Playhead::new(9.0, -2.0, 0.0, 0.0, 10.0);
        for _ in 0..5 {
            b.advance();
        }
        assert!((b.position() - 9.0).abs() < 1e-9); // 9 - 10 = -1 wraps to 9
        let (i, f) = Playhead::new(3.25, 1.0, 0.0, 0.0, 10.0).index_frac();
        assert_eq!(i, 3 + PAD);
        assert!((f - 0.25).abs() < 1e-6);
        let mut fast = Playhead::new(0.0, 1.0e12, 1.0e3, 0.0, 100.0);
        for _ in 0..100 {
            fast.advance();
            assert!(fast.position() < 100.0);
        }
    }
}
