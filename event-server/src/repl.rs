//! Carrying out REPL statements: evaluate with the session, check, and hand
//! patterns and tempo to the scheduler. An error changes nothing that plays.

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

use pattern_lang::lang::{builtins, is_control_pattern, LangError, Session, Ty, Val};
use pattern_lang::{Budget, Pattern, Span, Time, Value, ValueMap};

use crate::diagnostic::Style;
use crate::scheduler::check_tempo;
use crate::scheduler::Command;
use crate::show;
use crate::statement::{self, Expr, Statement};

/// Whether to go on reading.
#[derive(Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// An error to show: where in the statement, and why.
struct Failure {
    at: Option<(usize, usize)>,
    message: String,
}

impl Failure {
    fn plain(message: impl Into<String>) -> Failure {
        Failure {
            at: None,
            message: message.into(),
        }
    }

    /// A language error inside `expr`, moved to statement offsets.
    fn lang(e: &LangError, expr: &Expr) -> Failure {
        let at = (e.src.0, e.src.1.max(e.src.0));
        Failure {
            at: Some((expr.offset + at.0, expr.offset + at.1)),
            message: e.message.clone(),
        }
    }

    /// A failure about the whole of `expr`.
    fn whole(expr: &Expr, message: String) -> Failure {
        Failure {
            at: Some((expr.offset, expr.offset + expr.text.len())),
            message,
        }
    }
}

pub struct Repl {
    session: Session,
    commands: Sender<Command>,
    style: Style,
    /// Names defined with `let`, shared with the completer.
    pub defined: Arc<Mutex<Vec<String>>>,
}

impl Repl {
    pub fn new(commands: Sender<Command>, style: Style) -> Repl {
        Repl {
            session: Session::new(),
            commands,
            style,
            defined: Arc::default(),
        }
    }

    /// Runs one statement (one line, or one statement of a block).
    pub fn run(&mut self, src: &str) -> Flow {
        let result = statement::parse(src)
            .map_err(|e| Failure {
                at: Some(e.at),
                message: e.message,
            })
            .and_then(|st| self.exec(st));
        match result {
            Ok(flow) => flow,
            Err(f) => {
                let text = match f.at {
                    Some(at) => self.style.error_at(src, at, &f.message),
                    None => self.style.error(&f.message),
                };
                eprintln!("{text}");
                Flow::Continue
            }
        }
    }

    /// Runs the statements of a `:{ ... :}` block in order.
    pub fn run_block(&mut self, lines: &[String]) -> Flow {
        for (_, stmt) in statement::split_block(lines) {
            if self.run(&stmt) == Flow::Quit {
                return Flow::Quit;
            }
        }
        Flow::Continue
    }

    /// Stops everything that plays (at the end of input, or `:quit`).
    pub fn hush(&self) {
        let _ = self.commands.send(Command::Hush);
    }

    fn send(&self, command: Command) -> Result<Flow, Failure> {
        self.commands
            .send(command)
            .map_err(|_| Failure::plain("the scheduler has stopped"))?;
        Ok(Flow::Continue)
    }

