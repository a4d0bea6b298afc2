//! The syntax tree of Tidal code, built from pest's parse. Operators are
//! resolved here with Haskell's fixities, and sections become lambdas.

use pest::iterators::Pair;
use pest::Parser;

use super::error::LangError;

#[derive(pest_derive::Parser)]
#[grammar = "lang/grammar.pest"]
struct TidalParser;

/// Byte offsets into the source line.
pub type Src = (usize, usize);

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub src: Src,
    /// Index of this node, for the types found for it.
    pub id: usize,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    /// A numeric literal, kept as written (`0.25`, `1e3`).
    Number(String),
    /// A string literal's contents (escapes resolved).
    Str(String),
    Var(String),
    App(Box<Expr>, Box<Expr>),
    Lambda(String, Box<Expr>),
    Let(String, Box<Expr>, Box<Expr>),
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    /// `[a .. b]`
    Range(Box<Expr>, Box<Expr>),
    Annotated(Box<Expr>, TypeSyntax),
}

/// A type as written (`Pattern Double`, `[a]`, `a -> b`).
#[derive(Debug, Clone, PartialEq)]
pub enum TypeSyntax {
    Name(String),
    Apply(Box<TypeSyntax>, Box<TypeSyntax>),
    Function(Box<TypeSyntax>, Box<TypeSyntax>),
    List(Box<TypeSyntax>),
    Tuple(Vec<TypeSyntax>),
}

/// How an operator groups: precedence 0..9 and associativity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assoc {
    Left,
    Right,
    None,
}

/// Haskell's fixities; an operator Tidal declares none for is `infixl 9`.
pub fn fixity(op: &str) -> (u8, Assoc) {
    match op {
        "$" => (0, Assoc::Right),
        "." => (9, Assoc::Right),
        "+" | "-" => (6, Assoc::Left),
        "*" | "/" => (7, Assoc::Left),
        "<>" => (6, Assoc::Right),
        "**" | "^" => (8, Assoc::Right),
        "==" | "/=" | "<" | ">" | "<=" | ">=" => (4, Assoc::None),
        "&&" => (3, Assoc::Right),
        "||" => (2, Assoc::Right),
        "<$>" | "<*>" | "<*" | "*>" => (4, Assoc::Left),
        _ => (9, Assoc::Left),
    }
}

struct Builder {
    next_id: usize,
    fresh: usize,
}

impl Builder {
    fn mk(&mut self, kind: ExprKind, src: Src) -> Expr {
        let id = self.next_id;
        self.next_id += 1;
        Expr { kind, src, id }
    }

    fn app(&mut self, f: Expr, x: Expr) -> Expr {
        let src = (f.src.0.min(x.src.0), f.src.1.max(x.src.1));
        self.mk(ExprKind::App(Box::new(f), Box::new(x)), src)
    }

    fn fresh_name(&mut self) -> String {
        self.fresh += 1;
        format!(" x{}", self.fresh)
    }
}

/// The result of parsing: the tree and how many nodes it has.
pub struct Parsed {
    pub expr: Expr,
    pub nodes: usize,
}

/// Deepest nesting of brackets (and longest chain of operators) accepted,
/// so that absurd input is an error rather than a stack overflow.
pub const MAX_NESTING: usize = 200;
pub const MAX_OPERATORS: usize = 2_000;

fn check_nesting(src: &str) -> Result<(), LangError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut operators = 0usize;
    let mut prev = ' ';
    for (i, c) in src.char_indices() {
        if in_string {
            if c == '"' && prev != '\\' {
                in_string = false;
            }
        } else {
            match c {
                '"' => in_string = true,
                '(' | '[' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err(LangError::syntax(
                            (i, i + 1),
                            &format!("brackets nested more than {MAX_NESTING} deep"),
                        ));
                    }
                }
                ')' | ']' => depth = depth.saturating_sub(1),
                '$' | '#' | '.' | '+' | '*' | '|' | '~' => {
                    operators += 1;
                    if operators > MAX_OPERATORS {
                        return Err(LangError::syntax(
                            (i, i + 1),
                            &format!("more than {MAX_OPERATORS} operators in one expression"),
                        ));
                    }
                }
                _ => {}
            }
        }
        prev = c;
    }
    Ok(())
}

pub fn parse_expr(src: &str) -> Result<Parsed, LangError> {
    let (_, parsed) = parse_top(src, Rule::program)?;
    Ok(parsed)
}

