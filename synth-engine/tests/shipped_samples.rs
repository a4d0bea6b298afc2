//! The shipped `samples/` folder: enough banks, both WAV and FLAC, mono and stereo, all decodable, small.

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
