//! Turns a mini-notation tree into a pattern of the expected type, with
//! Tidal's meaning for every construct (and its seeds for `?` and `|`).

use super::ast::{Node, NodeKind, Step, StepSize};
use super::atoms::{parse_atom, Atom, Kind};
use super::MiniError;
use crate::core::applicative::{app_both, app_left, tparam, unwrap};
use crate::core::concat::{fast_from_list, stack, timecat};
use crate::core::euclid::{euclid_off, euclid_off_bool, euclid_off_pat};
use crate::core::random::{choose_by, degrade_by_using, seeded_rand};
use crate::pattern::{Pattern, QueryError};
use crate::time::Time;
use crate::value::Value;

/// Longest enumeration (`0 .. n`) accepted.
pub const MAX_RANGE: usize = 65_536;

pub struct Lowerer {
    /// The next seed for `?` and `|`, counted in Tidal's parse order.
    seed: u32,
}

impl Lowerer {
    pub fn new() -> Lowerer {
        Lowerer { seed: 0 }
    }

    fn new_seed(&mut self) -> u32 {
        let s = self.seed;
        self.seed += 1;
        s
    }

    pub fn lower(&mut self, node: &Node, kind: Kind) -> Result<Pattern<Value>, MiniError> {
        Ok(self.lower_sized(node, kind)?.1)
    }

    /// The pattern and its number of steps (used by `{}` and `<>`).
    fn lower_sized(
        &mut self,
        node: &Node,
        kind: Kind,
    ) -> Result<(Time, Pattern<Value>), MiniError> {
        let pat = match &node.kind {
            NodeKind::Sequence(steps) => return self.sequence(steps, kind),
            NodeKind::Word(w) => match parse_atom(w, kind) {
                Ok(Atom::One(v)) => Pattern::pure(v),
                Ok(Atom::Chord(vs)) => stack(vs.into_iter().map(Pattern::pure).collect()),
                Err(e) => return Err(MiniError::new(node.pos.0 + e.offset, e.message)),
            },
            NodeKind::Rest => Pattern::silence(),
            NodeKind::Variable(name) => control_value(name.clone(), kind),
            NodeKind::Stack(layers) => {
                let pats = layers
                    .iter()
                    .map(|l| self.lower(l, kind))
                    .collect::<Result<Vec<_>, _>>()?;
                stack(pats)
            }
            NodeKind::Choice(options) => {
                let pats = options
                    .iter()
                    .map(|l| self.lower(l, kind))
                    .collect::<Result<Vec<_>, _>>()?;
                let seed = self.new_seed();
                let chosen = choose_by(&seeded_rand(seed), pats);
                // segment 1: one choice per cycle
                unwrap(&app_left(&Pattern::pure(()), &chosen, |_, p| p.clone()))
            }
            NodeKind::Polymeter { layers, steps } => {
                let sized = layers
                    .iter()
                    .map(|l| self.lower_sized(l, kind))
                    .collect::<Result<Vec<_>, _>>()?;
                let rate: Pattern<Time> = match steps {
                    Some(s) => self.time_pattern(s)?,
                    None => Pattern::pure(sized.first().map_or(Time::ZERO, |(n, _)| *n)),
                };
                polymeter(rate, sized)
            }
            NodeKind::Alternation(layers) => {
                let sized = layers
                    .iter()
                    .map(|l| self.lower_sized(l, kind))
                    .collect::<Result<Vec<_>, _>>()?;
                polymeter(Pattern::pure(Time::ONE), sized)
            }
            NodeKind::Degrade { subject, amount } => {
                let p = self.lower(subject, kind)?;
                let seed = self.new_seed();
                degrade_by_using(&seeded_rand(seed), amount.unwrap_or(0.5), &p)
            }
            NodeKind::Fast { subject, factor } | NodeKind::Slow { subject, factor } => {
                let fast = matches!(node.kind, NodeKind::Fast { .. });
                let p = self.lower(subject, kind)?;
                let factor = self.time_pattern(factor)?;
                tparam(
                    &factor,
                    move |&t| if fast { p.fast_by(t) } else { p.slow_by(t) },
                )
            }
            NodeKind::Euclid {
                subject,
                onsets,
                steps,
                rotation,
            } => {
                let p = self.lower(subject, kind)?;
                let n = self.int_pattern(onsets)?;
                let k = self.int_pattern(steps)?;
                let r = match rotation {
                    Some(r) => self.int_pattern(r)?,
                    None => Pattern::pure(0),
                };
                if kind == Kind::Bool {
                    let bools = p.fmap(|v| v.as_bool().unwrap_or(false));
                    euclid_off_pat(&n, &k, &r, &bools, euclid_off_bool).fmap(|b| Value::B(*b))
                } else {
                    euclid_off_pat(&n, &k, &r, &p, euclid_off)
                }
            }
            NodeKind::Range(from, to) => {
                let a = self.lower(from, kind)?;
                let b = self.lower(to, kind)?;
                let pos = node.pos.0;
                let ranges = app_both(&a, &b, move |x, y| enumerate(x, y, kind));
                let checked = ranges.fmap(move |r| match r {
                    Ok(p) => p.clone(),
                    Err(msg) => crate::core::time_ops::failing(QueryError::Invalid(format!(
                        "column {}: {msg}",
                        pos + 1
                    ))),
                });
                unwrap(&checked)
            }
        };
        Ok((Time::ONE, pat))
    }

