//! Where statements come from: a line editor with history and completion on
//! a terminal, or plain lines from a pipe (as editor plugins send to ghci).
//! Both gather `:{ ... :}` blocks the same way.

use std::borrow::Cow;
use std::io::BufRead;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pattern_lang::lang::builtins;
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};

use crate::feedback::printer::Screen;
use crate::repl::{Flow, Repl};

/// Words completed besides builtins and `let` names.
const STATEMENT_WORDS: &[&str] = &[
    "hush",
    "silence",
    "once",
    "setcps",
    "setbpm",
    "solo",
    "unsolo",
    "mute",
    "unmute",
    "resetCycles",
    "let",
    ":help",
    ":type",
    ":quit",
];

/// A source of lines. `None` is the end of input.
pub trait Lines {
    fn next_line(&mut self, prompt: &str) -> Option<String>;
}

/// Reads statements until the end of input or `:quit`.
pub fn run(lines: &mut dyn Lines, repl: &mut Repl) {
    while let Some(line) = lines.next_line("ostinato> ") {
        let flow = if line.trim() == ":{" {
            let mut block = Vec::new();
            loop {
                match lines.next_line("ostinato| ") {
                    Some(l) if l.trim() == ":}" => break,
                    Some(l) => block.push(l),
                    None => break,
                }
            }
            repl.run_block(&block)
        } else {
            repl.run(&line)
        };
        if flow == Flow::Quit {
            break;
        }
    }
}

/// Lines from a pipe.
pub struct Piped<R>(pub R);

impl<R: BufRead> Lines for Piped<R> {
    /// A line as text; bytes that are not UTF-8 become U+FFFD (and then an
    /// error for that line), never the end of input.
    fn next_line(&mut self, _prompt: &str) -> Option<String> {
        let mut line = Vec::new();
        loop {
            match self.0.read_until(b'\n', &mut line) {
                Ok(0) if line.is_empty() => return None,
                Ok(_) => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return None,
            }
        }
        let text = String::from_utf8_lossy(&line);
        Some(text.trim_end_matches(['\n', '\r']).to_string())
    }
}

/// The line editor, with history kept in a file. With a `screen`, it says
/// what it shows there, so that other lines can be printed above it.
pub struct Terminal {
    editor: Editor<Completion, DefaultHistory>,
    history: Option<PathBuf>,
    screen: Option<Screen>,
}

impl Terminal {
    pub fn new(
        defined: Arc<Mutex<Vec<String>>>,
        screen: Option<Screen>,
    ) -> rustyline::Result<Terminal> {
        let mut editor = Editor::new()?;
        editor.set_helper(Some(Completion {
            defined,
            screen: screen.clone(),
        }));
        let history = history_path();
        if let Some(path) = &history {
            let _ = editor.load_history(path);
        }
        Ok(Terminal {
            editor,
            history,
            screen,
        })
    }

    fn readline(&mut self, prompt: &str) -> rustyline::Result<String> {
        let Some(screen) = self.screen.clone() else {
            return self.editor.readline(prompt);
        };
        let columns = self.editor.dimensions().map_or(0, |(c, _)| usize::from(c));
        screen.reading(prompt, columns);
        let line = self.editor.readline(prompt);
        screen.done();
        line
    }
}

impl Lines for Terminal {
    fn next_line(&mut self, prompt: &str) -> Option<String> {
        loop {
            match self.readline(prompt) {
                Ok(line) => {
                    if !line.trim().is_empty() {
                        let _ = self.editor.add_history_entry(line.as_str());
                        if let Some(path) = &self.history {
                            let _ = self.editor.save_history(path);
                        }
                    }
                    return Some(line);
                }
                // Ctrl-C drops the line being typed, as in ghci.
                Err(rustyline::error::ReadlineError::Interrupted) => continue,
                Err(_) => return None,
            }
        }
    }
}

/// `$OSTINATO_HISTORY`, else `$XDG_DATA_HOME/ostinato/history`, else
/// `~/.local/share/ostinato/history`.
fn history_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("OSTINATO_HISTORY") {
        return Some(PathBuf::from(p));
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    let dir = base.join("ostinato");
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir.join("history"))
}

/// Completes function, control and statement names, and `let` names, and
/// tells the screen the line and cursor after each edit.
pub struct Completion {
    defined: Arc<Mutex<Vec<String>>>,
    screen: Option<Screen>,
}

impl Completer for Completion {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        // Inside a mini-notation string: sample names, not functions.
        if before.matches('"').count() % 2 == 1 {
            return Ok((pos, Vec::new()));
        }
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '\'' || c == ':'))
            .map_or(0, |i| i + 1);
        let word = &before[start..];
        if word.is_empty() {
            return Ok((pos, Vec::new()));
        }
        let defined = self.defined.lock().map(|d| d.clone()).unwrap_or_default();
        let mut found: Vec<String> = builtins::names()
            .map(str::to_string)
            .chain(STATEMENT_WORDS.iter().map(|s| s.to_string()))
            .chain(defined)
            .filter(|n| n.starts_with(word))
            .collect();
        found.sort();
        found.dedup();
        let pairs = found
            .into_iter()
            .map(|n| Pair {
                display: n.clone(),
                replacement: n,
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for Completion {
    type Hint = String;
}

impl Highlighter for Completion {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        Cow::Borrowed(prompt)
    }

    /// Called by the editor after every edit and cursor move; nothing is
    /// highlighted (false), the line is only noted.
    fn highlight_char(&self, line: &str, pos: usize, _kind: CmdKind) -> bool {
        if let Some(screen) = &self.screen {
            screen.edited(line, pos);
        }
        false
    }
}

impl Validator for Completion {}

impl Helper for Completion {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_that_are_not_utf8_are_a_line_not_the_end() {
        let mut input = Piped(&b"d1 $ s \"bd\"\n\xff\xfe junk\r\nhush"[..]);
        assert_eq!(input.next_line("").as_deref(), Some("d1 $ s \"bd\""));
        assert_eq!(
            input.next_line("").as_deref(),
            Some("\u{fffd}\u{fffd} junk")
        );
        assert_eq!(input.next_line("").as_deref(), Some("hush"));
        assert_eq!(input.next_line(""), None);
    }
}
