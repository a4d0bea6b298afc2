//! Helpers for the engine's tests: sample folders with known content, renders, measurements.
#![allow(dead_code)]

pub mod live;

use rosc::OscType;
use std::path::Path;
use synth_engine::render::{render_score, RenderOptions, ScoreLine};
use synth_engine::samples::SampleLibrary;

pub const SR: u32 = 48000;

pub use test_support::TempDir;

/// A fresh temporary folder unique to this test.
pub fn temp_dir(name: &str) -> TempDir {
    test_support::temp_dir("engine", name)
}

/// Writes a float WAV into `<root>/<bank>/<file>`.
pub fn write_sample(root: &Path, bank: &str, file: &str, rate: u32, channels: &[Vec<f32>]) {
    let dir = root.join(bank);
    std::fs::create_dir_all(&dir).unwrap();
    test_support::write_wav(&dir.join(file), rate, channels);
}

/// A folder with test banks:
/// `imp` (a single 1.0 then 9 zeros), `dc` (0.5 for 4800 frames), `neg` (-0.5, 4800),
/// `ramp` (0..1 over 48000 frames), `noise` (white, 24000), `sine` (1 kHz, 48000), `st` (stereo: L 0.5, R -0.25).
pub fn test_banks(name: &str) -> TempDir {
    let root = temp_dir(name);
    let mut imp = vec![0.0f32; 10];
    imp[0] = 1.0;
    write_sample(&root, "imp", "a.wav", SR, &[imp]);
    write_sample(&root, "dc", "a.wav", SR, &[vec![0.5; 4800]]);
    write_sample(&root, "neg", "a.wav", SR, &[vec![-0.5; 4800]]);
    write_sample(
        &root,
        "ramp",
        "a.wav",
        SR,
        &[(0..48000).map(|i| i as f32 / 48000.0).collect()],
    );
    let mut x = 1u32;
    let noise: Vec<f32> = (0..24000)
        .map(|_| {
            x = x.wrapping_mul(1664525).wrapping_add(1013904223);
            (x >> 8) as f32 / (1u32 << 23) as f32 - 1.0
        })
        .collect();
    write_sample(&root, "noise", "a.wav", SR, &[noise]);
    write_sample(
        &root,
        "sine",
        "a.wav",
        SR,
        &[(0..48000)
            .map(|i| (2.0 * std::f32::consts::PI * 1000.0 * i as f32 / SR as f32).sin() * 0.5)
            .collect()],
    );
    write_sample(
        &root,
        "st",
        "a.wav",
        SR,
        &[vec![0.5; 4800], vec![-0.25; 4800]],
    );
    root
}

/// Builds `/dirt/play` args from (name, value) pairs given as JSON-like literals.
pub fn args(pairs: &[(&str, Arg)]) -> Vec<OscType> {
    let mut v = Vec::new();
    for (k, a) in pairs {
        v.push(OscType::String((*k).into()));
        v.push(match a {
            Arg::S(s) => OscType::String((*s).into()),
            Arg::F(f) => OscType::Float(*f),
            Arg::I(i) => OscType::Int(*i),
        });
    }
    v
}

/// One argument value.
#[derive(Clone, Copy, Debug)]
pub enum Arg {
    S(&'static str),
    F(f32),
    I(i32),
}

impl From<&'static str> for Arg {
    fn from(s: &'static str) -> Arg {
        Arg::S(s)
    }
}

impl From<f32> for Arg {
    fn from(f: f32) -> Arg {
        Arg::F(f)
    }
}

impl From<i32> for Arg {
    fn from(i: i32) -> Arg {
        Arg::I(i)
    }
}

/// `/dirt/play` (name, value) pairs written as `dirt!(s: "sine", n: 3, gain: 0.8)`: string,
/// integer and float values become `Arg::S`, `Arg::I` and `Arg::F`.
#[macro_export]
macro_rules! dirt {
    ($($name:ident : $value:expr),* $(,)?) => {
        &[$((stringify!($name), $crate::common::Arg::from($value))),*]
    };
}

/// A `/dirt/play` message from (name, value) pairs.
pub fn dirt_packet(pairs: &[(&str, Arg)]) -> rosc::OscPacket {
    rosc::OscPacket::Message(rosc::OscMessage {
        addr: "/dirt/play".into(),
        args: args(pairs),
    })
}

/// A score line at `time` seconds.
pub fn play(time: f64, pairs: &[(&str, Arg)]) -> ScoreLine {
    ScoreLine {
        time,
        address: "/dirt/play".into(),
        args: args(pairs),
        reload: None,
    }
}

/// Stereo output of a render.
pub struct Rendered {
    pub left: Vec<f32>,
    pub right: Vec<f32>,
}

/// Renders `score` with the banks in `root`.
pub fn render(root: &Path, score: &[ScoreLine], seconds: f64) -> Rendered {
    render_with(root, score, seconds, 256)
}

/// Renders with a voice limit.
pub fn render_with(root: &Path, score: &[ScoreLine], seconds: f64, max_voices: usize) -> Rendered {
    let lib = SampleLibrary::scan(&[root.to_path_buf()]).unwrap();
    let (out, _) = render_score(
        score,
        lib,
        &RenderOptions {
            duration: seconds,
            sample_rate: SR,
            max_voices,
            orbits: 12,
            sample_memory: 64 << 20,
            voices: None,
        },
    );
    Rendered {
        left: out.iter().step_by(2).copied().collect(),
        right: out.iter().skip(1).step_by(2).copied().collect(),
    }
}

/// Index of the first sample whose magnitude exceeds `threshold`.
pub fn first_above(x: &[f32], threshold: f32) -> Option<usize> {
    x.iter().position(|v| v.abs() > threshold)
}

/// Index of the last sample whose magnitude exceeds `threshold`.
pub fn last_above(x: &[f32], threshold: f32) -> Option<usize> {
    x.iter().rposition(|v| v.abs() > threshold)
}

/// Root mean square.
pub fn rms(x: &[f32]) -> f32 {
    if x.is_empty() {
        return 0.0;
    }
    (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt()
}

/// Energy of the first difference (a measure of high-frequency content).
pub fn hf_energy(x: &[f32]) -> f32 {
    x.windows(2).map(|w| (w[1] - w[0]).powi(2)).sum()
}

/// Frequency estimated from upward zero crossings.
pub fn zero_crossing_freq(x: &[f32], sr: u32) -> f32 {
    let crossings: Vec<usize> = x
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0] <= 0.0 && w[1] > 0.0)
        .map(|(i, _)| i)
        .collect();
    if crossings.len() < 2 {
        return 0.0;
    }
    let span = (crossings[crossings.len() - 1] - crossings[0]) as f32;
    (crossings.len() - 1) as f32 * sr as f32 / span
}

/// Renders one event at time 0, with the banks in `root`.
pub fn render_one(root: &Path, pairs: &[(&str, Arg)], seconds: f64) -> Rendered {
    render(root, &[play(0.0, pairs)], seconds)
}
