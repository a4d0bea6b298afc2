//! The clock model: maps wall-clock times (from OSC timetags) to output frames, following the device's drift.

use crate::engine::command::ClockTick;

/// Tracks `frame ≈ ref_frame + (t - ref_time) · rate` from the callbacks' (frame, time) observations.
///
/// A device whose clock runs slightly fast or slow against the system clock
/// shows up as a steady prediction error; a delay-locked loop moves the rate
/// to follow it. Exact observations (the WAV and null outputs) give an exact map.
#[derive(Clone, Debug)]
pub struct ClockModel {
    nominal: f64,
    rate: f64,
    ref_frame: f64,
    ref_nanos: i128,
    started: bool,
}

/// Nanoseconds since the Unix epoch.
pub type UnixNanos = i128;

impl ClockModel {
    /// A model for a device at `sample_rate`, with frame 0 at `start` until the first observation.
    pub fn new(sample_rate: u32, start: UnixNanos) -> ClockModel {
        ClockModel {
            nominal: sample_rate as f64,
            rate: sample_rate as f64,
            ref_frame: 0.0,
            ref_nanos: start,
            started: false,
        }
    }

    /// The current estimate of frames per second of wall time.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// Fixes the map exactly: `frame` sounds at wall time `t` (an output that knows its start).
    pub fn anchor(&mut self, frame: u64, t: UnixNanos) {
        self.ref_frame = frame as f64;
        self.ref_nanos = t;
        self.rate = self.nominal;
        self.started = true;
    }

    /// Takes one observation from the audio thread.
    pub fn observe(&mut self, tick: ClockTick) {
        let t = tick.unix_nanos as i128;
        let frame = tick.frame as f64;
        if !self.started {
            self.ref_frame = frame;
            self.ref_nanos = t;
            self.started = true;
            return;
        }
        let dt = (t - self.ref_nanos) as f64 * 1e-9;
        if dt <= 0.0 {
            return;
        }
        let predicted = self.ref_frame + dt * self.rate;
        let err = frame - predicted;
        if err.abs() > 0.25 * self.nominal {
            // an xrun, a stalled device or a stepped system clock: start again from here
            self.ref_frame = frame;
            self.ref_nanos = t;
            self.rate = self.nominal;
            return;
        }
        // second-order loop: the phase follows a little, the rate follows slowly
        self.ref_frame = predicted + 0.1 * err;
        self.ref_nanos = t;
        self.rate += 0.01 * err / dt.max(1e-3);
        self.rate = self.rate.clamp(self.nominal * 0.99, self.nominal * 1.01);
    }

    /// The output frame (fractional) at which wall time `t` falls.
    pub fn frame_at(&self, t: UnixNanos) -> f64 {
        self.ref_frame + (t - self.ref_nanos) as f64 * 1e-9 * self.rate
    }
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

    #[test]
    fn follows_a_device_that_runs_fast_despite_jitter() {
        let start: i128 = 1_700_000_000_000_000_000;
        let mut c = ClockModel::new(48000, start);
        let true_rate = 48000.0 * 1.0005; // 500 ppm fast
        let mut jitter = 12345u32;
        for k in 0..20000u64 {
            let frame = k * 256;
            jitter = jitter.wrapping_mul(1103515245).wrapping_add(12345);
            let noise = (jitter >> 16) as i128 % 200_000; // up to 0.2 ms late
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
    fn ntp_conversion() {
        assert_eq!(timetag_to_unix(0, 1), None);
        let t = timetag_to_unix(2_208_988_800 + 10, 1 << 31).unwrap();
        assert_eq!(t, 10_500_000_000);
    }
}
