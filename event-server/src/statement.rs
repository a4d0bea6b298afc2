//! Reading one REPL statement (`d1 $ ...`, `hush`, `setcps 0.6`, `:t ...`)
//! into what it asks for. Expressions stay text, with their offset in the
//! statement so errors can point at the right column.

use crate::scheduler::slots::SlotId;

/// Source text inside a statement: `text` starts at byte `offset`.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub text: String,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    Empty,
    /// `d1 $ ...` (orbit 0..15 by default) or `p "name" $ ...` / `p 1 $ ...`.
    Play {
        slot: SlotId,
        default_orbit: Option<i32>,
        expr: Expr,
    },
    Once(Expr),
    Hush,
    SetCps(Expr),
    SetBpm(Expr),
    Solo(SlotId, bool),
    Mute(SlotId, bool),
    ResetCycles,
    /// `let name = expr` or `let f x = e`: the whole definition, which
    /// the interpreter's grammar reads.
    Let(Expr),
    Type(Expr),
    Help(Option<String>),
    Quit,
    /// A bare expression: nothing to play; its type is shown.
    Expression(Expr),
}

/// Why a statement could not be read; `at` is a byte range in the statement.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct StatementError {
    pub at: (usize, usize),
    pub message: String,
}

fn err(at: (usize, usize), message: impl Into<String>) -> StatementError {
    StatementError {
        at,
        message: message.into(),
    }
}

/// Splits off the leading word (letters, digits, `_`, `'`) at `from`.
fn word_at(src: &str, from: usize) -> (&str, usize) {
    let rest = &src[from..];
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '\''))
        .unwrap_or(rest.len());
    (&rest[..len], from + len)
}

fn skip_ws(src: &str, from: usize) -> usize {
    from + (src[from..].len() - src[from..].trim_start().len())
}

/// The rest of the statement from `from` as an expression, skipping one `$`.
fn expr_after(src: &str, from: usize, what: &str) -> Result<Expr, StatementError> {
    let mut at = skip_ws(src, from);
    if src[at..].starts_with('$') && !src[at..].starts_with("$>") {
        at = skip_ws(src, at + 1);
    }
    let text = src[at..].trim_end();
    if text.is_empty() {
        return Err(err(
            (from, src.len()),
            format!("{what} needs a pattern, e.g. {what} $ s \"bd sn\""),
        ));
    }
    Ok(Expr {
        text: text.to_string(),
        offset: at,
    })
}

/// Reads a slot number or `"name"` after solo/mute/p.
fn slot_after(src: &str, from: usize, what: &str) -> Result<(SlotId, usize), StatementError> {
    let at = skip_ws(src, from);
    let rest = &src[at..];
    if let Some(body) = rest.strip_prefix('"') {
        let close = body
            .find('"')
            .ok_or_else(|| err((at, src.len()), "this name has no closing quote"))?;
        let name = &body[..close];
        if name.is_empty() {
            return Err(err((at, at + 2), "a slot name cannot be empty"));
        }
        return Ok((SlotId::Named(name.to_string()), at + close + 2));
    }
    let (word, end) = word_at(src, at);
    let digits = word.strip_prefix('d').unwrap_or(word);
    match digits.parse::<u32>() {
        Ok(n) if n >= 1 => Ok((SlotId::Number(n), end)),
        _ => Err(err(
            (at, end.max(at + 1).min(src.len().max(at))),
            format!("{what} needs a slot: a number (1 for d1) or a \"name\""),
        )),
    }
}

/// Brackets `( [ {` nested deeper than this, outside string literals, are
/// refused before the language parser sees them, so that its recursion stays
/// bounded (its time is linear in the depth).
pub const MAX_NESTING: usize = 64;

