//! The clock: the cycle at a moment and the moment of a cycle, both computed
//! from one anchor `(time, cycle, cps)` with exact rationals, never accumulated.
//!
//! Times are nanoseconds since the server started (an exact `Time`, so a
//! cycle's moment is never rounded); `origin_unix_ns` turns them into NTP
//! timetags at the very end.

use pattern_lang::Time;

/// Nanoseconds in a second.
pub const NANOS: i128 = 1_000_000_000;
/// Seconds from 1900 (NTP's epoch) to 1970 (Unix's).
const NTP_UNIX_OFFSET: i128 = 2_208_988_800;
/// An anchor time whose denominator grows past this is rounded to the
/// nanosecond (a shift below 0.5 ns), so repeated tempo changes cannot
/// overflow the rationals.
const MAX_ANCHOR_DENOM: i128 = 1_000_000;
/// The fastest tempo played, in cycles per second (24000 bpm). Faster ones
/// are typos (`setcps 1e9`) that would turn every slot into a flood.
pub const MAX_CPS: i64 = 100;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClockError {
    #[error("the tempo must be a positive number of cycles per second (got {0})")]
    BadTempo(String),
    #[error("the tempo must be at most {MAX_CPS} cycles per second (got {0})")]
    TooFast(String),
    #[error("time arithmetic overflowed (the cycle or tempo is too extreme)")]
    Overflow,
}

impl From<pattern_lang::time::TimeOverflow> for ClockError {
    fn from(_: pattern_lang::time::TimeOverflow) -> ClockError {
        ClockError::Overflow
    }
}

/// The map between cycles and time: `anchor_cycle` happens at `anchor_ns`,
/// and the music goes at `cps` cycles per second from there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    anchor_ns: Time,
    anchor_cycle: Time,
    cps: Time,
}

impl Clock {
    pub fn new(anchor_ns: Time, anchor_cycle: Time, cps: Time) -> Result<Clock, ClockError> {
        check_tempo(cps)?;
        Ok(Clock {
            anchor_ns,
            anchor_cycle,
            cps,
        })
    }

    pub fn cps(&self) -> Time {
        self.cps
    }

    /// The exact moment (ns since start) at which `cycle` happens.
    pub fn nanos_at(&self, cycle: Time) -> Result<Time, ClockError> {
        let cycles = cycle.checked_sub(self.anchor_cycle)?;
        let secs = cycles.checked_div(self.cps)?;
        Ok(self
            .anchor_ns
            .checked_add(secs.checked_mul(Time::int(NANOS as i64))?)?)
    }

    /// The exact cycle at `ns` (since start).
    pub fn cycle_at(&self, ns: i128) -> Result<Time, ClockError> {
        let since = Time::new(ns, 1)?.checked_sub(self.anchor_ns)?;
        let cycles = since
            .checked_mul(self.cps)?
            .checked_div(Time::int(NANOS as i64))?;
        Ok(self.anchor_cycle.checked_add(cycles)?)
    }

    /// The same map from `at_cycle` on, at a new tempo: continuous at
    /// `at_cycle`.
    pub fn with_tempo(&self, at_cycle: Time, cps: Time) -> Result<Clock, ClockError> {
        check_tempo(cps)?;
        Ok(Clock {
            anchor_ns: tidy(self.nanos_at(at_cycle)?),
            anchor_cycle: at_cycle,
            cps,
        })
    }

    /// The moment of `at_cycle` becomes the moment of cycle `new_cycle`
    /// (`resetCycles`).
    pub fn renumbered(&self, at_cycle: Time, new_cycle: Time) -> Result<Clock, ClockError> {
        Ok(Clock {
            anchor_ns: tidy(self.nanos_at(at_cycle)?),
            anchor_cycle: new_cycle,
            cps: self.cps,
        })
    }
}

