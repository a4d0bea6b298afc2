//! The engine driven directly: any callback size gives the same samples, and late events are counted.

#[path = "../common/mod.rs"]
mod common;
use common::*;
use std::sync::atomic::Ordering;
use synth_engine::dispatch::Dispatcher;
use synth_engine::engine::{self, EngineConfig};
use synth_engine::samples::SampleLibrary;

/// An engine (16 voices) and its dispatcher over the banks in `root`.
fn engine_on(root: &std::path::Path, orbits: usize, memory: usize) -> (engine::Engine, Dispatcher) {
    let lib = SampleLibrary::scan(&[root.to_path_buf()]).unwrap();
    let (engine, link) = engine::new(EngineConfig {
        sample_rate: SR,
        max_voices: 16,
        orbits,
    });
    (engine, Dispatcher::new(lib, link, memory))
}

fn run_with_callback_sizes(sizes: &[usize], total: usize) -> Vec<f32> {
    let root = test_banks(&format!("blocks-{}", sizes.len()));
    let (mut engine, mut d) = engine_on(&root, 4, 64 << 20);
    let events: [(f64, &[(&str, common::Arg)]); 4] = [
        (10.0, dirt!(s: "sine", lpf: 3000.0, room: 0.4)),
        (
            333.0,
            dirt!(s: "noise", vowel: "a", delay: 0.3, delaytime: 0.01, orbit: 1),
        ),
        (1000.0, dirt!(s: "ramp", speed: -1.3, crush: 5.0, cut: 2)),
        (
            1001.0,
            dirt!(s: "dc", cut: 2, accelerate: 0.5, attack: 0.01),
        ),
    ];
    for (frame, pairs) in events {
        d.play(&args(pairs), Some(frame)).unwrap();
    }
    // compiled voices (audio-rate filter cutoffs, a ladder, delay lines) and the defined orbit effects
    let shipped = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("voices");
    assert!(d.load_voices(&shipped).errors.is_empty());
    let voices: [(f64, &[(&str, common::Arg)]); 5] = [
        (50.0, dirt!(s: "superpiano", n: 3, sustain: 0.2, orbit: 2)),
        (
            77.0,
            dirt!(s: "superhoover", sustain: 0.2, room: 0.3, orbit: 2),
        ),
        (
            500.0,
            dirt!(s: "superclap", orbit: 3, delay: 0.5, delaytime: 0.03),
        ),
        (
            1500.0,
            dirt!(s: "superpwm", sustain: 0.1, cutoff: 900.0, orbit: 3),
        ),
        (2345.0, dirt!(s: "superfm", sustain: 0.1, orbit: 2)),
    ];
    for (frame, pairs) in voices {
        d.play(&args(pairs), Some(frame)).unwrap();
    }
    let mut out = Vec::new();
    let mut k = 0;
    while out.len() < total * 2 {
        let n = sizes[k % sizes.len()].min(total - out.len() / 2);
        k += 1;
        let mut buf = vec![0.0f32; n * 2];
        engine.process(&mut buf, 2, 0);
        out.extend_from_slice(&buf);
    }
    out
}

#[test]
fn any_callback_size_gives_the_same_samples() {
    let a = run_with_callback_sizes(&[128], 20000);
    let b = run_with_callback_sizes(&[1, 7, 300, 64, 999, 3], 20000);
    assert_eq!(a.len(), b.len());
    let max_diff = a
        .iter()
        .zip(&b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0f32, f32::max);
    assert_eq!(max_diff, 0.0);
    assert!(rms(&a) > 0.01);
}

#[test]
fn a_late_event_plays_at_once_and_is_counted() {
    let root = test_banks("late");
    let (mut engine, mut d) = engine_on(&root, 2, 64 << 20);
    let mut buf = vec![0.0f32; 256 * 2];
    for _ in 0..4 {
        engine.process(&mut buf, 2, 0); // now at frame 1024
    }
    d.play(&args(dirt!(s: "imp")), Some(500.0)).unwrap();
    engine.process(&mut buf, 2, 0);
    assert!(
        buf[0].abs() > 0.2,
        "the late event starts at the first frame of the block"
    );
    assert!(buf[2..].iter().all(|x| x.abs() < 1e-3 || x.abs() > 0.2));
    let stats = d.link.stats.clone();
    assert_eq!(stats.late_events.load(Ordering::Relaxed), 1);
    assert_eq!(stats.max_late_frames.load(Ordering::Relaxed), 524);
    // "as soon as possible" (a bare message) is never counted late
    d.play(&args(dirt!(s: "imp")), None).unwrap();
    engine.process(&mut buf, 2, 0);
    assert!(buf[0].abs() > 0.2);
    assert_eq!(stats.late_events.load(Ordering::Relaxed), 1);
}

