//! The wall clock in Unix seconds, NTP timetags, and waiting by polling with a deadline.

use rosc::OscTime;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Seconds from the NTP epoch (1900) to the Unix epoch (1970).
pub const NTP_OFFSET: f64 = 2_208_988_800.0;

/// One second in NTP 32.32 fixed point.
const NTP_UNIT: f64 = 4_294_967_296.0;

/// The wall clock as Unix seconds.
pub fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// The NTP timetag of a Unix time in seconds.
pub fn timetag(unix: f64) -> OscTime {
    let secs = unix.floor();
    OscTime {
        seconds: (secs + NTP_OFFSET) as u32,
        fractional: ((unix - secs) * NTP_UNIT).round() as u32,
    }
}

/// A timetag as one 64-bit number (NTP 32.32), for exact spacing and ordering.
pub fn ntp_bits(t: OscTime) -> u64 {
    ((t.seconds as u64) << 32) | t.fractional as u64
}

/// A timetag as Unix seconds.
pub fn ntp_to_unix(t: OscTime) -> f64 {
    t.seconds as f64 - NTP_OFFSET + t.fractional as f64 / NTP_UNIT
}

/// The difference of two 32.32 timetags in seconds.
pub fn ntp_gap(from: u64, to: u64) -> f64 {
    (to - from) as f64 / NTP_UNIT
}

/// Polls `test` every 10 ms until it holds; panics with `what` after `secs`.
pub fn wait_until(what: &str, secs: f64, mut test: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    while !test() {
        assert!(
            Instant::now() < deadline,
            "timed out after {secs} s: {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Polls the wall clock until `unix` has passed, at most `slack` seconds after it should have.
pub fn wait_clock(unix: f64, slack: f64) {
    let secs = (unix - unix_now()).max(0.0) + slack;
    wait_until("the wall clock", secs, || unix_now() >= unix);
}

/// Sleeps for `secs` seconds.
pub fn sleep(secs: f64) {
    std::thread::sleep(Duration::from_secs_f64(secs));
}

/// Polls `get` until what it returns passes `test`, and returns that; panics with `what`
/// after `secs`.
pub fn wait_for_value<T>(
    what: &str,
    secs: f64,
    mut get: impl FnMut() -> T,
    test: impl Fn(&T) -> bool,
) -> T {
    let mut value = get();
    wait_until(what, secs, || {
        value = get();
        test(&value)
    });
    value
}

/// Polls `f` until it gives something, and returns that; panics with `what` after `secs`.
pub fn wait_for_some<T>(what: &str, secs: f64, mut f: impl FnMut() -> Option<T>) -> T {
    let mut found = None;
    wait_until(what, secs, || {
        found = f();
        found.is_some()
    });
    found.unwrap()
}
