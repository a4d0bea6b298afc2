//! The REPL's forms read through the interpreter beside bare expressions:
//! a definition `let f x = e` for later lines, and an exact `Time` value
//! (`setcps (120/60/4)`, `--cps 9/16`), so every number is read by one reader.

use super::error::{ErrorKind, LangError};
use super::syntax::{Expr, ExprKind, Parsed, Src};
use super::types::{Con, Ty};
use super::{generalise, syntax, Session, Val};
use crate::time::Time;
use crate::value::Value;

impl Session {
    /// Reads and binds a whole definition line, `let name args = expr`, for
    /// later lines; errors point into `src` itself. Returns the name and its
    /// type (generalised, as `define` does).
    pub fn define_line(&mut self, src: &str) -> Result<(String, Ty), LangError> {
        let (name, parsed) = syntax::parse_definition(src)?;
        let e = self.evaluate_parsed(parsed, None)?;
        self.defs.insert(name.clone(), (generalise(&e.ty), e.value));
        Ok((name, e.ty))
    }

    /// The exact value of `src`, an expression of type `Time`: numbers are
    /// read exactly (`0.1` is 1/10) and arithmetic stays exact.
    /// Dividing by zero is an error here, as in Haskell (pattern arithmetic
    /// keeps the left value instead, so that a query never fails).
    pub fn time(&self, src: &str) -> Result<Time, LangError> {
        let parsed = syntax::parse_expr(src)?;
        let tree = parsed.expr.clone();
        let nodes = parsed.nodes;
        let e = self.evaluate_parsed(parsed, Some(&Ty::con(Con::Time)))?;
        let Val::Scalar(Value::R(t)) = e.value else {
            return Err(LangError::new(
                ErrorKind::Type,
                (0, src.len()),
                format!("type error: expected a number (Time), but this is {}", e.ty),
            ));
        };
        match self.zero_divisor(&tree, nodes) {
            Some(at) => Err(LangError::new(ErrorKind::Eval, at, "division by zero")),
            None => Ok(t),
        }
    }

    /// Where `e` divides (`/`) by a divisor that is exactly zero
    /// on its own (a divisor that needs names bound inside `e` is not tried).
    fn zero_divisor(&self, e: &Expr, nodes: usize) -> Option<Src> {
        let zero = |d: &Expr| {
            let parsed = Parsed {
                expr: d.clone(),
                nodes,
            };
            let time = self.evaluate_parsed(parsed, Some(&Ty::con(Con::Time)));
            time.is_ok_and(|v| matches!(v.value, Val::Scalar(Value::R(t)) if t.is_zero()))
        };
        let children: Vec<&Expr> = match &e.kind {
            ExprKind::App(f, divisor) => {
                if let ExprKind::App(op, _) = &f.kind {
                    let divides = matches!(&op.kind, ExprKind::Var(n) if n == "/");
                    if divides && zero(divisor) {
                        return Some(divisor.src);
                    }
                }
                vec![f, divisor]
            }
            ExprKind::Lambda(_, body) | ExprKind::Annotated(body, _) => vec![body],
            ExprKind::Let(_, value, body) | ExprKind::Range(value, body) => vec![value, body],
            ExprKind::List(items) | ExprKind::Tuple(items) => items.iter().collect(),
            ExprKind::Number(_) | ExprKind::Str(_) | ExprKind::Var(_) => vec![],
        };
        children
            .into_iter()
            .find_map(|c| self.zero_divisor(c, nodes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(src: &str) -> Result<Time, LangError> {
        Session::new().time(src)
    }

    #[test]
    fn times_are_exact_whatever_the_expression() {
        let ratio = |n, d| Time::new(n, d).unwrap();
        assert_eq!(time("0.75").unwrap(), ratio(3, 4));
        assert_eq!(time("(120/60/4)").unwrap(), ratio(1, 2));
        assert_eq!(time("9/16").unwrap(), ratio(9, 16));
        assert_eq!(time("0.5*1.5").unwrap(), ratio(3, 4));
        assert_eq!(time("-1/3").unwrap(), ratio(-1, 3));
        assert_eq!(time("1e3").unwrap(), Time::int(1000));
    }

    #[test]
    fn what_is_not_a_time_is_an_error_with_its_place() {
        assert_eq!(time("1 + zzq").unwrap_err().src, (4, 7));
        assert!(time("\"fast\"").is_err());
        assert!(time("(1").is_err());
        assert_eq!(time("1/(2-2)").unwrap_err().src, (2, 7));
        let e = time("2 + 3 / 0").unwrap_err();
        assert_eq!((e.src, e.message.as_str()), ((8, 9), "division by zero"));
        assert!(time("(\\x -> 1/x) 2").is_ok());
    }

    #[test]
    fn a_definition_line_binds_its_name() {
        let mut s = Session::new();
        let (name, _) = s.define_line("let f x = fast 2 x").unwrap();
        assert_eq!(name, "f");
        assert!(s.pattern("f $ s \"bd sn\"").is_ok());
        s.define_line("let rhythm = s \"bd*2 [~ bd]\"").unwrap();
        assert!(s.pattern("f rhythm # n 1").is_ok());
        // Errors point into the whole line.
        let e = s.define_line("let g x = fast 2 zzq").unwrap_err();
        assert_eq!(e.src, (17, 20));
        assert!(s.define_line("let 3 = 4").is_err());
        assert!(s.define_line("let = s \"bd\"").is_err());
        assert!(s.define_line("letx = 1").is_err());
    }
}
