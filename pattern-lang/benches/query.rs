//! Query throughput on the patterns of `../shared/oracle/tidal/bench.hs`,
//! 1000 one-cycle queries each, reported as events per second (criterion's
//! throughput). `scripts/bench-queries` runs this beside real Tidal.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pattern_lang::lang::Session;
use pattern_lang::{Pattern, Span, Time, Value};

// The same allocator as the event-server binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The 64-step mini-notation pattern of bench.hs (`pat3`).
pub fn mini64() -> String {
    let steps = [
        "bd",
        "<sn cp>",
        "hh*2",
        "[~ bd]",
        "<arpy:1 arpy:2 arpy:3>",
        "~",
        "[hh hh:2]",
        "<bd [bd bd]>",
        "sn:3",
        "<~ cp>",
        "[bd, hh]",
        "<drum drum:1 [drum:2 drum:3]>",
    ];
    let seq: Vec<&str> = steps.iter().cycle().take(64).copied().collect();
    format!(
        "s \"{}\" # n \"<0 1 2 3>\" # speed \"1 [2 1.5] <0.5 1>\"",
        seq.join(" ")
    )
}

pub const JUX_CHOP: &str =
    "jux rev $ chop 8 $ every 2 (fast 2) $ s \"bd*16 sn*8 [hh hh:2]*4\" # n (irand 8)";

pub const STACK8: &str = "stack [ s \"bd*4\" # n \"0 .. 3\", fast 2 $ s \"hh*8\" # gain (range 0.8 1 sine), every 3 rev $ s \"sn ~ sn [~ sn]\", off 0.25 (|+ n 12) $ n \"0 3 7\" # s \"superpiano\", sometimesBy 0.3 (# speed 2) $ s \"cp*4\", whenmod 4 2 (fast 2) $ s \"arpy*3\" # n \"<0 2 4>\", iter 4 $ s \"drum*4\" # n \"0 1 2 3\", degradeBy 0.5 $ s \"bass*8\" # cutoff (segment 8 $ range 200 2000 rand) ]";

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
