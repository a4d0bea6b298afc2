//! Arithmetic on values with Tidal's rules: numbers keep their type (an
//! integer stays an integer, a note a note), and control maps combine name
//! by name (`Num ValueMap`).

use crate::time::Time;
use crate::value::{Value, ValueMap};

/// A binary operation of Tidal's operator family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    /// `|<`: keep the left value (for maps: left-biased union).
    KeepLeft,
    /// `|>`, `#`: take the right value (for maps: right-biased union).
    KeepRight,
    /// `|++`: join strings.
    Append,
}

/// `a op b`.
pub fn operate(op: Op, a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => Value::Map(map_op(op, x, y)),
        _ => match op {
            Op::KeepLeft => a.clone(),
            Op::KeepRight => b.clone(),
            Op::Append => match (a, b) {
                (Value::S(x), Value::S(y)) => Value::str(&format!("{x}{y}")),
                _ => a.clone(),
            },
            _ => scalar(op, a, b),
        },
    }
}

/// `a op b`, reusing `a`'s storage when it is not shared.
pub fn operate_owned(op: Op, a: Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => Value::Map(match op {
            Op::KeepLeft => x.merged_into(y, Value::clone, |l, _| l.clone()),
            Op::KeepRight => x.merged_into(y, Value::clone, |_, r| r.clone()),
            Op::Sub => x.merged_into(y, negate, |l, r| num_pair(Op::Add, l, &negate(r))),
            Op::Div => x.merged_into(y, recip, |l, r| num_pair(Op::Mul, l, &recip(r))),
            Op::Append => x.merged_into(y, Value::clone, |l, r| operate(Op::Append, l, r)),
            _ => x.merged_into(y, Value::clone, |l, r| num_pair(op, l, r)),
        }),
        (a, b) => operate(op, &a, b),
    }
}

fn map_op(op: Op, x: &ValueMap, y: &ValueMap) -> ValueMap {
    match op {
        Op::KeepLeft => x.union(y),
        Op::KeepRight => y.union(x),
        Op::Sub => x.union_with_mapped(y, negate, |l, r| num_pair(Op::Add, l, r)),
        Op::Div => x.union_with_mapped(y, recip, |l, r| num_pair(Op::Mul, l, r)),
        Op::Append => x.union_with(y, |l, r| operate(Op::Append, l, r)),
        _ => x.union_with(y, |l, r| num_pair(op, l, r)),
    }
}

/// Tidal's `fNum2`: how two control values combine inside a map. Pairs it
/// does not know keep the left value.
fn num_pair(op: Op, a: &Value, b: &Value) -> Value {
    use Value::*;
    match (a, b) {
        (I(x), I(y)) => I(int_op(op, *x, *y)),
        (F(x), F(y)) => F(float_op(op, *x, *y)),
        (N(x), N(y)) | (F(x), N(y)) | (N(x), F(y)) => N(float_op(op, *x, *y)),
        (I(x), F(y)) => F(float_op(op, *x as f64, *y)),
        (F(x), I(y)) => F(float_op(op, *x, *y as f64)),
        _ => a.clone(),
    }
}

/// Plain (non-map) values of one type.
fn scalar(op: Op, a: &Value, b: &Value) -> Value {
    use Value::*;
    match (a, b) {
        (R(x), R(y)) => time_op(op, *x, *y).map(R).unwrap_or_else(|| a.clone()),
        (B(_), _) | (S(_), _) => a.clone(),
        _ => num_pair(op, a, b),
    }
}

fn int_op(op: Op, x: i64, y: i64) -> i64 {
    match op {
        Op::Add => x.wrapping_add(y),
        Op::Sub => x.wrapping_sub(y),
        Op::Mul => x.wrapping_mul(y),
        Op::Div => {
            if y == 0 {
                x
            } else {
                x.wrapping_div(y)
            }
        }
        Op::Mod => {
            if y == 0 {
                x
            } else {
                let r = x.wrapping_rem(y);
                if r != 0 && ((r < 0) != (y < 0)) {
                    r.wrapping_add(y)
                } else {
                    r
                }
            }
        }
        Op::Pow => x.wrapping_pow(y.clamp(0, 64) as u32),
        Op::KeepLeft | Op::Append => x,
        Op::KeepRight => y,
    }
}

/// Haskell's `mod'` for doubles.
pub fn fmod(x: f64, y: f64) -> f64 {
    x - (x / y).floor() * y
}

