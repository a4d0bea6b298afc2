//! Types of Tidal values (`Pattern Double`, `Pattern a -> Pattern a`, ...),
//! type classes, and signatures written as text in the builtin table.

use std::collections::HashMap;
use std::fmt;

use super::syntax::{parse_type, TypeSyntax};
use crate::mini::Kind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Con {
    Pattern,
    Fn,
    List,
    Tuple,
    Double,
    Int,
    Note,
    Time,
    Bool,
    String,
    ValueMap,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Var(u32),
    Con(Con, Vec<Ty>),
}

impl Ty {
    pub fn con(c: Con) -> Ty {
        Ty::Con(c, vec![])
    }
    pub fn pattern(t: Ty) -> Ty {
        Ty::Con(Con::Pattern, vec![t])
    }
    pub fn func(a: Ty, b: Ty) -> Ty {
        Ty::Con(Con::Fn, vec![a, b])
    }
    pub fn list(t: Ty) -> Ty {
        Ty::Con(Con::List, vec![t])
    }
    pub fn control_pattern() -> Ty {
        Ty::pattern(Ty::con(Con::ValueMap))
    }

    /// For `Pattern X` with a concrete `X`, the mini-notation kind.
    pub fn pattern_kind(&self) -> Option<Kind> {
        match self {
            Ty::Con(Con::Pattern, args) => args.first().and_then(Ty::scalar_kind),
            _ => None,
        }
    }

    /// The mini-notation kind of a scalar type.
    pub fn scalar_kind(&self) -> Option<Kind> {
        match self {
            Ty::Con(Con::Double, _) => Some(Kind::Double),
            Ty::Con(Con::Int, _) => Some(Kind::Int),
            Ty::Con(Con::Note, _) => Some(Kind::Note),
            Ty::Con(Con::Time, _) => Some(Kind::Time),
            Ty::Con(Con::Bool, _) => Some(Kind::Bool),
            Ty::Con(Con::String, _) => Some(Kind::String),
            _ => None,
        }
    }

    /// Argument and result of a function type.
    pub fn as_fn(&self) -> Option<(&Ty, &Ty)> {
        match self {
            Ty::Con(Con::Fn, args) if args.len() == 2 => Some((&args[0], &args[1])),
            _ => None,
        }
    }

    pub fn is_pattern(&self) -> bool {
        matches!(self, Ty::Con(Con::Pattern, _))
    }

    /// The element type of `Pattern a` or `[a]`.
    pub fn element(&self) -> Option<&Ty> {
        match self {
            Ty::Con(Con::Pattern | Con::List, args) => args.first(),
            _ => None,
        }
    }
}

fn var_name(v: u32) -> String {
    let letters = "abcdefghijklmnopqrstuvwxyz".as_bytes();
    let c = letters[(v as usize) % 26] as char;
    if v < 26 {
        c.to_string()
    } else {
        format!("{c}{}", v / 26)
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn go(t: &Ty, f: &mut fmt::Formatter<'_>, nested: bool) -> fmt::Result {
            match t {
                Ty::Var(v) => write!(f, "{}", var_name(*v)),
                Ty::Con(Con::Fn, a) if a.len() == 2 => {
                    if nested {
                        write!(f, "(")?;
                    }
                    let arg_is_fn = matches!(a[0], Ty::Con(Con::Fn, _));
                    if arg_is_fn {
                        write!(f, "(")?;
                        go(&a[0], f, false)?;
                        write!(f, ")")?;
                    } else {
                        go(&a[0], f, false)?;
                    }
                    write!(f, " -> ")?;
                    go(&a[1], f, false)?;
                    if nested {
                        write!(f, ")")?;
                    }
                    Ok(())
                }
                Ty::Con(Con::Pattern, a) if a.first() == Some(&Ty::con(Con::ValueMap)) => {
                    write!(f, "ControlPattern")
                }
                Ty::Con(Con::Pattern, a) if a.len() == 1 => {
                    if nested {
                        write!(f, "(")?;
                    }
                    write!(f, "Pattern ")?;
                    go(&a[0], f, true)?;
                    if nested {
                        write!(f, ")")?;
                    }
                    Ok(())
                }
                Ty::Con(Con::List, a) if a.len() == 1 => {
                    write!(f, "[")?;
                    go(&a[0], f, false)?;
                    write!(f, "]")
                }
                Ty::Con(Con::Tuple, a) => {
                    write!(f, "(")?;
                    for (i, x) in a.iter().enumerate() {
                        if i > 0 {
                            write!(f, ", ")?;
                        }
                        go(x, f, false)?;
                    }
                    write!(f, ")")
                }
                Ty::Con(c, _) => write!(
                    f,
                    "{}",
                    match c {
                        Con::Double => "Double",
                        Con::Int => "Int",
                        Con::Note => "Note",
                        Con::Time => "Time",
                        Con::Bool => "Bool",
                        Con::String => "String",
                        Con::ValueMap => "ValueMap",
                        _ => "?",
                    }
                ),
            }
        }
        go(self, f, false)
    }
}

