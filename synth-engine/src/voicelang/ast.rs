//! Parsing a voice file (pest) into a syntax tree that keeps line and column of every name.

use super::VoiceError;
use pest::iterators::Pair;
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar = "voicelang/voice.pest"]
struct VoiceParser;

/// A source position (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Number(f64),
    Name(String, Pos),
    Neg(Box<Expr>),
    Binary(char, Box<Expr>, Box<Expr>),
    Call {
        name: String,
        args: Vec<(Option<String>, Expr)>,
        pos: Pos,
    },
}

/// `param NAME = DEFAULT`.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamDecl {
    pub name: String,
    pub default: f64,
    pub pos: Pos,
}

/// `let NAME [was OLD] = EXPR`.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub name: String,
    pub was: Option<String>,
    pub expr: Expr,
    pub pos: Pos,
}

/// One parsed voice file.
#[derive(Clone, Debug, PartialEq)]
pub struct VoiceFile {
    pub name: String,
    pub params: Vec<ParamDecl>,
    pub bindings: Vec<Binding>,
    pub output: Option<(Expr, Pos)>,
    /// `sample BANK`: the bank whose file `n` the `play` node reads.
    pub bank: Option<(String, Pos)>,
    /// `effect NAME` (an orbit effect) rather than `voice NAME`.
    pub effect: bool,
}

fn pos_of(pair: &Pair<Rule>) -> Pos {
    let (line, col) = pair.as_span().start_pos().line_col();
    Pos { line, col }
}

/// Deepest bracket nesting accepted in a definition, so that a hostile
/// file is an error rather than a stack overflow.
pub const MAX_NESTING: usize = 64;

/// Parses `text`; errors carry `file:line:col`.
pub fn parse(file: &str, text: &str) -> Result<VoiceFile, VoiceError> {
    let mut depth = 0usize;
    for (n, line) in text.lines().enumerate() {
        for (c, ch) in line.chars().enumerate() {
            match ch {
                '(' | '[' | '{' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        let message = format!("brackets nested more than {MAX_NESTING} deep");
                        return Err(VoiceError::at(
                            file,
                            Pos {
                                line: n + 1,
                                col: c + 1,
                            },
                            message,
                        ));
                    }
                }
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    let mut pairs = VoiceParser::parse(Rule::file, text).map_err(|e| {
        let (line, col) = match e.line_col {
            pest::error::LineColLocation::Pos(p) => p,
            pest::error::LineColLocation::Span(p, _) => p,
        };
        let message = match &e.variant {
            pest::error::ErrorVariant::ParsingError { positives, .. } => {
                let mut wanted: Vec<String> = Vec::new();
                for w in positives.iter().map(describe) {
                    if !wanted.contains(&w) {
                        wanted.push(w);
                    }
                }
                if wanted.is_empty() {
                    "unexpected input".to_string()
                } else {
                    format!("expected {}", wanted.join(" or "))
                }
            }
            pest::error::ErrorVariant::CustomError { message } => message.clone(),
        };
        VoiceError::at(file, Pos { line, col }, message)
    })?;
    let root = pairs.next().expect("the grammar always yields a file");
    let mut out = VoiceFile {
        name: String::new(),
        params: Vec::new(),
        bindings: Vec::new(),
        output: None,
        bank: None,
        effect: false,
    };
    for item in root.into_inner() {
        let pos = pos_of(&item);
        match item.as_rule() {
            Rule::header => {
                let mut inner = item.into_inner();
                out.effect = inner.next().expect("kind").as_str() == "effect";
                out.name = inner.next().expect("name").as_str().to_string();
            }
            Rule::source => {
                if out.bank.is_some() {
                    return Err(VoiceError::at(
                        file,
                        pos,
                        "a voice reads one sample bank".into(),
                    ));
                }
                let bank = item.into_inner().next().expect("bank").as_str().to_string();
                out.bank = Some((bank, pos));
            }
            Rule::param => {
                let mut inner = item.into_inner();
                let name = inner.next().expect("name").as_str().to_string();
                let default = match inner.next() {
                    Some(n) => number(file, &n)?,
                    None => 0.0,
                };
                out.params.push(ParamDecl { name, default, pos });
            }
            Rule::binding => {
                let mut inner = item.into_inner();
                let name = inner.next().expect("name").as_str().to_string();
                let mut next = inner.next().expect("expression");
                let mut was = None;
                if next.as_rule() == Rule::was {
                    was = Some(
                        next.into_inner()
                            .next()
                            .expect("old name")
                            .as_str()
                            .to_string(),
                    );
                    next = inner.next().expect("expression");
                }
                out.bindings.push(Binding {
                    name,
                    was,
                    expr: expr(file, next)?,
                    pos,
                });
            }
            Rule::output => {
                if out.output.is_some() {
                    return Err(VoiceError::at(file, pos, "a voice has one `out`".into()));
                }
                let e = expr(file, item.into_inner().next().expect("expression"))?;
                out.output = Some((e, pos));
            }
            _ => {}
        }
    }
    Ok(out)
}

fn describe(rule: &Rule) -> String {
    match rule {
        Rule::header | Rule::kind => "`voice NAME` or `effect NAME`".into(),
        Rule::ident | Rule::name => "a name".into(),
        Rule::number | Rule::signed => "a number".into(),
        Rule::expr | Rule::term | Rule::factor => "an expression".into(),
        Rule::add_op | Rule::mul_op => "an operator".into(),
        Rule::param | Rule::binding | Rule::output | Rule::source => {
            "`param`, `let`, `out` or `sample`".into()
        }
        Rule::EOI => "end of file".into(),
        other => format!("{other:?}"),
    }
}

fn number(file: &str, pair: &Pair<Rule>) -> Result<f64, VoiceError> {
    pair.as_str()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| VoiceError::at(file, pos_of(pair), format!("bad number {}", pair.as_str())))
}

