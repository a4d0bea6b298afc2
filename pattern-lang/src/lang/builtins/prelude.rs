//! The bits of Haskell's Prelude that Tidal code leans on for tests and plumbing:
//! comparisons, `mod`/`div`, `even`/`odd`, `not`, `cyclePos`/`sam`, and `($)` as a value
//! (`fastspread ($) [rev, fast 2]`, `ifp ((== 0) . (flip mod 2))`). Each works on plain
//! values and, element by element, on patterns.

use super::{Builtin, Call, R};
use crate::core::applicative::app_both;
use crate::lang::runtime::{apply, Val};
use crate::value::{values_equal, Value};
use std::cmp::Ordering;

/// Applies `op` to two plain values, or pairwise to two patterns (`None`: no result there).
fn binary(c: &Call, op: fn(&Value, &Value) -> Option<Value>) -> R {
    match (c.val(0)?, c.val(1)?) {
        (Val::Scalar(a), Val::Scalar(b)) => op(a, b)
            .map(Val::Scalar)
            .ok_or_else(|| c.err("no value for these arguments")),
        _ => {
            let both = app_both(&c.pat(0)?, &c.pat(1)?, op);
            Ok(Val::Pat(both.filter_map(|v| v.clone())))
        }
    }
}

fn unary(c: &Call, op: fn(&Value) -> Option<Value>) -> R {
    match c.val(0)? {
        Val::Scalar(a) => op(a)
            .map(Val::Scalar)
            .ok_or_else(|| c.err("no value for this argument")),
        _ => Ok(Val::Pat(c.pat(0)?.filter_map(op))),
    }
}

fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a.as_time(), b.as_time()) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

fn int_op(a: &Value, b: &Value, f: fn(i64, i64) -> i64) -> Option<Value> {
    let (x, y) = (a.as_i64()?, b.as_i64()?);
    (y != 0).then(|| Value::I(f(x, y)))
}

/// Haskell's `mod`: the result takes the divisor's sign.
fn haskell_mod(x: i64, y: i64) -> i64 {
    let r = x.wrapping_rem(y);
    if r != 0 && (r < 0) != (y < 0) {
        r + y
    } else {
        r
    }
}

/// Haskell's `div`: rounds towards negative infinity.
fn haskell_div(x: i64, y: i64) -> i64 {
    let q = x.wrapping_div(y);
    if x.wrapping_rem(y) != 0 && ((x < 0) != (y < 0)) {
        q - 1
    } else {
        q
    }
}

fn equal(c: &Call) -> R {
    binary(c, |a, b| Some(Value::B(values_equal(a, b))))
}
fn not_equal(c: &Call) -> R {
    binary(c, |a, b| Some(Value::B(!values_equal(a, b))))
}
fn less(c: &Call) -> R {
    binary(c, |a, b| Some(Value::B(order(a, b)? == Ordering::Less)))
}
fn greater(c: &Call) -> R {
    binary(c, |a, b| Some(Value::B(order(a, b)? == Ordering::Greater)))
}
fn at_most(c: &Call) -> R {
    binary(c, |a, b| Some(Value::B(order(a, b)? != Ordering::Greater)))
}
fn at_least(c: &Call) -> R {
    binary(c, |a, b| Some(Value::B(order(a, b)? != Ordering::Less)))
}
fn modulo(c: &Call) -> R {
    binary(c, |a, b| int_op(a, b, haskell_mod))
}
fn divide(c: &Call) -> R {
    binary(c, |a, b| int_op(a, b, haskell_div))
}
fn even(c: &Call) -> R {
    unary(c, |a| Some(Value::B(a.as_i64()? % 2 == 0)))
}
fn odd(c: &Call) -> R {
    unary(c, |a| Some(Value::B(a.as_i64()? % 2 != 0)))
}
fn not(c: &Call) -> R {
    unary(c, |a| Some(Value::B(!a.as_bool()?)))
}
fn cycle_pos(c: &Call) -> R {
    unary(c, |a| Some(Value::R(a.as_time()?.cycle_pos())))
}
fn sam(c: &Call) -> R {
    unary(c, |a| Some(Value::R(a.as_time()?.sam())))
}
fn dollar(c: &Call) -> R {
    apply(c.val(0)?, c.val(1)?.clone())
}

#[rustfmt::skip]
pub fn builtins() -> Vec<Builtin> {
    const CMP: &str = "a -> a -> Bool";
    vec![
        Builtin::new("==", CMP, "whether two values are equal", "ifp (== 0) (fast 2) id $ s \"bd sn\"", equal),
        Builtin::new("/=", CMP, "whether two values differ", "ifp (/= 0) (fast 2) id $ s \"bd sn\"", not_equal),
        Builtin::new("<", CMP, "whether the first value is less than the second", "whenT (< 0.5) (# speed 2) $ s \"bd*4\"", less),
        Builtin::new(">", CMP, "whether the first value is greater than the second", "whenT ((> 0.5) . cyclePos) (# speed 2) $ s \"bd*4\"", greater),
        Builtin::new("<=", CMP, "whether the first value is at most the second", "ifp (<= 2) (fast 2) id $ s \"bd sn\"", at_most),
        Builtin::new(">=", CMP, "whether the first value is at least the second", "ifp (>= 2) (fast 2) id $ s \"bd sn\"", at_least),
        Builtin::new("mod", "Integral a => a -> a -> a", "remainder of a division, with the divisor's sign (Haskell's mod)", "ifp ((== 0) . (flip mod 2)) (striate 4) (# coarse \"24 48\") $ s \"bd sn\"", modulo),
        Builtin::new("div", "Integral a => a -> a -> a", "whole division rounding down (Haskell's div)", "ifp ((== 1) . (flip div 2)) (fast 2) id $ s \"bd sn\"", divide),
        Builtin::new("even", "Integral a => a -> Bool", "whether a whole number is even", "ifp even (fast 2) id $ s \"bd sn\"", even),
        Builtin::new("odd", "Integral a => a -> Bool", "whether a whole number is odd", "ifp odd (fast 2) id $ s \"bd sn\"", odd),
        Builtin::new("not", "Bool -> Bool", "the opposite truth value", "ifp (not . even) (fast 2) id $ s \"bd sn\"", not),
        Builtin::new("cyclePos", "Time -> Time", "the position of a time within its cycle", "whenT ((< 0.5) . cyclePos) (# speed 2) $ s \"bd*4\"", cycle_pos),
        Builtin::new("sam", "Time -> Time", "the start of the cycle a time is in", "whenT ((== 2) . sam) (# speed 2) $ s \"bd*4\"", sam),
        Builtin::new("$", "(a -> b) -> a -> b", "function application, as a value", "fastspread ($) [rev, fast 2] $ s \"bd sn hh\"", dollar),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mod_and_div_round_as_haskell_does() {
        assert_eq!(haskell_mod(7, 2), 1);
        assert_eq!(haskell_mod(-7, 2), 1);
        assert_eq!(haskell_mod(7, -2), -1);
        assert_eq!(haskell_div(-7, 2), -4);
        assert_eq!(haskell_div(7, 2), 3);
        assert_eq!(haskell_div(7, -2), -4);
    }
}
