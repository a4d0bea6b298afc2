//! The shipped voices: each compiles, sounds at the pitch of its `n`, stays finite and ends.

#[path = "../common/mod.rs"]
mod common;
use common::Arg::{F, S};
use common::*;
use std::path::PathBuf;
use synth_engine::render::{render_score, RenderOptions, ScoreLine};
use synth_engine::samples::SampleLibrary;

const SHIPPED: [&str; 18] = [
    "superpiano",
    "supersaw",
    "supersquare",
    "superpwm",
    "superfm",
    "superchip",
    "superhammond",
    "supervibe",
    "superhoover",
    "superreese",
    "supergong",
    "superkick",
    "super808",
    "superhat",
    "supersnare",
    "superclap",
    "supernoise",
    "bench_saw",
];

fn shipped() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("voices")
}

fn render_voices(score: &[ScoreLine], seconds: f64) -> (Rendered, Vec<String>) {
    let (out, report) = render_score(
        score,
        SampleLibrary::scan(&[]).unwrap(),
        &RenderOptions {
            duration: seconds,
            sample_rate: SR,
            max_voices: 64,
            orbits: 2,
            sample_memory: 1 << 20,
            voices: Some(shipped()),
        },
    );
    let left = out.iter().step_by(2).copied().collect();
    let right = out.iter().skip(1).step_by(2).copied().collect();
    (Rendered { left, right }, report.voice_errors)
}

/// Upward zero crossings per second in `x`.
fn crossings(x: &[f32]) -> f64 {
    let n = x.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count();
    n as f64 * SR as f64 / x.len() as f64
}

#[test]
fn every_shipped_voice_sounds_stays_finite_and_ends() {
    for name in SHIPPED {
        let (r, errors) = render_voices(&[play(0.0, dirt!(s: name, sustain: 0.3))], 8.0);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            r.left.iter().chain(&r.right).all(|x| x.is_finite()),
            "{name}"
        );
        let level = rms(&r.left[..24000]).max(rms(&r.right[..24000]));
        assert!(level > 0.003, "{name} is silent: {level}");
        let peak = r
            .left
            .iter()
            .chain(&r.right)
            .fold(0f32, |m, x| m.max(x.abs()));
        assert!(peak < 1.0, "{name} peaks at {peak}");
        // every voice has finished well before 8 s
        let end = &r.left[7 * SR as usize..];
        assert!(end.iter().all(|x| *x == 0.0), "{name} still sounds at 7 s");
    }
}

#[test]
fn n_and_note_set_the_pitch_as_superdirt_does() {
    // superhammond's lowest partial is half the pitch; bench_saw with a high cutoff is a plain saw
    let f = |pairs: &[(&str, common::Arg)]| {
        let mut p = vec![
            ("s", S("bench_saw")),
            ("cutoff", F(20000.0)),
            ("rq", F(1.0)),
            ("sus", F(1.0)),
        ];
        p.extend_from_slice(pairs);
        let (r, _) = render_voices(&[play(0.0, &p)], 1.2);
        crossings(&r.left[4800..48000])
    };
    let c5 = f(&[]);
    assert!((c5 - 261.63).abs() < 3.0, "n 0 is middle C: {c5}");
    assert!((f(dirt!(n: 12)) / c5 - 2.0).abs() < 0.02);
    assert!(
        (f(dirt!(note: -12.0, n: 7)) / c5 - 0.5).abs() < 0.02,
        "note wins over n"
    );
    assert!((f(dirt!(octave: 6)) / c5 - 2.0).abs() < 0.02);
    assert!((f(dirt!(freq: 100.0)) - 100.0).abs() < 3.0);
}

#[test]
fn a_voice_plays_through_its_orbit_and_the_per_voice_effects() {
    let base = [("s", S("supersquare")), ("sustain", F(0.5))];
    let (plain, _) = render_voices(&[play(0.0, &base)], 1.0);
    let mut lp = base.to_vec();
    lp.push(("cutoff", F(200.0)));
    let (filtered, _) = render_voices(&[play(0.0, &lp)], 1.0);
    // SuperDirt's low-pass applies to synths too: much less high-frequency energy
    let hf = |x: &[f32]| rms(&x.windows(2).map(|w| w[1] - w[0]).collect::<Vec<_>>());
    let (a, b) = (hf(&filtered.left[..20000]), hf(&plain.left[..20000]));
    assert!(a < 0.5 * b, "{a} vs {b}");
    let mut far = base.to_vec();
    far.push(("room", F(0.5)));
    far.push(("size", F(0.8)));
    let (wet, _) = render_voices(&[play(0.0, &far)], 2.0);
    // the reverb tail rings after the note (0.5 s + 0.1 s release)
    assert!(rms(&wet.left[36000..60000]) > 0.001);
    assert_eq!(rms(&plain.left[36000..48000]), 0.0);
}

#[test]
fn bench_sampler_plays_file_n_of_its_bank_once_at_its_rate() {
    let root = temp_dir("bench-sampler");
    // a constant 0.5 for 4800 frames at 48 kHz, and a 24 kHz file of the same length in seconds
    write_sample(&root, "bench", "a.wav", SR, &[vec![0.5; 4800]]);
    write_sample(&root, "bench", "b.wav", SR / 2, &[vec![0.5; 2400]]);
    let render = |pairs: &[(&str, common::Arg)]| {
        let (out, report) = render_score(
            &[play(0.0, pairs)],
            SampleLibrary::scan(&[root.to_path_buf()]).unwrap(),
            &RenderOptions {
                duration: 0.5,
                sample_rate: SR,
                max_voices: 8,
                orbits: 1,
                sample_memory: 1 << 20,
                voices: Some(shipped()),
            },
        );
        assert_eq!(report.failed_events, 0);
        out.iter().step_by(2).copied().collect::<Vec<f32>>()
    };
    for (n, rate, frames) in [
        (0, 1.0, 4800usize),
        (0, 2.0, 2400),
        (1, 1.0, 4800),
        (1, 0.5, 9600),
    ] {
        let left = render(
            dirt!(s: "bench_sampler", n: n, rate: rate, cutoff: 20000.0, amp: 1.0, pan: 0.0),
        );
        // the low-pass settles on the constant: 0.5 through a Butterworth low-pass, hard left
        assert!(
            (left[frames / 2] - 0.5).abs() < 0.01,
            "n {n} rate {rate}: {}",
            left[frames / 2]
        );
        assert!(
            left[frames + 200..].iter().all(|x| x.abs() < 1e-3),
            "n {n} rate {rate} plays past the end"
        );
        assert!(
            left[frames - 100].abs() > 0.4,
            "n {n} rate {rate} stops early"
        );
    }
}
