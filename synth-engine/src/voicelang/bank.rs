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
    (
        "reverb.voice",
        include_str!("../../voices/effects/reverb.voice"),
    ),
    (
        "delay.voice",
        include_str!("../../voices/effects/delay.voice"),
    ),
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

    /// Loads every `.voice` file of a folder and its subfolders (sorted by their path inside
    /// the folder), or one file. A definition that fails to compile changes nothing and is
    /// reported; a name defined by two files of one load is reported once, naming both, and
    /// the first file's definition is kept.
    pub fn load(&mut self, path: &Path) -> ReloadReport {
        let mut report = ReloadReport::default();
        let files: Vec<PathBuf> = if path.is_dir() {
            match voice_files(path) {
                Ok(files) => files,
                Err(e) => {
                    report.errors.push(io_error(path, &e));
                    return report;
                }
            }
        } else {
            vec![path.to_path_buf()]
        };
        let mut defined = HashMap::new();
        for f in files {
            match std::fs::read_to_string(&f) {
                Ok(text) => {
                    self.load_text(&f.display().to_string(), &text, &mut defined, &mut report)
                }
                Err(e) => report.errors.push(io_error(&f, &e)),
            }
        }
        report
    }

    /// Loads the shipped orbit effects ([`BUILTIN_EFFECTS`]), compiled into the binary: the
    /// definitions every engine starts with, which a voices folder's own may then replace.
    pub fn load_builtin_effects(&mut self) -> ReloadReport {
        let mut report = ReloadReport::default();
        for (file, text) in BUILTIN_EFFECTS {
            self.load_text(
                &format!("(built in) {file}"),
                text,
                &mut HashMap::new(),
                &mut report,
            );
        }
        report
    }

    /// Compiles one definition's `text` (from `shown`) and plans its install; `defined` holds
    /// where each key this load has already installed came from (the first of two files with
    /// one name wins).
    fn load_text(
        &mut self,
        shown: &str,
        text: &str,
        defined: &mut HashMap<String, String>,
        report: &mut ReloadReport,
    ) {
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
        if let Some(first) = defined.get(&key) {
            report.errors.push(VoiceError {
                file: shown,
                line: 1,
                col: 1,
                message: format!(
                    "`{name}` is also defined in {first}; that definition is kept and this one ignored"
                ),
            });
            return;
        }
        defined.insert(key.clone(), shown.clone());
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

/// Every `.voice` file under `dir`, in its subfolders too, sorted by path (so a folder's
/// files come together, in name order).
pub fn voice_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            let path = entry.path();
            // symbolic links to folders are not followed (no loops)
            if entry.file_type()?.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == EXTENSION) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn io_error(path: &Path, e: &std::io::Error) -> VoiceError {
    VoiceError {
        file: path.display().to_string(),
        line: 1,
        col: 1,
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(name: &str, freq: u32) -> String {
        format!("voice {name}\nparam freq = {freq}\nout pan(sine(freq) * 0.1, 0.5)\n")
    }

    #[test]
    fn a_folder_loads_with_its_subfolders_and_a_duplicate_name_keeps_the_first_file() {
        let dir = test_support::temp_dir("bank", "recursive");
        std::fs::create_dir_all(dir.join("keys/soft")).unwrap();
        std::fs::create_dir_all(dir.join("drums")).unwrap();
        std::fs::write(dir.join("top.voice"), tone("top", 110)).unwrap();
        std::fs::write(dir.join("keys/soft/pad.voice"), tone("pad", 220)).unwrap();
        std::fs::write(dir.join("drums/hit.voice"), tone("hit", 330)).unwrap();
        std::fs::write(dir.join("keys/hit.voice"), tone("hit", 440)).unwrap();
        std::fs::write(dir.join("drums/notes.txt"), "not a voice").unwrap();

        let files = voice_files(&dir).unwrap();
        let inside: Vec<_> = files
            .iter()
            .map(|f| f.strip_prefix(&dir).unwrap())
            .collect();
        let expected = [
            "drums/hit.voice",
            "keys/hit.voice",
            "keys/soft/pad.voice",
            "top.voice",
        ];
        assert_eq!(inside, expected.map(Path::new));

        let mut bank = VoiceBank::new(48_000);
        let report = bank.load(&dir);
        assert_eq!(bank.names(), ["hit", "pad", "top"]);
        assert_eq!(report.installs.len(), 3);
        assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
        let e = report.errors[0].to_string();
        assert!(
            e.contains("keys/hit.voice") && e.contains("drums/hit.voice"),
            "{e}"
        );
        // the first file (by path) is the one installed
        let (_, program) = bank.find("hit").unwrap();
        let freq = program.params.iter().find(|p| p.name == "freq").unwrap();
        assert_eq!(freq.default, 330.0);
    }
}
