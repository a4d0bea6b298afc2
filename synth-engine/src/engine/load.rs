//! Keeping real time when the voices cost more CPU than a block lasts: the number of voices
//! allowed to sound follows the measured render time, as a player drops notes rather than
//! stop the band.
//!
//! Live outputs measure each callback's render time against the callback's duration. Above
//! [`LoadGuard::HIGH`] for a few callbacks in a row, the voice limit drops below the voices
//! sounding (the oldest fade out);
//! below [`LoadGuard::LOW`] it grows back, a step every tenth of a second. Offline renders
//! never enable it, so they stay deterministic.

/// The fewest voices the guard ever leaves.
const MIN_VOICES: usize = 4;

/// The voice limit that follows the render load.
#[derive(Debug, Clone)]
pub struct LoadGuard {
    enabled: bool,
    /// Render time as a share of the audio's duration, smoothed: rises at once, falls slowly.
    load: f64,
    /// Voices allowed to sound now.
    cap: usize,
    max: usize,
    /// Frames since the limit last changed.
    settled: u64,
    /// Callbacks in a row over [`LoadGuard::HIGH`] (one slow callback is often the
    /// operating system's doing, not the voices').
    over: u32,
}

impl LoadGuard {
    /// Render load above which voices are shed.
    pub const HIGH: f64 = 0.8;
    /// Callbacks in a row over `HIGH` before voices are shed.
    pub const PATIENCE: u32 = 3;
    /// Render load below which the limit grows back.
    pub const LOW: f64 = 0.5;

    /// A guard for a pool of `max` voices, off until [`LoadGuard::enable`].
    pub fn new(max: usize) -> LoadGuard {
        LoadGuard {
            enabled: false,
            load: 0.0,
            cap: max,
            max,
            settled: 0,
            over: 0,
        }
    }

    /// Live outputs turn the guard on.
    pub fn enable(&mut self) {
        self.enabled = true;
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Voices allowed to sound now.
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// The smoothed render load (1.0: rendering takes as long as the audio lasts).
    pub fn load(&self) -> f64 {
        self.load
    }

    /// After a callback that took `busy` seconds to render `frames` frames at `sample_rate`
    /// with `sounding` voices: updates the load and the limit. Returns how many voices must
    /// go now (0 when none).
    pub fn observe(
        &mut self,
        busy: f64,
        frames: usize,
        sample_rate: f32,
        sounding: usize,
    ) -> usize {
        if !self.enabled || frames == 0 || !busy.is_finite() {
            return 0;
        }
        let ratio = busy * sample_rate as f64 / frames as f64;
        self.load = if ratio > self.load {
            ratio
        } else {
            self.load + (ratio - self.load) * 0.05
        };
        self.settled += frames as u64;
        let step = (sample_rate / 10.0) as u64;
        self.over = if ratio > Self::HIGH { self.over + 1 } else { 0 };
        if self.over >= Self::PATIENCE && sounding > MIN_VOICES {
            // aim below the threshold, assuming the cost is spread evenly over the voices
            let keep = ((sounding as f64 * 0.7 * Self::HIGH / self.load) as usize).max(MIN_VOICES);
            if keep < sounding {
                self.cap = keep;
                self.settled = 0;
                self.over = 0;
                self.load *= keep as f64 / sounding as f64;
                return sounding - keep;
            }
        } else if self.load < Self::LOW && self.cap < self.max && self.settled >= step {
            self.cap = (self.cap + (self.cap / 8).max(1)).min(self.max);
            self.settled = 0;
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SR: f32 = 48000.0;
    /// Seconds one 256-frame callback lasts.
    const BLOCK: f64 = 256.0 / 48000.0;

    #[test]
    fn an_offline_guard_never_sheds() {
        let mut g = LoadGuard::new(256);
        assert_eq!(g.observe(BLOCK * 5.0, 256, SR, 200), 0);
        assert_eq!(g.cap(), 256);
    }

    #[test]
    fn overload_sheds_voices_and_a_quiet_machine_lets_them_back() {
        let mut g = LoadGuard::new(256);
        g.enable();
        // one slow callback is not enough
        assert_eq!(g.observe(BLOCK * 1.5, 256, SR, 200), 0);
        assert_eq!(g.observe(BLOCK * 0.1, 256, SR, 200), 0);
        // rendering 200 voices takes 1.5 blocks, callback after callback: to get under 0.8,
        // at least 94 must go; the guard aims a margin lower, but keeps over a third
        let mut shed = 0;
        for _ in 0..LoadGuard::PATIENCE {
            shed += g.observe(BLOCK * 1.5, 256, SR, 200);
        }
        assert!((94..=130).contains(&shed), "{shed}");
        assert_eq!(g.cap(), 200 - shed);
        // the remaining voices cost half a block: no more shedding
        let sounding = g.cap();
        for _ in 0..10 {
            assert_eq!(g.observe(BLOCK * 0.45, 256, SR, sounding), 0);
        }
        // a quiet machine: the limit grows back to the maximum, step by step
        let mut caps = vec![g.cap()];
        for _ in 0..2000 {
            g.observe(BLOCK * 0.1, 256, SR, 10);
            if caps.last() != Some(&g.cap()) {
                caps.push(g.cap());
            }
        }
        assert_eq!(g.cap(), 256);
        assert!(caps.windows(2).all(|w| w[1] > w[0]), "{caps:?}");
        assert!(caps.len() > 3, "grows in steps: {caps:?}");
    }

    #[test]
    fn the_guard_keeps_a_few_voices_whatever_the_load() {
        let mut g = LoadGuard::new(64);
        g.enable();
        for _ in 0..50 {
            let sounding = g.cap();
            g.observe(BLOCK * 20.0, 256, SR, sounding);
        }
        assert_eq!(g.cap(), MIN_VOICES);
    }
}
