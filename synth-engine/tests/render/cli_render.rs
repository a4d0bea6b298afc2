//! `synth-engine render` as a command: same score, same bytes; shipped samples found from anywhere.

#[path = "../common/mod.rs"]
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

#[test]
fn reload_lines_reload_and_report_through_the_binary() {
    let dir = temp_dir("cli-reload");
    let voices = dir.join("voices");
    std::fs::create_dir_all(&voices).unwrap();
    let tone = "voice tone\nparam freq = 220\nlet osc = sine(freq)\nlet env = linen(0.01, 1, 0.1, -4)\nout osc * env * 0.2\n";
    std::fs::write(voices.join("tone.voice"), tone).unwrap();
    std::fs::create_dir_all(dir.join("edit")).unwrap();
    std::fs::write(dir.join("edit/tone.voice"), tone.replace("0.2", "0.1")).unwrap();
    std::fs::create_dir_all(dir.join("broken")).unwrap();
    std::fs::write(
        dir.join("broken/tone.voice"),
        tone.replace("sine(freq)", "sine(freq"),
    )
    .unwrap();
    let score = r#"{"time": 0.0, "address": "/dirt/play", "args": ["s", "tone"]}
{"time": 0.5, "reload": "broken/tone.voice"}
{"time": 0.75, "reload": "edit"}
"#;
    let out = render_cli(&dir, score, "r.wav", &["--voices", "voices"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken/tone.voice:4:1: expected"), "{err}");
    assert!(
        err.contains("reload at 0.750 s: tone: 2 of 2 nodes kept state"),
        "{err}"
    );
    let left: Vec<f32> = hound::WavReader::open(dir.join("r.wav"))
        .unwrap()
        .samples::<f32>()
        .step_by(2)
        .map(Result::unwrap)
        .collect();
    // half the level after the edit, the same tone before it
    let (before, after) = (rms(&left[24000..36000]), rms(&left[36000..48000]));
    assert!((after / before - 0.5).abs() < 0.02, "{before} {after}");
}
