//! Offline renders asserted on measured properties: onsets, lengths, regions, cut, pan, filters, gain, loop.

#[path = "../common/mod.rs"]
mod common;
use common::*;

const CENTRE: f32 = 0.4 * std::f32::consts::FRAC_1_SQRT_2;

/// The frame after the last one that sounds.
fn end(left: &[f32]) -> usize {
    last_above(left, 1e-6).unwrap() + 1
}

/// The sound ends within 2 frames of `frame`.
fn assert_ends_at(left: &[f32], frame: i64) {
    let end = end(left);
    assert!((end as i64 - frame).abs() <= 2, "{end}");
}

#[test]
fn every_onset_lands_on_its_exact_frame() {
    let root = test_banks("onset");
    // times that fall at odd places inside blocks and across block edges
    let times = [
        0.0,
        0.012_345,
        0.1,
        0.266_66,
        0.5 + 17.0 / 48000.0,
        0.999_99,
    ];
    let score: Vec<_> = times.iter().map(|t| play(*t, dirt!(s: "imp"))).collect();
    let out = render(&root, &score, 1.1);
    let onsets: Vec<usize> = out
        .left
        .windows(2)
        .enumerate()
        .filter(|(i, w)| w[1].abs() > 0.2 && (*i == 0 || w[0].abs() < 0.2))
        .map(|(i, _)| i + 1)
        .collect();
    let mut found = onsets;
    if out.left[0].abs() > 0.2 {
        found.insert(0, 0);
    }
    let expected: Vec<usize> = times
        .iter()
        .map(|t| (t * 48000.0f64).round() as usize)
        .collect();
    assert_eq!(found, expected);
    for &f in &expected {
        assert!(
            (out.left[f] - CENTRE).abs() < 1e-4,
            "level at {f}: {}",
            out.left[f]
        );
    }
}

#[test]
fn speed_two_halves_the_length_and_negative_speed_plays_backwards() {
    let root = test_banks("speed");
    let len = |speed: f32| end(&render_one(&root, dirt!(s: "dc", speed: speed), 0.3).left);
    let normal = len(1.0);
    let double = len(2.0);
    let half = len(0.5);
    assert!((normal as i64 - 4800).abs() <= 2, "{normal}");
    assert!((double as i64 - 2400).abs() <= 2, "{double}");
    assert!((half as i64 - 9600).abs() <= 2, "{half}");

    let out = render_one(&root, dirt!(s: "ramp", speed: -1.0), 1.1);
    // backwards: starts near the top of the ramp and falls
    let early = out.left[100] / CENTRE;
    let late = out.left[40000] / CENTRE;
    assert!(early > 0.99, "{early}");
    assert!((late - (1.0 - 40001.0 / 48000.0)).abs() < 0.01, "{late}");
}

#[test]
fn begin_and_end_select_the_region() {
    let root = test_banks("region");
    let out = render_one(&root, dirt!(s: "ramp", begin: 0.25, end: 0.5), 1.0);
    assert_ends_at(&out.left, 12000);
    // a fade-in because begin > 0; then the ramp value from a quarter of the way
    assert!(out.left[0].abs() < 0.05 * CENTRE);
    let v = out.left[1000] / CENTRE;
    assert!((v - (0.25 + 1000.0 / 48000.0)).abs() < 0.002, "{v}");
}

#[test]
fn cut_silences_the_earlier_voice_of_the_group() {
    let root = test_banks("cut");
    let after = 2400 + 48 + 10; // 50 ms + the 1 ms fade
                                // the level just after a second event that comes 50 ms after a first
    let level = |first: &[(&str, Arg)], second: &[(&str, Arg)]| {
        render(&root, &[play(0.0, first), play(0.05, second)], 0.2).left[after]
    };
    let cut = level(dirt!(s: "dc", cut: 1), dirt!(s: "neg", cut: 1));
    assert!((cut + 0.5 * CENTRE).abs() < 1e-4, "{}", cut);
    // without cut both sound and cancel
    assert!(level(dirt!(s: "dc"), dirt!(s: "neg")).abs() < 1e-3);
    // negative cut only cuts the same sample; another sample keeps sounding
    assert!(level(dirt!(s: "dc", cut: -1), dirt!(s: "neg", cut: -1)).abs() < 1e-3);
    // cut groups are per orbit
    assert!(level(dirt!(s: "dc", cut: 1, orbit: 1), dirt!(s: "neg", cut: 1)).abs() < 1e-3);
}