/// Parses a REPL definition `let name args = expr`: the name, and the value
/// (a lambda over the arguments), with offsets into the whole line.
pub fn parse_definition(src: &str) -> Result<(String, Parsed), LangError> {
    let (name, parsed) = parse_top(src, Rule::definition)?;
    let name = name.ok_or_else(|| LangError::syntax((0, src.len()), "expected a name"))?;
    Ok((name, parsed))
}

/// Parses `src` as `rule`: an expression, or a binding and its name.
fn parse_top(src: &str, rule: Rule) -> Result<(Option<String>, Parsed), LangError> {
    check_nesting(src)?;
    let mut pairs = TidalParser::parse(rule, src).map_err(|e| syntax_error(src, e))?;
    let program = pairs
        .next()
        .ok_or_else(|| LangError::syntax((0, 0), "empty input"))?;
    let mut b = Builder {
        next_id: 0,
        fresh: 0,
    };
    let top = program
        .into_inner()
        .next()
        .ok_or_else(|| LangError::syntax((0, src.len()), "expected an expression"))?;
    let (name, expr) = match top.as_rule() {
        Rule::binding => {
            let (name, value) = build_binding(&mut b, top)?;
            (Some(name), value)
        }
        _ => (None, build_expr(&mut b, top)?),
    };
    Ok((
        name,
        Parsed {
            expr,
            nodes: b.next_id,
        },
    ))
}

/// `name args = expr` as the name and a lambda over the arguments.
fn build_binding(b: &mut Builder, pair: Pair<Rule>) -> Result<(String, Expr), LangError> {
    let bsrc = src_of(&pair);
    let mut parts: Vec<Pair<Rule>> = pair.into_inner().collect();
    let value = parts
        .pop()
        .ok_or_else(|| LangError::syntax(bsrc, "expected a value"))?;
    let mut value = build_expr(b, value)?;
    let name = parts.remove(0).as_str().to_string();
    for arg in parts.into_iter().rev() {
        value = b.mk(
            ExprKind::Lambda(arg.as_str().to_string(), Box::new(value)),
            bsrc,
        );
    }
    Ok((name, value))
}

pub fn parse_type(src: &str) -> Result<TypeSyntax, LangError> {
    let mut pairs =
        TidalParser::parse(Rule::type_program, src).map_err(|e| syntax_error(src, e))?;
    let program = pairs
        .next()
        .ok_or_else(|| LangError::syntax((0, 0), "empty type"))?;
    let t = program
        .into_inner()
        .next()
        .ok_or_else(|| LangError::syntax((0, src.len()), "expected a type"))?;
    Ok(build_type(t))
}

fn syntax_error(src: &str, e: pest::error::Error<Rule>) -> LangError {
    let at = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let found = match src[at.min(src.len())..].chars().next() {
        Some(c) => format!("unexpected '{c}'"),
        None => "unexpected end of input".to_string(),
    };
    let hint = match src[..at.min(src.len())].matches('"').count() % 2 {
        1 => " (unclosed string?)",
        _ => {
            let opens = src.matches('(').count();
            let closes = src.matches(')').count();
            if opens > closes {
                " (missing ')'?)"
            } else if closes > opens {
                " (unmatched ')'?)"
            } else {
                ""
            }
        }
    };
    LangError::syntax(
        (at, (at + 1).min(src.len().max(at))),
        &format!("{found}{hint}"),
    )
}

fn src_of(p: &Pair<Rule>) -> Src {
    let s = p.as_span();
    (s.start(), s.end())
}