    fn time_pattern(&mut self, node: &Node) -> Result<Pattern<Time>, MiniError> {
        Ok(self.lower(node, Kind::Time)?.filter_map(|v| v.as_time()))
    }

    fn int_pattern(&mut self, node: &Node) -> Result<Pattern<i64>, MiniError> {
        Ok(self.lower(node, Kind::Int)?.filter_map(|v| v.as_i64()))
    }

    fn sequence(
        &mut self,
        steps: &[Step],
        kind: Kind,
    ) -> Result<(Time, Pattern<Value>), MiniError> {
        let steps = merge_rational_letters(steps, kind);
        let mut parts: Vec<(Time, Pattern<Value>)> = Vec::new();
        for step in steps.iter() {
            let p = self.lower(&step.node, kind)?;
            match &step.size {
                StepSize::One | StepSize::Foot => parts.push((Time::ONE, p)),
                StepSize::Repeated(n) => {
                    if *n > MAX_RANGE {
                        return Err(MiniError::new(
                            step.node.pos.0,
                            format!("too many repeats (at most {MAX_RANGE})"),
                        ));
                    }
                    for _ in 0..*n {
                        parts.push((Time::ONE, p.clone()));
                    }
                }
                StepSize::Elongated(marks) => {
                    let mut weight = Time::ONE;
                    for m in marks {
                        let add = match m {
                            None => Time::ONE,
                            Some(w) => {
                                let NodeKind::Word(text) = &w.kind else {
                                    continue;
                                };
                                match parse_atom(text, Kind::Time) {
                                    Ok(Atom::One(Value::R(r))) => {
                                        (r - Time::ONE).map_err(|_| {
                                            MiniError::new(w.pos.0, "number too large".into())
                                        })?
                                    }
                                    _ => {
                                        return Err(MiniError::new(
                                            w.pos.0,
                                            format!("'{text}' is not a length"),
                                        ))
                                    }
                                }
                            }
                        };
                        weight = (weight + add).map_err(|_| {
                            MiniError::new(step.node.pos.0, "length too large".into())
                        })?;
                    }
                    parts.push((weight, p));
                }
            }
        }
        let total = parts
            .iter()
            .try_fold(Time::ZERO, |a, (w, _)| a + *w)
            .map_err(|_| MiniError::new(0, "sequence too long".into()))?;
        Ok((total, timecat(parts)))
    }
}

impl Default for Lowerer {
    fn default() -> Self {
        Lowerer::new()
    }
}

/// Tidal reads a number followed by a lone rational letter (`"1 e"`) as one
/// step: the number times the letter. This joins such pairs.
fn merge_rational_letters(steps: &[Step], kind: Kind) -> Vec<Step> {
    if !matches!(kind, Kind::Double | Kind::Time) {
        return steps.to_vec();
    }
    let mut out: Vec<Step> = Vec::with_capacity(steps.len());
    let mut i = 0;
    while i < steps.len() {
        let s = &steps[i];
        if let (NodeKind::Word(a), StepSize::One, Some(next)) =
            (&s.node.kind, &s.size, steps.get(i + 1))
        {
            if let Some((letter, rest)) = leading_letter(&next.node) {
                let is_number = a
                    .trim_start_matches(['-', '+'])
                    .starts_with(|c: char| c.is_ascii_digit())
                    && !a.ends_with(|c: char| "whqestfx".contains(c));
                if is_number && !a.contains('\'') {
                    let merged = Node {
                        kind: NodeKind::Word(format!("{a}{letter}")),
                        pos: (s.node.pos.0, next.node.pos.1),
                    };
                    out.push(Step {
                        node: rest(merged),
                        size: next.size.clone(),
                    });
                    i += 2;
                    continue;
                }
            }
        }
        out.push(s.clone());
        i += 1;
    }
    out
}

