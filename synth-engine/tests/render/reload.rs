//! Hot reload in offline renders: what keeps state, what is bit-identical, what a broken file does.

#[path = "../common/mod.rs"]
mod common;
use common::*;
use std::f32::consts::FRAC_1_SQRT_2;
use std::path::{Path, PathBuf};
use synth_engine::render::{render_score, RenderOptions, RenderReport, ScoreLine};
use synth_engine::samples::SampleLibrary;

const SWAP: f64 = 0.5;

fn render_from(voices: &Path, score: &[ScoreLine], seconds: f64) -> (Vec<f32>, RenderReport) {
    render_score(
        score,
        SampleLibrary::scan(&[]).unwrap(),
        &RenderOptions {
            duration: seconds,
            sample_rate: SR,
            max_voices: 32,
            orbits: 1,
            sample_memory: 1 << 20,
            voices: Some(voices.to_path_buf()),
        },
    )
}

/// Renders `first` from `voices` twice, as it is and with a reload of `edit` at `at`
/// seconds; returns both outputs (interleaved) and the second render's report.
fn with_reload(
    voices: &Path,
    first: &ScoreLine,
    at: f64,
    edit: PathBuf,
    seconds: f64,
) -> (Vec<f32>, Vec<f32>, RenderReport) {
    let (plain, _) = render_from(voices, std::slice::from_ref(first), seconds);
    let (x, r) = render_from(
        voices,
        &[first.clone(), ScoreLine::reload(at, edit)],
        seconds,
    );
    (plain, x, r)
}

/// The report names exactly one reload, `line`.
fn assert_reload(r: &RenderReport, line: &str) {
    assert_eq!(r.reloads, vec![line.to_string()]);
}

fn left(x: &[f32]) -> Vec<f32> {
    x.iter().step_by(2).copied().collect()
}

/// A folder holding one definition.
fn folder(name: &str, file: &str, text: &str) -> TempDir {
    let d = temp_dir(name);
    std::fs::write(d.join(file), text).unwrap();
    d
}

const TONE: &str = "voice tone
param freq = 220
param sustain = 1
param cutoff = 800
let osc = saw(freq)
let env = linen(0.01, sustain, 0.1, -4)
let f = rlpf(osc, cutoff, 0.5)
out f * env * 0.3
";

fn note() -> ScoreLine {
    play(0.0, dirt!(s: "tone", freq: 220.0, sustain: 1.0))
}

#[test]
fn reloading_an_unchanged_copy_or_a_broken_one_changes_no_sample() {
    let orig = folder("reload-orig", "tone.voice", TONE);
    let same = folder("reload-same", "tone.voice", TONE);
    let broken = folder(
        "reload-broken",
        "tone.voice",
        &TONE.replace("let f = rlpf(osc,", "let f = rlpf(osc"),
    );
    let (plain, a, ra) = with_reload(&orig, &note(), SWAP, same.join("tone.voice"), 1.3);
    assert_reload(&ra, "0.500 s: tone: 3 of 3 nodes kept state");
    assert!(plain == a, "an unchanged reload changed the output");
    let (b, rb) = render_from(
        &orig,
        &[note(), ScoreLine::reload(SWAP, broken.to_path_buf())],
        1.3,
    );
    assert!(plain == b, "a broken reload changed the output");
    assert_eq!(rb.voice_errors.len(), 1);
    let e = &rb.voice_errors[0];
    assert!(e.contains("tone.voice:7:18: expected an operator"), "{e}");
    assert!(rb.reloads.is_empty());
}