fn build_expr(b: &mut Builder, pair: Pair<Rule>) -> Result<Expr, LangError> {
    let src = src_of(&pair);
    match pair.as_rule() {
        Rule::expr => {
            let mut inner = pair.into_inner();
            let body = inner
                .next()
                .ok_or_else(|| LangError::syntax(src, "expected an expression"))?;
            let e = build_expr(b, body)?;
            match inner.next() {
                Some(ann) => {
                    let t = ann
                        .into_inner()
                        .next()
                        .map(build_type)
                        .ok_or_else(|| LangError::syntax(src, "expected a type after ::"))?;
                    Ok(b.mk(ExprKind::Annotated(Box::new(e), t), src))
                }
                None => Ok(e),
            }
        }
        Rule::lambda => {
            let mut names = Vec::new();
            let mut body = None;
            for p in pair.into_inner() {
                match p.as_rule() {
                    Rule::name => names.push(p.as_str().to_string()),
                    _ => body = Some(build_expr(b, p)?),
                }
            }
            let mut e = body.ok_or_else(|| LangError::syntax(src, "expected a lambda body"))?;
            for n in names.into_iter().rev() {
                e = b.mk(ExprKind::Lambda(n, Box::new(e)), src);
            }
            Ok(e)
        }
        Rule::let_in => {
            let mut bindings = Vec::new();
            let mut body = None;
            for p in pair.into_inner() {
                match p.as_rule() {
                    Rule::binding => bindings.push(build_binding(b, p)?),
                    _ => body = Some(build_expr(b, p)?),
                }
            }
            let mut e =
                body.ok_or_else(|| LangError::syntax(src, "expected 'in' and an expression"))?;
            for (name, value) in bindings.into_iter().rev() {
                e = b.mk(ExprKind::Let(name, Box::new(value), Box::new(e)), src);
            }
            Ok(e)
        }
        Rule::infix => build_infix(b, pair),
        Rule::operand => {
            let mut inner = pair.into_inner().peekable();
            let negate = inner.peek().is_some_and(|p| p.as_rule() == Rule::negation);
            if negate {
                inner.next();
            }
            let body = inner
                .next()
                .ok_or_else(|| LangError::syntax(src, "expected an expression"))?;
            let e = build_expr(b, body)?;
            if negate {
                let f = b.mk(ExprKind::Var("negate".into()), (src.0, src.0 + 1));
                Ok(b.app(f, e))
            } else {
                Ok(e)
            }
        }
        Rule::application => {
            let mut items = pair.into_inner();
            let first = items
                .next()
                .ok_or_else(|| LangError::syntax(src, "expected an expression"))?;
            let mut e = build_expr(b, first)?;
            for arg in items {
                let a = build_expr(b, arg)?;
                e = b.app(e, a);
            }
            Ok(e)
        }
        Rule::number => Ok(b.mk(ExprKind::Number(pair.as_str().to_string()), src)),
        Rule::string => {
            let body = pair.into_inner().next().map(|p| p.as_str()).unwrap_or("");
            Ok(b.mk(ExprKind::Str(unescape(body)), src))
        }
        Rule::name => Ok(b.mk(ExprKind::Var(pair.as_str().to_string()), src)),
        Rule::parens => {
            let Some(body) = pair.into_inner().next() else {
                return Ok(b.mk(ExprKind::Tuple(vec![]), src));
            };
            build_paren(b, body, src)
        }
        Rule::list => {
            let Some(body) = pair.into_inner().next() else {
                return Ok(b.mk(ExprKind::List(vec![]), src));
            };
            let mut it = body.into_inner();
            let Some(first) = it.next() else {
                return Ok(b.mk(ExprKind::List(vec![]), src));
            };
            let first = build_expr(b, first)?;
            let rest: Vec<Pair<Rule>> = it.collect();
            match rest.first() {
                Some(to) if to.as_rule() == Rule::enum_to => {
                    let Some(to) = to.clone().into_inner().next() else {
                        return Err(LangError::syntax(src, "expected [from .. to]"));
                    };
                    let to = build_expr(b, to)?;
                    Ok(b.mk(ExprKind::Range(Box::new(first), Box::new(to)), src))
                }
                _ => {
                    let mut items = vec![first];
                    for p in rest {
                        items.push(build_expr(b, p)?);
                    }
                    Ok(b.mk(ExprKind::List(items), src))
                }
            }
        }
        _ => Err(LangError::syntax(src, "unexpected syntax")),
    }
}

fn build_paren(b: &mut Builder, body: Pair<Rule>, src: Src) -> Result<Expr, LangError> {
    match body.as_rule() {
        Rule::operator_only => {
            let op = body
                .into_inner()
                .next()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default();
            Ok(b.mk(ExprKind::Var(op), src))
        }
        Rule::right_section => {
            // (op e) = \x -> x op e
            let mut it = body.into_inner();
            let op = it
                .next()
                .ok_or_else(|| LangError::syntax(src, "expected an operator"))?;
            let op_src = src_of(&op);
            let rhs = it
                .next()
                .ok_or_else(|| LangError::syntax(src, "expected an expression"))?;
            let rhs = build_expr(b, rhs)?;
            let x = b.fresh_name();
            let var_x = b.mk(ExprKind::Var(x.clone()), src);
            let f = b.mk(ExprKind::Var(op.as_str().to_string()), op_src);
            let partial = b.app(f, var_x);
            let body = b.app(partial, rhs);
            Ok(b.mk(ExprKind::Lambda(x, Box::new(body)), src))
        }
        Rule::tuple_or_expr => {
            let parts: Vec<Pair<Rule>> = body.into_inner().collect();
            if let [lhs, op] = parts.as_slice() {
                if op.as_rule() == Rule::left_operator {
                    // (e op) = (op e)
                    let lhs = build_expr(b, lhs.clone())?;
                    let op = op
                        .clone()
                        .into_inner()
                        .next()
                        .ok_or_else(|| LangError::syntax(src, "expected an operator"))?;
                    let f = b.mk(ExprKind::Var(op.as_str().to_string()), src_of(&op));
                    return Ok(b.app(f, lhs));
                }
            }
            let items = parts
                .into_iter()
                .map(|p| build_expr(b, p))
                .collect::<Result<Vec<_>, _>>()?;
            if items.len() == 1 {
                let mut e = items
                    .into_iter()
                    .next()
                    .ok_or_else(|| LangError::syntax(src, "empty"))?;
                e.src = src;
                Ok(e)
            } else {
                Ok(b.mk(ExprKind::Tuple(items), src))
            }
        }
        _ => Err(LangError::syntax(src, "unexpected syntax in parentheses")),
    }
}

