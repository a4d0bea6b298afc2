//! Values carried by events: Tidal's `Value` (strings, floats, notes,
//! rationals, integers, booleans) and control maps (`ValueMap`).

use std::fmt;
use std::sync::Arc;

use crate::time::Time;

/// A name of a control (`s`, `n`, `speed`, ...). Every name comes from the
/// builtin table, so names are static and cost nothing to copy.
pub type Name = &'static str;

/// One value. The tag follows Tidal's `Value` constructors so that output and
/// arithmetic keep Tidal's types (`VF`, `VN`, `VR`, `VI`, `VS`, `VB`).
#[derive(Clone, PartialEq)]
pub enum Value {
    S(Arc<str>),
    F(f64),
    N(f64),
    R(Time),
    I(i64),
    B(bool),
    Map(ValueMap),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::S(Arc::from(s))
    }

    /// The value as a float, as Tidal's `getF` reads it.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::F(x) | Value::N(x) => Some(*x),
            Value::R(r) => Some(r.to_f64()),
            Value::I(i) => Some(*i as f64),
            _ => None,
        }
    }

    /// The value as an integer, flooring floats (`getI`).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::I(i) => Some(*i),
            Value::F(x) | Value::N(x) => float_to_int(x.floor()),
            Value::R(r) => i64::try_from(r.floor_int()).ok(),
            _ => None,
        }
    }

    /// The value as exact time (`getR`).
    pub fn as_time(&self) -> Option<Time> {
        match self {
            Value::R(r) => Some(*r),
            Value::F(x) | Value::N(x) => Time::from_f64(*x).ok(),
            Value::I(i) => Some(Time::int(*i)),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::B(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::S(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&ValueMap> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
}

/// Floor of a float as an integer, `None` when out of range or not a number.
pub fn float_to_int(x: f64) -> Option<i64> {
    if x.is_finite() && x >= i64::MIN as f64 && x < i64::MAX as f64 {
        Some(x as i64)
    } else {
        None
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::S(s) => write!(f, "{s:?}"),
            Value::F(x) => write!(f, "{x}f"),
            Value::N(x) => write!(f, "{x}n"),
            Value::R(r) => write!(f, "{r}"),
            Value::I(i) => write!(f, "{i}"),
            Value::B(b) => write!(f, "{b}"),
            Value::Map(m) => write!(f, "{m:?}"),
        }
    }
}

/// A set of named controls, sorted by name. Cheap to clone (shared).
#[derive(Clone, PartialEq, Default)]
pub struct ValueMap(Arc<Vec<(Name, Value)>>);

impl ValueMap {
    pub fn new() -> ValueMap {
        ValueMap::default()
    }

    pub fn singleton(name: Name, value: Value) -> ValueMap {
        ValueMap(Arc::new(vec![(name, value)]))
    }

    /// Builds a map from pairs; a later pair with the same name wins.
    pub fn from_pairs(mut pairs: Vec<(Name, Value)>) -> ValueMap {
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        pairs.dedup_by(|later, earlier| {
            if later.0 == earlier.0 {
                std::mem::swap(later, earlier);
                true
            } else {
                false
            }
        });
        ValueMap(Arc::new(pairs))
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0
            .binary_search_by(|(k, _)| (*k).cmp(name))
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Name, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Both maps merged; where both have a name, `pick(left, right)` decides.
    pub fn union_with(&self, other: &ValueMap, pick: impl Fn(&Value, &Value) -> Value) -> ValueMap {
        if other.is_empty() {
            return self.clone();
        }
        if self.is_empty() {
            return other.clone();
        }
        let (a, b) = (&self.0, &other.0);
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            let order = if std::ptr::eq(a[i].0, b[j].0) {
                std::cmp::Ordering::Equal
            } else {
                a[i].0.cmp(b[j].0)
            };
            match order {
                std::cmp::Ordering::Less => {
                    out.push(a[i].clone());
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push(b[j].clone());
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    out.push((a[i].0, pick(&a[i].1, &b[j].1)));
                    i += 1;
                    j += 1;
                }
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        ValueMap(Arc::new(out))
    }

    /// The map with the given entries set (replacing any with the same
    /// name); `entries` must be sorted by name.
    pub fn with_entries(&self, entries: &[(Name, Value)]) -> ValueMap {
        let a = &self.0;
        let mut out = Vec::with_capacity(a.len() + entries.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < entries.len() {
            match a[i].0.cmp(entries[j].0) {
                std::cmp::Ordering::Less => {
                    out.push(a[i].clone());
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push(entries[j].clone());
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    out.push(entries[j].clone());
                    i += 1;
                    j += 1;
                }
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&entries[j..]);
        ValueMap(Arc::new(out))
    }

    /// Left-biased union (Haskell's `Map.union`).
    pub fn union(&self, other: &ValueMap) -> ValueMap {
        self.union_with(other, |l, _| l.clone())
    }

    /// Every value mapped through `f`.
    pub fn map_values(&self, f: impl Fn(&Value) -> Value) -> ValueMap {
        ValueMap(Arc::new(self.0.iter().map(|(k, v)| (*k, f(v))).collect()))
    }

    /// True when every entry of `self` is in `other` with an equal value.
    pub fn is_submap_of(&self, other: &ValueMap) -> bool {
        self.iter()
            .all(|(k, v)| other.get(k).is_some_and(|w| values_equal(v, w)))
    }
}

/// Tidal's `Eq Value`: numbers compare across int/float/rational tags.
pub fn values_equal(a: &Value, b: &Value) -> bool {
    use Value::*;
    match (a, b) {
        (S(x), S(y)) => x == y,
        (B(x), B(y)) => x == y,
        (F(x), F(y)) | (N(x), N(y)) => x == y,
        (I(x), I(y)) => x == y,
        (R(x), R(y)) => x == y,
        (F(x), I(y)) | (I(y), F(x)) => *x == *y as f64,
        (F(x), R(y)) | (R(y), F(x)) => Time::from_f64(*x).is_ok_and(|t| t == *y),
        (I(x), R(y)) | (R(y), I(x)) => Time::int(*x) == *y,
        (Map(x), Map(y)) => x == y,
        _ => false,
    }
}

impl fmt::Debug for ValueMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}