#[test]
fn pan_is_equal_power() {
    let root = test_banks("pan");
    let at = |pan: f32| {
        let out = render_one(&root, dirt!(s: "dc", pan: pan), 0.05);
        (out.left[1000], out.right[1000])
    };
    let (l0, r0) = at(0.0);
    assert!((l0 - 0.2).abs() < 1e-5 && r0.abs() < 1e-6, "{l0} {r0}");
    let (l1, r1) = at(1.0);
    assert!(l1.abs() < 1e-6 && (r1 - 0.2).abs() < 1e-5);
    for pan in [0.1, 0.25, 0.5, 0.8] {
        let (l, r) = at(pan);
        let power = l * l + r * r;
        assert!((power - 0.04).abs() < 1e-5, "pan {pan}: {power}");
    }
    let (l, r) = at(0.5);
    assert!((l - r).abs() < 1e-6);
    // a stereo sample keeps its channels apart (Balance2: each side at -3 dB at the centre)
    let out = render_one(&root, dirt!(s: "st"), 0.05);
    assert!(
        (out.left[1000] - 0.5 * CENTRE).abs() < 1e-5
            && (out.right[1000] + 0.25 * CENTRE).abs() < 1e-5
    );
    let out = render_one(&root, dirt!(s: "st", pan: 0.0), 0.05);
    assert!((out.left[1000] - 0.2).abs() < 1e-5 && out.right[1000].abs() < 1e-6);
    // beyond 0..1 the position folds back (SuperDirt's pan.fold(-1, 1)): 1.25 is 0.75
    let (l, r) = at(1.25);
    let (l2, r2) = at(0.75);
    assert!((l - l2).abs() < 1e-6 && (r - r2).abs() < 1e-6);
}

#[test]
fn lpf_lowers_high_frequency_energy_and_hpf_lowers_low() {
    let root = test_banks("lpf");
    let plain = render_one(&root, dirt!(s: "noise"), 0.5);
    let low = render_one(&root, dirt!(s: "noise", lpf: 500.0), 0.5);
    let ratio = hf_energy(&low.left) / hf_energy(&plain.left);
    assert!(ratio < 0.02, "lpf 500 kept {ratio} of the HF energy");
    let sine = render_one(&root, dirt!(s: "sine", hpf: 8000.0), 0.5);
    let plain_sine = render_one(&root, dirt!(s: "sine"), 0.5);
    assert!(rms(&sine.left[2000..20000]) < 0.05 * rms(&plain_sine.left[2000..20000]));
    let band = render_one(&root, dirt!(s: "sine", bpf: 1000.0), 0.5);
    // a band-pass at the sine's frequency passes it (SuperDirt's bpf adds makeup gain)
    assert!(rms(&band.left[4000..20000]) > 0.5 * rms(&plain_sine.left[4000..20000]));
}