/// A tempo the clock plays: above zero and at most `MAX_CPS`.
pub fn check_tempo(cps: Time) -> Result<(), ClockError> {
    if cps.is_negative() || cps.is_zero() {
        Err(ClockError::BadTempo(show_tempo(cps)))
    } else if cps > Time::int(MAX_CPS) {
        Err(ClockError::TooFast(show_tempo(cps)))
    } else {
        Ok(())
    }
}

/// A tempo as a short decimal (an exact fraction can be very long).
fn show_tempo(cps: Time) -> String {
    let x = cps.to_f64();
    if x.abs() >= 1e6 {
        format!("{x:e}")
    } else {
        format!("{}", (x * 1e6).round() / 1e6)
    }
}

/// Rounds an anchor to the nanosecond only when its denominator has grown.
fn tidy(ns: Time) -> Time {
    if ns.denom() <= MAX_ANCHOR_DENOM {
        return ns;
    }
    round_div(ns.numer(), ns.denom())
        .and_then(|r| Time::new(r, 1).ok())
        .unwrap_or(ns)
}

/// An NTP timetag (seconds since 1900 in the high 32 bits, a binary fraction
/// in the low 32) for `ns` nanoseconds after `origin_unix_ns`, rounded once
/// to the nearest 1/2^32 s.
pub fn ntp_timetag(origin_unix_ns: i128, ns: Time) -> Result<u64, ClockError> {
    let whole = ns.floor_int();
    let frac = ns.checked_sub(Time::new(whole, 1)?)?; // in [0, 1) ns
    let total = origin_unix_ns
        .checked_add(whole)
        .ok_or(ClockError::Overflow)?;
    let secs = total.div_euclid(NANOS) + NTP_UNIX_OFFSET;
    let sub_ns = total.rem_euclid(NANOS);
    // fraction = (sub_ns + frac) * 2^32 / 1e9, rounded to nearest.
    let (fnum, fden) = (frac.numer(), frac.denom());
    let exact = sub_ns
        .checked_mul(fden)
        .and_then(|x| x.checked_add(fnum))
        .and_then(|x| x.checked_mul(1 << 32))
        .zip(fden.checked_mul(NANOS));
    let fraction = match exact.and_then(|(num, den)| round_div(num, den)) {
        Some(f) => f,
        None => {
            // A huge denominator: the sub-nanosecond part through f64 is
            // still far below the 0.23 ns resolution of the timetag.
            let x = (sub_ns as f64 + frac.to_f64()) * (1u64 << 32) as f64 / NANOS as f64;
            x.round() as i128
        }
    };
    let ntp = secs
        .checked_mul(1 << 32)
        .and_then(|s| s.checked_add(fraction))
        .ok_or(ClockError::Overflow)?;
    u64::try_from(ntp).map_err(|_| ClockError::Overflow)
}

/// `num / den` rounded to the nearest integer (halves up), `den > 0`.
fn round_div(num: i128, den: i128) -> Option<i128> {
    Some(
        num.checked_mul(2)?
            .checked_add(den)?
            .div_euclid(den.checked_mul(2)?),
    )
}

/// The closest fraction to `x` with a denominator up to `max_den`
/// (continued fractions), for tempos that arrive as floats.
pub fn rational_from_f64(x: f64, max_den: i128) -> Option<Time> {
    if !x.is_finite() || x.abs() > 1e15 {
        return None;
    }
    let negative = x < 0.0;
    let mut rest = x.abs();
    let (mut p0, mut q0, mut p1, mut q1) = (0i128, 1i128, 1i128, 0i128);
    for _ in 0..64 {
        let a = rest.floor();
        let ai = a as i128;
        let p2 = ai.checked_mul(p1)?.checked_add(p0)?;
        let q2 = ai.checked_mul(q1)?.checked_add(q0)?;
        if q2 > max_den {
            break;
        }
        (p0, q0, p1, q1) = (p1, q1, p2, q2);
        let f = rest - a;
        if f < 1e-12 {
            break;
        }
        rest = 1.0 / f;
    }
    if q1 == 0 {
        return None;
    }
    Time::new(if negative { -p1 } else { p1 }, q1).ok()
}

