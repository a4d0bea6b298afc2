//! Queries one expression over many one-cycle spans (for profiling):
//! `cargo run --release -p pattern-lang --example profile_query -- 'EXPR' 1000`
use pattern_lang::lang::Session;
use pattern_lang::{Span, Time};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let code = args.get(1).cloned().unwrap_or_else(|| "s \"bd*8\"".into());
    let n: i64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let (p, _) = match Session::new().pattern(&code) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let start = std::time::Instant::now();
    let mut events = 0;
    for c in 0..n {
        events += p
            .query_span(Span::new(Time::int(c), Time::int(c + 1)))
            .map(|e| e.len())
            .unwrap_or(0);
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{events} events in {secs:.3} s: {:.0} events/s",
        events as f64 / secs
    );
}