fn float_op(op: Op, x: f64, y: f64) -> f64 {
    match op {
        Op::Add => x + y,
        Op::Sub => x - y,
        Op::Mul => x * y,
        Op::Div => x / y,
        Op::Mod => fmod(x, y),
        Op::Pow => x.powf(y),
        Op::KeepLeft | Op::Append => x,
        Op::KeepRight => y,
    }
}

fn time_op(op: Op, x: Time, y: Time) -> Option<Time> {
    match op {
        Op::Add => (x + y).ok(),
        Op::Sub => (x - y).ok(),
        Op::Mul => (x * y).ok(),
        Op::Div => (x / y).ok(),
        Op::Mod => x.modulo(y).ok(),
        Op::Pow => Time::from_f64(x.to_f64().powf(y.to_f64())).ok(),
        Op::KeepLeft | Op::Append => Some(x),
        Op::KeepRight => Some(y),
    }
}

/// `negate`: numbers negated; strings and booleans unchanged.
pub fn negate(v: &Value) -> Value {
    match v {
        Value::F(x) => Value::F(-x),
        Value::N(x) => Value::N(-x),
        Value::I(i) => Value::I(i.wrapping_neg()),
        Value::R(r) => Value::R(-*r),
        Value::Map(m) => Value::Map(m.map_values(negate)),
        other => other.clone(),
    }
}

/// `recip` as Tidal applies it to control values: floats and notes only.
fn recip(v: &Value) -> Value {
    match v {
        Value::F(x) => Value::F(1.0 / x),
        Value::N(x) => Value::N(1.0 / x),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&'static str, Value)]) -> Value {
        Value::Map(ValueMap::from_pairs(
            pairs.iter().map(|(k, v)| ((*k), v.clone())).collect(),
        ))
    }

    #[test]
    fn maps_combine_by_name() {
        let a = map(&[("n", Value::N(1.0)), ("s", Value::str("bd"))]);
        let b = map(&[("n", Value::N(10.0)), ("speed", Value::F(2.0))]);
        assert_eq!(
            operate(Op::Add, &a, &b),
            map(&[
                ("n", Value::N(11.0)),
                ("s", Value::str("bd")),
                ("speed", Value::F(2.0))
            ])
        );
        assert_eq!(
            operate(Op::KeepRight, &a, &b),
            map(&[
                ("n", Value::N(10.0)),
                ("s", Value::str("bd")),
                ("speed", Value::F(2.0))
            ])
        );
        assert_eq!(
            operate(Op::KeepLeft, &a, &b),
            map(&[
                ("n", Value::N(1.0)),
                ("s", Value::str("bd")),
                ("speed", Value::F(2.0))
            ])
        );
    }

    #[test]
    fn integer_division_of_controls_multiplies_as_tidal_does() {
        let a = map(&[("cut", Value::I(4))]);
        let b = map(&[("cut", Value::I(2))]);
        assert_eq!(operate(Op::Div, &a, &b), map(&[("cut", Value::I(8))]));
    }

    #[test]
    fn owned_maps_combine_as_shared_ones_do() {
        let lefts = [
            vec![],
            vec![("n", Value::N(1.0)), ("s", Value::str("bd"))],
            vec![
                ("cut", Value::I(4)),
                ("pan", Value::F(0.25)),
                ("s", Value::str("x")),
            ],
        ];
        let rights = [
            vec![],
            vec![("pan", Value::F(0.5))],
            vec![
                ("cut", Value::I(2)),
                ("n", Value::N(3.0)),
                ("speed", Value::F(2.0)),
            ],
        ];
        let ops = [
            Op::Add,
            Op::Sub,
            Op::Mul,
            Op::Div,
            Op::Mod,
            Op::Pow,
            Op::KeepLeft,
            Op::KeepRight,
            Op::Append,
        ];
        for l in &lefts {
            for r in &rights {
                for op in ops {
                    let (a, b) = (map(l), map(r));
                    let expected = operate(op, &a, &b);
                    // Unshared: updated in place.
                    assert_eq!(operate_owned(op, map(l), &b), expected, "{op:?}");
                    // Shared: a new map, `a` untouched.
                    assert_eq!(operate_owned(op, a.clone(), &b), expected, "{op:?}");
                    assert_eq!(a, map(l));
                }
            }
        }
    }

    #[test]
    fn modulo_is_floored() {
        assert_eq!(operate(Op::Mod, &Value::I(-1), &Value::I(3)), Value::I(2));
        assert_eq!(
            operate(Op::Mod, &Value::F(-1.0), &Value::F(3.0)),
            Value::F(2.0)
        );
    }
}