    fn exec(&mut self, st: Statement) -> Result<Flow, Failure> {
        match st {
            Statement::Empty => Ok(Flow::Continue),
            Statement::Play {
                slot,
                default_orbit,
                expr,
            } => {
                let pattern = self.playable(&expr, &slot.to_string())?;
                self.send(Command::Play {
                    slot,
                    pattern,
                    orbit: default_orbit,
                })
            }
            Statement::Once(expr) => {
                let pattern = self.playable(&expr, "once")?;
                self.send(Command::Once(pattern))
            }
            Statement::Hush => self.send(Command::Hush),
            Statement::SetCps(expr) => {
                let cps = self.tempo(&expr, 1)?;
                self.send(Command::SetCps(cps))
            }
            // `setbpm b` is `setcps (b/60/4)`: four beats per cycle.
            Statement::SetBpm(expr) => {
                let cps = self.tempo(&expr, 240)?;
                self.send(Command::SetCps(cps))
            }
            Statement::Solo(slot, on) => self.send(Command::Solo(slot, on)),
            Statement::Mute(slot, on) => self.send(Command::Mute(slot, on)),
            Statement::ResetCycles => self.send(Command::ResetCycles),
            Statement::Let(expr) => {
                let (name, _) = self
                    .session
                    .define_line(&expr.text)
                    .map_err(|e| Failure::lang(&e, &expr))?;
                if let Ok(mut names) = self.defined.lock() {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                Ok(Flow::Continue)
            }
            Statement::Type(expr) => {
                let ty = self
                    .session
                    .type_of(&expr.text)
                    .map_err(|e| Failure::lang(&e, &expr))?;
                println!("{} :: {ty}", expr.text);
                Ok(Flow::Continue)
            }
            Statement::Help(name) => {
                help(name.as_deref()).map_err(Failure::plain)?;
                Ok(Flow::Continue)
            }
            Statement::Quit => Ok(Flow::Quit),
            Statement::Expression(expr) => {
                // As ghci shows a pattern: its events in cycle 0; other
                // values by their type.
                let e = self
                    .session
                    .evaluate(&expr.text, Some(&Ty::control_pattern()))
                    .or_else(|_| self.session.evaluate(&expr.text, None))
                    .map_err(|e| Failure::lang(&e, &expr))?;
                match e.value {
                    Val::Pat(p) => println!("{}", show::first_cycle(&p)),
                    _ => println!("{} :: {}", expr.text, e.ty),
                }
                Ok(Flow::Continue)
            }
        }
    }

    /// Evaluates a control pattern and tries one cycle of it, so that a
    /// pattern that cannot be queried never replaces one that plays.
    fn playable(&self, expr: &Expr, what: &str) -> Result<Pattern<Value>, Failure> {
        let (pattern, ty) = self
            .session
            .pattern(&expr.text)
            .map_err(|e| Failure::lang(&e, expr))?;
        if !is_control_pattern(&ty) {
            return Err(Failure::whole(
                expr,
                format!("{what} plays control patterns (s, n, sound ...), but this is {ty}"),
            ));
        }
        let budget = Budget::default();
        let span = Span::new(Time::int(0), Time::int(1));
        let trial = catch_unwind(AssertUnwindSafe(|| {
            pattern.query_span_with(span, &ValueMap::new(), &budget)
        }));
        match trial {
            Ok(Ok(_)) => Ok(pattern),
            Ok(Err(e)) => Err(Failure::whole(
                expr,
                format!("this pattern cannot be played: {e}"),
            )),
            Err(_) => Err(Failure::plain(
                "this pattern failed while being tried (internal error); nothing changed",
            )),
        }
    }

    /// The tempo `expr` asks for, in cycles per second when divided by
    /// `per_cycle` (1 for `setcps`, 240 for `setbpm`), if the clock can play
    /// it. The interpreter reads it (any expression of type Time, exactly);
    /// an error points at its column.
    fn tempo(&self, expr: &Expr, per_cycle: i64) -> Result<Time, Failure> {
        let value = self
            .session
            .time(&expr.text)
            .map_err(|e| Failure::lang(&e, expr))?;
        let cps = value
            .checked_div(Time::int(per_cycle))
            .map_err(|_| Failure::whole(expr, "the tempo is too extreme to compute with".into()))?;
        check_tempo(cps).map_err(|e| Failure::whole(expr, e.to_string()))?;
        Ok(cps)
    }
}

const STATEMENTS: &str = "\
d1 $ PATTERN .. d16 $ PATTERN   play in a slot (orbit 0..15); d1 silence stops it
p \"name\" $ PATTERN             play in a named slot
once $ PATTERN                  play one cycle of a pattern, now
hush  (or silence)              stop every slot
setcps 0.5625 | setbpm 135      tempo in cycles per second, or beats per minute (4 per cycle)
solo N / unsolo N, mute N / unmute N
resetCycles                     start again from cycle 0
let name = EXPR                 a definition for later lines (let f x = ... too)
:{ ... :}                       several lines as one block (do blocks work)
:t EXPR                         the type of an expression
:help NAME                      a function's signature, doc and example
:quit                           stop and leave (so does end of input)";

fn help(name: Option<&str>) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    let Some(name) = name else {
        let _ = writeln!(out, "{STATEMENTS}");
        return Ok(());
    };
    match builtins::lookup(name) {
        Some(b) => {
            let _ = writeln!(out, "{} :: {}", b.name, b.sig);
            if !b.doc.is_empty() {
                let _ = writeln!(out, "  {}", b.doc);
            }
            if !b.example.is_empty() {
                let _ = writeln!(out, "  e.g. {}", b.example);
            }
            Ok(())
        }
        None => {
            let mut close: Vec<&str> = builtins::names()
                .filter(|n| n.starts_with(name) || n.contains(name))
                .collect();
            close.sort();
            close.truncate(8);
            if close.is_empty() {
                Err(format!("no function named '{name}'"))
            } else {
                Err(format!(
                    "no function named '{name}'; perhaps: {}",
                    close.join(", ")
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tempo `setcps` (per_cycle 1) or `setbpm` (240) reads from `text`.
    fn tempo(text: &str, per_cycle: i64) -> Result<Time, String> {
        let (commands, _) = std::sync::mpsc::channel();
        let repl = Repl::new(commands, Style { colour: false });
        let expr = Expr {
            text: text.to_string(),
            offset: 7,
        };
        repl.tempo(&expr, per_cycle).map_err(|f| f.message)
    }

    #[test]
    fn exact_tempos() {
        let ratio = |n, d| Time::new(n, d).unwrap();
        assert_eq!(tempo("0.75", 1).unwrap(), ratio(3, 4));
        assert_eq!(tempo("(120/60/4)", 1).unwrap(), ratio(1, 2));
        assert_eq!(tempo(" 135 / 240 ", 1).unwrap(), ratio(9, 16));
        assert_eq!(tempo("135", 240).unwrap(), ratio(9, 16));
        assert_eq!(tempo("(0.5*1.5)", 1).unwrap(), ratio(3, 4));
        assert!(tempo("0", 1).is_err());
        assert!(tempo("-1", 1).is_err());
        assert!(tempo("1/0", 1).is_err());
        assert!(tempo("fast", 1).is_err());
        assert!(tempo("(1", 1).is_err());
        assert!(tempo("1e9", 1).is_err());
        assert!(tempo("1e12", 240).is_err());
        // `--` starts a comment, as in Haskell; a sign is one `-`
        assert!(tempo("--1", 1).is_err());
        assert_eq!(tempo("negate (-1)", 1).unwrap(), Time::int(1));
    }

    #[test]
    fn deep_input_is_refused_not_a_stack_overflow() {
        let minus = format!("{}1", "-".repeat(999_999));
        assert!(tempo(&minus, 1).is_err());
        let parens = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(tempo(&parens, 1).is_err());
        let ok = format!("{}1{}", "(".repeat(64), ")".repeat(64));
        assert_eq!(tempo(&ok, 1).unwrap(), Time::int(1));
    }

    #[test]
    fn errors_point_at_their_column_in_the_statement() {
        let (commands, _) = std::sync::mpsc::channel();
        let repl = Repl::new(commands, Style { colour: false });
        let expr = Expr {
            text: "1/(2-2)".to_string(),
            offset: 7,
        };
        let failure = repl.tempo(&expr, 1).unwrap_err();
        assert_eq!(failure.at, Some((9, 14)));
    }
}
