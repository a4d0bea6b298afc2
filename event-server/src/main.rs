//! The `event-server` binary: the REPL that plays patterns over OSC (the
//! default), and `query`, which prints a pattern's events as JSON.

mod canonical;
mod diagnostic;
mod feedback;
mod input;
mod osc;
mod query;
mod repl;
mod scheduler;
mod show;
mod statement;

use std::io::IsTerminal;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::mpsc;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use pattern_lang::lang::Session;
use pattern_lang::{Span, Time};

// Queries allocate many small event lists; mimalloc makes them cheaper.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "event-server",
    version,
    about = "Ostinato's event server: Tidal patterns in, timestamped events out"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Tempo at start, in cycles per second: any expression of type Time,
    /// read exactly (0.5625, 9/16 or (135/60/4)).
    #[arg(long, default_value = "0.5625")]
    cps: String,
    /// Seconds between an event's onset and its timetag (the engine's head start).
    #[arg(long, default_value = "0.2")]
    latency: String,
    /// Seconds between scheduler ticks (each tick queries one frame ahead).
    #[arg(long, default_value = "0.05")]
    frame: String,
    /// Where to send OSC (HOST:PORT); repeatable for several engines.
    #[arg(long = "target", value_name = "HOST:PORT")]
    targets: Vec<String>,
    /// A file the engine writes its output to (as `./play` does): each new
    /// line is printed above the prompt as `engine: LINE`.
    #[arg(long = "engine-log", value_name = "PATH")]
    engine_log: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Print the events of each expression read from stdin (one per line)
    /// over the cycles [A, B), as canonical JSON lines.
    Query {
        /// Start and end cycle: integers, fractions (-1/3) or decimals (0.25).
        #[arg(long, num_args = 2, value_names = ["A", "B"], allow_hyphen_values = true, default_values = ["0", "1"])]
        cycles: Vec<String>,
        /// An expression to query instead of reading stdin (repeatable).
        #[arg(short = 'e', long = "expr")]
        exprs: Vec<String>,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Query { cycles, exprs }) => {
            let begin = query::parse_cycle(&cycles[0]).map_err(anyhow::Error::msg)?;
            let end = query::parse_cycle(&cycles[1]).map_err(anyhow::Error::msg)?;
            if end < begin {
                bail!(
                    "--cycles: the end ({}) is before the start ({})",
                    cycles[1],
                    cycles[0]
                );
            }
            let span = Span::new(begin, end);
            let stdout = std::io::stdout().lock();
            if exprs.is_empty() {
                query::run(std::io::stdin().lock(), stdout, span)?;
            } else {
                query::run(std::io::Cursor::new(exprs.join("\n")), stdout, span)?;
            }
            Ok(())
        }
        None => play(&cli),
    }
}

/// Seconds as exact integer nanoseconds, within `[min, max]`.
fn seconds_flag(name: &str, text: &str, min: f64, max: f64) -> Result<i128> {
    let t = Session::new()
        .time(text.trim())
        .ok()
        .with_context(|| format!("--{name}: '{text}' is not a number of seconds"))?;
    let x = t.to_f64();
    if !(min..=max).contains(&x) {
        bail!("--{name}: {text} s is outside {min}..{max} s");
    }
    let ns = t
        .checked_mul(Time::int(1_000_000_000))
        .map_err(|_| anyhow::anyhow!("--{name}: {text} is too precise"))?;
    Ok(ns.floor_int())
}

fn targets(given: &[String]) -> Result<Vec<SocketAddr>> {
    let given: Vec<String> = if given.is_empty() {
        vec!["127.0.0.1:57120".to_string()]
    } else {
        given.to_vec()
    };
    given
        .iter()
        .map(|t| {
            t.to_socket_addrs()
                .with_context(|| format!("--target {t}: expected HOST:PORT"))?
                .next()
                .with_context(|| format!("--target {t}: no address found"))
        })
        .collect()
}

/// The REPL: statements from the terminal or a pipe, played by the
/// scheduler thread until `:quit` or the end of input.
fn play(cli: &Cli) -> Result<()> {
    let cps = Session::new()
        .time(cli.cps.trim())
        .map_err(|e| e.to_string())
        .and_then(|cps| {
            scheduler::check_tempo(cps)
                .map(|_| cps)
                .map_err(|e| e.to_string())
        })
        .map_err(|e| anyhow::anyhow!("--cps {}: {e}", cli.cps))?;
    let config = scheduler::Config {
        cps,
        latency_ns: seconds_flag("latency", &cli.latency, 0.0, 10.0)?,
        frame_ns: seconds_flag("frame", &cli.frame, 0.001, 1.0)?,
        targets: targets(&cli.targets)?,
    };
    let target_list: Vec<String> = config.targets.iter().map(|t| t.to_string()).collect();
    let (report_tx, report_rx) = mpsc::channel::<String>();
    let (command_tx, command_rx) = mpsc::channel();
    let scheduler = scheduler::Scheduler::new(config, report_tx.clone())?;
    let clock_thread = std::thread::Builder::new()
        .name("scheduler".into())
        .spawn(move || scheduler.run(command_rx))?;

    let interactive = std::io::stdin().is_terminal();
    let style = diagnostic::Style {
        colour: interactive && std::io::stderr().is_terminal(),
    };
    // Lines from elsewhere (warnings, notices, the engine's log) are drawn
    // above the prompt at a terminal, plain on stderr otherwise.
    let at_terminal = interactive && std::io::stdout().is_terminal() && style.colour;
    let screen = at_terminal.then(feedback::printer::Screen::default);
    if let Some(path) = &cli.engine_log {
        feedback::engine_log::follow(path.clone(), report_tx.clone());
    }
    drop(report_tx);
    feedback::printer::spawn(report_rx, screen.clone());
    let mut repl = repl::Repl::new(command_tx.clone(), style);
    eprintln!(
        "event-server: sending to {} at {} cps, latency {} s; :help for help, :quit to leave",
        target_list.join(", "),
        cli.cps,
        cli.latency
    );
    if interactive {
        let mut terminal = input::Terminal::new(repl.defined.clone(), screen)?;
        input::run(&mut terminal, &mut repl);
    } else {
        input::run(&mut input::Piped(std::io::stdin().lock()), &mut repl);
    }
    repl.hush();
    let _ = command_tx.send(scheduler::Command::Stop);
    let _ = clock_thread.join();
    Ok(())
}