/// Type classes the checker knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    Num,
    Fractional,
    Floating,
    Integral,
    /// A string literal's type: a plain `String` or a pattern read from
    /// mini-notation.
    IsString,
    /// A type the mini-notation can produce.
    Parseable,
    Moddable,
}

impl Class {
    pub fn name(self) -> &'static str {
        match self {
            Class::Num => "Num",
            Class::Fractional => "Fractional",
            Class::Floating => "Floating",
            Class::Integral => "Integral",
            Class::IsString => "IsString",
            Class::Parseable => "Parseable",
            Class::Moddable => "Moddable",
        }
    }
}

/// A polymorphic type: variables `0..vars` are quantified.
#[derive(Clone, Debug)]
pub struct Scheme {
    pub vars: u32,
    pub constraints: Vec<(Class, u32)>,
    pub ty: Ty,
}

/// Parses a signature such as `Num a => Pattern a -> Pattern a`.
pub fn parse_signature(sig: &str) -> Result<Scheme, String> {
    let (context, body) = match sig.split_once("=>") {
        Some((c, b)) => (c.trim(), b.trim()),
        None => ("", sig.trim()),
    };
    let syntax = parse_type(body).map_err(|e| format!("bad signature '{sig}': {e}"))?;
    let mut names: HashMap<String, u32> = HashMap::new();
    let ty = from_syntax(&syntax, &mut names)?;
    let mut constraints = Vec::new();
    for c in context
        .trim_matches(['(', ')'])
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let mut words = c.split_whitespace();
        let (Some(class), Some(var)) = (words.next(), words.next()) else {
            return Err(format!("bad constraint '{c}'"));
        };
        let class = match class {
            "Num" => Class::Num,
            "Fractional" => Class::Fractional,
            "Floating" => Class::Floating,
            "Integral" => Class::Integral,
            "IsString" => Class::IsString,
            "Parseable" => Class::Parseable,
            "Moddable" => Class::Moddable,
            _ => continue,
        };
        let v = *names
            .get(var)
            .ok_or_else(|| format!("constraint on unknown variable '{var}'"))?;
        constraints.push((class, v));
    }
    Ok(Scheme {
        vars: names.len() as u32,
        constraints,
        ty,
    })
}

/// A type as written, with type variables numbered in order of appearance.
pub fn from_syntax(t: &TypeSyntax, names: &mut HashMap<String, u32>) -> Result<Ty, String> {
    Ok(match t {
        TypeSyntax::Name(n) => match n.as_str() {
            "Double" | "Float" => Ty::con(Con::Double),
            "Int" | "Integer" => Ty::con(Con::Int),
            "Note" => Ty::con(Con::Note),
            "Time" | "Rational" => Ty::con(Con::Time),
            "Bool" => Ty::con(Con::Bool),
            "String" => Ty::con(Con::String),
            "ValueMap" => Ty::con(Con::ValueMap),
            "ControlPattern" => Ty::control_pattern(),
            v if v.starts_with(|c: char| c.is_lowercase()) => {
                let next = names.len() as u32;
                Ty::Var(*names.entry(v.to_string()).or_insert(next))
            }
            other => return Err(format!("unknown type '{other}'")),
        },
        TypeSyntax::Apply(f, x) => match f.as_ref() {
            TypeSyntax::Name(n) if n == "Pattern" => Ty::pattern(from_syntax(x, names)?),
            other => return Err(format!("unknown type constructor in '{other:?}'")),
        },
        TypeSyntax::Function(a, b) => Ty::func(from_syntax(a, names)?, from_syntax(b, names)?),
        TypeSyntax::List(t) => Ty::list(from_syntax(t, names)?),
        TypeSyntax::Tuple(items) => Ty::Con(
            Con::Tuple,
            items
                .iter()
                .map(|i| from_syntax(i, names))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    })
}
