//! Operators: arithmetic (`+ - * / %`), the structure-choosing family
//! (`|+|`, `|+`, `+|`, ... `#`), shifting in time (`<~ ~>`), composition.

use super::{Builtin, Call};
use crate::arith::{self, Op};
use crate::core::applicative::{app_left_owned, app_with, tparam, Structure};
use crate::core::concat::overlay;
use crate::lang::error::LangError;
use crate::lang::runtime::{apply, Val};
use crate::value::Value;

fn binop(c: &Call, op: Op, how: Structure) -> Result<Val, LangError> {
    if !c.arg_ty(0).is_pattern() {
        return Ok(Val::Scalar(arith::operate(
            op,
            &c.scalar(0)?,
            &c.scalar(1)?,
        )));
    }
    let (a, b) = (c.pat(0)?, c.pat(1)?);
    if how == Structure::Left {
        // The left value is passed on, so a map only it holds is updated
        // in place.
        return Ok(Val::Pat(app_left_owned(&a, &b, move |x, y| {
            arith::operate_owned(op, x, y)
        })));
    }
    Ok(Val::Pat(app_with(
        how,
        &a,
        &b,
        move |x: &Value, y: &Value| arith::operate(op, x, y),
    )))
}

macro_rules! ops {
    ($($f:ident = $op:ident, $how:ident;)*) => {
        $(fn $f(c: &Call) -> Result<Val, LangError> { binop(c, Op::$op, Structure::$how) })*
    };
}

ops! {
    add_both = Add, Both; add_left = Add, Left; add_right = Add, Right; add_squeeze = Add, Squeeze;
    sub_both = Sub, Both; sub_left = Sub, Left; sub_right = Sub, Right; sub_squeeze = Sub, Squeeze;
    mul_both = Mul, Both; mul_left = Mul, Left; mul_right = Mul, Right; mul_squeeze = Mul, Squeeze;
    div_both = Div, Both; div_left = Div, Left; div_right = Div, Right; div_squeeze = Div, Squeeze;
    mod_both = Mod, Both; mod_left = Mod, Left; mod_right = Mod, Right; mod_squeeze = Mod, Squeeze;
    pow_both = Pow, Both; pow_left = Pow, Left; pow_right = Pow, Right; pow_squeeze = Pow, Squeeze;
    keepl_both = KeepLeft, Both; keepl_left = KeepLeft, Left; keepl_right = KeepLeft, Right; keepl_squeeze = KeepLeft, Squeeze;
    keepr_both = KeepRight, Both; keepr_left = KeepRight, Left; keepr_right = KeepRight, Right; keepr_squeeze = KeepRight, Squeeze;
    app_both = Append, Both; app_left = Append, Left; app_right = Append, Right; app_squeeze = Append, Squeeze;
}

fn shift_left(c: &Call) -> Result<Val, LangError> {
    let p = c.pat(1)?;
    Ok(Val::Pat(tparam(&c.time_pat(0)?, move |t| p.rot_l(*t))))
}

fn shift_right(c: &Call) -> Result<Val, LangError> {
    let p = c.pat(1)?;
    Ok(Val::Pat(tparam(&c.time_pat(0)?, move |t| p.rot_r(*t))))
}

fn compose(c: &Call) -> Result<Val, LangError> {
    let (f, g, x) = (c.val(0)?, c.val(1)?, c.val(2)?);
    apply(f, apply(g, x.clone())?)
}

fn negate(c: &Call) -> Result<Val, LangError> {
    match c.val(0)? {
        Val::Pat(p) => Ok(Val::Pat(p.fmap(arith::negate))),
        Val::Scalar(v) => Ok(Val::Scalar(arith::negate(v))),
        _ => Err(c.err("negate needs a number")),
    }
}

fn overlay_op(c: &Call) -> Result<Val, LangError> {
    Ok(Val::Pat(overlay(c.pat(0)?, c.pat(1)?)))
}

fn identity(c: &Call) -> Result<Val, LangError> {
    Ok(c.val(0)?.clone())
}

fn constant(c: &Call) -> Result<Val, LangError> {
    Ok(c.val(0)?.clone())
}

fn flip(c: &Call) -> Result<Val, LangError> {
    let (f, b, a) = (c.val(0)?.clone(), c.val(1)?.clone(), c.val(2)?.clone());
    apply(&apply(&f, a)?, b)
}

const NUM: &str = "Num a => Pattern a -> Pattern a -> Pattern a";
const FRAC: &str = "Fractional a => Pattern a -> Pattern a -> Pattern a";
const MODD: &str = "Moddable a => Pattern a -> Pattern a -> Pattern a";
const FLOAT: &str = "Floating a => Pattern a -> Pattern a -> Pattern a";
const ANY: &str = "Pattern a -> Pattern a -> Pattern a";
const STR: &str = "Pattern String -> Pattern String -> Pattern String";

