//! `event-server query --cycles A B`: reads one expression per line and
//! prints each one's events over `[A, B)` as a canonical JSON line.

use std::io::{BufRead, Write};

use pattern_lang::lang::Session;
use pattern_lang::{Span, Time};

use crate::canonical;

/// Reads a cycle position: an integer, a fraction (`-1/3`) or a decimal
/// (`0.25`), taken exactly by the interpreter (any expression of type Time).
pub fn parse_cycle(text: &str) -> Result<Time, String> {
    let text = text.trim();
    Session::new()
        .time(text)
        .map_err(|_| format!("'{text}' is not a cycle position (use 8, -1/3 or 0.25)"))
}

/// The JSON line for one expression.
pub fn query_line(session: &Session, expr: &str, span: Span) -> String {
    let mut out = String::from("{\"expr\":");
    canonical::json_string(expr, &mut out);
    let result = session
        .pattern(expr)
        .map_err(|e| e.to_string())
        .and_then(|(p, _)| p.query_span(span).map_err(|e| e.to_string()));
    match result {
        Ok(events) => {
            out.push_str(",\"events\":");
            canonical::events(&events, &mut out);
        }
        Err(message) => {
            out.push_str(",\"error\":");
            canonical::json_string(&message, &mut out);
        }
    }
    out.push('}');
    out
}

/// Runs the query over every line of `input`, skipping blank lines and `--`
/// comments.
pub fn run(input: impl BufRead, mut output: impl Write, span: Span) -> std::io::Result<()> {
    let session = Session::new();
    for line in input.lines() {
        let line = line?;
        let expr = line.trim_end_matches(['\r', '\n']);
        if expr.trim().is_empty() || expr.trim_start().starts_with("--") {
            continue;
        }
        writeln!(output, "{}", query_line(&session, expr, span))?;
    }
    output.flush()
}
