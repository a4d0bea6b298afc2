//! Hostile mini-notation and code: every input gives events or an error,
//! never a panic, a hang or unbounded memory.

use std::sync::mpsc;
use std::time::Duration;

use pattern_lang::lang::Session;
use pattern_lang::mini::{self, Kind};
use pattern_lang::{Span, Time};
use proptest::prelude::*;

/// Runs `f` on a worker thread and fails if it has not finished by the
/// deadline (a hang would otherwise stall the whole test run).
fn within_deadline<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .expect("spawn");
    rx.recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("{what} did not return"))
}

fn query_code(code: &str) -> Result<usize, String> {
    let (p, _) = Session::new().pattern(code).map_err(|e| e.to_string())?;
    p.query_span(Span::new(Time::ZERO, Time::int(8)))
        .map(|e| e.len())
        .map_err(|e| e.to_string())
}

#[test]
fn absurd_patterns_end_promptly() {
    let deep = format!("s \"{}bd{}\"", "[".repeat(10_000), "]".repeat(10_000));
    let cases = [
        "s \"bd*1e12\"".to_string(),
        "s \"bd(3,0)\"".to_string(),
        "s \"bd/0\"".to_string(),
        "s \"bd(3,1000000000)\"".to_string(),
        "s \"bd*<1e12 2>\"".to_string(),
        "n \"0 .. 1e12\"".to_string(),
        "s \"bd!1000000000\"".to_string(),
        "s \"bd@1e300\"".to_string(),
        "fast 1e300 $ s \"bd\"".to_string(),
        "slow 1e-300 $ s \"bd\"".to_string(),
        "fast \"1e-300\" $ s \"bd\"".to_string(),
        deep,
        format!("s \"{}\"", "bd ".repeat(100_000)),
        format!("fast 2 {}s \"bd\"{}", "(".repeat(5_000), ")".repeat(5_000)),
    ];
    for code in cases {
        let shown: String = code.chars().take(60).collect();
        let result = within_deadline(&shown, move || query_code(&code));
        // Either answer is fine; what matters is that there is one.
        match result {
            Ok(n) => assert!(n <= 4_000_000, "{shown}: {n} events"),
            Err(e) => assert!(!e.is_empty(), "{shown}: empty error"),
        }
    }
}

#[test]
fn nested_brackets_are_an_error_not_a_crash() {
    let deep = format!("{}bd{}", "[".repeat(10_000), "]".repeat(10_000));
    let err =
        within_deadline("deep", move || mini::parse(&deep, Kind::String).err()).expect("an error");
    assert!(err.message.contains("nested"), "{err}");
}

#[test]
fn syntax_errors_name_the_column() {
    let err = mini::parse("bd [sn", Kind::String).err().expect("error");
    assert_eq!(err.offset, 6, "{err}");
    // As in Tidal, the caret goes under the first character that cannot
    // continue the word: "f" is a note name, "o" is not a modifier.
    let err = mini::parse("1 foo", Kind::Double).err().expect("error");
    assert_eq!(err.offset, 3, "{err}");
    let err = Session::new()
        .pattern("s \"bd*2\" # speed \"1 foo\"")
        .err()
        .expect("error");
    assert_eq!(err.src.0, 21, "{err:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_mini_notation_never_panics(src in "[a-z0-9~\\[\\]<>{}%*/@_!?|,.:() \\-'^]{0,40}") {
        for kind in [Kind::String, Kind::Double, Kind::Note, Kind::Int, Kind::Time, Kind::Bool] {
            if let Ok(p) = mini::parse(&src, kind) {
                let _ = p.query_span(Span::new(Time::int(-1), Time::int(3)));
            }
        }
    }

    #[test]
    fn random_code_never_panics(src in "[a-z0-9 \"$#.()|+*/<~>\\-\\\\,\\[\\]]{0,40}") {
        if let Ok((p, _)) = Session::new().pattern(&src) {
            let _ = p.query_span(Span::new(Time::ZERO, Time::int(2)));
        }
    }
}