/// Operators resolved by precedence climbing with Haskell's fixities.
fn build_infix(b: &mut Builder, pair: Pair<Rule>) -> Result<Expr, LangError> {
    let mut operands = Vec::new();
    let mut ops: Vec<(String, Src)> = Vec::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::operator => ops.push((p.as_str().to_string(), src_of(&p))),
            _ => operands.push(build_expr(b, p)?),
        }
    }
    let mut operands = operands.into_iter();
    let first = operands
        .next()
        .ok_or_else(|| LangError::syntax((0, 0), "expected an expression"))?;
    let rest: Vec<((String, Src), Expr)> = ops.into_iter().zip(operands).collect();
    let mut pos = 0;
    climb(b, first, &rest, &mut pos, 0)
}

fn climb(
    b: &mut Builder,
    mut lhs: Expr,
    rest: &[((String, Src), Expr)],
    pos: &mut usize,
    min_prec: u8,
) -> Result<Expr, LangError> {
    while *pos < rest.len() {
        let ((op, op_src), _) = &rest[*pos];
        let (prec, assoc) = fixity(op);
        if prec < min_prec {
            break;
        }
        *pos += 1;
        let mut rhs = rest[*pos - 1].1.clone();
        while *pos < rest.len() {
            let ((next_op, next_src), _) = &rest[*pos];
            let (next_prec, next_assoc) = fixity(next_op);
            if next_prec > prec
                || (next_prec == prec && next_assoc == Assoc::Right && assoc == Assoc::Right)
            {
                let bump = if next_prec > prec { prec + 1 } else { prec };
                rhs = climb(b, rhs, rest, pos, bump)?;
            } else if next_prec == prec && (next_assoc != assoc || assoc == Assoc::None) {
                return Err(LangError::syntax(
                    *next_src,
                    &format!("cannot mix '{op}' and '{next_op}' without parentheses"),
                ));
            } else {
                break;
            }
        }
        lhs = if op == "$" {
            b.app(lhs, rhs)
        } else {
            let f = b.mk(ExprKind::Var(op.clone()), *op_src);
            let partial = b.app(f, lhs);
            b.app(partial, rhs)
        };
    }
    Ok(lhs)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn build_type(pair: Pair<Rule>) -> TypeSyntax {
    match pair.as_rule() {
        Rule::type_expr => {
            let mut it = pair.into_inner();
            let lhs = it
                .next()
                .map(build_type)
                .unwrap_or(TypeSyntax::Tuple(vec![]));
            match it.next() {
                Some(rhs) => TypeSyntax::Function(Box::new(lhs), Box::new(build_type(rhs))),
                None => lhs,
            }
        }
        Rule::type_app => {
            let mut it = pair.into_inner().map(build_type);
            let first = it.next().unwrap_or(TypeSyntax::Tuple(vec![]));
            it.fold(first, |f, x| TypeSyntax::Apply(Box::new(f), Box::new(x)))
        }
        Rule::type_name => TypeSyntax::Name(pair.as_str().to_string()),
        Rule::type_parens => {
            let mut items: Vec<TypeSyntax> = pair.into_inner().map(build_type).collect();
            if items.len() == 1 {
                items.remove(0)
            } else {
                TypeSyntax::Tuple(items)
            }
        }
        Rule::type_list => TypeSyntax::List(Box::new(
            pair.into_inner()
                .next()
                .map(build_type)
                .unwrap_or(TypeSyntax::Tuple(vec![])),
        )),
        _ => TypeSyntax::Tuple(vec![]),
    }
}
