//! The control side's voice definitions: names to program ids, loading a folder or file, and planning each reload.

use super::migrate;
use super::{compile_text, VoiceError, EXTENSION};
use crate::program::Program;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Most voice definitions loaded at once (the engine's program table).
pub const MAX_DEFINITIONS: usize = 256;

/// The orbit effects shipped in voices/, compiled into the binary (file name, text): the one
/// definition of the orbit reverb and delay, installed on every engine before any folder loads.
pub const BUILTIN_EFFECTS: [(&str, &str); 2] = [
    ("reverb.voice", include_str!("../../voices/reverb.voice")),
    ("delay.voice", include_str!("../../voices/delay.voice")),
];

struct Entry {
    id: u16,
    /// The installed program (without its migration), for lookups and the next diff.
    program: Program,
    /// The text it was compiled from.
    text: String,
}

/// A compiled program ready to be installed under `id`.
pub struct Compiled {
    pub id: u16,
    pub program: Box<Program>,
}

/// What a load or reload did.
#[derive(Default)]
pub struct ReloadReport {
    pub installs: Vec<Compiled>,
    /// One line per definition: new, or how many nodes kept their state.
    pub log: Vec<String>,
    pub errors: Vec<VoiceError>,
}

/// Every loaded definition.
pub struct VoiceBank {
    sample_rate: f32,
    entries: HashMap<String, Entry>,
    next_id: u16,
}

impl VoiceBank {
    pub fn new(sample_rate: u32) -> VoiceBank {
        VoiceBank {
            sample_rate: sample_rate as f32,
            entries: HashMap::new(),
            next_id: 0,
        }
    }

    /// The program id and program installed for `name`.
    pub fn find(&self, name: &str) -> Option<(u16, &Program)> {
        self.entries
            .get(name)
            .filter(|e| e.program.effect.is_none())
            .map(|e| (e.id, &e.program))
    }

    /// Names of all loaded voices, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.entries.keys().cloned().collect();
        v.sort();
        v
    }

    /// Loads every `.voice` file of a folder (sorted by name), or one file. A definition that
    /// fails to compile changes nothing and is reported.
    pub fn load(&mut self, path: &Path) -> ReloadReport {
        let mut report = ReloadReport::default();
        let files: Vec<PathBuf> = if path.is_dir() {
            let mut files: Vec<PathBuf> = match std::fs::read_dir(path) {
                Ok(d) => d
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == EXTENSION))
                    .collect(),
                Err(e) => {
                    report.errors.push(io_error(path, &e));
                    return report;
                }
            };
            files.sort();
            files
        } else {
            vec![path.to_path_buf()]
        };
        for f in files {
            self.load_file(&f, &mut report);
        }
        report
    }

    /// Loads the shipped orbit effects ([`BUILTIN_EFFECTS`]), compiled into the binary: the
    /// definitions every engine starts with, which a voices folder's own may then replace.
    pub fn load_builtin_effects(&mut self) -> ReloadReport {
        let mut report = ReloadReport::default();
        for (file, text) in BUILTIN_EFFECTS {
            self.load_text(&format!("(built in) {file}"), text, &mut report);
        }
        report
    }

    fn load_file(&mut self, path: &Path, report: &mut ReloadReport) {
        match std::fs::read_to_string(path) {
            Ok(text) => self.load_text(&path.display().to_string(), &text, report),
            Err(e) => report.errors.push(io_error(path, &e)),
        }
    }

    /// Compiles one definition's `text` (from `shown`) and plans its install.
    fn load_text(&mut self, shown: &str, text: &str, report: &mut ReloadReport) {
        let shown = shown.to_string();
        let (mut program, renames) = match compile_text(&shown, text, self.sample_rate) {
            Ok(p) => p,
            Err(e) => {
                report.errors.push(e);
                return;
            }
        };
        // effects live beside voices under their own key (a voice may be called `delay`)
        let key = match program.effect {
            Some(_) => format!("effect {}", program.name),
            None => program.name.clone(),
        };
        let name = program.name.clone();
        let plain = program.clone();
        let id = match self.entries.get(&key) {
            Some(old) => {
                let (migration, kept) = migrate::plan(&old.program, &program, &renames);
                program.migration = Some(migration);
                report.log.push(format!(
                    "{name}: {} of {} nodes kept state",
                    kept.kept, kept.nodes
                ));
                if old.text == text {
                    // the same definition again (the shipped effects a folder loads at start):
                    // the engine keeps running what it has
                    return;
                }
                old.id
            }
            None => {
                if self.next_id as usize >= MAX_DEFINITIONS {
                    report.errors.push(VoiceError {
                        file: shown,
                        line: 1,
                        col: 1,
                        message: format!("more than {MAX_DEFINITIONS} voice definitions"),
                    });
                    return;
                }
                self.next_id += 1;
                report.log.push(format!(
                    "{name}: new voice ({} nodes)",
                    program.layout.len()
                ));
                self.next_id - 1
            }
        };
        let text = text.to_string();
        self.entries.insert(
            key,
            Entry {
                id,
                program: plain,
                text,
            },
        );
        report.installs.push(Compiled {
            id,
            program: Box::new(program),
        });
    }
}

fn io_error(path: &Path, e: &std::io::Error) -> VoiceError {
    VoiceError {
        file: path.display().to_string(),
        line: 1,
        col: 1,
        message: e.to_string(),
    }
}