#[cfg(test)]
mod tests {
    use super::super::tests::t;
    use super::*;

    #[test]
    fn cycles_and_moments_are_inverse() {
        let c = Clock::new(t(0, 1), t(0, 1), t(9, 16)).unwrap();
        let ns = c.nanos_at(t(1, 8)).unwrap();
        assert_eq!(ns, t(2_000_000_000, 9));
        assert_eq!(c.cycle_at(1_000_000_000).unwrap(), t(9, 16));
    }

    #[test]
    fn a_tempo_change_is_continuous() {
        let c = Clock::new(t(5, 1), t(3, 1), t(3, 4)).unwrap();
        let at = t(41, 8);
        let d = c.with_tempo(at, t(3, 2)).unwrap();
        assert_eq!(c.nanos_at(at).unwrap(), d.nanos_at(at).unwrap());
        let later = (at + t(1, 8)).unwrap();
        let gap = (d.nanos_at(later).unwrap() - d.nanos_at(at).unwrap()).unwrap();
        assert_eq!(gap, t(1_000_000_000, 12));
    }

    #[test]
    fn many_tempo_changes_stay_exact_enough_and_never_overflow() {
        let mut c = Clock::new(t(0, 1), t(0, 1), t(9, 16)).unwrap();
        let mut at = t(0, 1);
        let mut last = c.nanos_at(at).unwrap();
        for i in 1..2000i128 {
            at = (at + t(i % 7 + 1, 3 + i % 5)).unwrap();
            let before = c.nanos_at(at).unwrap();
            c = c.with_tempo(at, t(i % 13 + 1, i % 11 + 2)).unwrap();
            let after = c.nanos_at(at).unwrap();
            // Continuous to within the nanosecond rounding of the anchor.
            assert!((before - after).unwrap().to_f64().abs() <= 0.5);
            assert!(after > last, "monotonic");
            last = after;
            ntp_timetag(1_800_000_000_000_000_000, after).unwrap();
        }
    }

    #[test]
    fn timetags_are_ntp() {
        // Unix 0 is NTP 2208988800; half a second is 2^31.
        assert_eq!(ntp_timetag(0, t(0, 1)).unwrap(), 2_208_988_800u64 << 32);
        assert_eq!(
            ntp_timetag(0, t(500_000_000, 1)).unwrap(),
            (2_208_988_800u64 << 32) + (1 << 31)
        );
        // A third of a nanosecond past a second, rounded once.
        let tag = ntp_timetag(1_000_000_000, t(1, 3)).unwrap();
        assert_eq!(tag & 0xffff_ffff, 1); // 4.29 * (1/3) = 1.43 -> 1
    }

    #[test]
    fn absurd_tempos_are_refused() {
        assert!(Clock::new(t(0, 1), t(0, 1), t(1_000_000_000, 1)).is_err());
        let c = Clock::new(t(0, 1), t(0, 1), t(1, 1)).unwrap();
        assert_eq!(
            c.with_tempo(t(1, 1), t(101, 1)).unwrap_err().to_string(),
            "the tempo must be at most 100 cycles per second (got 101)"
        );
        assert!(c.with_tempo(t(1, 1), t(0, 1)).is_err());
        assert!(c.with_tempo(t(1, 1), t(100, 1)).is_ok());
    }

    #[test]
    fn float_tempos_become_small_fractions() {
        assert_eq!(rational_from_f64(0.5625, 1_000_000), Some(t(9, 16)));
        assert_eq!(rational_from_f64(1.0 / 3.0, 1_000_000), Some(t(1, 3)));
        assert_eq!(rational_from_f64(f64::NAN, 1_000_000), None);
    }
}
