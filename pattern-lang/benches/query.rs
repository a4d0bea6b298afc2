//! Query throughput on the patterns of `../shared/oracle/tidal/bench.hs`,
//! 1000 one-cycle queries each, reported as events per second (criterion's
//! throughput). `scripts/bench-queries` runs this beside real Tidal.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pattern_lang::lang::Session;
use pattern_lang::{Pattern, Span, Time, Value};

// The same allocator as the event-server binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "patterns.rs"]
mod patterns;
use patterns::{mini64, JUX_CHOP, STACK8};

fn cycles(p: &Pattern<Value>, n: i64) -> usize {
    (0..n)
        .map(|c| {
            p.query_span(Span::new(Time::int(c), Time::int(c + 1)))
                .expect("query")
                .len()
        })
        .sum()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("1000 one-cycle queries");
    group.sample_size(10);
    let cases = [
        ("mini64", mini64()),
        ("jux-chop", JUX_CHOP.to_string()),
        ("stack8", STACK8.to_string()),
    ];
    for (name, code) in cases {
        let Ok((p, _)) = Session::new().pattern(&code) else {
            eprintln!("skipping {name}: not supported yet");
            continue;
        };
        let events = cycles(&p, 1000);
        group.throughput(Throughput::Elements(events as u64));
        group.bench_function(name, |b| b.iter(|| cycles(&p, 1000)));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