#[test]
fn an_idle_orbit_falls_asleep_after_its_tail() {
    let root = test_banks("sleep");
    let (mut engine, mut d) = engine_on(&root, 12, 64 << 20);
    d.play(
        &args(
            dirt!(s: "imp", room: 0.8, size: 0.5, delay: 0.5, delaytime: 0.05, delayfeedback: 0.5),
        ),
        Some(0.0),
    )
    .unwrap();
    let mut buf = vec![0.0f32; 512 * 2];
    engine.process(&mut buf, 2, 0);
    assert!(engine.busy_orbits() >= 1);
    let mut frames = 512;
    while engine.busy_orbits() > 0 {
        engine.process(&mut buf, 2, 0);
        frames += 512;
        assert!(frames < 48000 * 60, "the orbit never fell asleep");
    }
    // asleep means silent output
    engine.process(&mut buf, 2, 0);
    assert!(buf.iter().all(|x| *x == 0.0));
    assert!(
        frames > 4800,
        "the tails rang for a while ({frames} frames)"
    );
}

#[test]
fn background_loading_parks_events_until_their_sample_is_ready() {
    let root = test_banks("loader");
    // a long stereo file (20 s) that takes a while to decode
    let long: Vec<f32> = (0..SR as usize * 20)
        .map(|i| ((i % 100) as f32 / 100.0) - 0.5)
        .collect();
    write_sample(&root, "long", "a.wav", SR, &[long.clone(), long]);
    let (mut engine, mut d) = engine_on(&root, 2, 512 << 20);
    d.load_in_background().unwrap();
    d.play(&args(dirt!(s: "long")), Some(4800.0)).unwrap();
    d.play(&args(dirt!(s: "imp")), Some(2400.0)).unwrap();
    assert!(d.loading(), "play() returned before decoding");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while d.loading() {
        assert!(
            std::time::Instant::now() < deadline,
            "loading never finished"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
        d.housekeeping();
    }
    let mut out = vec![0.0f32; 9600 * 2];
    engine.process(&mut out, 2, 0);
    let left: Vec<f32> = out.iter().step_by(2).copied().collect();
    assert_eq!(
        first_above(&left, 1e-6),
        Some(2400),
        "the click on its frame"
    );
    assert_eq!(
        first_above(&left[2410..], 1e-6).map(|i| i + 2410),
        Some(4800),
        "the long sample on its frame"
    );
    assert_eq!(d.link.stats.voices_started.load(Ordering::Relaxed), 2);
}

#[test]
fn a_full_pending_queue_gives_way_to_sooner_events() {
    let root = test_banks("pending-full");
    let (mut engine, mut d) = engine_on(&root, 2, 64 << 20);
    let mut buf = vec![0.0f32; 256 * 2];
    let far = 50.0 * SR as f64;
    // the queue fills with events 50 s ahead, then more come for even later
    let extra = 100;
    for k in 0..engine::PENDING_CAPACITY + extra {
        let at = if k < engine::PENDING_CAPACITY {
            far
        } else {
            far + 1000.0
        };
        d.play(&args(dirt!(s: "imp")), Some(at)).unwrap();
        if k % 1000 == 0 {
            engine.process(&mut buf, 2, 0);
        }
    }
    engine.process(&mut buf, 2, 0);
    let stats = d.link.stats.clone();
    assert_eq!(stats.pending_overflow.load(Ordering::Relaxed), extra as u64);
    assert!(buf.iter().all(|x| *x == 0.0));
    // an event due now still plays on its frame: one of the furthest gives way
    let now = engine.frame();
    d.play(&args(dirt!(s: "imp")), Some(now as f64 + 100.0))
        .unwrap();
    engine.process(&mut buf, 2, 0);
    assert_eq!(
        stats.pending_overflow.load(Ordering::Relaxed),
        extra as u64 + 1
    );
    assert_eq!(first_above(&buf, 0.2), Some(200), "left of frame 100");
    assert_eq!(stats.voices_started.load(Ordering::Relaxed), 1);
}
