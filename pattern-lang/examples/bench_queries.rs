//! Events per CPU second over 1000 one-cycle queries of the three patterns
//! of `../shared/oracle/tidal/bench.hs`, measured the way it measures Tidal
//! (every event built, CPU time of this thread). `scripts/bench-queries`
//! runs this beside real Tidal.
//!
//!     cargo run --release -p pattern-lang --example bench_queries [CYCLES] [EXPR]

use pattern_lang::lang::Session;

// The same allocator as the event-server binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use pattern_lang::{Span, Time};

/// Nanoseconds this thread has spent on a CPU (Linux schedstat).
fn cpu_ns() -> Option<u64> {
    // The kernel brings the figure up to date when the thread passes
    // through the scheduler; otherwise it can lag by up to a timer tick
    // (4 ms here, a tenth of a short run).
    std::thread::yield_now();
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

#[path = "../benches/patterns.rs"]
mod patterns;
use patterns::{mini64, JUX_CHOP, STACK8};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cycles: i64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let cases: Vec<(String, String)> = match args.get(2) {
        Some(expr) => vec![("expr".into(), expr.clone())],
        None => vec![
            ("jux-chop".into(), JUX_CHOP.into()),
            ("stack8".into(), STACK8.into()),
            ("mini64".into(), mini64()),
        ],
    };
    println!(
        "{:<10} {:>10} {:>8} {:>12}",
        "pattern", "events", "cpu_s", "events/cpu_s"
    );
    for (name, code) in cases {
        let (p, _) = match Session::new().pattern(&code) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{name}: {e}");
                std::process::exit(1);
            }
        };
        let t0 = cpu_ns().unwrap_or(0);
        let wall = std::time::Instant::now();
        let mut events = 0usize;
        for c in 0..cycles {
            events += p
                .query_span(Span::new(Time::int(c), Time::int(c + 1)))
                .map(|e| e.len())
                .unwrap_or(0);
        }
        let cpu = cpu_ns()
            .map(|t| (t - t0) as f64 / 1e9)
            .unwrap_or_else(|| wall.elapsed().as_secs_f64());
        println!(
            "{:<10} {:>10} {:>8.3} {:>12.0}",
            name,
            events,
            cpu,
            events as f64 / cpu
        );
    }
}
