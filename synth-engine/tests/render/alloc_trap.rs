//! The audio callback under an allocation trap: any allocation or free on the marked thread is counted.
//!
//! Runs the engine's `process` through starts, cuts, steals, effects, orbit
//! effects waking and sleeping, sample installs and evictions, compiled voices
//! and hot reloads of their definitions (state migrated while they sound).
#![allow(unsafe_code)]

#[path = "../common/mod.rs"]
mod common;
use common::Arg::{F, I, S};
use common::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use synth_engine::dispatch::Dispatcher;
use synth_engine::engine::{self, EngineConfig};
use synth_engine::samples::SampleLibrary;

struct Trap;

static TRAPPED: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
}

fn note_if_armed() {
    // try_with: the thread-local may already be gone while a thread shuts down
    if ARMED.try_with(|a| a.get()).unwrap_or(false) {
        TRAPPED.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards to the system allocator unchanged; the only
// addition is a read of a const-initialised thread-local flag and an atomic add,
// neither of which allocates.
unsafe impl GlobalAlloc for Trap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_if_armed();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note_if_armed();
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_if_armed();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_if_armed();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Trap = Trap;

#[test]
fn the_audio_callback_never_allocates_or_frees() {
    let root = test_banks("alloc");
    let lib = SampleLibrary::scan(&[root.to_path_buf()]).unwrap();
    let (mut engine, link) = engine::new(EngineConfig {
        sample_rate: SR,
        max_voices: 24,
        orbits: 4,
    });
    // a budget that holds only a few samples, so evictions happen while voices play
    let mut dispatcher = Dispatcher::new(lib, link, 300_000);
    let shipped = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("voices");
    let loaded = dispatcher.load_voices(&shipped);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    // an edited superpiano (a new node, a changed constant) and a broken one
    let edits = root.join("edits");
    std::fs::create_dir_all(&edits).unwrap();
    let piano = std::fs::read_to_string(shipped.join("keys/superpiano.voice")).unwrap();
    let edited = piano.replace(
        "let tone =",
        "let sub = sine(freq * 0.5) * 0.2\nlet tone = sub +",
    );
    assert_ne!(edited, piano);
    std::fs::write(edits.join("superpiano.voice"), edited).unwrap();
    std::fs::write(
        edits.join("supersaw.voice"),
        "voice supersaw\nlet x = saw(\n",
    )
    .unwrap();
    let banks = ["dc", "neg", "noise", "sine", "ramp", "st", "imp"];
    let mut out = vec![0.0f32; 256 * 2];
    let mut frame = 0f64;
    // probe that the trap works at all
    ARMED.with(|a| a.set(true));
    let v: Vec<u8> = Vec::with_capacity(10);
    drop(v);
    ARMED.with(|a| a.set(false));
    assert!(
        TRAPPED.swap(0, Ordering::Relaxed) >= 1,
        "the trap must see allocations"
    );

    for round in 0..300 {
        // control side (allowed to allocate): a few events per block with every effect
        for k in 0..3 {
            let bank = banks[(round * 3 + k) % banks.len()];
            let pairs = [
                ("s", S(bank)),
                ("cut", I((round % 3) as i32 - 1)),
                ("orbit", I((round % 4) as i32)),
                ("speed", F(if round % 5 == 0 { -1.5 } else { 1.0 })),
                ("lpf", F(2000.0)),
                ("hpf", F(100.0)),
                ("bpf", F(800.0)),
                ("vowel", S("e")),
                ("shape", F(0.5)),
                ("crush", F(6.0)),
                ("coarse", I(2)),
                ("squiz", F(1.5)),
                ("attack", F(0.001)),
                ("release", F(0.05)),
                ("room", F(0.3)),
                ("size", F(0.5)),
                ("delay", F(if round < 200 { 0.4 } else { 0.0 })),
                ("delaytime", F(0.05)),
                ("delayfeedback", F(0.5)),
                ("loop", F(2.0)),
                ("accelerate", F(0.5)),
            ];
            let _ = dispatcher.play(&args(&pairs), Some(frame + 37.0 * k as f64));
        }
        // and plain voices, which the pool renders in groups of four and pairs
        for k in 0..5 {
            let pairs = [
                ("s", S(["noise", "sine", "ramp"][k % 3])),
                ("lpf", F(1500.0 + 100.0 * k as f32)),
                ("speed", F(0.5 + 0.3 * k as f32)),
            ];
            let _ = dispatcher.play(&args(&pairs), Some(frame + 11.0 * k as f64));
        }
        // compiled voices, with per-voice effects, and reloads while they sound
        for (k, name) in ["superpiano", "supersaw", "superclap", "supergong"]
            .iter()
            .enumerate()
        {
            let pairs = [
                ("s", S(name)),
                ("n", I((round % 12) as i32)),
                ("sustain", F(0.05 + 0.01 * k as f32)),
                ("orbit", I(k as i32)),
                ("cutoff", F(if k == 1 { 3000.0 } else { 20000.0 })),
                ("room", F(0.2)),
            ];
            let _ = dispatcher.play(&args(&pairs), Some(frame + 5.0 * k as f64));
        }
        if round % 40 == 20 {
            let from = if round % 80 == 20 { &edits } else { &shipped };
            let report = dispatcher.load_voices(from);
            assert!(!report.log.is_empty());
        }
        // the audio side, under the trap
        ARMED.with(|a| a.set(true));
        engine.process(&mut out, 2, 0);
        ARMED.with(|a| a.set(false));
        frame += 256.0;
        dispatcher.housekeeping();
        dispatcher.link.drain_ticks(|_| {});
    }
    // let everything ring out and the orbits fall asleep, still under the trap
    for _ in 0..2000 {
        ARMED.with(|a| a.set(true));
        engine.process(&mut out, 2, 0);
        ARMED.with(|a| a.set(false));
        dispatcher.housekeeping();
        dispatcher.link.drain_ticks(|_| {});
    }
    let stats = &dispatcher.link.stats;
    assert!(stats.voices_started.load(Ordering::Relaxed) > 500);
    assert!(stats.voices_stolen.load(Ordering::Relaxed) > 0);
    assert!(dispatcher.sample_bytes() <= 300_000);
    assert_eq!(
        TRAPPED.load(Ordering::Relaxed),
        0,
        "allocations on the audio thread"
    );
    assert!(out.iter().all(|x| x.is_finite()));
}
