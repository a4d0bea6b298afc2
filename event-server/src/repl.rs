//! Carrying out REPL statements: evaluate with the session, check, and hand
//! patterns and tempo to the scheduler. An error changes nothing that plays.

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

use pattern_lang::lang::{builtins, is_control_pattern, LangError, Session, Ty, Val};
use pattern_lang::{Budget, Pattern, Span, Time, Value, ValueMap};

use crate::diagnostic::Style;
use crate::scheduler::Command;
use crate::scheduler::{check_tempo, rational_from_f64};
use crate::show;
use crate::statement::{self, Expr, Statement};
use crate::tempo::{bpm_to_cps, parse_tempo};

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
    fn lang(e: &LangError, expr: &Expr, prefix: usize) -> Failure {
        let shift = |x: usize| expr.offset + x.saturating_sub(prefix);
        Failure {
            at: Some((shift(e.src.0), shift(e.src.1.max(e.src.0)))),
            message: e.message.clone(),
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
                let cps = self.tempo(&expr, Ok)?;
                self.send(Command::SetCps(cps))
            }
            Statement::SetBpm(expr) => {
                let cps = self.tempo(&expr, |bpm| bpm_to_cps(bpm).map_err(|e| e.to_string()))?;
                self.send(Command::SetCps(cps))
            }
            Statement::Solo(slot, on) => self.send(Command::Solo(slot, on)),
            Statement::Mute(slot, on) => self.send(Command::Mute(slot, on)),
            Statement::ResetCycles => self.send(Command::ResetCycles),
            Statement::Let { name, expr, prefix } => {
                self.session
                    .define(&name, &expr.text)
                    .map_err(|e| Failure::lang(&e, &expr, prefix))?;
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
                    .map_err(|e| Failure::lang(&e, &expr, 0))?;
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
                    .map_err(|e| Failure::lang(&e, &expr, 0))?;
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
            .map_err(|e| Failure::lang(&e, expr, 0))?;
        if !is_control_pattern(&ty) {
            return Err(Failure {
                at: Some((expr.offset, expr.offset + expr.text.len())),
                message: format!(
                    "{what} plays control patterns (s, n, sound ...), but this is {ty}"
                ),
            });
        }
        let budget = Budget::default();
        let span = Span::new(Time::int(0), Time::int(1));
        let trial = catch_unwind(AssertUnwindSafe(|| {
            pattern.query_span_with(span, &ValueMap::new(), &budget)
        }));
        match trial {
            Ok(Ok(_)) => Ok(pattern),
            Ok(Err(e)) => Err(Failure {
                at: Some((expr.offset, expr.offset + expr.text.len())),
                message: format!("this pattern cannot be played: {e}"),
            }),
            Err(_) => Err(Failure::plain(
                "this pattern failed while being tried (internal error); nothing changed",
            )),
        }
    }

    /// The tempo (in cps, after `to_cps`) that `expr` asks for, if the
    /// clock can play it; an error points at `expr`.
    fn tempo(
        &self,
        expr: &Expr,
        to_cps: impl Fn(Time) -> Result<Time, String>,
    ) -> Result<Time, Failure> {
        let failure = |message: String| Failure {
            at: Some((expr.offset, expr.offset + expr.text.len())),
            message,
        };
        let cps = to_cps(self.tempo_value(expr)?).map_err(failure)?;
        check_tempo(cps).map_err(|e| failure(e.to_string()))?;
        Ok(cps)
    }

    /// A tempo: exact arithmetic, or else any expression giving a number.
    fn tempo_value(&self, expr: &Expr) -> Result<Time, Failure> {
        if let Ok(t) = parse_tempo(&expr.text) {
            return Ok(t);
        }
        let value = self
            .session
            .evaluate(&expr.text, None)
            .map_err(|e| Failure::lang(&e, expr, 0))?;
        let x = match value.value {
            Val::Scalar(v) => v.as_f64(),
            Val::Pat(p) => p.constant().and_then(Value::as_f64),
            _ => None,
        };
        match x.and_then(|x| rational_from_f64(x, 1_000_000)) {
            Some(t) if !t.is_negative() && !t.is_zero() => Ok(t),
            _ => Err(Failure {
                at: Some((expr.offset, expr.offset + expr.text.len())),
                message: "the tempo must be a positive number".to_string(),
            }),
        }
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
