//! Finding the shipped `samples/` and `voices/` folders wherever the command is run from.

use std::path::PathBuf;

/// Candidate locations of the shipped samples, most specific first.
pub fn default_sample_dirs() -> Vec<PathBuf> {
    let mut candidates = Vec::new();
    if let Ok(exe) = std::env::current_exe() {
        let exe = exe.canonicalize().unwrap_or(exe);
        // an installed layout (bin/synth-engine next to share/ostinato/samples),
        // or target/{debug,release}/synth-engine inside the source tree
        for dir in exe.ancestors().skip(1).take(4) {
            candidates.push(dir.join("share/ostinato/samples"));
            candidates.push(dir.join("samples"));
        }
    }
    candidates.push(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../samples"
    )));
    candidates
}

/// The first candidate that exists.
pub fn shipped_samples() -> Option<PathBuf> {
    default_sample_dirs()
        .into_iter()
        .find(|p| {
            p.is_dir()
                && std::fs::read_dir(p)
                    .map(|mut d| d.next().is_some())
                    .unwrap_or(false)
        })
        .map(|p| p.canonicalize().unwrap_or(p))
}

/// Candidate locations of the shipped voice definitions, most specific first.
pub fn default_voice_dirs() -> Vec<PathBuf> {
    let mut candidates = Vec::new();
    if let Ok(exe) = std::env::current_exe() {
        let exe = exe.canonicalize().unwrap_or(exe);
        for dir in exe.ancestors().skip(1).take(4) {
            candidates.push(dir.join("share/ostinato/voices"));
            candidates.push(dir.join("synth-engine/voices"));
        }
    }
    candidates.push(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/voices"
    )));
    candidates
}

/// The first candidate that holds voice definitions.
pub fn shipped_voices() -> Option<PathBuf> {
    default_voice_dirs()
        .into_iter()
        .find(|p| {
            std::fs::read_dir(p)
                .map(|d| {
                    d.filter_map(Result::ok)
                        .any(|e| e.path().extension().is_some_and(|x| x == "voice"))
                })
                .unwrap_or(false)
        })
        .map(|p| p.canonicalize().unwrap_or(p))
}
