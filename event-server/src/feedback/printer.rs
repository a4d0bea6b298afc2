//! Printing lines that arrive at any time (notices, the engine's log,
//! scheduler warnings) on stderr. At a terminal prompt the line being typed
//! is cleared, the text printed above it, and the prompt and line drawn again
//! with the cursor where it was; on a pipe they are plain lines.
//!
//! rustyline 17's own external printer is not used: once it exists, keys
//! that arrive together (a paste without bracketed paste, an editor plugin's
//! `send-keys`, a fast typist) stay in its read buffer until the next key
//! (rustyline issue #976; 19.0 fixes it but needs a Rust newer than the
//! workspace's 1.80). The editor's helper reports the line and cursor here
//! instead, and this module draws them again.

use std::io::Write;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};

/// What the line editor shows while it reads.
#[derive(Debug, Default, Clone)]
struct Shown {
    reading: bool,
    prompt: String,
    line: String,
    /// The cursor, a byte offset into `line`.
    pos: usize,
    /// The terminal's width (0 when unknown).
    columns: usize,
}

/// The prompt and line on the terminal, shared between the line editor
/// (which updates it) and the printer (which draws around it).
#[derive(Clone, Default)]
pub struct Screen(Arc<Mutex<Shown>>);

impl Screen {
    /// The editor starts reading a line after `prompt`.
    pub fn reading(&self, prompt: &str, columns: usize) {
        if let Ok(mut shown) = self.0.lock() {
            *shown = Shown {
                reading: true,
                prompt: prompt.to_string(),
                line: String::new(),
                pos: 0,
                columns,
            };
        }
    }

    /// The line or the cursor changed.
    pub fn edited(&self, line: &str, pos: usize) {
        if let Ok(mut shown) = self.0.lock() {
            if shown.line != line {
                shown.line.clear();
                shown.line.push_str(line);
            }
            shown.pos = pos;
        }
    }

    /// The editor has returned its line (or stopped).
    pub fn done(&self) {
        if let Ok(mut shown) = self.0.lock() {
            shown.reading = false;
        }
    }

    /// Prints `text` on stderr, above the prompt while the editor reads.
    pub fn print(&self, text: &str) {
        let mut err = std::io::stderr().lock();
        match self.0.lock() {
            Ok(shown) if shown.reading => {
                let _ = err.write_all(above_prompt(&shown, text).as_bytes());
            }
            _ => {
                let _ = writeln!(err, "{text}");
            }
        }
        let _ = err.flush();
    }
}

/// The terminal output that puts `text` above the prompt and draws the
/// prompt and line again. The terminal is in raw mode: lines end in CR LF.
fn above_prompt(shown: &Shown, text: &str) -> String {
    let pos = if shown.line.is_char_boundary(shown.pos) {
        shown.pos.min(shown.line.len())
    } else {
        shown.line.len()
    };
    let (before, after) = shown.line.split_at(pos);
    let cursor_col = shown.prompt.chars().count() + before.chars().count();
    let rows_up = cursor_col.checked_div(shown.columns).unwrap_or(0);
    let mut out = String::from("\r");
    if rows_up > 0 {
        out.push_str(&format!("\x1b[{rows_up}A"));
    }
    // clear from the prompt's first row to the end of the screen
    out.push_str("\x1b[J");
    for line in text.lines() {
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str(&shown.prompt);
    out.push_str(before);
    if !after.is_empty() {
        // save the cursor, draw the rest, go back
        out.push_str("\x1b7");
        out.push_str(after);
        out.push_str("\x1b8");
    }
    out
}

/// Prints each line received until every sender is gone: through `screen`
/// at a terminal, plainly on stderr otherwise.
pub fn spawn(lines: Receiver<String>, screen: Option<Screen>) {
    std::thread::Builder::new()
        .name("printer".into())
        .spawn(move || {
            for text in lines {
                match &screen {
                    Some(screen) => screen.print(&text),
                    None => eprintln!("{text}"),
                }
            }
        })
        .expect("start the printer thread");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(line: &str, pos: usize, columns: usize) -> Shown {
        Shown {
            reading: true,
            prompt: "ostinato> ".into(),
            line: line.into(),
            pos,
            columns,
        }
    }

    #[test]
    fn the_line_is_drawn_again_below_the_text_with_the_cursor_in_place() {
        let out = above_prompt(&shown("d1 $ s \"bd\"", 11, 80), "d1: hello");
        assert_eq!(out, "\r\x1b[Jd1: hello\r\nostinato> d1 $ s \"bd\"");
        let out = above_prompt(&shown("d1 $ s", 2, 80), "engine: x");
        assert_eq!(out, "\r\x1b[Jengine: x\r\nostinato> d1\x1b7 $ s\x1b8");
    }

    #[test]
    fn a_wrapped_line_is_cleared_from_its_first_row() {
        // 10 columns of prompt + 25 of line on a 20-column terminal: the
        // cursor is on the second row.
        let line = "x".repeat(25);
        let out = above_prompt(&shown(&line, 25, 20), "a\nb");
        assert!(out.starts_with("\r\x1b[1A\x1b[Ja\r\nb\r\nostinato> "));
        // an unknown width, or a cursor inside a character, never panics
        assert!(above_prompt(&shown(&line, 3, 0), "a").starts_with("\r\x1b[J"));
        assert!(above_prompt(&shown("é", 1, 80), "a").ends_with("é"));
    }
}