type Rewrap = Box<dyn FnOnce(Node) -> Node>;

/// If a step starts with a lone rational letter word (possibly with
/// modifiers), the letter and a function rebuilding the step around a new word.
fn leading_letter(node: &Node) -> Option<(char, Rewrap)> {
    match &node.kind {
        NodeKind::Word(w) if w.len() == 1 && "whqestfx".contains(w.as_str()) => {
            let c = w.chars().next()?;
            Some((c, Box::new(|n| n)))
        }
        NodeKind::Fast { subject, factor } | NodeKind::Slow { subject, factor } => {
            let fast = matches!(node.kind, NodeKind::Fast { .. });
            let (c, inner) = leading_letter(subject)?;
            let factor = factor.clone();
            let pos = node.pos;
            Some((
                c,
                Box::new(move |n| {
                    let subject = Box::new(inner(n));
                    let kind = if fast {
                        NodeKind::Fast { subject, factor }
                    } else {
                        NodeKind::Slow { subject, factor }
                    };
                    Node { kind, pos }
                }),
            ))
        }
        _ => None,
    }
}

/// Layers played at a common rate: each layer of `n` steps is sped up by
/// `rate / n` (Tidal's `TPat_Polyrhythm`).
fn polymeter(rate: Pattern<Time>, layers: Vec<(Time, Pattern<Value>)>) -> Pattern<Value> {
    stack(
        layers
            .into_iter()
            .map(|(size, p)| {
                if size.is_zero() {
                    return Pattern::silence();
                }
                let speed = rate.filter_map(move |r| (*r / size).ok());
                tparam(&speed, move |&t| p.fast_by(t))
            })
            .collect(),
    )
}

/// `a .. b`: the values from `a` to `b` squeezed into one step.
fn enumerate(a: &Value, b: &Value, kind: Kind) -> Result<Pattern<Value>, String> {
    let too_many = || format!("range too long (at most {MAX_RANGE} values)");
    let values: Vec<Value> = match (a, b) {
        (Value::I(x), Value::I(y)) => {
            let (lo, hi) = ((*x).min(*y), (*x).max(*y));
            if (hi - lo) as u64 >= MAX_RANGE as u64 {
                return Err(too_many());
            }
            let mut v: Vec<Value> = (lo..=hi).map(Value::I).collect();
            if x > y {
                v.reverse();
            }
            v
        }
        (Value::R(x), Value::R(y)) => {
            let (lo, hi) = if x > y { (*y, *x) } else { (*x, *y) };
            // Haskell's numericEnumFromTo: steps of 1 while <= hi + 1/2.
            let limit =
                (hi + Time::new(1, 2).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
            let mut v = Vec::new();
            let mut t = lo;
            while t <= limit {
                if v.len() >= MAX_RANGE {
                    return Err(too_many());
                }
                v.push(Value::R(t));
                t = (t + Time::ONE).map_err(|e| e.to_string())?;
            }
            if x > y {
                v.reverse();
            }
            v
        }
        (Value::F(_) | Value::N(_), Value::F(_) | Value::N(_)) => {
            let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            let (lo, hi) = if x > y { (y, x) } else { (x, y) };
            if !(hi - lo).is_finite() || hi - lo >= MAX_RANGE as f64 {
                return Err(too_many());
            }
            let mut v = Vec::new();
            let mut t = lo;
            while t <= hi + 0.5 {
                v.push(if kind == Kind::Note {
                    Value::N(t)
                } else {
                    Value::F(t)
                });
                t += 1.0;
            }
            if x > y {
                v.reverse();
            }
            v
        }
        _ => vec![a.clone(), b.clone()],
    };
    Ok(fast_from_list(values))
}

/// `^name`: the control's current value, read from the query's state.
fn control_value(name: String, kind: Kind) -> Pattern<Value> {
    Pattern::new(move |st| {
        let Some(v) = st.controls.get(&name) else {
            return Ok(Vec::new());
        };
        let v = match kind {
            Kind::Double => v.as_f64().map(Value::F),
            Kind::Note => v.as_f64().map(Value::N),
            Kind::Int => v.as_i64().map(Value::I),
            Kind::Time => v.as_time().map(Value::R),
            Kind::String => v.as_str().map(Value::str),
            Kind::Bool => v.as_bool().map(Value::B),
        };
        match v {
            Some(v) => Pattern::pure(v).query(st),
            None => Ok(Vec::new()),
        }
    })
}