fn expr(file: &str, pair: Pair<Rule>) -> Result<Expr, VoiceError> {
    match pair.as_rule() {
        Rule::expr | Rule::term => {
            let mut inner = pair.into_inner();
            let mut acc = expr(file, inner.next().expect("operand"))?;
            while let Some(op) = inner.next() {
                let rhs = expr(file, inner.next().expect("operand"))?;
                let c = op.as_str().chars().next().expect("operator");
                acc = Expr::Binary(c, Box::new(acc), Box::new(rhs));
            }
            Ok(acc)
        }
        Rule::factor => {
            let mut negs = 0;
            let mut result = None;
            for p in pair.into_inner() {
                if p.as_rule() == Rule::neg {
                    negs += 1;
                } else {
                    result = Some(expr(file, p)?);
                }
            }
            let mut e = result.expect("atom");
            for _ in 0..negs {
                e = match e {
                    Expr::Number(v) => Expr::Number(-v),
                    other => Expr::Neg(Box::new(other)),
                };
            }
            Ok(e)
        }
        Rule::number => Ok(Expr::Number(number(file, &pair)?)),
        Rule::name => Ok(Expr::Name(pair.as_str().to_string(), pos_of(&pair))),
        Rule::call => {
            let pos = pos_of(&pair);
            let mut inner = pair.into_inner();
            let name = inner.next().expect("callee").as_str().to_string();
            let mut args = Vec::new();
            for a in inner {
                let mut parts: Vec<Pair<Rule>> = a.into_inner().collect();
                let value = expr(file, parts.pop().expect("value"))?;
                let label = parts.pop().map(|p| p.as_str().to_string());
                args.push((label, value));
            }
            Ok(Expr::Call { name, args, pos })
        }
        other => unreachable!("grammar produced {other:?} in an expression"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!(
            "voice deep\nout {}1{}\n",
            "(".repeat(100_000),
            ")".repeat(100_000)
        );
        let err = parse("deep.voice", &text).expect_err("an error");
        assert_eq!((err.line, err.col), (2, 69));
        assert!(err.message.contains("nested"), "{}", err.message);
    }

    #[test]
    fn parses_params_bindings_and_output() {
        let f = parse(
            "t.voice",
            "voice t // a test\nparam freq = 440\nparam pan = 0.5\nlet osc was old = saw(freq) * -2\nout pan(lpf(osc, freq: 800), pan)\n",
        )
        .unwrap();
        assert_eq!(f.name, "t");
        assert_eq!(f.params.len(), 2);
        assert_eq!(f.bindings[0].was.as_deref(), Some("old"));
        assert_eq!(f.bindings[0].pos, Pos { line: 4, col: 1 });
        assert!(f.output.is_some());
    }

    #[test]
    fn syntax_errors_point_at_line_and_column() {
        let e = parse("bad.voice", "voice bad\nlet x = saw(440\n").unwrap_err();
        assert_eq!((e.line, e.col), (3, 1));
        assert!(e.to_string().starts_with("bad.voice:3:1: expected"), "{e}");
    }
}
