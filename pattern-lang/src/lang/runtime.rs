//! The interpreter's runtime: its values (`Val`), builtins and their
//! partial application, and `apply`. The evaluator and every builtin file
//! import from here; this module imports neither.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use super::error::{LangError, Src};
use super::types::{parse_signature, Scheme, Ty};
use crate::core::controls::control;
use crate::pattern::Pattern;
use crate::value::Value;

/// A runtime value of the language.
#[derive(Clone)]
pub enum Val {
    Pat(Pattern<Value>),
    /// A plain number, boolean or control map (not a pattern).
    Scalar(Value),
    Str(Arc<str>),
    List(Arc<Vec<Val>>),
    Tuple(Arc<Vec<Val>>),
    Func(Arc<dyn Fn(Val) -> Result<Val, LangError> + Send + Sync>),
    Partial(Arc<Partial>),
}

impl Val {
    /// A plain value (a number, boolean, map or string), if this is one.
    pub fn plain(&self) -> Option<Value> {
        match self {
            Val::Scalar(v) => Some(v.clone()),
            Val::Str(s) => Some(Value::S(s.clone())),
            _ => None,
        }
    }
}

/// A builtin applied to fewer arguments than it takes.
pub struct Partial {
    pub builtin: &'static Builtin,
    pub ty: Ty,
    pub args: Vec<Val>,
    pub src: Src,
}

impl std::fmt::Debug for Val {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Val::Pat(_) => write!(f, "<pattern>"),
            Val::Scalar(v) => write!(f, "{v:?}"),
            Val::Str(s) => write!(f, "{s:?}"),
            Val::List(l) => f.debug_list().entries(l.iter()).finish(),
            Val::Tuple(l) => f.debug_tuple("").field(&l).finish(),
            Val::Func(_) => write!(f, "<function>"),
            Val::Partial(p) => write!(f, "<{} with {} args>", p.builtin.name, p.args.len()),
        }
    }
}

/// Applies a function value to an argument.
pub fn apply(f: &Val, x: Val) -> Result<Val, LangError> {
    match f {
        Val::Func(c) => c(x),
        Val::Partial(p) => {
            let mut args = p.args.clone();
            args.push(x);
            if args.len() >= p.builtin.arity() {
                run_builtin(p.builtin, &p.ty, args, p.src)
            } else {
                Ok(Val::Partial(Arc::new(Partial {
                    builtin: p.builtin,
                    ty: p.ty.clone(),
                    args,
                    src: p.src,
                })))
            }
        }
        _ => Err(LangError::eval(
            (0, 0),
            "internal error: applying a value that is not a function",
        )),
    }
}

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
    pub doc: Cow<'static, str>,
    pub example: Cow<'static, str>,
    pub run: Run,
    /// The signature parsed, and its arity, on first use.
    parsed: OnceLock<(Scheme, usize)>,
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

    /// A builtin; its arity is the number of arrows in its signature.
    pub(crate) fn with(
        name: &'static str,
        sig: &'static str,
        doc: Cow<'static, str>,
        example: Cow<'static, str>,
        run: Run,
    ) -> Builtin {
        Builtin {
            name,
            sig,
            doc,
            example,
            run,
            parsed: OnceLock::new(),
        }
    }

    fn parsed(&self) -> &(Scheme, usize) {
        self.parsed.get_or_init(|| match parse_signature(self.sig) {
            Ok(s) => {
                let arity = arrows(&s.ty);
                (s, arity)
            }
            Err(e) => panic!("builtin '{}' has a bad signature: {e}", self.name),
        })
    }

    /// The parsed signature.
    pub fn scheme(&self) -> Scheme {
        self.parsed().0.clone()
    }

    /// How many arguments it takes: the arrows of its signature.
    pub fn arity(&self) -> usize {
        self.parsed().1
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

/// A function from pattern to pattern, from a function value.
pub type PatFn = Arc<dyn Fn(Pattern<Value>) -> Result<Pattern<Value>, LangError> + Send + Sync>;

/// The arguments a builtin was applied to, with its type at this use.
pub struct Call<'a> {
    pub args: Vec<Val>,
    pub ty: &'a Ty,
    pub src: Src,
}

impl Call<'_> {
    pub fn err(&self, msg: impl Into<String>) -> LangError {
        LangError::eval(self.src, msg)
    }
}

/// Runs builtin `b` on `args` (at least its arity) at type `ty`.
pub fn run_builtin(
    b: &'static Builtin,
    ty: &Ty,
    args: Vec<Val>,
    src: Src,
) -> Result<Val, LangError> {
    let call = Call { args, ty, src };
    let mut out = match b.run {
        Run::Native(f) => f(&call)?,
        Run::Control(key) => match call.args.first().and_then(to_pattern) {
            Some(p) => Val::Pat(control(key, p)),
            None => return Err(call.err("argument 1 should be a pattern")),
        },
    };
    // Arguments beyond the arity go to the result (a builtin giving a function).
    for extra in call.args.into_iter().skip(b.arity()) {
        out = apply(&out, extra)?;
    }
    Ok(out)
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
