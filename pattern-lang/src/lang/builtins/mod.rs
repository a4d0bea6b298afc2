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
pub mod scales;
pub mod signals;
pub mod structure;
pub mod time;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use super::error::{LangError, Src};
use super::eval::{apply, Val};
use super::types::{parse_signature, Con, Scheme, Ty};
use crate::pattern::Pattern;
use crate::time::Time;
use crate::value::Value;

/// How a builtin computes its result.
#[derive(Clone, Copy)]
pub enum Run {
    Native(fn(&Call) -> Result<Val, LangError>),
    /// A control: the pattern's values under one name.
    Control(&'static str),
}

pub struct Builtin {
    pub name: &'static str,
    pub sig: &'static str,
    /// How many arguments it takes: the arrows of its signature.
    pub arity: usize,
    pub doc: Cow<'static, str>,
    pub example: Cow<'static, str>,
    pub run: Run,
    scheme: Scheme,
}

impl Builtin {
    pub fn new(
        name: &'static str,
        sig: &'static str,
        doc: &'static str,
        example: &'static str,
        run: fn(&Call) -> Result<Val, LangError>,
    ) -> Builtin {
        Builtin::with(
            name,
            sig,
            Cow::Borrowed(doc),
            Cow::Borrowed(example),
            Run::Native(run),
        )
    }

    /// A builtin whose arity is the number of arrows in its signature.
    fn with(
        name: &'static str,
        sig: &'static str,
        doc: Cow<'static, str>,
        example: Cow<'static, str>,
        run: Run,
    ) -> Builtin {
        let scheme = match parse_signature(sig) {
            Ok(s) => s,
            Err(e) => panic!("builtin '{name}' has a bad signature: {e}"),
        };
        Builtin {
            name,
            sig,
            arity: arrows(&scheme.ty),
            doc,
            example,
            run,
            scheme,
        }
    }

    /// The builtin of a control (`kind` its value type) sent as `key`.
    pub fn control(
        name: &'static str,
        kind: controls::Kind,
        key: &'static str,
        doc: Cow<'static, str>,
    ) -> Builtin {
        let example = Cow::Owned(control_example(name, kind));
        Builtin::with(name, kind.signature(), doc, example, Run::Control(key))
    }

    /// The parsed signature.
    pub fn scheme(&self) -> Scheme {
        self.scheme.clone()
    }
}

/// How many arguments a function of type `ty` takes before its result.
fn arrows(mut ty: &Ty) -> usize {
    let mut n = 0;
    while let Some((_, result)) = ty.as_fn() {
        n += 1;
        ty = result;
    }
    n
}

/// An example for a control, from its value type.
fn control_example(name: &str, kind: controls::Kind) -> String {
    let value = match (kind, name) {
        (controls::Kind::String, "vowel") => "\"a e\"",
        (controls::Kind::String, "unit") => "\"c\"",
        (controls::Kind::String, _) => "\"x\"",
        (controls::Kind::Int, _) => "\"1 2\"",
        _ => "\"0.25 0.5\"",
    };
    format!("s \"bd*2\" # {name} {value}")
}

/// The arguments a builtin was applied to, with its type at this use.
pub struct Call<'a> {
    pub args: Vec<Val>,
    pub ty: &'a Ty,
    pub src: Src,
}

pub type PatFn = Arc<dyn Fn(Pattern<Value>) -> Result<Pattern<Value>, LangError> + Send + Sync>;

impl Call<'_> {
    pub fn err(&self, msg: impl Into<String>) -> LangError {
        LangError::eval(self.src, msg)
    }

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
        match self.val(i)? {
            Val::Scalar(v) => Ok(v.clone()),
            Val::Str(s) => Ok(Value::S(s.clone())),
            _ => Err(self.err(format!("argument {} should be a plain value", i + 1))),
        }
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

/// A function value as a function from pattern to pattern (`src` for its errors).
pub fn func_of(f: &Val, src: Src) -> PatFn {
    let f = f.clone();
    Arc::new(move |p| match apply(&f, Val::Pat(p))? {
        Val::Pat(q) => Ok(q),
        Val::Scalar(v) => Ok(Pattern::pure(v)),
        _ => Err(LangError::eval(src, "the function should give a pattern")),
    })
}

/// A value as a pattern, if it is one (plain values become `pure`).
pub fn to_pattern(v: &Val) -> Option<Pattern<Value>> {
    match v {
        Val::Pat(p) => Some(p.clone()),
        Val::Scalar(s) => Some(Pattern::pure(s.clone())),
        Val::Str(s) => Some(Pattern::pure(Value::S(s.clone()))),
        _ => None,
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

pub fn run_builtin(
    b: &'static Builtin,
    ty: &Ty,
    args: Vec<Val>,
    src: Src,
) -> Result<Val, LangError> {
    let call = Call { args, ty, src };
    let mut out = match b.run {
        Run::Native(f) => f(&call)?,
        Run::Control(key) => Val::Pat(crate::core::controls::control(key, call.pat(0)?)),
    };
    // Arguments beyond the arity go to the result (a builtin giving a function).
    for extra in call.args.into_iter().skip(b.arity) {
        out = apply(&out, extra)?;
    }
    Ok(out)
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
