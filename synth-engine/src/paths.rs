//! Finding the shipped `samples/` and `voices/` folders wherever the command is run from.

use std::path::PathBuf;

/// Candidate locations of a shipped folder, most specific first: `share/ostinato/SHARED`
/// or `IN_TREE` beside an ancestor of the executable (an installed layout, or
/// target/{debug,release}/synth-engine inside the source tree), then `FROM_MANIFEST`
/// (the source tree this was built from).
fn candidates(shared: &str, in_tree: &str, from_manifest: PathBuf) -> Vec<PathBuf> {
    let mut candidates = Vec::new();
    if let Ok(exe) = std::env::current_exe() {
        let exe = exe.canonicalize().unwrap_or(exe);
        for dir in exe.ancestors().skip(1).take(4) {
            candidates.push(dir.join("share/ostinato").join(shared));
            candidates.push(dir.join(in_tree));
        }
    }
    candidates.push(from_manifest);
    candidates
}

/// The first of `candidates` whose entries satisfy `holds`, canonicalised.
fn first_holding(
    candidates: Vec<PathBuf>,
    holds: impl Fn(std::fs::ReadDir) -> bool,
) -> Option<PathBuf> {
    candidates
        .into_iter()
        .find(|p| std::fs::read_dir(p).map(&holds).unwrap_or(false))
        .map(|p| p.canonicalize().unwrap_or(p))
}

/// Candidate locations of the shipped samples, most specific first.
pub fn default_sample_dirs() -> Vec<PathBuf> {
    let tree = concat!(env!("CARGO_MANIFEST_DIR"), "/../samples");
    candidates("samples", "samples", PathBuf::from(tree))
}

/// The first candidate that exists and is not empty.
pub fn shipped_samples() -> Option<PathBuf> {
    first_holding(default_sample_dirs(), |mut d| d.next().is_some())
}

/// Candidate locations of the shipped voice definitions, most specific first.
pub fn default_voice_dirs() -> Vec<PathBuf> {
    let tree = concat!(env!("CARGO_MANIFEST_DIR"), "/voices");
    candidates("voices", "synth-engine/voices", PathBuf::from(tree))
}

/// The first candidate that holds voice definitions (in it or in its subfolders).
pub fn shipped_voices() -> Option<PathBuf> {
    default_voice_dirs()
        .into_iter()
        .find(|p| crate::voicelang::bank::voice_files(p).is_ok_and(|f| !f.is_empty()))
        .map(|p| p.canonicalize().unwrap_or(p))
}
