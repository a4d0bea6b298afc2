//! The house rules of the source tree, checked: every Rust file opens with a `//!` line saying
//! what it is and stays under 700 lines, and no source folder holds more than 14 entries
//! (docs/architecture.md says where each idea lives; these keep it findable).

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 700;
const MAX_ENTRIES: usize = 14;
/// Files of these kinds make a folder a source folder.
const SOURCE_EXTENSIONS: [&str; 3] = ["rs", "pest", "voice"];
/// Folders that are not ours to shape: build output, data, generated material.
const SKIPPED: [&str; 5] = ["target", ".git", "samples", "fixtures", "node_modules"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every folder below `dir` (itself included) that is not skipped.
fn folders(dir: &Path, out: &mut Vec<PathBuf>) {
    out.push(dir.to_path_buf());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if path.is_dir() && !SKIPPED.contains(&name.as_str()) && !name.starts_with('.') {
            folders(&path, out);
        }
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn extension(p: &Path) -> &str {
    p.extension().and_then(|e| e.to_str()).unwrap_or("")
}

fn all_folders() -> Vec<PathBuf> {
    let mut all = Vec::new();
    folders(&repo(), &mut all);
    all
}

#[test]
fn every_rust_file_says_what_it_is_and_stays_small() {
    let mut problems = Vec::new();
    let mut seen = 0;
    for dir in all_folders() {
        for file in files_in(&dir).into_iter().filter(|f| extension(f) == "rs") {
            seen += 1;
            let text = std::fs::read_to_string(&file).unwrap();
            let shown = file.strip_prefix(repo()).unwrap().display().to_string();
            if !text.starts_with("//!") {
                problems.push(format!("{shown}: does not open with a `//!` line"));
            }
            let lines = text.lines().count();
            if lines > MAX_LINES {
                problems.push(format!("{shown}: {lines} lines (at most {MAX_LINES})"));
            }
        }
    }
    assert!(
        seen > 100,
        "only {seen} Rust files found: is the walk right?"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_source_folder_holds_more_than_fourteen_entries() {
    let mut problems = Vec::new();
    let mut source_folders = 0;
    for dir in all_folders() {
        let holds_source = files_in(&dir)
            .iter()
            .any(|f| SOURCE_EXTENSIONS.contains(&extension(f)));
        if !holds_source || dir == repo() {
            continue;
        }
        source_folders += 1;
        let entries = std::fs::read_dir(&dir).unwrap().count();
        if entries > MAX_ENTRIES {
            let shown = dir.strip_prefix(repo()).unwrap().display().to_string();
            problems.push(format!(
                "{shown}/: {entries} entries (at most {MAX_ENTRIES})"
            ));
        }
    }
    assert!(
        source_folders > 20,
        "only {source_folders} source folders found"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
