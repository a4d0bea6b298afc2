//! Continuous signals (sine, saw, tri, square, envelopes), sampled at the
//! midpoint of each query as Tidal samples them.

use crate::core::applicative::app_right;
use crate::core::concat::slowcat;
use crate::pattern::{signal, Pattern};
use crate::time::Time;

/// Haskell's `mod'` for doubles: the result takes the divisor's sign.
pub fn fmod(x: f64, y: f64) -> f64 {
    x - (x / y).floor() * y
}

/// From 0 to 1 and back, once per cycle, starting at 0.5.
pub fn sine() -> Pattern<f64> {
    signal(|t: Time| ((std::f64::consts::PI * 2.0 * t.to_f64()).sin() + 1.0) / 2.0)
}

/// `sine` a quarter cycle later.
pub fn cosine() -> Pattern<f64> {
    sine().rot_r(Time::new(1, 4).unwrap_or(Time::ZERO))
}

/// From 0 up to 1 over each cycle.
pub fn saw() -> Pattern<f64> {
    signal(|t: Time| fmod(t.to_f64(), 1.0))
}

/// From 1 down to 0 over each cycle.
pub fn isaw() -> Pattern<f64> {
    saw().fmap(|x| 1.0 - x)
}

/// Up and down once per cycle.
pub fn tri() -> Pattern<f64> {
    slowcat(vec![saw(), isaw()]).fast_by(Time::int(2))
}

/// 0 for the first half of each cycle, 1 for the second.
pub fn square() -> Pattern<f64> {
    signal(|t: Time| (fmod(t.to_f64(), 1.0) * 2.0).floor())
}

/// A linear ramp from 0 to 1 over the first cycle, then 1.
pub fn env_l() -> Pattern<f64> {
    signal(|t: Time| t.to_f64().clamp(0.0, 1.0))
}

/// `envL` reversed: from 1 to 0 over the first cycle, then 0.
pub fn env_lr() -> Pattern<f64> {
    env_l().fmap(|x| 1.0 - x)
}

/// An equal-power fade in over the first cycle.
pub fn env_eq() -> Pattern<f64> {
    signal(|t: Time| {
        (std::f64::consts::FRAC_PI_2 * (1.0 - t.to_f64()).clamp(0.0, 1.0))
            .sin()
            .sqrt()
    })
}

/// An equal-power fade out over the first cycle.
pub fn env_eqr() -> Pattern<f64> {
    signal(|t: Time| {
        (std::f64::consts::FRAC_PI_2 * (1.0 - t.to_f64()).clamp(0.0, 1.0))
            .cos()
            .sqrt()
    })
}

/// Scales values from 0..1 to `from..to`, with structure from `p` (`range`).
pub fn range(from: &Pattern<f64>, to: &Pattern<f64>, p: &Pattern<f64>) -> Pattern<f64> {
    let bounds = app_right(from, to, |f, t| (*f, *t));
    app_right(&bounds, p, |(from, to), v| v * (to - from) + from)
}

/// Like [`range`] on an exponential scale (`rangex`).
pub fn rangex(from: f64, to: f64, p: &Pattern<f64>) -> Pattern<f64> {
    let (lf, lt) = (from.ln(), to.ln());
    p.fmap(move |v| (v * (lt - lf) + lf).exp())
}
