//! Controls as pattern functions: a pattern of values under one name, and
//! `sound`, which reads `name:index` into `s` and `n`.

use crate::pattern::Pattern;
use crate::value::{Name, Value, ValueMap};

/// The pattern's values under the control `key`.
pub fn control(key: Name, p: Pattern<Value>) -> Pattern<Value> {
    p.fmap(move |v| Value::Map(ValueMap::singleton(key, v.clone())))
}

/// `s`/`sound`: a sample or synth name; `name:i` also sets `n` to `i`.
pub fn sound(p: &Pattern<Value>) -> Pattern<Value> {
    let (s, n): (Name, Name) = ("s", "n");
    p.fmap(move |v| {
        let Value::S(text) = v else {
            return Value::Map(ValueMap::new());
        };
        if !text.contains(':') {
            return Value::Map(ValueMap::singleton(s, v.clone()));
        }
        let mut fields = text.split(':').filter(|f| !f.is_empty());
        let mut pairs = Vec::with_capacity(2);
        if let Some(name) = fields.next() {
            pairs.push((s, Value::str(name)));
        }
        if let Some(index) = fields.next().and_then(read_double) {
            pairs.push((n, Value::F(index)));
        }
        Value::Map(ValueMap::from_pairs(pairs))
    })
}

/// A number in Haskell's `read` syntax for `Double` (`3`, `-1.5`, `2e3`).
pub fn read_double(text: &str) -> Option<f64> {
    let body = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let exp_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    if digits(int) && frac.is_none_or(digits) && exp_ok {
        text.parse().ok()
    } else {
        None
    }
}