/// The byte range of the first bracket nested deeper than `MAX_NESTING`.
fn too_deep(src: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in src.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some((i, i + 1));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Reads one statement (possibly several lines long).
pub fn parse(src: &str) -> Result<Statement, StatementError> {
    if let Some(at) = too_deep(src) {
        return Err(err(
            at,
            format!("brackets nested more than {MAX_NESTING} deep (use $ or let to flatten)"),
        ));
    }
    let start = skip_ws(src, 0);
    if src[start..].trim().is_empty() || src[start..].starts_with("--") && !has_code(&src[start..])
    {
        return Ok(Statement::Empty);
    }
    if src[start..].starts_with(':') {
        return parse_command(src, start);
    }
    let (word, after) = word_at(src, start);
    let rest_empty = src[after..].trim().is_empty();
    if let Some(n) = word.strip_prefix('d').and_then(|d| d.parse::<u32>().ok()) {
        if !(1..=16).contains(&n) {
            return Err(err(
                (start, after),
                "there are 16 slots, d1 to d16 (use p \"name\" $ ... for more)",
            ));
        }
        return Ok(Statement::Play {
            slot: SlotId::Number(n),
            default_orbit: Some(n as i32 - 1),
            expr: expr_after(src, after, word)?,
        });
    }
    match word {
        "p" => {
            let (slot, end) = slot_after(src, after, "p")?;
            Ok(Statement::Play {
                slot,
                default_orbit: None,
                expr: expr_after(src, end, "p")?,
            })
        }
        "once" => Ok(Statement::Once(expr_after(src, after, "once")?)),
        "hush" | "silence" if rest_empty => Ok(Statement::Hush),
        "resetCycles" if rest_empty => Ok(Statement::ResetCycles),
        "setcps" => Ok(Statement::SetCps(expr_after(src, after, "setcps")?)),
        "setbpm" => Ok(Statement::SetBpm(expr_after(src, after, "setbpm")?)),
        "solo" | "unsolo" | "mute" | "unmute" => {
            let (slot, end) = slot_after(src, after, word)?;
            if !src[end..].trim().is_empty() {
                return Err(err((end, src.len()), "unexpected text after the slot"));
            }
            let on = !word.starts_with("un");
            Ok(if word.ends_with("solo") {
                Statement::Solo(slot, on)
            } else {
                Statement::Mute(slot, on)
            })
        }
        "let" => Ok(Statement::Let(Expr {
            text: src[start..].trim_end().to_string(),
            offset: start,
        })),
        // ghci boot lines an editor plugin may send; Tidal is always here.
        "import" => Ok(Statement::Empty),
        _ => Ok(Statement::Expression(Expr {
            text: src[start..].trim_end().to_string(),
            offset: start,
        })),
    }
}

/// True when a line starting with `--` is an operator (`--|`), not a comment.
fn has_code(s: &str) -> bool {
    s.lines().any(|l| {
        let l = l.trim_start();
        !l.is_empty() && !l.starts_with("--")
    })
}

fn parse_command(src: &str, start: usize) -> Result<Statement, StatementError> {
    let (word, after) = word_at(src, start + 1);
    let rest = src[after..].trim();
    let arg = || Expr {
        text: rest.to_string(),
        offset: skip_ws(src, after),
    };
    match word {
        "t" | "type" if !rest.is_empty() => Ok(Statement::Type(arg())),
        "t" | "type" => Err(err((start, after), ":t needs an expression")),
        "h" | "help" | "i" | "info" => Ok(Statement::Help(
            (!rest.is_empty()).then(|| rest.trim_matches(['(', ')']).to_string()),
        )),
        "q" | "quit" => Ok(Statement::Quit),
        // ghci's own commands that editor plugins send; harmless here.
        "set" | "m" | "module" | "load" | "script" | "unset" => Ok(Statement::Empty),
        _ => Err(err(
            (start, after.max(start + 1)),
            format!(":{word} is not a command (:t EXPR, :help NAME, :quit, :{{ ... :}})"),
        )),
    }
}

/// Splits a `:{ ... :}` block into statements, Haskell-layout style: a
/// `do` block's statements, or lines indented no deeper than the first,
/// start a new statement; deeper lines continue the one before. Returns each
/// statement with the line (0-based) it starts on.
pub fn split_block(lines: &[String]) -> Vec<(usize, String)> {
    let mut body: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i, l.clone()))
        .collect();
    // `do` on its own line, or `do d1 $ ...`: drop the keyword.
    if let Some((_, first)) = body.iter_mut().find(|(_, l)| !l.trim().is_empty()) {
        let t = first.trim_start();
        if t == "do" || t.starts_with("do ") || t.starts_with("do\t") {
            let indent = first.len() - t.len();
            *first = format!("{}  {}", " ".repeat(indent), &t[2..]);
        }
    }
    let indent = |l: &str| l.len() - l.trim_start().len();
    let code = |l: &str| !l.trim().is_empty() && !l.trim_start().starts_with("--");
    let Some(base) = body.iter().find(|(_, l)| code(l)).map(|(_, l)| indent(l)) else {
        return Vec::new();
    };
    let mut out: Vec<(usize, String)> = Vec::new();
    for (i, line) in body {
        if !code(&line) {
            continue;
        }
        match out.last_mut() {
            Some((_, stmt)) if indent(&line) > base => {
                stmt.push('\n');
                stmt.push_str(&line);
            }
            _ => out.push((i, line)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_and_expressions() {
        let s = parse("d3 $ s \"bd\"").unwrap();
        assert_eq!(
            s,
            Statement::Play {
                slot: SlotId::Number(3),
                default_orbit: Some(2),
                expr: Expr {
                    text: "s \"bd\"".into(),
                    offset: 5
                }
            }
        );
        assert!(
            matches!(parse("d1 silence").unwrap(), Statement::Play { expr, .. } if expr.text == "silence")
        );
        assert!(matches!(parse("p \"x y\" $ s \"a\"").unwrap(),
            Statement::Play { slot: SlotId::Named(n), default_orbit: None, .. } if n == "x y"));
        assert!(parse("d17 $ s \"a\"").is_err());
        assert!(parse("d1 $").is_err());
    }

    #[test]
    fn statements() {
        assert_eq!(parse("  hush ").unwrap(), Statement::Hush);
        assert_eq!(parse("silence").unwrap(), Statement::Hush);
        assert_eq!(
            parse("solo 2").unwrap(),
            Statement::Solo(SlotId::Number(2), true)
        );
        assert_eq!(
            parse("unmute d3").unwrap(),
            Statement::Mute(SlotId::Number(3), false)
        );
        assert_eq!(parse(":q").unwrap(), Statement::Quit);
        assert_eq!(parse("-- a comment").unwrap(), Statement::Empty);
        assert!(
            matches!(parse("setcps (120/60/4)").unwrap(), Statement::SetCps(e) if e.text == "(120/60/4)")
        );
        assert!(matches!(parse(":help fast").unwrap(), Statement::Help(Some(n)) if n == "fast"));
    }

    #[test]
    fn deep_nesting_is_refused_with_its_place() {
        let ok = format!("d1 $ {}s \"bd\"{}", "(".repeat(64), ")".repeat(64));
        assert!(parse(&ok).is_ok());
        let deep = format!(
            "d1 $ {}s \"bd\"{}",
            "([".repeat(50_000),
            "])".repeat(50_000)
        );
        let e = parse(&deep).unwrap_err();
        assert_eq!(e.at, (5 + 64, 5 + 65));
        // brackets inside mini-notation are the mini-notation parser's business
        let mini = format!("d1 $ s \"{}bd{}\"", "[".repeat(40), "]".repeat(40));
        assert!(parse(&mini).is_ok());
    }

    #[test]
    fn let_is_the_whole_definition() {
        assert_eq!(
            parse("  let f x = fast 2 x ").unwrap(),
            Statement::Let(Expr {
                text: "let f x = fast 2 x".into(),
                offset: 2
            })
        );
    }

    #[test]
    fn blocks_split_by_layout() {
        let lines: Vec<String> = ["do", "  d1 $ s \"bd\"", "    # n 1", "  hush"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let parts = split_block(&lines);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].1, "  d1 $ s \"bd\"\n    # n 1");
        let one: Vec<String> = ["d1 $ s \"bd\"", "  # speed 2"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(split_block(&one).len(), 1);
    }
}