#[test]
fn a_constants_only_edit_is_click_free_and_the_oscillator_keeps_its_phase() {
    let orig = folder("consts-orig", "tone.voice", TONE);
    let edited = folder(
        "consts-edit",
        "tone.voice",
        &TONE.replace("param cutoff = 800", "param cutoff = 1600"),
    );
    let (plain, x, r) = with_reload(&orig, &note(), SWAP, edited.to_path_buf(), 1.3);
    assert_reload(&r, "0.500 s: tone: 3 of 3 nodes kept state");
    let (plain, x) = (left(&plain), left(&x));
    let swap = (SWAP * SR as f64) as usize;
    assert!(
        plain[..swap] == x[..swap],
        "nothing changes before the swap"
    );
    assert!(
        x[swap..swap + 4800] != plain[swap..swap + 4800],
        "the edit is heard"
    );
    let step = |s: &[f32]| s.windows(2).fold(0f32, |m, w| m.max((w[1] - w[0]).abs()));
    // sustained part of the note (after the attack, before the release), away from the swap
    let around = step(&x[swap - 480..swap + 480]);
    let elsewhere = step(&x[4800..swap - 480]).max(step(&x[swap + 480..48000]));
    assert!(
        around <= elsewhere,
        "step at the swap {around} > elsewhere {elsewhere}"
    );
    // the oscillator continued: the saw's resets (its largest falls) keep their period across the swap
    let falls: Vec<usize> = (swap - 2400..swap + 2400)
        .filter(|&i| x[i] - x[i - 1] < -0.5 * step(&x[swap - 2400..swap + 2400]))
        .collect();
    let period = SR as f64 / 220.0;
    let firsts: Vec<usize> = falls
        .iter()
        .copied()
        .filter(|&i| !falls.contains(&(i - 1)))
        .collect();
    for w in firsts.windows(2) {
        let d = (w[1] - w[0]) as f64;
        let cycles = (d / period).round().max(1.0);
        assert!(
            (d - cycles * period).abs() < 3.0,
            "period broken across the swap: {firsts:?}"
        );
    }
}

#[test]
fn a_structural_edit_keeps_the_state_of_every_unchanged_node() {
    let base = "voice tone\nparam freq = 220\nparam sustain = 1\nlet osc = sine(freq)\nlet env = linen(0.01, sustain, 0.1, -4)\nout osc * env * 0.3\n";
    let grown = "voice tone\nparam freq = 220\nparam sustain = 1\nlet osc = sine(freq)\nlet extra = sine(330)\nlet env = linen(0.01, sustain, 0.1, -4)\nout osc * env * 0.3 + extra * 0.1\n";
    let orig = folder("struct-orig", "tone.voice", base);
    let edited = folder("struct-edit", "tone.voice", grown);
    let (plain, x, r) = with_reload(&orig, &note(), SWAP, edited.to_path_buf(), 1.3);
    assert_reload(&r, "0.500 s: tone: 2 of 3 nodes kept state");
    let (plain, x) = (left(&plain), left(&x));
    let swap = (SWAP * SR as f64) as usize;
    // after the swap the output is the old voice, continued exactly, plus the new node from phase 0
    for k in 0..12000 {
        let expected = plain[swap + k]
            + 0.1 * (std::f64::consts::TAU * 330.0 * k as f64 / SR as f64).sin() as f32;
        assert!(
            (x[swap + k] - expected).abs() < 2e-4,
            "frame {k}: {} vs {expected}",
            x[swap + k]
        );
    }
}

#[test]
fn a_renamed_node_keeps_its_state_when_the_definition_says_so() {
    let base = "voice tone\nparam freq = 220\nlet osc = sine(freq)\nout osc * 0.3\n";
    let renamed =
        "voice tone\nparam freq = 220\nlet carrier was osc = sine(freq)\nout carrier * 0.3\n";
    let orig = folder("rename-orig", "tone.voice", base);
    let edited = folder("rename-edit", "tone.voice", renamed);
    let (plain, x, r) = with_reload(&orig, &note(), SWAP, edited.to_path_buf(), 0.8);
    assert_reload(&r, "0.500 s: tone: 1 of 1 nodes kept state");
    assert!(plain == x);
}

const REVERB: &str = include_str!("../../voices/effects/reverb.voice");

