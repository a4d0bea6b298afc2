//! Values carried by events: Tidal's `Value` (strings, floats, notes,
//! rationals, integers, booleans) and control maps (`ValueMap`).

use std::cmp::Ordering;
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
#[derive(Clone, PartialEq)]
pub struct ValueMap(Arc<Vec<(Name, Value)>>);

impl Default for ValueMap {
    fn default() -> ValueMap {
        ValueMap(Arc::new(Vec::new()))
    }
}

/// The order of two control names: byte order, with the same static name
/// found equal at once. Names are short, so a plain loop beats `memcmp`.
#[inline]
fn name_order(a: &str, b: &str) -> Ordering {
    if std::ptr::eq(a, b) {
        return Ordering::Equal;
    }
    let (x, y) = (a.as_bytes(), b.as_bytes());
    for (p, q) in x.iter().zip(y) {
        if p != q {
            return p.cmp(q);
        }
    }
    x.len().cmp(&y.len())
}

/// Two sorted lists of controls merged into one map: names only on the
/// right pass through `right_only`, names on both sides through `both`.
fn merged(
    a: &[(Name, Value)],
    b: &[(Name, Value)],
    right_only: impl Fn(&Value) -> Value,
    both: impl Fn(&Value, &Value) -> Value,
) -> ValueMap {
    // Room for a couple more controls, which later layers (`# pan 0`, the
    // next `|+`) can then add in place.
    let mut out = Vec::with_capacity(a.len() + b.len() + 2);
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match name_order(a[i].0, b[j].0) {
            Ordering::Less => {
                out.push(a[i].clone());
                i += 1;
            }
            Ordering::Greater => {
                out.push((b[j].0, right_only(&b[j].1)));
                j += 1;
            }
            Ordering::Equal => {
                out.push((a[i].0, both(&a[i].1, &b[j].1)));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend(b[j..].iter().map(|(k, v)| (*k, right_only(v))));
    ValueMap(Arc::new(out))
}

impl ValueMap {
    pub fn new() -> ValueMap {
        ValueMap::default()
    }

    pub fn singleton(name: Name, value: Value) -> ValueMap {
        ValueMap(Arc::new(vec![(name, value)]))
    }

    /// Builds a map from pairs; a later pair with the same name wins.
    pub fn from_pairs(mut pairs: Vec<(Name, Value)>) -> ValueMap {
        pairs.sort_by(|a, b| name_order(a.0, b.0));
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
            .binary_search_by(|(k, _)| name_order(k, name))
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
        merged(&self.0, &other.0, Value::clone, pick)
    }

    /// `self.union_with(&other.map_values(right), pick)` without building
    /// the mapped map.
    pub fn union_with_mapped(
        &self,
        other: &ValueMap,
        right: impl Fn(&Value) -> Value,
        pick: impl Fn(&Value, &Value) -> Value,
    ) -> ValueMap {
        if other.is_empty() {
            return self.clone();
        }
        merged(&self.0, &other.0, &right, |l, r| pick(l, &right(r)))
    }

    /// `merged(self, other)` as [`ValueMap::union_with_mapped`] gives it,
    /// but updating `self` in place when nothing else shares it.
    pub fn merged_into(
        mut self,
        other: &ValueMap,
        right_only: impl Fn(&Value) -> Value,
        both: impl Fn(&Value, &Value) -> Value,
    ) -> ValueMap {
        let Some(entries) = Arc::get_mut(&mut self.0) else {
            return merged(&self.0, &other.0, right_only, both);
        };
        for (name, v) in other.0.iter() {
            match entries.binary_search_by(|(k, _)| name_order(k, name)) {
                Ok(i) => entries[i].1 = both(&entries[i].1, v),
                Err(i) => entries.insert(i, (*name, right_only(v))),
            }
        }
        self
    }

    /// The map with the given entries set (replacing any with the same
    /// name); `entries` must be sorted by name.
    pub fn with_entries(&self, entries: &[(Name, Value)]) -> ValueMap {
        merged(&self.0, entries, Value::clone, |_, r| r.clone())
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
