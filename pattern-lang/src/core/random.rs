//! Randomness that is a pure function of time, bit-identical to Tidal's
//! (a time-seeded xorshift), so patterns sound the same as in Tidal.

use crate::core::applicative::app_left_filter;
use crate::core::signals::range;
use crate::event::Event;
use crate::pattern::{signal, Element, Pattern};
use crate::time::Time;

const SEED_SCALE: i64 = 536_870_912; // 2^29

/// One xorshift step on a 64-bit integer (Tidal's `xorwise`).
pub fn xorwise(x: i64) -> i64 {
    let a = x.wrapping_shl(13) ^ x;
    let b = (a >> 17) ^ a;
    b.wrapping_shl(5) ^ b
}

/// The seed for an exact time: 300 cycles stretched over 2^29 steps.
pub fn time_to_int_seed(t: Time) -> i64 {
    let (n, d) = (t.numer(), t.denom() * 300);
    // Small times (nearly all) in 64 bits: then r * 2^29 cannot overflow.
    const SMALL: i128 = 1 << 33;
    if n.abs() < SMALL && d < SMALL {
        let (n, d) = (n as i64, d as i64);
        return xorwise((n % d) * SEED_SCALE / d);
    }
    let r = n - (n / d) * d; // proper fraction of t/300, sign of t
    let scaled = (r * SEED_SCALE as i128) / d; // truncates toward zero
    xorwise(scaled as i64)
}

/// The seed for a time given as a double (where Tidal passes a `Double`).
pub fn f64_to_int_seed(t: f64) -> i64 {
    let x = t / 300.0;
    let frac = x - x.trunc();
    xorwise((frac * SEED_SCALE as f64).trunc() as i64)
}

/// A seed as a number in `[0, 1)`.
pub fn int_seed_to_rand(seed: i64) -> f64 {
    seed.rem_euclid(SEED_SCALE) as f64 / SEED_SCALE as f64
}

/// The random number for a time (`timeToRand`).
pub fn time_to_rand(t: Time) -> f64 {
    int_seed_to_rand(time_to_int_seed(t))
}

/// `n` random numbers for one time (`timeToRands`).
pub fn time_to_rands(t: Time, n: usize) -> Vec<f64> {
    let mut seed = time_to_int_seed(t);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(int_seed_to_rand(seed));
        seed = xorwise(seed);
    }
    out
}

/// A continuous random signal in `[0, 1)` (`rand`).
pub fn rand() -> Pattern<f64> {
    Pattern::appending(|st, out| {
        st.budget.charge(1)?;
        let mid = ((st.span.begin + st.span.end)? / Time::int(2))?;
        out.push(Event::new(None, st.span, time_to_rand(mid)));
        Ok(())
    })
}

/// Random integers from 0 to `n - 1` (`_irand`).
pub fn irand(n: i64) -> Pattern<f64> {
    rand().fmap(move |r| (r * n as f64).floor())
}

/// Smooth random noise (`perlin`).
pub fn perlin() -> Pattern<f64> {
    perlin_with(&signal(|t: Time| t.to_f64()))
}

/// Perlin noise along the values of `p` (`perlinWith`).
pub fn perlin_with(p: &Pattern<f64>) -> Pattern<f64> {
    p.fmap(|&x| {
        let a = x.floor();
        let b = a + 1.0;
        let frac = x - a;
        let smoother = 6.0 * frac.powf(5.0) - 15.0 * frac.powf(4.0) + 10.0 * frac.powf(3.0);
        let ra = int_seed_to_rand(f64_to_int_seed(a));
        let rb = int_seed_to_rand(f64_to_int_seed(b));
        ra + smoother * (rb - ra)
    })
}

/// Picks from `xs` with the random pattern `f` (`chooseBy`).
pub fn choose_by<T: Element>(f: &Pattern<f64>, xs: Vec<T>) -> Pattern<T> {
    if xs.is_empty() {
        return Pattern::silence();
    }
    let n = xs.len();
    range(&Pattern::pure(0.0), &Pattern::pure(n as f64), f)
        .fmap(move |v| xs[(v.floor() as i64).rem_euclid(n as i64) as usize].clone())
}

/// Picks with weights (`wchooseBy`).
pub fn wchoose_by<T: Element>(f: &Pattern<f64>, pairs: Vec<(T, f64)>) -> Pattern<T> {
    if pairs.is_empty() {
        return Pattern::silence();
    }
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    let mut acc = 0.0;
    let cumulative: Vec<(T, f64)> = pairs
        .into_iter()
        .map(|(v, w)| {
            acc += w;
            (v, acc)
        })
        .collect();
    f.filter_map(move |r| {
        cumulative
            .iter()
            .find(|(_, c)| *c > r * total)
            .map(|(v, _)| v.clone())
    })
}

/// Removes events whose random value (from `prand`) is not above `amount`
/// (`_degradeByUsing`).
pub fn degrade_by_using<T: Element>(
    prand: &Pattern<f64>,
    amount: f64,
    p: &Pattern<T>,
) -> Pattern<T> {
    app_left_filter(p, prand, move |v, r| (*r > amount).then_some(v))
}

/// Removes events at random, with probability `amount` (`_degradeBy`).
pub fn degrade_by<T: Element>(amount: f64, p: &Pattern<T>) -> Pattern<T> {
    degrade_by_using(&rand(), amount, p)
}

/// Keeps exactly the events `degrade_by` removes (`_unDegradeBy`).
pub fn undegrade_by<T: Element>(amount: f64, p: &Pattern<T>) -> Pattern<T> {
    app_left_filter(p, &rand(), move |v, r| (*r <= amount).then_some(v))
}

/// The random stream used by the `seed`th `?` or `|` of a mini-notation
/// string.
pub fn seeded_rand(seed: u32) -> Pattern<f64> {
    rand().rot_l(Time::new(seed as i128, 10_000).unwrap_or(Time::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xorwise_matches_haskell_int_arithmetic() {
        // Values worked out by hand from the definition with 64-bit Int.
        assert_eq!(xorwise(1), 1 ^ (1 << 13) ^ ((1 ^ (1 << 13)) << 5));
        assert_eq!(xorwise(0), 0);
        assert!(xorwise(-5) != -5);
    }

    #[test]
    fn rand_is_in_unit_range_and_repeats() {
        for i in -50..50 {
            let t = Time::new(i, 7).unwrap();
            let r = time_to_rand(t);
            assert!((0.0..1.0).contains(&r));
            assert_eq!(r, time_to_rand(t));
        }
    }
}
