//! Evaluation: builds the pattern a typed program describes, once. Querying
//! the result never touches the syntax tree again.

use std::sync::Arc;

use super::error::{ErrorKind, LangError, Src};
use super::infer::Typed;
use super::runtime::{apply, run_builtin, Partial, Val};
use super::syntax::{Expr, ExprKind};
use super::types::{Con, Ty};
use crate::mini::{self, Kind};
use crate::pattern::Pattern;
use crate::time::Time;
use crate::value::{Value, ValueMap};

/// Names bound earlier in the session, by value.
pub trait GlobalValues {
    fn lookup_value(&self, name: &str) -> Option<Val>;
}

impl GlobalValues for () {
    fn lookup_value(&self, _: &str) -> Option<Val> {
        None
    }
}

pub struct Evaluator<'a> {
    pub typed: Arc<Typed>,
    pub globals: &'a dyn GlobalValues,
}

impl Evaluator<'_> {
    pub fn eval(&self, e: &Expr, env: &[(String, Val)]) -> Result<Val, LangError> {
        let ty = &self.typed.node_types[e.id];
        match &e.kind {
            ExprKind::Number(text) => number_literal(text, ty, e.src),
            ExprKind::Str(s) => string_literal(s, ty, e.src),
            ExprKind::Var(name) => {
                if let Some((_, v)) = env.iter().rev().find(|(n, _)| n == name) {
                    return Ok(v.clone());
                }
                if let Some(b) = self.typed.node_builtin[e.id] {
                    if b.arity() == 0 {
                        return run_builtin(b, ty, vec![], e.src);
                    }
                    return Ok(Val::Partial(Arc::new(Partial {
                        builtin: b,
                        ty: ty.clone(),
                        args: vec![],
                        src: e.src,
                    })));
                }
                self.globals.lookup_value(name).ok_or_else(|| {
                    LangError::new(
                        ErrorKind::UnknownName,
                        e.src,
                        format!("unknown name '{name}'"),
                    )
                })
            }
            ExprKind::App(f, x) => {
                let fv = self.eval(f, env)?;
                let xv = self.eval(x, env)?;
                apply(&fv, xv).map_err(|err| {
                    if err.src == (0, 0) {
                        LangError { src: e.src, ..err }
                    } else {
                        err
                    }
                })
            }
            ExprKind::Lambda(name, body) => {
                let env: Vec<(String, Val)> = env.to_vec();
                let body = Arc::new((**body).clone());
                let name = name.clone();
                let typed = self.typed.clone();
                // Globals are looked up while the lambda is built; the body
                // only sees its own environment and builtins afterwards.
                let captured = capture_globals(&body, self.globals, &env);
                Ok(Val::Func(Arc::new(move |x| {
                    let mut env2 = captured.clone();
                    env2.extend(env.iter().cloned());
                    env2.push((name.clone(), x));
                    Evaluator {
                        typed: typed.clone(),
                        globals: &(),
                    }
                    .eval(&body, &env2)
                })))
            }
            ExprKind::Let(name, value, body) => {
                let v = self.eval(value, env)?;
                let mut env2 = env.to_vec();
                env2.push((name.clone(), v));
                self.eval(body, &env2)
            }
            ExprKind::List(items) => Ok(Val::List(Arc::new(
                items
                    .iter()
                    .map(|i| self.eval(i, env))
                    .collect::<Result<Vec<_>, _>>()?,
            ))),
            ExprKind::Tuple(items) => Ok(Val::Tuple(Arc::new(
                items
                    .iter()
                    .map(|i| self.eval(i, env))
                    .collect::<Result<Vec<_>, _>>()?,
            ))),
            ExprKind::Range(a, b) => {
                let (Val::Scalar(x), Val::Scalar(y)) = (self.eval(a, env)?, self.eval(b, env)?)
                else {
                    return Err(LangError::eval(e.src, "a list range needs plain numbers"));
                };
                enum_list(&x, &y, e.src)
            }
            ExprKind::Annotated(inner, _) => self.eval(inner, env),
        }
    }
}

/// Session definitions a lambda body mentions, captured by value.
fn capture_globals(
    body: &Expr,
    globals: &dyn GlobalValues,
    env: &[(String, Val)],
) -> Vec<(String, Val)> {
    let mut names = Vec::new();
    collect_vars(body, &mut names);
    names
        .into_iter()
        .filter(|n| !env.iter().any(|(m, _)| m == n))
        .filter_map(|n| globals.lookup_value(&n).map(|v| (n, v)))
        .collect()
}

