//! The shipped `samples/` folder: enough banks, both WAV and FLAC, mono and stereo, all decodable, small.

#[path = "../common/mod.rs"]
mod common;
use common::zero_crossing_freq;
use std::path::PathBuf;
use synth_engine::samples::decode::decode_file;
use synth_engine::samples::SampleLibrary;

fn shipped() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../samples"))
}

#[test]
fn shipped_banks_decode_and_fit_the_size_budget() {
    let root = shipped();
    let lib = SampleLibrary::scan(std::slice::from_ref(&root)).unwrap();
    let banks = lib.bank_names();
    assert!(banks.len() >= 8, "{banks:?}");
    for b in [
        "bd", "sn", "hh", "cp", "click", "arpy", "drum", "bev", "break", "bass", "hh27", "odx",
    ] {
        assert!(lib.bank_len(b) >= 1, "bank {b} missing");
    }
    let mut bytes = 0u64;
    let (mut wav, mut flac, mut mono, mut stereo) = (0, 0, 0, 0);
    for f in lib.all_files() {
        bytes += std::fs::metadata(&f.path).unwrap().len();
        match f.path.extension().and_then(|e| e.to_str()) {
            Some("wav") => wav += 1,
            Some("flac") => flac += 1,
            _ => {}
        }
        let b = decode_file(&f.path, 1 << 24).unwrap_or_else(|e| panic!("{e}"));
        assert!(b.frames() > 0);
        if b.channel_count() == 1 {
            mono += 1;
        } else {
            stereo += 1;
        }
    }
    assert!(bytes < 3 * 1024 * 1024, "{bytes} bytes");
    assert!(
        wav > 0 && flac > 0 && mono > 0 && stereo > 0,
        "{wav} {flac} {mono} {stereo}"
    );
    // several variants in the main banks
    for b in ["bd", "sn", "hh", "cp", "arpy"] {
        assert!(lib.bank_len(b) >= 3, "{b}");
    }
}

#[test]
fn the_click_is_a_sharp_onset() {
    let lib = SampleLibrary::scan(&[shipped()]).unwrap();
    let f = lib.lookup("click", 0.0).unwrap();
    let b = decode_file(&f.path, 1 << 20).unwrap();
    assert_eq!(b.sample_rate(), 48000);
    assert!(b.frame(0, 0) > 0.99);
    // nearly all energy within the first 5 ms
    let total: f32 = (0..b.frames() as isize)
        .map(|i| b.frame(0, i).powi(2))
        .sum();
    let early: f32 = (0..240).map(|i| b.frame(0, i).powi(2)).sum();
    assert!(early / total > 0.99);
}

/// Decodes a fixture, checks its (channels, sample rate) and its length (within `slack`
/// frames), and returns its channels.
fn decode_fixture(name: &str, layout: (usize, u32), frames: i64, slack: i64) -> Vec<Vec<f32>> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"));
    let b = decode_file(&dir.join(name), 1 << 20).unwrap();
    assert_eq!((b.channel_count(), b.sample_rate()), layout);
    assert!((b.frames() as i64 - frames).abs() < slack, "{}", b.frames());
    (0..b.channel_count())
        .map(|ch| (0..b.frames() as isize).map(|i| b.frame(ch, i)).collect())
        .collect()
}

#[test]
fn ogg_vorbis_and_mp3_decode_with_their_pitch() {
    let ogg = decode_fixture("sine440.ogg", (1, 44100), 11025, 1200);
    assert!((zero_crossing_freq(&ogg[0][500..10000], 44100) - 440.0).abs() < 2.0);

    let mp3 = decode_fixture("sine440_880.mp3", (2, 48000), 12000, 2400);
    let (l, r) = (&mp3[0], &mp3[1]);
    assert!((zero_crossing_freq(&l[2000..10000], 48000) - 440.0).abs() < 3.0);
    assert!((zero_crossing_freq(&r[2000..10000], 48000) - 880.0).abs() < 3.0);
}
