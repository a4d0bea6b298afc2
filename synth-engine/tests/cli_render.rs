//! `synth-engine render` as a command: same score, same bytes; shipped samples found from anywhere.

mod common;
use common::*;
use std::process::Command;

fn render_cli(
    dir: &std::path::Path,
    score: &str,
    out: &str,
    extra: &[&str],
) -> std::process::Output {
    std::fs::write(dir.join("score.jsonl"), score).unwrap();
    Command::new(env!("CARGO_BIN_EXE_synth-engine"))
        .current_dir(dir)
        .args(["render", "score.jsonl", "--out", out, "--duration", "1.5"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn the_same_score_gives_the_same_bytes_and_the_shipped_samples_are_found() {
    let dir = temp_dir("cli-render");
    let score = r#"{"time": 0.25, "address": "/dirt/play", "args": ["s", "click", "n", 0]}
{"time": 0.5, "address": "/dirt/play", "args": ["s", "bd:1", "speed", 1.5, "room", 0.3]}
{"reload": "voices/superpiano.voice"}
{"time": 0.75, "address": "/dirt/play", "args": ["s", "hh", "cutoff", 2000, "pan", 0.2]}
{"time": 1.0, "address": "/dirt/play", "args": ["s", "arpy", "n", 5, "vowel", "o", "delay", 0.4, "delaytime", 0.125]}
"#;
    // run from a folder far from the source tree, without --samples
    let a = render_cli(&dir, score, "a.wav", &[]);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    let err = String::from_utf8_lossy(&a.stderr);
    assert!(err.contains("line 3") && err.contains("reload"), "{err}");
    let b = render_cli(&dir, score, "b.wav", &[]);
    assert!(b.status.success());
    let (x, y) = (
        std::fs::read(dir.join("a.wav")).unwrap(),
        std::fs::read(dir.join("b.wav")).unwrap(),
    );
    assert!(x == y, "two renders differ");

    let mut reader = hound::WavReader::open(dir.join("a.wav")).unwrap();
    assert_eq!(reader.len(), 72000 * 2, "1.5 s of stereo");
    let left: Vec<f32> = reader
        .samples::<f32>()
        .step_by(2)
        .map(Result::unwrap)
        .collect();
    // the shipped click starts with a full-scale sample: at exactly 0.25 s
    assert_eq!(first_above(&left, 0.05), Some(12000));
    assert!(rms(&left[36000..]) > 0.001, "the later events sound too");

    // a missing score is an error with the path, not a panic
    let missing = Command::new(env!("CARGO_BIN_EXE_synth-engine"))
        .args([
            "render",
            "/nonexistent/score.jsonl",
            "--out",
            "/tmp/x.wav",
            "--duration",
            "1",
        ])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.contains("/nonexistent/score.jsonl") && !err.contains("panicked"),
        "{err}"
    );
}
