//! The `event-server` binary: `query` prints a pattern's events as JSON.

mod canonical;
mod query;

use anyhow::{bail, Result};
use clap::{Parser, Subcommand};
use pattern_lang::Span;

#[derive(Parser)]
#[command(
    name = "event-server",
    version,
    about = "Ostinato's event server: Tidal patterns in, timestamped events out"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
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
        None => bail!("the REPL is not built yet; use `event-server query --cycles A B`"),
    }
}
