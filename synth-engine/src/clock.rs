//! The clock model: maps wall-clock times (from OSC timetags) to output frames, following the device's drift.

use crate::engine::command::ClockTick;

/// Observations kept for the fit (about 2.7 s of 256-frame callbacks at 48 kHz).
const WINDOW: usize = 512;

/// Maps wall time to output frames: `frame ≈ fit_frame + (t - fit_t) · rate`.
///
/// Each audio callback reports (first frame, wall time). The model fits a
/// straight line through the most recent observations by least squares, so a
/// device whose clock runs slightly fast or slow against the system clock is
/// followed, and the scatter of callback times averages out. A jump (an xrun,
/// a stalled device, a stepped system clock) starts the fit afresh. Exact
/// observations (the WAV and null outputs) give an exact map.
#[derive(Clone, Debug)]
pub struct ClockModel {
    nominal: f64,
    points: std::collections::VecDeque<(UnixNanos, u64)>,
    fit_t: UnixNanos,
    fit_frame: f64,
    rate: f64,
    /// Observations since the last outlier check, and scratch space for it.
    since_check: u32,
    /// New observations since the line was last fitted.
    dirty: bool,
    residuals: Vec<f64>,
}

/// Nanoseconds since the Unix epoch.
pub type UnixNanos = i128;

impl ClockModel {
    /// A model for a device at `sample_rate`, with frame 0 at `start` until the first observation.
    pub fn new(sample_rate: u32, start: UnixNanos) -> ClockModel {
        ClockModel {
            nominal: sample_rate as f64,
            points: std::collections::VecDeque::with_capacity(WINDOW + 1),
            fit_t: start,
            fit_frame: 0.0,
            rate: sample_rate as f64,
            since_check: 0,
            dirty: false,
            residuals: Vec::with_capacity(WINDOW + 1),
        }
    }

    /// The current estimate of frames per second of wall time.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// Fixes the map exactly: `frame` sounds at wall time `t` (an output that knows its start).
    pub fn anchor(&mut self, frame: u64, t: UnixNanos) {
        self.points.clear();
        self.observe(ClockTick {
            frame,
            unix_nanos: t.max(0) as u64,
        });
    }

    /// Takes one observation from the audio thread (the line is refitted when next used).
    pub fn observe(&mut self, tick: ClockTick) {
        let t = tick.unix_nanos as i128;
        if let Some(&(last_t, last_frame)) = self.points.back() {
            let jump = (tick.frame as f64 - self.predict(t)).abs() > 0.25 * self.nominal;
            if t <= last_t || tick.frame < last_frame || jump {
                self.points.clear();
            }
        }
        let fresh = self.points.is_empty();
        self.points.push_back((t, tick.frame));
        if self.points.len() > WINDOW {
            self.points.pop_front();
        }
        self.dirty = true;
        self.since_check += 1;
        let newest_off = (tick.frame as f64 - self.predict(t)).abs() > 0.0002 * self.nominal;
        if fresh || newest_off || self.since_check >= 16 {
            self.since_check = 0;
            self.refit();
            self.drop_outliers();
        }
    }

    /// Callbacks that came much earlier or later than the line (the first ones after a start,
    /// a scheduling hiccup) would tilt it: they are dropped and the line is fitted again.
    fn drop_outliers(&mut self) {
        if self.points.len() < 8 {
            return;
        }
        let (fit_t, fit_frame, rate) = (self.fit_t, self.fit_frame, self.rate);
        let residual = move |t: UnixNanos, f: u64| {
            (f as f64 - (fit_frame + (t - fit_t) as f64 * 1e-9 * rate)).abs()
        };
        self.residuals.clear();
        self.residuals
            .extend(self.points.iter().map(|&(t, f)| residual(t, f)));
        let middle = self.residuals.len() / 2;
        let median = *self
            .residuals
            .select_nth_unstable_by(middle, f64::total_cmp)
            .1;
        let limit = (8.0 * median).max(0.0002 * self.nominal);
        let before = self.points.len();
        self.points.retain(|&(t, f)| residual(t, f) <= limit);
        if self.points.len() != before && !self.points.is_empty() {
            self.refit();
        }
    }

    fn refit(&mut self) {
        self.dirty = false;
        let Some(&(t_ref, f_ref)) = self.points.back() else {
            return;
        };
        let n = self.points.len() as f64;
        let (mut sx, mut sy) = (0.0, 0.0);
        for &(t, f) in &self.points {
            sx += seconds(t - t_ref);
            sy += f as f64 - f_ref as f64;
        }
        let (mx, my) = (sx / n, sy / n);
        let (mut sxx, mut sxy) = (0.0, 0.0);
        for &(t, f) in &self.points {
            let dx = seconds(t - t_ref) - mx;
            sxx += dx * dx;
            sxy += dx * (f as f64 - f_ref as f64 - my);
        }
        // a line needs a span of time; until then assume the nominal rate
        self.rate = if sxx > 1e-6 {
            (sxy / sxx).clamp(self.nominal * 0.99, self.nominal * 1.01)
        } else {
            self.nominal
        };
        self.fit_t = t_ref;
        self.fit_frame = f_ref as f64 + my - self.rate * mx;
    }

    /// The output frame (fractional) at which wall time `t` falls.
    pub fn frame_at(&mut self, t: UnixNanos) -> f64 {
        if self.dirty {
            self.refit();
        }
        self.predict(t)
    }

    /// The same from the line as last fitted.
    fn predict(&self, t: UnixNanos) -> f64 {
        self.fit_frame + seconds(t - self.fit_t) * self.rate
    }
}

