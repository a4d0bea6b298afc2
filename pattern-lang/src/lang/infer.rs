//! Type inference for Tidal code (unification with type classes and
//! Haskell-style defaulting). It decides what each literal means: a string
//! is mini-notation of the pattern type its position expects.

use std::collections::HashMap;

use super::builtins::{self, Builtin};
use super::error::{ErrorKind, LangError, Src};
use super::syntax::{Expr, ExprKind};
use super::types::{from_syntax, Class, Con, Scheme, Ty};

/// What the checker knows about names bound earlier in the session.
pub trait Globals {
    fn lookup_type(&self, name: &str) -> Option<Scheme>;
}

impl Globals for () {
    fn lookup_type(&self, _: &str) -> Option<Scheme> {
        None
    }
}

pub struct Checker<'g> {
    subst: Vec<Option<Ty>>,
    constraints: Vec<(Class, Ty, Src)>,
    node_types: Vec<Option<Ty>>,
    node_builtin: Vec<Option<&'static Builtin>>,
    globals: &'g dyn Globals,
}

/// The outcome: the program's type and the type found for every node.
pub struct Typed {
    pub ty: Ty,
    pub node_types: Vec<Ty>,
    pub node_builtin: Vec<Option<&'static Builtin>>,
}

impl<'g> Checker<'g> {
    pub fn new(nodes: usize, globals: &'g dyn Globals) -> Checker<'g> {
        Checker {
            subst: Vec::new(),
            constraints: Vec::new(),
            node_types: vec![None; nodes],
            node_builtin: vec![None; nodes],
            globals,
        }
    }

    fn fresh(&mut self) -> Ty {
        self.subst.push(None);
        Ty::Var(self.subst.len() as u32 - 1)
    }

    /// The type with every bound variable replaced.
    pub fn resolve(&self, t: &Ty) -> Ty {
        match t {
            Ty::Var(v) => match self.subst.get(*v as usize).and_then(|b| b.as_ref()) {
                Some(b) => self.resolve(b),
                None => t.clone(),
            },
            Ty::Con(c, args) => Ty::Con(*c, args.iter().map(|a| self.resolve(a)).collect()),
        }
    }

    fn shallow(&self, t: &Ty) -> Ty {
        let mut t = t.clone();
        while let Ty::Var(v) = t {
            match self.subst.get(v as usize).and_then(|b| b.clone()) {
                Some(b) => t = b,
                None => break,
            }
        }
        t
    }

    fn occurs(&self, v: u32, t: &Ty) -> bool {
        match self.shallow(t) {
            Ty::Var(w) => w == v,
            Ty::Con(_, args) => args.iter().any(|a| self.occurs(v, a)),
        }
    }

    fn unify(&mut self, a: &Ty, b: &Ty) -> Result<(), ()> {
        let (a, b) = (self.shallow(a), self.shallow(b));
        match (&a, &b) {
            (Ty::Var(x), Ty::Var(y)) if x == y => Ok(()),
            (Ty::Var(x), t) | (t, Ty::Var(x)) => {
                if self.occurs(*x, t) {
                    return Err(());
                }
                self.subst[*x as usize] = Some(t.clone());
                Ok(())
            }
            (Ty::Con(c1, a1), Ty::Con(c2, a2)) => {
                if c1 != c2 || a1.len() != a2.len() {
                    return Err(());
                }
                for (x, y) in a1.iter().zip(a2.iter()) {
                    self.unify(x, y)?;
                }
                Ok(())
            }
        }
    }

    fn instantiate(&mut self, s: &Scheme, src: Src) -> Ty {
        let vars: Vec<Ty> = (0..s.vars).map(|_| self.fresh()).collect();
        for (class, v) in &s.constraints {
            self.constraints
                .push((*class, vars[*v as usize].clone(), src));
        }
        substitute(&s.ty, &vars)
    }

    fn mismatch(&self, src: Src, expected: &Ty, found: &Ty, what: &str) -> LangError {
        LangError::new(
            ErrorKind::Type,
            src,
            format!(
                "type error: {what} should be {} but is {}",
                self.resolve(expected),
                self.resolve(found)
            ),
        )
    }

    pub fn infer(&mut self, e: &Expr, scope: &mut Vec<(String, Ty)>) -> Result<Ty, LangError> {
        let t = match &e.kind {
            ExprKind::Number(text) => {
                let t = self.fresh();
                let fractional = text.contains(['.', 'e', 'E']);
                let class = if fractional {
                    Class::Fractional
                } else {
                    Class::Num
                };
                self.constraints.push((class, t.clone(), e.src));
                t
            }
            ExprKind::Str(_) => {
                let t = self.fresh();
                self.constraints.push((Class::IsString, t.clone(), e.src));
                t
            }
            ExprKind::Var(name) => {
                if let Some((_, t)) = scope.iter().rev().find(|(n, _)| n == name) {
                    t.clone()
                } else if let Some(s) = self.globals.lookup_type(name) {
                    self.instantiate(&s, e.src)
                } else if let Some(b) = builtins::lookup(name) {
                    self.node_builtin[e.id] = Some(b);
                    let scheme = b.scheme();
                    self.instantiate(&scheme, e.src)
                } else {
                    return Err(LangError::new(
                        ErrorKind::UnknownName,
                        e.src,
                        format!(
                            "unknown name: '{name}' is not a function, control or definition{}",
                            suggestion(name)
                        ),
                    ));
                }
            }
            ExprKind::App(f, x) => {
                let tf = self.infer(f, scope)?;
                let tx = self.infer(x, scope)?;
                let r = self.fresh();
                match self.shallow(&tf) {
                    Ty::Con(Con::Fn, args) => {
                        if self.unify(&args[0], &tx).is_err() {
                            let what = match &f.kind {
                                ExprKind::Var(n) if !n.starts_with(' ') => {
                                    format!("the argument of '{}'", n)
                                }
                                _ => "this argument".to_string(),
                            };
                            return Err(self.mismatch(x.src, &args[0], &tx, &what));
                        }
                        let _ = self.unify(&r, &args[1]);
                    }
                    Ty::Var(_) => {
                        if self.unify(&tf, &Ty::func(tx.clone(), r.clone())).is_err() {
                            return Err(self.mismatch(
                                f.src,
                                &Ty::func(tx, r),
                                &tf,
                                "this function",
                            ));
                        }
                    }
                    other => {
                        return Err(LangError::new(
                            ErrorKind::Type,
                            x.src,
                            format!(
                                "type error: too many arguments: {} is not a function",
                                self.resolve(&other)
                            ),
                        ))
                    }
                }
                r
            }
            ExprKind::Lambda(name, body) => {
                let a = self.fresh();
                scope.push((name.clone(), a.clone()));
                let tb = self.infer(body, scope);
                scope.pop();
                Ty::func(a, tb?)
            }
            ExprKind::Let(name, value, body) => {
                let tv = self.infer(value, scope)?;
                scope.push((name.clone(), tv));
                let tb = self.infer(body, scope);
                scope.pop();
                tb?
            }
            ExprKind::List(items) => {
                let elem = self.fresh();
                for i in items {
                    let ti = self.infer(i, scope)?;
                    if self.unify(&elem, &ti).is_err() {
                        return Err(self.mismatch(i.src, &elem, &ti, "this list item"));
                    }
                }
                Ty::list(elem)
            }
            ExprKind::Tuple(items) => {
                let ts = items
                    .iter()
                    .map(|i| self.infer(i, scope))
                    .collect::<Result<Vec<_>, _>>()?;
                Ty::Con(Con::Tuple, ts)
            }
            ExprKind::Range(a, b) => {
                let ta = self.infer(a, scope)?;
                let tb = self.infer(b, scope)?;
                if self.unify(&ta, &tb).is_err() {
                    return Err(self.mismatch(b.src, &ta, &tb, "the end of the range"));
                }
                self.constraints.push((Class::Num, ta.clone(), e.src));
                Ty::list(ta)
            }
            ExprKind::Annotated(inner, syntax) => {
                let ti = self.infer(inner, scope)?;
                let mut names = HashMap::new();
                let ta = from_syntax(syntax, &mut names).map_err(|m| {
                    LangError::new(ErrorKind::Type, e.src, format!("type error: {m}"))
                })?;
                let offset = self.subst.len() as u32;
                for _ in 0..names.len() {
                    self.fresh();
                }
                let ta = substitute(
                    &ta,
                    &(0..names.len() as u32)
                        .map(|i| Ty::Var(offset + i))
                        .collect::<Vec<_>>(),
                );
                if self.unify(&ti, &ta).is_err() {
                    return Err(self.mismatch(inner.src, &ta, &ti, "this expression"));
                }
                ta
            }
        };
        self.node_types[e.id] = Some(t.clone());
        Ok(t)
    }

    /// Requires the program to have type `expected`.
    pub fn expect(&mut self, t: &Ty, expected: &Ty, src: Src) -> Result<(), LangError> {
        if self.unify(t, expected).is_err() {
            return Err(self.mismatch(src, expected, t, "the whole expression"));
        }
        Ok(())
    }

    /// Checks class constraints, applying Haskell's defaulting (`Pattern
    /// String` for strings, then `Integer`/`Double` for numbers) to what
    /// remains open.
    pub fn solve(&mut self) -> Result<(), LangError> {
        loop {
            let mut open: Vec<(Class, u32, Src)> = Vec::new();
            let pending = std::mem::take(&mut self.constraints);
            let mut changed = false;
            for (class, t, src) in pending {
                match self.shallow(&t) {
                    Ty::Var(v) => open.push((class, v, src)),
                    concrete => {
                        for (sub_class, sub_t) in self.instance(class, &concrete, src)? {
                            self.constraints.push((sub_class, sub_t, src));
                            changed = true;
                        }
                    }
                }
            }
            if changed {
                for (c, v, s) in open {
                    self.constraints.push((c, Ty::Var(v), s));
                }
                continue;
            }
            if open.is_empty() {
                return Ok(());
            }
            // Default one variable at a time, then check again.
            let (_, v, _) = open[0];
            let classes: Vec<Class> = open
                .iter()
                .filter(|(_, w, _)| *w == v)
                .map(|(c, _, _)| *c)
                .collect();
            let default = if classes.contains(&Class::IsString) {
                Ty::pattern(Ty::con(Con::String))
            } else if classes.contains(&Class::Parseable)
                && !classes.iter().any(|c| *c != Class::Parseable)
            {
                Ty::con(Con::String)
            } else if classes
                .iter()
                .any(|c| matches!(c, Class::Fractional | Class::Floating))
            {
                Ty::con(Con::Double)
            } else {
                Ty::con(Con::Int)
            };
            self.subst[v as usize] = Some(default);
            for (c, w, s) in open {
                self.constraints.push((c, Ty::Var(w), s));
            }
        }
    }

    /// Whether `t` is an instance of `class`; further constraints it needs.
    fn instance(&self, class: Class, t: &Ty, src: Src) -> Result<Vec<(Class, Ty)>, LangError> {
        let Ty::Con(c, args) = t else {
            return Ok(vec![(class, t.clone())]);
        };
        let ok = match class {
            Class::Num => matches!(
                c,
                Con::Double | Con::Int | Con::Note | Con::Time | Con::ValueMap
            ),
            Class::Fractional => matches!(c, Con::Double | Con::Note | Con::Time | Con::ValueMap),
            Class::Floating => matches!(c, Con::Double | Con::Note),
            Class::Integral => matches!(c, Con::Int),
            Class::Moddable => matches!(
                c,
                Con::Double | Con::Int | Con::Note | Con::Time | Con::ValueMap
            ),
            Class::Parseable => {
                matches!(
                    c,
                    Con::Double
                        | Con::Int
                        | Con::Note
                        | Con::Time
                        | Con::Bool
                        | Con::String
                        | Con::ValueMap
                )
            }
            Class::IsString => matches!(c, Con::String),
        };
        if ok {
            return Ok(vec![]);
        }
        if *c == Con::Pattern && class != Class::Parseable {
            let inner = args.first().cloned().unwrap_or(Ty::con(Con::Tuple));
            let sub = if class == Class::IsString {
                Class::Parseable
            } else {
                class
            };
            return Ok(vec![(sub, inner)]);
        }
        let what = match class {
            Class::Num | Class::Fractional | Class::Floating | Class::Integral => "a number",
            Class::IsString | Class::Parseable => "a string",
            Class::Moddable => "this value",
        };
        Err(LangError::new(
            ErrorKind::Type,
            src,
            format!(
                "type error: {what} cannot be used as {} (no instance {} {})",
                self.resolve(t),
                class.name(),
                self.resolve(t)
            ),
        ))
    }

    pub fn finish(self, ty: &Ty) -> Typed {
        let node_types = self
            .node_types
            .iter()
            .map(|t| {
                t.as_ref()
                    .map(|t| self.resolve(t))
                    .unwrap_or(Ty::con(Con::Tuple))
            })
            .collect();
        Typed {
            ty: self.resolve(ty),
            node_types,
            node_builtin: self.node_builtin,
        }
    }
}

/// Replaces quantified variables `0..n` by the given types.
pub fn substitute(t: &Ty, vars: &[Ty]) -> Ty {
    match t {
        Ty::Var(v) => vars.get(*v as usize).cloned().unwrap_or_else(|| t.clone()),
        Ty::Con(c, args) => Ty::Con(*c, args.iter().map(|a| substitute(a, vars)).collect()),
    }
}

fn suggestion(name: &str) -> String {
    let best = builtins::names()
        .filter(|n| strsim_close(name, n))
        .min_by_key(|n| n.len().abs_diff(name.len()));
    match best {
        Some(n) => format!(" (did you mean '{n}'?)"),
        None => String::new(),
    }
}

/// True when `a` and `b` differ by at most one edit (for suggestions).
fn strsim_close(a: &str, b: &str) -> bool {
    if a == b || a.len().abs_diff(b.len()) > 1 || a.len() < 3 {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // Two neighbouring letters swapped (`fsat` for `fast`).
    if a.len() == b.len() {
        let diff: Vec<usize> = (0..a.len()).filter(|&k| a[k] != b[k]).collect();
        if diff.len() == 2
            && diff[1] == diff[0] + 1
            && a[diff[0]] == b[diff[1]]
            && a[diff[1]] == b[diff[0]]
        {
            return true;
        }
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}
