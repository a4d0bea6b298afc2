//! Broken files under the real binary: a corrupt, a truncated and an empty sample in a bank
//! with good ones; a voices folder with broken definitions at start-up. Each fault is
//! reported with its file (and line:col for definitions); everything else still plays.

#[path = "../common/mod.rs"]
mod common;
use common::live::*;
use common::*;
use rosc::{OscBundle, OscMessage, OscPacket, OscType};
use std::net::UdpSocket;
use std::path::Path;

/// Sends `(sound, n)` events `gap` seconds apart from `t0`, in Tidal-style bundles.
fn send_events(engine: &LiveEngine, events: &[(&str, i32)], t0: f64, gap: f64) -> Vec<f64> {
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut times = Vec::new();
    for (k, (sound, n)) in events.iter().enumerate() {
        let at = t0 + gap * k as f64;
        let p = OscPacket::Bundle(OscBundle {
            timetag: timetag(at),
            content: vec![OscPacket::Message(OscMessage {
                addr: "/dirt/play".into(),
                args: vec![
                    OscType::String("s".into()),
                    OscType::String((*sound).into()),
                    OscType::String("n".into()),
                    OscType::Int(*n),
                ],
            })],
        });
        client.send_to(&encode(&p), engine.target()).unwrap();
        times.push(at);
    }
    times
}

/// What a run of events through the engine left: the level after each, and stderr.
struct Run<'a> {
    events: &'a [(&'a str, i32)],
    levels: Vec<f32>,
    stderr: String,
}

/// Plays `events` `gap` apart on the engine writing `wav`, stops it once the last has
/// sounded (it must not panic), and measures the level after each event.
fn play_through<'a>(
    engine: &mut LiveEngine,
    wav: &Path,
    events: &'a [(&'a str, i32)],
    gap: f64,
) -> Run<'a> {
    let origin = engine.origin.unwrap();
    let times = send_events(engine, events, unix_now() + 0.3, gap);
    LiveEngine::wait_until(times[times.len() - 1] + 0.4, 10);
    assert!(engine.stop().success());
    let stderr = engine.stderr();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Run {
        events,
        levels: levels(wav, origin, &times),
        stderr,
    }
}

impl Run<'_> {
    /// Each event was heard (its level above `threshold`) or not, as `expect` says.
    fn assert_heard(&self, threshold: f32, expect: &[bool]) {
        let (l, stderr) = (&self.levels, &self.stderr);
        for (k, expect_sound) in expect.iter().enumerate() {
            assert_eq!(
                l[k] > threshold,
                *expect_sound,
                "event {k} ({:?}): level {}; all {l:?}\n{stderr}",
                self.events[k],
                l[k]
            );
        }
    }
}

/// RMS of the left channel in the 0.2 s after each time.
fn levels(wav: &Path, origin: f64, times: &[f64]) -> Vec<f32> {
    let (left, _) = read_stereo(wav);
    times
        .iter()
        .map(|t| {
            let f = ((t - origin) * SR as f64).round() as usize;
            rms(&left[f.min(left.len())..(f + 9600).min(left.len())])
        })
        .collect()
}

#[test]
fn a_corrupt_sample_is_named_and_the_rest_of_its_bank_plays() {
    let root = temp_dir("corrupt-sample");
    // x: a (good), b (corrupt), c (truncated), d (good), e (empty)
    write_sample(&root, "x", "a.wav", SR, &[vec![0.5; 4800]]);
    let mut junk = b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec();
    let mut r = 7u32;
    junk.extend((0..4000).map(|_| {
        r = r.wrapping_mul(1664525).wrapping_add(1013904223);
        (r >> 24) as u8
    }));
    std::fs::write(root.join("x").join("b.wav"), junk).unwrap();
    write_sample(&root, "x", "c.wav", SR, &[vec![0.5; 9600]]);
    let c = root.join("x").join("c.wav");
    let cut = std::fs::metadata(&c).unwrap().len() / 2;
    std::fs::OpenOptions::new()
        .write(true)
        .open(&c)
        .unwrap()
        .set_len(cut)
        .unwrap();
    write_sample(&root, "x", "d.wav", SR, &[vec![-0.5; 4800]]);
    std::fs::write(root.join("x").join("e.wav"), b"").unwrap();

    const GAP: f64 = 0.25;
    let wav = root.join("out.wav");
    let mut engine = LiveEngine::with_wav(&root, &wav, &[]);
    // each file, then each again (the broken ones are then known bad)
    let events = [0, 1, 2, 3, 4, 1, 0].map(|n| ("x", n));
    let run = play_through(&mut engine, &wav, &events, GAP);
    let stderr = &run.stderr;
    for bad in ["b.wav", "e.wav"] {
        let named = stderr
            .lines()
            .any(|l| l.contains("cannot play a sample") && l.contains(bad));
        assert!(named, "{bad} not named:\n{stderr}");
    }
    // good files play; the truncated one plays what it has; the broken ones are silent
    run.assert_heard(0.05, &[true, false, true, true, false, false, true]);
}

#[test]
fn a_broken_voice_file_is_named_and_the_other_voices_play() {
    let root = test_banks("broken-voice");
    let voices = root.join("voices");
    std::fs::create_dir_all(&voices).unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("voices");
    for f in synth_engine::voicelang::bank::voice_files(&shipped).unwrap() {
        std::fs::copy(&f, voices.join(f.file_name().unwrap())).unwrap();
    }
    // a syntax error, an unknown function, and a shipped voice overwritten with junk
    std::fs::write(
        voices.join("broken.voice"),
        "voice broken\nparam amp = 0.4\nlet x = saw(440\nout x\n",
    )
    .unwrap();
    std::fs::write(
        voices.join("unknown.voice"),
        "voice unknown\nparam amp = 0.4\nlet x = nosuchugen(440)\nout pan(x * amp, 0.5)\n",
    )
    .unwrap();
    std::fs::write(voices.join("superchip.voice"), "\u{0}\u{1}garbage{{{").unwrap();

    // apart enough for a short voice's tail to end before the next (a missing one follows
    // only short ones)
    const GAP: f64 = 0.6;
    let wav = root.join("out.wav");
    let v = voices.display().to_string();
    let mut engine = LiveEngine::with_wav(&root, &wav, &["--voices", &v]);
    let events = [
        ("superkick", 0),
        ("broken", 0),
        ("superhat", 0),
        ("unknown", 0),
        ("superchip", 0),
        ("supersaw", 0),
        ("superpiano", 0),
    ];
    let run = play_through(&mut engine, &wav, &events, GAP);
    let stderr = &run.stderr;
    // each broken file is named with a line and column
    for (file, line) in [
        ("broken.voice", Some(4)),
        ("unknown.voice", Some(3)),
        ("superchip.voice", Some(1)),
    ] {
        let at = stderr
            .lines()
            .find_map(|l| {
                l.split_once(&format!("{file}:"))
                    .map(|(_, rest)| rest.to_string())
            })
            .unwrap_or_else(|| panic!("{file} not named:\n{stderr}"));
        let mut parts = at.splitn(3, ':');
        let l: usize = parts
            .next()
            .and_then(|x| x.parse().ok())
            .unwrap_or_else(|| panic!("{at}"));
        let c: usize = parts
            .next()
            .and_then(|x| x.parse().ok())
            .unwrap_or_else(|| panic!("{at}"));
        assert!(l >= 1 && c >= 1, "{at}");
        if let Some(expected) = line {
            assert_eq!(l, expected, "{file}:{at}");
        }
    }
    run.assert_heard(0.01, &[true, false, true, false, false, true, true]);
}
