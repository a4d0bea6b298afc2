//! The Tidal language: parse, infer types (which decide what each literal
//! means), evaluate once into a pattern.

pub mod builtins;
pub mod error;
pub mod eval;
pub mod infer;
pub mod runtime;
pub mod syntax;
pub mod toplevel;
pub mod types;

use std::collections::HashMap;
use std::sync::Arc;

pub use error::{ErrorKind, LangError};
pub use runtime::Val;
pub use types::Ty;

use eval::{Evaluator, GlobalValues};
use infer::{Checker, Globals};
use syntax::ExprKind;
use types::{Con, Scheme};

use crate::pattern::Pattern;
use crate::value::Value;

/// Definitions made earlier in a session (`let name = ...` at the REPL).
#[derive(Default, Clone)]
pub struct Session {
    defs: HashMap<String, (Scheme, Val)>,
}

impl Globals for Session {
    fn lookup_type(&self, name: &str) -> Option<Scheme> {
        self.defs.get(name).map(|(s, _)| s.clone())
    }
}

impl GlobalValues for Session {
    fn lookup_value(&self, name: &str) -> Option<Val> {
        self.defs.get(name).map(|(_, v)| v.clone())
    }
}

/// A value with its type.
pub struct Evaluated {
    pub value: Val,
    pub ty: Ty,
}

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    /// Type-checks and evaluates `src`. With `expected`, the expression must
    /// have that type (a bare expression at the REPL is a control pattern);
    /// an annotation `:: T` overrides it.
    pub fn evaluate(&self, src: &str, expected: Option<&Ty>) -> Result<Evaluated, LangError> {
        self.evaluate_parsed(syntax::parse_expr(src)?, expected)
    }

    /// Type-checks and evaluates an expression already parsed.
    fn evaluate_parsed(
        &self,
        parsed: syntax::Parsed,
        expected: Option<&Ty>,
    ) -> Result<Evaluated, LangError> {
        let mut checker = Checker::new(parsed.nodes, self);
        let mut scope = Vec::new();
        let ty = checker.infer(&parsed.expr, &mut scope)?;
        // An annotation, or a type already fixed as a pattern of plain
        // values (`range 1 5 ("0 1" :: Pattern Double)`), stands as it is.
        let annotated = matches!(parsed.expr.kind, ExprKind::Annotated(..));
        let settled = checker.resolve(&ty).pattern_kind().is_some();
        if let (Some(expected), false, false) = (expected, annotated, settled) {
            checker.expect(&ty, expected, parsed.expr.src)?;
        }
        checker.solve()?;
        let typed = Arc::new(checker.finish(&ty));
        let ty = typed.ty.clone();
        let value = Evaluator {
            typed,
            globals: self,
        }
        .eval(&parsed.expr, &[])?;
        Ok(Evaluated { value, ty })
    }

    /// The type of `src`, as `:t` shows it.
    pub fn type_of(&self, src: &str) -> Result<Ty, LangError> {
        let parsed = syntax::parse_expr(src)?;
        let mut checker = Checker::new(parsed.nodes, self);
        let ty = checker.infer(&parsed.expr, &mut Vec::new())?;
        Ok(checker.resolve(&ty))
    }

    /// Evaluates `src` as a pattern: a control pattern unless annotated.
    pub fn pattern(&self, src: &str) -> Result<(Pattern<Value>, Ty), LangError> {
        let e = self.evaluate(src, Some(&Ty::control_pattern()))?;
        match e.value {
            Val::Pat(p) => Ok((p, e.ty)),
            Val::Scalar(v) if e.ty.is_pattern() => Ok((Pattern::pure(v), e.ty)),
            _ => Err(LangError::new(
                ErrorKind::Type,
                (0, src.len()),
                format!("type error: expected a pattern, but this is {}", e.ty),
            )),
        }
    }

    /// Binds `name` to the value of `src` for later lines.
    /// The type is generalised: type variables left open (after Haskell's
    /// defaulting) are quantified, so `let f = fast 2` works on any pattern.
    pub fn define(&mut self, name: &str, src: &str) -> Result<Ty, LangError> {
        let e = self.evaluate(src, None)?;
        let scheme = generalise(&e.ty);
        self.defs.insert(name.to_string(), (scheme, e.value));
        Ok(e.ty)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.defs.keys().map(String::as_str)
    }
}

/// Quantifies every type variable of `ty`, renumbered from 0.
fn generalise(ty: &Ty) -> Scheme {
    fn collect(t: &Ty, seen: &mut Vec<u32>) {
        match t {
            Ty::Var(v) => {
                if !seen.contains(v) {
                    seen.push(*v);
                }
            }
            Ty::Con(_, args) => args.iter().for_each(|a| collect(a, seen)),
        }
    }
    fn renumber(t: &Ty, seen: &[u32]) -> Ty {
        match t {
            Ty::Var(v) => Ty::Var(seen.iter().position(|w| w == v).unwrap_or(0) as u32),
            Ty::Con(c, args) => Ty::Con(*c, args.iter().map(|a| renumber(a, seen)).collect()),
        }
    }
    let mut seen = Vec::new();
    collect(ty, &mut seen);
    Scheme {
        vars: seen.len() as u32,
        constraints: vec![],
        ty: renumber(ty, &seen),
    }
}

/// Evaluates one expression with no session (as `event-server query` does).
pub fn pattern(src: &str) -> Result<(Pattern<Value>, Ty), LangError> {
    Session::new().pattern(src)
}

/// True when `ty` is `Pattern ValueMap`.
pub fn is_control_pattern(ty: &Ty) -> bool {
    matches!(ty, Ty::Con(Con::Pattern, a) if a.first() == Some(&Ty::con(Con::ValueMap)))
}