/// A span of nanoseconds as seconds (spans here are far below the 292 years an i64 holds).
#[inline]
fn seconds(nanos: i128) -> f64 {
    nanos.clamp(i64::MIN as i128, i64::MAX as i128) as i64 as f64 * 1e-9
}

/// The system clock now, in nanoseconds since the Unix epoch.
pub fn unix_now() -> UnixNanos {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// Seconds between the NTP epoch (1900) and the Unix epoch (1970).
const NTP_UNIX_OFFSET: i128 = 2_208_988_800;

/// An OSC timetag as Unix nanoseconds; `None` for "immediately" (0.1).
pub fn timetag_to_unix(seconds: u32, fractional: u32) -> Option<UnixNanos> {
    if seconds == 0 && fractional <= 1 {
        return None;
    }
    let secs = seconds as i128 - NTP_UNIX_OFFSET;
    let frac = ((fractional as i128) * 1_000_000_000 + (1 << 31)) >> 32;
    Some(secs * 1_000_000_000 + frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_observations_give_an_exact_map() {
        let start: i128 = 1_700_000_000_000_000_000;
        let mut c = ClockModel::new(48000, start);
        for k in 0..1000u64 {
            let frame = k * 256;
            let t = start + (frame as i128 * 1_000_000_000) / 48000;
            c.observe(ClockTick {
                frame,
                unix_nanos: t as u64,
            });
        }
        let t = start + 3 * 1_000_000_000 + 500_000_000;
        assert!(
            (c.frame_at(t) - 168_000.0).abs() < 0.01,
            "{}",
            c.frame_at(t)
        );
    }

    /// A pseudo-random callback lateness, up to 0.2 ms, in nanoseconds.
    fn lateness(state: &mut u32) -> i128 {
        *state = state.wrapping_mul(1103515245).wrapping_add(12345);
        (*state >> 16) as i128 % 200_000
    }

    #[test]
    fn follows_a_device_that_runs_fast_despite_jitter() {
        let start: i128 = 1_700_000_000_000_000_000;
        let mut c = ClockModel::new(48000, start);
        let true_rate = 48000.0 * 1.0005; // 500 ppm fast
        let mut jitter = 12345u32;
        for k in 0..20000u64 {
            let frame = k * 256;
            let noise = lateness(&mut jitter);
            let t = start + (frame as f64 / true_rate * 1e9) as i128 + noise;
            c.observe(ClockTick {
                frame,
                unix_nanos: t as u64,
            });
        }
        assert!((c.rate() - true_rate).abs() < 2.0, "rate {}", c.rate());
        let later = start + 120 * 1_000_000_000;
        let expected = 120.0 * true_rate;
        assert!(
            (c.frame_at(later) - expected).abs() < 48.0,
            "{} vs {expected}",
            c.frame_at(later)
        );
    }

    #[test]
    fn one_second_after_start_the_jittery_map_is_already_steady() {
        let start: i128 = 1_700_000_000_000_000_000;
        let mut c = ClockModel::new(48000, start);
        let mut jitter = 777u32;
        let mut worst = 0.0f64;
        for k in 0..(48000 * 4 / 256) as u64 {
            let frame = k * 256;
            let noise = lateness(&mut jitter);
            c.observe(ClockTick {
                frame,
                unix_nanos: (start + (frame as i128 * 1_000_000_000) / 48000 + noise) as u64,
            });
            if frame >= 48000 {
                // two events a quarter second apart must land a quarter second apart
                let t = start + (frame as i128 * 1_000_000_000) / 48000 + 200_000_000;
                let gap = c.frame_at(t + 250_000_000) - c.frame_at(t);
                worst = worst.max((gap - 12000.0).abs());
            }
        }
        assert!(worst < 1.0, "gap error {worst} frames");
    }

    #[test]
    fn an_early_first_callback_does_not_tilt_the_line() {
        // as seen with JACK: the first callback comes 5 ms before the steady ones
        let start: i128 = 1_700_000_000_000_000_000;
        let mut c = ClockModel::new(48000, start);
        for k in 0..60u64 {
            let frame = k * 256;
            let late = if k == 0 { 0 } else { 5_300_000 };
            c.observe(ClockTick {
                frame,
                unix_nanos: (start + (frame as i128 * 1_000_000_000) / 48000 + late) as u64,
            });
        }
        let t = start + 400_000_000;
        let gap = c.frame_at(t + 250_000_000) - c.frame_at(t);
        assert!((gap - 12000.0).abs() < 0.5, "{gap}");
    }

    #[test]
    fn a_jump_starts_the_fit_again() {
        let mut c = ClockModel::new(48000, 0);
        for k in 0..100u64 {
            c.observe(ClockTick {
                frame: k * 256,
                unix_nanos: 1_000_000_000 + k * 5_333_333,
            });
        }
        // the device stalled for a second (an xrun): frames continue, time jumped
        c.observe(ClockTick {
            frame: 100 * 256,
            unix_nanos: 1_000_000_000 + 100 * 5_333_333 + 1_000_000_000,
        });
        let t: i128 = 1_000_000_000 + 100 * 5_333_333 + 1_000_000_000;
        assert!((c.frame_at(t) - 25600.0).abs() < 1e-6);
    }

    #[test]
    fn ntp_conversion() {
        assert_eq!(timetag_to_unix(0, 1), None);
        let t = timetag_to_unix(2_208_988_800 + 10, 1 << 31).unwrap();
        assert_eq!(t, 10_500_000_000);
    }
}