fn collect_vars(e: &Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Var(n) => out.push(n.clone()),
        ExprKind::App(a, b) | ExprKind::Range(a, b) | ExprKind::Let(_, a, b) => {
            collect_vars(a, out);
            collect_vars(b, out);
        }
        ExprKind::Lambda(_, b) | ExprKind::Annotated(b, _) => collect_vars(b, out),
        ExprKind::List(items) | ExprKind::Tuple(items) => {
            items.iter().for_each(|i| collect_vars(i, out))
        }
        ExprKind::Number(_) | ExprKind::Str(_) => {}
    }
}

fn enum_list(x: &Value, y: &Value, src: Src) -> Result<Val, LangError> {
    const MAX: usize = 65_536;
    let too_long = || LangError::eval(src, format!("list range too long (at most {MAX} items)"));
    let items: Vec<Val> = match (x, y) {
        (Value::I(a), Value::I(b)) => {
            if b.saturating_sub(*a) >= MAX as i64 {
                return Err(too_long());
            }
            (*a..=*b).map(|i| Val::Scalar(Value::I(i))).collect()
        }
        _ => {
            let (a, b) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            if !(b - a).is_finite() || b - a >= MAX as f64 {
                return Err(too_long());
            }
            let mut v = Vec::new();
            let mut t = a;
            while t <= b + 0.5 {
                v.push(Val::Scalar(match x {
                    Value::N(_) => Value::N(t),
                    Value::R(_) => Value::R(Time::from_f64(t).unwrap_or(Time::ZERO)),
                    _ => Value::F(t),
                }));
                t += 1.0;
            }
            v
        }
    };
    Ok(Val::List(Arc::new(items)))
}

/// A number literal as a value of its inferred type.
pub fn number_literal(text: &str, ty: &Ty, src: Src) -> Result<Val, LangError> {
    let bad = || LangError::eval(src, format!("'{text}' is not a usable number"));
    let scalar = |t: &Ty| -> Result<Value, LangError> {
        Ok(match t {
            Ty::Con(Con::Double, _) => Value::F(text.parse::<f64>().map_err(|_| bad())?),
            Ty::Con(Con::Note, _) => Value::N(text.parse::<f64>().map_err(|_| bad())?),
            Ty::Con(Con::Int, _) => {
                let v = text.parse::<f64>().map_err(|_| bad())?;
                if v.fract() != 0.0 || v.abs() > 9.0e15 {
                    return Err(bad());
                }
                Value::I(v as i64)
            }
            Ty::Con(Con::Time, _) => Value::R(Time::from_decimal(text).ok_or_else(bad)?),
            Ty::Con(Con::ValueMap, _) => {
                let v = text.parse::<f64>().map_err(|_| bad())?;
                if text.contains(['.', 'e', 'E']) {
                    Value::Map(ValueMap::singleton("speed", Value::F(v)))
                } else {
                    Value::Map(ValueMap::singleton("n", Value::I(v as i64)))
                }
            }
            other => return Err(LangError::eval(src, format!("a number cannot be {other}"))),
        })
    };
    match ty {
        Ty::Con(Con::Pattern, args) => Ok(Val::Pat(Pattern::pure(scalar(&args[0])?))),
        t => Ok(Val::Scalar(scalar(t)?)),
    }
}

/// A string literal as a value of its inferred type: mini-notation for
/// patterns (a control pattern reads it as `s`), or plain text.
pub fn string_literal(s: &str, ty: &Ty, src: Src) -> Result<Val, LangError> {
    let mini_error = |e: mini::MiniError| {
        let at = src.0 + 1 + e.offset;
        LangError::new(ErrorKind::MiniNotation, (at, at + 1), e.to_string())
    };
    match ty {
        Ty::Con(Con::String, _) => Ok(Val::Str(Arc::from(s))),
        Ty::Con(Con::Pattern, args) => match &args[0] {
            Ty::Con(Con::ValueMap, _) => {
                let p = mini::parse(s, Kind::String).map_err(mini_error)?;
                Ok(Val::Pat(crate::core::controls::sound(&p)))
            }
            t => match t.scalar_kind() {
                Some(kind) => Ok(Val::Pat(mini::parse(s, kind).map_err(mini_error)?)),
                None => Err(LangError::eval(src, format!("a string cannot be a {ty}"))),
            },
        },
        other => Err(LangError::eval(src, format!("a string cannot be {other}"))),
    }
}