#[test]
fn editing_the_reverb_keeps_its_tail_and_an_unchanged_reload_changes_nothing() {
    let orig = folder("fx-orig", "reverb.voice", REVERB);
    std::fs::write(orig.join("tone.voice"), TONE).unwrap();
    let same = folder("fx-same", "reverb.voice", REVERB);
    let edited_text = REVERB.replace("* (1 - dry)", "* (1 - dry) * 0.5");
    assert_ne!(edited_text, REVERB);
    let edited = folder("fx-edit", "reverb.voice", &edited_text);
    let wet = play(0.0, dirt!(s: "tone", sustain: 0.2, room: 0.7, size: 0.9));
    let tail_swap = 0.6; // the note ended at 0.3 s: only the reverb sounds now
    let (plain, same_out, r) = with_reload(&orig, &wet, tail_swap, same.to_path_buf(), 1.2);
    assert_reload(&r, "0.600 s: reverb: 12 of 12 nodes kept state");
    assert!(
        plain == same_out,
        "an unchanged reload of the reverb changed the output"
    );
    let (x, r) = render_from(
        &orig,
        &[wet, ScoreLine::reload(tail_swap, edited.to_path_buf())],
        1.2,
    );
    assert_reload(&r, "0.600 s: reverb: 12 of 12 nodes kept state");
    let (plain, x) = (left(&plain), left(&x));
    let swap = (tail_swap * SR as f64) as usize;
    assert!(
        rms(&plain[swap..swap + 4800]) > 0.001,
        "the tail rings at the swap"
    );
    assert!(plain[..swap] == x[..swap]);
    // the edit halves the output level: the tail continues at half level, not from silence
    for k in 0..9600 {
        assert!(
            (x[swap + k] - 0.5 * plain[swap + k]).abs() < 1e-6,
            "frame {k}"
        );
    }
}

#[test]
fn a_grown_delay_line_keeps_its_echoes() {
    let delay = include_str!("../../voices/effects/delay.voice");
    let orig = folder("echo-orig", "delay.voice", delay);
    std::fs::write(orig.join("tone.voice"), TONE).unwrap();
    let grown = folder(
        "echo-grown",
        "delay.voice",
        &delay.replace("max: 4", "max: 6"),
    );
    let note = play(
        0.0,
        dirt!(s: "tone", sustain: 0.1, delay: 0.7, delaytime: 0.15, delayfeedback: 0.6),
    );
    let (plain, x, r) = with_reload(&orig, &note, 0.5, grown.to_path_buf(), 1.5);
    assert_reload(&r, "0.500 s: delay: 2 of 2 nodes kept state");
    let (plain, x) = (left(&plain), left(&x));
    let swap = 24000;
    assert!(
        rms(&plain[swap..swap + 14400]) > 0.001,
        "echoes ring after the swap"
    );
    // the longer lines hold the same recent past: every echo comes back unchanged
    assert!(plain == x, "the echoes changed");
}

#[test]
fn a_parameter_a_reload_adds_takes_the_value_the_event_gave() {
    // the first definition ignores `level` and `lpf`; the second declares them (`lpf` under its
    // canonical name, `cutoff`), and `depth`, which the event did not give
    const PLAIN: &str = "voice hum
param freq = 220
param sustain = 1
let osc = sine(freq)
out pan(osc * 0.1, 0.5)
";
    let orig = folder("added-orig", "hum.voice", PLAIN);
    let edited = folder(
        "added-edit",
        "hum.voice",
        "voice hum
param freq = 220
param sustain = 1
param level = 0.1
param cutoff = 20000
param depth = 0.25
let osc = sine(freq)
let f = lpf(osc, cutoff)
out pan(f * level * (1 + depth), 0.5)
",
    );
    let event = play(
        0.0,
        dirt!(s: "hum", freq: 220.0, sustain: 1.0, level: 0.4, lpf: 15000.0),
    );
    let (x, r) = render_from(
        &orig,
        &[event, ScoreLine::reload(SWAP, edited.to_path_buf())],
        1.0,
    );
    assert_eq!(r.reloads.len(), 1, "{:?}", r.reloads);
    let x = left(&x);
    let swap = (SWAP * SR as f64) as usize;
    let peak = |s: &[f32]| s.iter().fold(0f32, |m, v| m.max(v.abs()));
    let before = peak(&x[swap - 4800..swap]);
    let after = peak(&x[swap + 480..swap + 4800]);
    // before: 0.1 at -3 dB; after: the event's level 0.4 and the new default depth 0.25
    assert!(
        (before - 0.1 * FRAC_1_SQRT_2).abs() < 0.005,
        "before the swap {before}"
    );
    let want = 0.4 * 1.25 * FRAC_1_SQRT_2;
    assert!(
        (after - want).abs() < 0.02,
        "after the swap {after}, want {want}"
    );
}