macro_rules! family {
    ($sym:literal, $sig:expr, $what:literal, $both:ident, $left:ident, $right:ident, $squeeze:ident) => {
        family!(
            $sym,
            $sig,
            $what,
            $both,
            $left,
            $right,
            $squeeze,
            "n \"0 1\"",
            "n \"10 20 30\"",
            ""
        )
    };
    ($sym:literal, $sig:expr, $what:literal, $both:ident, $left:ident, $right:ident, $squeeze:ident, $a:literal, $b:literal, $around:literal) => {
        [
            Builtin::new(
                concat!("|", $sym, "|"),
                $sig,
                concat!($what, ", structure from both sides"),
                concat!($around, "(", $a, " |", $sym, "| ", $b, ")"),
                $both,
            ),
            Builtin::new(
                concat!("|", $sym),
                $sig,
                concat!($what, ", structure from the left"),
                concat!($around, "(", $a, " |", $sym, " ", $b, ")"),
                $left,
            ),
            Builtin::new(
                concat!($sym, "|"),
                $sig,
                concat!($what, ", structure from the right"),
                concat!($around, "(", $a, " ", $sym, "| ", $b, ")"),
                $right,
            ),
            Builtin::new(
                concat!("||", $sym),
                $sig,
                concat!($what, ", the right side squeezed into each left event"),
                concat!($around, "(", $a, " ||", $sym, " ", $b, ")"),
                $squeeze,
            ),
        ]
    };
}

/// The operator builtins.
pub fn builtins() -> Vec<Builtin> {
    let mut v = vec![
        Builtin::new(
            "#",
            ANY,
            "takes values from the right, structure from the left (same as |>)",
            "s \"bd*2\" # speed \"1 2\"",
            keepr_left,
        ),
        Builtin::new(
            "+",
            "Num a => a -> a -> a",
            "adds (patterns: structure from both sides)",
            "n (\"0 2\" + \"<10 20>\")",
            add_both,
        ),
        Builtin::new(
            "-",
            "Num a => a -> a -> a",
            "subtracts (patterns: structure from both sides)",
            "n (\"0 1 2\" - 1)",
            sub_both,
        ),
        Builtin::new(
            "*",
            "Num a => a -> a -> a",
            "multiplies (patterns: structure from both sides)",
            "speed (\"1 2\" * 1.5)",
            mul_both,
        ),
        Builtin::new(
            "/",
            "Fractional a => a -> a -> a",
            "divides (patterns: structure from both sides)",
            "(1/3) ~> s \"bd sn\"",
            div_both,
        ),
        Builtin::new(
            "<~",
            "Pattern Time -> Pattern a -> Pattern a",
            "shifts a pattern earlier by the given cycles",
            "0.25 <~ s \"bd sn hh cp\"",
            shift_left,
        ),
        Builtin::new(
            "~>",
            "Pattern Time -> Pattern a -> Pattern a",
            "shifts a pattern later by the given cycles",
            "\"<0 0.25>\" ~> s \"bd sn\"",
            shift_right,
        ),
        Builtin::new(
            ".",
            "(b -> c) -> (a -> b) -> a -> c",
            "function composition: f . g applies g, then f",
            "every 2 (fast 2 . rev) $ s \"bd sn\"",
            compose,
        ),
        Builtin::new(
            "<>",
            ANY,
            "plays both patterns at once (overlay)",
            "s \"bd\" <> s \"hh*2\"",
            overlay_op,
        ),
        Builtin::new(
            "negate",
            "Num a => a -> a",
            "negates a number or every number in a pattern",
            "n (negate \"1 2\")",
            negate,
        ),
        Builtin::new(
            "id",
            "a -> a",
            "returns its argument unchanged",
            "every 2 id $ s \"bd\"",
            identity,
        ),
        Builtin::new(
            "const",
            "a -> b -> a",
            "ignores its second argument",
            "every 2 (const $ s \"cp\") $ s \"bd\"",
            constant,
        ),
        Builtin::new(
            "flip",
            "(a -> b -> c) -> b -> a -> c",
            "swaps the first two arguments of a function",
            "flip fast (s \"bd sn\") 2",
            flip,
        ),
    ];
    v.extend(family!(
        "+",
        NUM,
        "adds values",
        add_both,
        add_left,
        add_right,
        add_squeeze
    ));
    v.extend(family!(
        "-",
        NUM,
        "subtracts values",
        sub_both,
        sub_left,
        sub_right,
        sub_squeeze
    ));
    v.extend(family!(
        "*",
        NUM,
        "multiplies values",
        mul_both,
        mul_left,
        mul_right,
        mul_squeeze
    ));
    v.extend(family!(
        "/",
        FRAC,
        "divides values",
        div_both,
        div_left,
        div_right,
        div_squeeze
    ));
    v.extend(family!(
        "%",
        MODD,
        "the remainder of dividing values",
        mod_both,
        mod_left,
        mod_right,
        mod_squeeze
    ));
    v.extend(family!(
        "**",
        FLOAT,
        "raises to a power",
        pow_both,
        pow_left,
        pow_right,
        pow_squeeze,
        "\"1 2\"",
        "\"2 0.5\"",
        "speed "
    ));
    v.extend(family!(
        "<",
        ANY,
        "keeps the values on the left",
        keepl_both,
        keepl_left,
        keepl_right,
        keepl_squeeze
    ));
    v.extend(family!(
        ">",
        ANY,
        "takes the values on the right",
        keepr_both,
        keepr_left,
        keepr_right,
        keepr_squeeze
    ));
    v.extend(family!(
        "++",
        STR,
        "joins strings",
        app_both,
        app_left,
        app_right,
        app_squeeze,
        "\"bd sn\"",
        "\"<x y>\"",
        "s "
    ));
    v
}
