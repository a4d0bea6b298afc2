//! The builtin table: every function, operator and control with its type
//! signature, a one-line doc and an example (the REPL's `:help` shows them).

pub mod arrange;
pub mod conditional;
pub mod controls;
pub mod harmony;
pub mod helpers;
pub mod operators;
pub mod prelude;
pub mod random;
pub mod sample;
pub mod signals;
pub mod structure;
pub mod time;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use super::error::LangError;
use super::runtime::Val;
pub use super::runtime::{func_of, to_pattern, Builtin, Call, PatFn, Run};
use super::types::{Con, Ty};
use crate::pattern::Pattern;
use crate::time::Time;
use crate::value::Value;

/// What a builtin gives.
pub type R = Result<Val, LangError>;

/// A pattern as a builtin's result.
pub fn pat(p: Pattern<Value>) -> R {
    Ok(Val::Pat(p))
}

impl Call<'_> {
    /// The type of argument `i`.
    pub fn arg_ty(&self, i: usize) -> Ty {
        let mut t = self.ty;
        for _ in 0..i {
            match t.as_fn() {
                Some((_, r)) => t = r,
                None => return Ty::con(Con::Tuple),
            }
        }
        t.as_fn()
            .map(|(a, _)| a.clone())
            .unwrap_or(Ty::con(Con::Tuple))
    }

    /// The type of the result after all arguments.
    pub fn result_ty(&self, arity: usize) -> Ty {
        let mut t = self.ty;
        for _ in 0..arity {
            match t.as_fn() {
                Some((_, r)) => t = r,
                None => break,
            }
        }
        t.clone()
    }

    pub fn val(&self, i: usize) -> Result<&Val, LangError> {
        self.args.get(i).ok_or_else(|| self.err("missing argument"))
    }

    /// Argument `i` as a pattern (a plain value becomes `pure`).
    pub fn pat(&self, i: usize) -> Result<Pattern<Value>, LangError> {
        to_pattern(self.val(i)?)
            .ok_or_else(|| self.err(format!("argument {} should be a pattern", i + 1)))
    }

    pub fn time_pat(&self, i: usize) -> Result<Pattern<Time>, LangError> {
        Ok(self.pat(i)?.filter_map(|v| v.as_time()))
    }

    pub fn int_pat(&self, i: usize) -> Result<Pattern<i64>, LangError> {
        Ok(self.pat(i)?.filter_map(|v| v.as_i64()))
    }

    pub fn f64_pat(&self, i: usize) -> Result<Pattern<f64>, LangError> {
        Ok(self.pat(i)?.filter_map(|v| v.as_f64()))
    }

    pub fn bool_pat(&self, i: usize) -> Result<Pattern<bool>, LangError> {
        Ok(self.pat(i)?.filter_map(|v| v.as_bool()))
    }

    pub fn scalar(&self, i: usize) -> Result<Value, LangError> {
        self.val(i)?
            .plain()
            .ok_or_else(|| self.err(format!("argument {} should be a plain value", i + 1)))
    }

    pub fn time(&self, i: usize) -> Result<Time, LangError> {
        self.scalar(i)?
            .as_time()
            .ok_or_else(|| self.err("expected a time"))
    }

    pub fn int(&self, i: usize) -> Result<i64, LangError> {
        self.scalar(i)?
            .as_i64()
            .ok_or_else(|| self.err("expected an integer"))
    }

    pub fn f64(&self, i: usize) -> Result<f64, LangError> {
        self.scalar(i)?
            .as_f64()
            .ok_or_else(|| self.err("expected a number"))
    }

    pub fn string(&self, i: usize) -> Result<Arc<str>, LangError> {
        match self.val(i)? {
            Val::Str(s) => Ok(s.clone()),
            _ => Err(self.err("expected a string")),
        }
    }

    pub fn list(&self, i: usize) -> Result<Arc<Vec<Val>>, LangError> {
        match self.val(i)? {
            Val::List(l) => Ok(l.clone()),
            _ => Err(self.err(format!("argument {} should be a list", i + 1))),
        }
    }

    pub fn tuple(&self, i: usize) -> Result<Arc<Vec<Val>>, LangError> {
        match self.val(i)? {
            Val::Tuple(l) => Ok(l.clone()),
            _ => Err(self.err(format!("argument {} should be a tuple", i + 1))),
        }
    }

    /// Argument `i` as a `(Time, Time)` pair of plain times.
    pub fn time_pair(&self, i: usize) -> Result<(Time, Time), LangError> {
        let t = self.tuple(i)?;
        let get = |v: &Val| match v {
            Val::Scalar(x) => x.as_time().ok_or_else(|| self.err("expected a time")),
            _ => Err(self.err("expected a pair of times")),
        };
        match t.as_slice() {
            [a, b] => Ok((get(a)?, get(b)?)),
            _ => Err(self.err("expected a pair (begin, end)")),
        }
    }

    pub fn pat_list(&self, i: usize) -> Result<Vec<Pattern<Value>>, LangError> {
        self.list(i)?
            .iter()
            .map(|v| to_pattern(v).ok_or_else(|| self.err("expected a list of patterns")))
            .collect()
    }

    /// Argument `i` as a function from pattern to pattern.
    pub fn func(&self, i: usize) -> Result<PatFn, LangError> {
        Ok(func_of(self.val(i)?, self.src))
    }

    /// Argument `i` as a function applied once to `p`.
    pub fn apply_to(&self, i: usize, p: &Pattern<Value>) -> Result<Pattern<Value>, LangError> {
        self.func(i)?(p.clone())
    }
}

/// A number as a value of the element type `ty` (for polymorphic builtins
/// such as `run` and `irand`).
pub fn number_as(ty: &Ty, x: f64) -> Value {
    match ty {
        Ty::Con(Con::Int, _) => Value::I(x as i64),
        Ty::Con(Con::Note, _) => Value::N(x),
        Ty::Con(Con::Time, _) => Value::R(Time::from_f64(x).unwrap_or(Time::ZERO)),
        Ty::Con(Con::Pattern, a) => number_as(&a[0], x),
        _ => Value::F(x),
    }
}

/// Every builtin, built once.
fn table() -> &'static [Builtin] {
    static TABLE: OnceLock<Vec<Builtin>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut v = operators::builtins();
        v.extend(controls::builtins());
        v.extend(time::builtins());
        v.extend(structure::builtins());
        v.extend(conditional::builtins());
        v.extend(random::builtins());
        v.extend(signals::builtins());
        v.extend(sample::builtins());
        v.extend(harmony::builtins());
        v.extend(prelude::builtins());
        v.extend(arrange::builtins());
        v
    })
}

fn index() -> &'static HashMap<&'static str, &'static Builtin> {
    static INDEX: OnceLock<HashMap<&'static str, &'static Builtin>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = HashMap::new();
        for b in table() {
            m.entry(b.name).or_insert(b);
        }
        m
    })
}

pub fn lookup(name: &str) -> Option<&'static Builtin> {
    index().get(name).copied()
}

/// Every builtin name (for completion and suggestions).
pub fn names() -> impl Iterator<Item = &'static str> {
    index().keys().copied()
}

/// Every builtin, for documentation.
pub fn all() -> impl Iterator<Item = &'static Builtin> {
    table().iter()
}
