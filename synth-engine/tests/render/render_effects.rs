//! Per-voice and orbit effects, measured in offline renders.

#[path = "../common/mod.rs"]
mod common;
use common::*;

const CENTRE: f32 = 0.4 * std::f32::consts::FRAC_1_SQRT_2;

#[test]
fn attack_and_release_shape_the_level() {
    let root = test_banks("env");
    let out = render_one(&root, dirt!(s: "dc", attack: 0.05), 0.11);
    let early = out.left[240] / (0.5 * CENTRE); // 5 ms into a 50 ms attack
    let late = out.left[4000] / (0.5 * CENTRE); // after the attack: open
    assert!(early > 0.05 && early < 0.6, "{early}"); // curve -3 rises quickly
    assert!((late - 1.0).abs() < 1e-3, "{late}");
    let out = render_one(&root, dirt!(s: "dc", hold: 0.02, release: 0.05), 0.11);
    assert!((out.left[500] / (0.5 * CENTRE) - 1.0).abs() < 1e-3);
    assert!(out.left[960 + 1200] < out.left[960 + 100]);
    assert!(
        out.left[960 + 2400 + 10].abs() < 1e-6,
        "closed after hold + release"
    );
}

#[test]
fn crush_quantises_and_coarse_holds_values() {
    let root = test_banks("crush");
    let out = render_one(&root, dirt!(s: "ramp", crush: 3.0), 1.0);
    // step 0.25: the ramp 0..1 becomes 5 levels
    let mut levels: Vec<i64> = out.left[100..47000]
        .iter()
        .map(|x| (x / CENTRE * 1000.0).round() as i64)
        .collect();
    levels.dedup();
    assert_eq!(levels, vec![0, 250, 500, 750, 1000]);
    let out = render_one(&root, dirt!(s: "noise", coarse: 4), 0.2);
    for k in (0..9000).step_by(4) {
        let run = &out.left[k..k + 4];
        assert!(run.iter().all(|x| *x == run[0]), "frames {k}..{}", k + 4);
    }
    assert_ne!(out.left[0], out.left[4]);
}

#[test]
fn shape_saturates_and_squiz_raises_the_pitch() {
    let root = test_banks("shape");
    let plain = render_one(&root, dirt!(s: "sine", gain: 0.6), 0.5);
    let shaped = render_one(&root, dirt!(s: "sine", gain: 0.6, shape: 0.9), 0.5);
    assert!(rms(&shaped.left[1000..20000]) > 2.0 * rms(&plain.left[1000..20000]));
    let squiz = render_one(&root, dirt!(s: "sine", squiz: 2.0), 0.5);
    let f = zero_crossing_freq(&squiz.left[2000..20000], SR);
    assert!((f - 2000.0).abs() < 40.0, "{f}");
}

/// Average power at `f` Hz over segments of 2048 frames (Goertzel).
fn band_power(x: &[f32], f: f32) -> f32 {
    let w = 2.0 * std::f32::consts::PI * f / SR as f32;
    let coeff = 2.0 * w.cos();
    let segments: Vec<&[f32]> = x.chunks_exact(2048).collect();
    segments
        .iter()
        .map(|seg| {
            let (mut s1, mut s2) = (0.0f32, 0.0f32);
            for v in seg.iter() {
                let s0 = v + coeff * s1 - s2;
                s2 = s1;
                s1 = s0;
            }
            s1 * s1 + s2 * s2 - coeff * s1 * s2
        })
        .sum::<f32>()
        / segments.len() as f32
}

#[test]
fn vowels_differ_in_their_formants() {
    let root = test_banks("vowel");
    let power = |vowel: &'static str, f: f32| {
        let out = render_one(&root, dirt!(s: "noise", vowel: vowel), 0.5);
        band_power(&out.left[500..23000], f)
    };
    // "a" has formants at 650 and 1080 Hz, "u" at 350 and 600, "i" at 290 and 1870
    assert!(power("a", 1080.0) > 3.0 * power("u", 1080.0));
    assert!(power("a", 600.0) > 3.0 * power("i", 600.0));
    assert!(power("i", 300.0) > 3.0 * power("a", 300.0));
}

#[test]
fn the_delay_echoes_at_its_time_with_its_feedback() {
    let root = test_banks("delay");
    let out = render_one(
        &root,
        dirt!(s: "imp", delay: 0.5, delaytime: 0.1, delayfeedback: 0.5),
        0.5,
    );
    let first = out.left[4800] / CENTRE;
    let second = out.left[9600] / CENTRE;
    assert!((first - 0.5).abs() < 0.01, "{first}");
    assert!((second - 0.25).abs() < 0.01, "{second}");
    assert!(out.left[4790..4800].iter().all(|x| x.abs() < 1e-3));
    // lock: delaytime in cycles (0.25 cycles at cps 0.5 = 0.5 s)
    let out = render_one(
        &root,
        dirt!(s: "imp", delay: 0.5, delaytime: 0.25, lock: 1, cps: 0.5),
        0.6,
    );
    assert!(
        (out.left[24000] / CENTRE - 0.5).abs() < 0.01,
        "{}",
        out.left[24000] / CENTRE
    );
}

#[test]
fn room_adds_a_tail_and_dry_one_removes_it() {
    let root = test_banks("room");
    let tail = |pairs: &[(&str, common::Arg)]| {
        let out = render_one(&root, pairs, 1.0);
        rms(&out.left[24000..48000])
    };
    let dry = tail(dirt!(s: "dc"));
    let wet = tail(dirt!(s: "dc", room: 0.5, size: 0.8));
    let muted = tail(dirt!(s: "dc", room: 0.5, size: 0.8, dry: 1.0));
    assert_eq!(dry, 0.0);
    assert!(wet > 1e-3, "{wet}");
    assert!(muted < 1e-6, "{muted}");
    // a larger size rings longer
    let small = tail(dirt!(s: "dc", room: 0.5, size: 0.1));
    assert!(wet > 1.3 * small, "{wet} vs {small}");
}