#[test]
fn gain_follows_superdirts_fourth_power_curve() {
    let root = test_banks("gain");
    let level = |gain: f32| {
        let out = render_one(&root, dirt!(s: "dc", gain: gain, amp: 0.01), 0.05);
        out.left[1000]
    };
    let unit = level(1.0);
    assert!((unit - 0.005 * std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
    for g in [0.5f32, 0.8, 1.2, 2.0] {
        let r = level(g) / unit;
        assert!((r - g.powi(4)).abs() < 1e-3 * g.powi(4), "gain {g}: {r}");
    }
    assert!(
        (level(3.0) / unit - 16.0).abs() < 0.02,
        "gain is capped at 2"
    );
    assert_eq!(level(0.0), 0.0);
}

#[test]
fn loop_repeats_the_region() {
    let root = test_banks("loop");
    let out = render_one(&root, dirt!(s: "ramp", end: 0.1, loop: 3.0), 0.5);
    assert_ends_at(&out.left, 14400);
    let pass = 4800;
    for k in 0..3 {
        let v = out.left[k * pass + 2000] / CENTRE;
        assert!((v - 2000.0 / 48000.0).abs() < 1e-3, "pass {k}: {v}");
    }
}

#[test]
fn accelerate_sustain_legato_and_pitch() {
    let root = test_banks("accel");
    // accelerate 1: the rate glides from 1 to 2, so the sample ends after 1/1.5 of its length
    let out = render_one(&root, dirt!(s: "dc", accelerate: 1.0), 0.2);
    assert_ends_at(&out.left, 3200);
    let out = render_one(&root, dirt!(s: "dc", sustain: 0.02), 0.2);
    assert!((last_above(&out.left, 1e-6).unwrap() as i64 + 1 - 960).abs() <= 2);
    let out = render_one(&root, dirt!(s: "dc", legato: 0.5, delta: 0.1), 0.2);
    assert!((last_above(&out.left, 1e-6).unwrap() as i64 + 1 - 2400).abs() <= 2);
    let out = render_one(&root, dirt!(s: "sine", note: 12.0), 0.6);
    let f = zero_crossing_freq(&out.left[1000..20000], SR);
    assert!((f - 2000.0).abs() < 5.0, "{f}");
    let out = render_one(&root, dirt!(s: "sine", speed: 0.5), 0.6);
    let f = zero_crossing_freq(&out.left[1000..20000], SR);
    assert!((f - 500.0).abs() < 2.0, "{f}");
}

#[test]
fn the_same_score_gives_the_same_samples() {
    let root = test_banks("determinism");
    let score = [
        play(0.0, dirt!(s: "noise", room: 0.5, size: 0.9)),
        play(
            0.1,
            dirt!(s: "sine", delay: 0.5, delaytime: 0.1, delayfeedback: 0.6),
        ),
        play(0.2, dirt!(s: "ramp", vowel: "o", shape: 0.7, crush: 4.0)),
    ];
    let a = render(&root, &score, 1.0);
    let b = render(&root, &score, 1.0);
    assert_eq!(a.left, b.left);
    assert_eq!(a.right, b.right);
    // the reverb and delay add sound after the dry sounds have ended
    assert!(rms(&a.left[36000..48000]) > 1e-4);
}

#[test]
fn the_oldest_voice_is_stolen_with_a_short_fade() {
    let root = test_banks("steal");
    let score = [
        play(0.0, dirt!(s: "dc", amp: 0.1)),
        play(0.01, dirt!(s: "dc", amp: 0.2)),
        play(0.02, dirt!(s: "neg", amp: 0.4)),
    ];
    let out = render_with(&root, &score, 0.2, 2);
    let f = std::f32::consts::FRAC_1_SQRT_2;
    // after 20 ms + the 5 ms steal fade only the 2nd and 3rd voices remain
    let v = out.left[960 + 240 + 10];
    assert!((v - (0.5 * 0.2 - 0.5 * 0.4) * f).abs() < 1e-4, "{v}");
    // during the fade the level moves smoothly (no jump larger than the voice's level / 20)
    for i in 960..960 + 240 {
        assert!((out.left[i + 1] - out.left[i]).abs() < 0.5 * 0.1 * f / 20.0 + 1e-6);
    }
}

#[test]
fn hostile_values_never_produce_non_finite_output() {
    let root = test_banks("hostile");
    let score = [
        play(0.0, dirt!(s: "noise", speed: f32::NAN, gain: f32::INFINITY)),
        play(
            0.01,
            dirt!(s: "noise", speed: 1.0e30, cutoff: -1.0e30, resonance: 1e9),
        ),
        play(
            0.02,
            dirt!(s: "noise", begin: -5.0, end: 9.0, accelerate: -1.0e9),
        ),
        play(
            0.03,
            dirt!(s: "noise", room: 1e9, size: 1e9, delay: 1e9, delayfeedback: 1e9, delaytime: -3.0),
        ),
        play(
            0.04,
            dirt!(s: "noise", orbit: -7, cut: i32::MIN, coarse: i32::MAX, crush: -4.0),
        ),
        play(
            0.05,
            dirt!(s: "noise", bandf: 0.0, bandq: 0.0, hcutoff: 1e12, squiz: 1e9),
        ),
        play(
            0.06,
            dirt!(s: "noise", attack: -1.0, release: 1e30, sustain: -1.0, legato: 1e30),
        ),
        play(0.07, dirt!(s: "../noise")),
        play(0.08, dirt!(s: "/etc/passwd")),
        play(0.09, dirt!(s: "noise", unit: "c", cps: 0.0, speed: 0.0)),
    ];
    let out = render(&root, &score, 1.0);
    assert!(out
        .left
        .iter()
        .chain(&out.right)
        .all(|x| x.is_finite() && x.abs() <= 1.0));
    assert!(rms(&out.left) > 0.0);
}

#[test]
fn voices_sounding_together_are_the_sum_of_each_alone() {
    let root = test_banks("sum");
    let events = [
        play(0.0, dirt!(s: "noise", lpf: 900.0, speed: 0.7)),
        play(0.003, dirt!(s: "sine", lpf: 3000.0, pan: 0.2)),
        play(0.011, dirt!(s: "ramp", speed: -1.5, pan: 0.9)),
        play(0.02, dirt!(amp: 0.1, s: "noise", speed: 1.3)),
        play(0.021, dirt!(amp: 0.1, s: "st", lpf: 500.0)),
    ];
    let together = render(&root, &events, 0.5);
    let mut sum = vec![0.0f32; together.left.len()];
    for e in &events {
        let alone = render(&root, std::slice::from_ref(e), 0.5);
        for (s, x) in sum.iter_mut().zip(&alone.left) {
            *s += x;
        }
    }
    let max_diff = sum
        .iter()
        .zip(&together.left)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    // (below the limiter's knee, so mixing is linear)
    assert!(max_diff < 1e-6, "{max_diff}");
    assert!(rms(&together.left) > 0.01);
}

#[test]
fn broken_files_are_rejected_and_the_rest_still_plays() {
    let root = test_banks("broken");
    let bad = root.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join("a_empty.wav"), b"").unwrap();
    std::fs::write(bad.join("b_junk.mp3"), [0xffu8; 5000]).unwrap();
    std::fs::write(
        bad.join("c_junk.flac"),
        b"fLaC\0\0\0\x22garbage garbage garbage",
    )
    .unwrap();
    std::fs::write(
        bad.join("d_junk.ogg"),
        b"OggS\0\x02\0\0\0\0\0\0\0\0junkjunkjunk",
    )
    .unwrap();
    let mut riff = b"RIFF\xff\xff\xff\x7fWAVEfmt \x10\0\0\0\x01\0\x02\0\x44\xac\0\0\x10\xb1\x02\0\x04\0\x10\0data\xff\xff\xff\x7f".to_vec();
    riff.extend_from_slice(&[1, 2, 3]);
    std::fs::write(bad.join("e_truncated.wav"), riff).unwrap();
    let mut score: Vec<_> = (0..5)
        .map(|n| play(0.01 * n as f64, dirt!(s: "bad", n: n)))
        .collect();
    score.push(play(0.1, dirt!(s: "dc")));
    let out = render(&root, &score, 0.3);
    assert!((out.left[4800 + 1000] - 0.5 * CENTRE).abs() < 1e-4);
    assert!(out.left.iter().all(|x| x.is_finite()));
}

#[test]
fn many_plain_voices_together_are_the_sum_of_each_alone() {
    let root = test_banks("sum-many");
    // seven plain mono voices on one orbit: rendered as a group of four, a pair and a single
    let events: Vec<_> = (0..7)
        .map(|k| {
            let lpf = if k % 2 == 0 {
                800.0 + 500.0 * k as f32
            } else {
                20000.0
            };
            play(
                0.002 * k as f64,
                dirt!(amp: 0.05, s: if k % 3 == 0 { "sine" } else { "noise" }, lpf: lpf, speed: 0.5 + 0.25 * k as f32, pan: k as f32 / 6.0),
            )
        })
        .collect();
    let together = render(&root, &events, 0.4);
    let mut sum_l = vec![0.0f32; together.left.len()];
    let mut sum_r = vec![0.0f32; together.right.len()];
    for e in &events {
        let alone = render(&root, std::slice::from_ref(e), 0.4);
        for i in 0..sum_l.len() {
            sum_l[i] += alone.left[i];
            sum_r[i] += alone.right[i];
        }
    }
    let diff = |a: &[f32], b: &[f32]| {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0f32, f32::max)
    };
    assert!(diff(&sum_l, &together.left) < 1e-6);
    assert!(diff(&sum_r, &together.right) < 1e-6);
    assert!(rms(&together.left) > 0.005);
}

#[test]
fn samples_at_other_rates_keep_their_duration_and_pitch() {
    let root = test_banks("rates");
    // 0.1 s of dc at 24 kHz and a 1 kHz sine at 44.1 kHz
    write_sample(&root, "dc24", "a.wav", 24000, &[vec![0.5; 2400]]);
    let sine: Vec<f32> = (0..44100)
        .map(|i| (2.0 * std::f32::consts::PI * 1000.0 * i as f32 / 44100.0).sin() * 0.5)
        .collect();
    write_sample(&root, "sine44", "a.wav", 44100, &[sine]);
    let out = render_one(&root, dirt!(s: "dc24"), 0.3);
    assert_ends_at(&out.left, 4800);
    let out = render_one(&root, dirt!(s: "sine44"), 1.1);
    assert_ends_at(&out.left, 48000);
    let f = zero_crossing_freq(&out.left[1000..40000], SR);
    assert!((f - 1000.0).abs() < 1.0, "{f}");
}
