//! The index of sample banks on disk (Dirt-Samples layout: `<root>/<bank>/<files>`).
//!
//! Sound names are only ever looked up in this index, never joined onto a path,
//! so no name can reach a file outside the sample folders.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// File extensions the decoder understands.
pub const AUDIO_EXTENSIONS: [&str; 9] = [
    "wav", "aif", "aiff", "aifc", "wave", "flac", "ogg", "oga", "mp3",
];

/// The extensions SuperDirt loads: a bank's files of these come first, so `n` picks the same file.
pub const SUPERDIRT_EXTENSIONS: [&str; 4] = ["wav", "aif", "aiff", "aifc"];

/// One audio file of a bank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleFile {
    pub path: PathBuf,
    /// Stable key (bank index << 16 | file index) used for negative `cut`.
    pub key: u32,
}

/// Why a sample folder could not be indexed.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("sample folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Banks by name; in each bank the files SuperDirt reads first, sorted by name (byte order,
/// as SuperDirt), then the other formats, sorted; folders given first come first.
#[derive(Debug, Default)]
pub struct SampleLibrary {
    banks: HashMap<String, Vec<SampleFile>>,
    bank_names: Vec<String>,
    roots: Vec<PathBuf>,
    /// The key of every file ever indexed, so that a rescan keeps them.
    keys: HashMap<PathBuf, u32>,
    /// The next file number of each bank (by bank index), never reused.
    next_in_bank: HashMap<usize, u32>,
}

/// The file's extension in lower case, if it is one of `list`.
fn has_extension(path: &Path, list: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| list.contains(&e.to_ascii_lowercase().as_str()))
        .unwrap_or(false)
}

/// Whether the file's extension is one the decoder understands.
pub fn is_audio(path: &Path) -> bool {
    has_extension(path, &AUDIO_EXTENSIONS)
}

/// Where a file goes within its bank: SuperDirt's formats first, then by name (byte order).
fn bank_order(name: &str, path: &Path) -> (bool, String) {
    (
        !has_extension(path, &SUPERDIRT_EXTENSIONS),
        name.to_string(),
    )
}

impl SampleLibrary {
    /// Scans each root for bank folders. Files whose real path leaves the root are skipped.
    pub fn scan(roots: &[PathBuf]) -> Result<SampleLibrary, LibraryError> {
        SampleLibrary::scan_keeping(roots, SampleLibrary::default())
    }

    /// Scans the same folders again (files added, changed or removed); a file still there
    /// keeps its key, a new one gets a key never used before.
    pub fn rescan(&self) -> Result<SampleLibrary, LibraryError> {
        let previous = SampleLibrary {
            bank_names: self.bank_names.clone(),
            keys: self.keys.clone(),
            next_in_bank: self.next_in_bank.clone(),
            ..SampleLibrary::default()
        };
        SampleLibrary::scan_keeping(&self.roots, previous)
    }

    fn scan_keeping(
        roots: &[PathBuf],
        mut lib: SampleLibrary,
    ) -> Result<SampleLibrary, LibraryError> {
        for root in roots {
            let canon_root = root.canonicalize().map_err(|source| LibraryError::Io {
                path: root.clone(),
                source,
            })?;
            let mut bank_dirs: Vec<(String, PathBuf)> = std::fs::read_dir(&canon_root)
                .map_err(|source| LibraryError::Io {
                    path: root.clone(),
                    source,
                })?
                .filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
                .filter(|(name, _)| crate::dispatch::dirt_event::valid_sound_name(name))
                .collect();
            bank_dirs.sort();
            for (name, dir) in bank_dirs {
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                let mut files: Vec<(String, PathBuf)> = entries
                    .filter_map(Result::ok)
                    .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
                    .filter(|(_, p)| p.is_file() && is_audio(p))
                    .filter(|(_, p)| {
                        p.canonicalize()
                            .map(|c| c.starts_with(&canon_root))
                            .unwrap_or(false)
                    })
                    .collect();
                files.sort_by_cached_key(|(name, path)| bank_order(name, path));
                if files.is_empty() {
                    continue;
                }
                let bank_index = match lib.bank_names.iter().position(|b| *b == name) {
                    Some(i) => i,
                    None => {
                        lib.bank_names.push(name.clone());
                        lib.bank_names.len() - 1
                    }
                };
                let bank = lib.banks.entry(name).or_default();
                for (_, path) in files {
                    let key = *lib.keys.entry(path.clone()).or_insert_with(|| {
                        let next = lib.next_in_bank.entry(bank_index).or_insert(0);
                        *next += 1;
                        ((bank_index as u32) << 16) | ((*next - 1) & 0xffff)
                    });
                    bank.push(SampleFile { path, key });
                }
            }
            lib.roots.push(canon_root);
        }
        Ok(lib)
    }

    /// The file for `bank` and `n`, if the bank exists: `n` is truncated to an integer
    /// and wraps around the bank, negative too (SuperDirt's `wrapAt(n.asInteger)`).
    pub fn lookup(&self, bank: &str, n: f64) -> Option<&SampleFile> {
        let files = self.banks.get(bank)?;
        let len = files.len() as i64;
        let i = (n.trunc() as i64).rem_euclid(len);
        files.get(i as usize)
    }

    /// Names of all banks, sorted.
    pub fn bank_names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.banks.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    /// Number of files in a bank.
    pub fn bank_len(&self, bank: &str) -> usize {
        self.banks.get(bank).map(Vec::len).unwrap_or(0)
    }

    /// Every file of every bank.
    pub fn all_files(&self) -> impl Iterator<Item = &SampleFile> {
        self.banks.values().flatten()
    }

    /// The canonical sample folders.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("ostinato-lib-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn banks_sorted_by_name_and_n_wraps() {
        let root = temp_dir("wrap");
        std::fs::create_dir_all(root.join("bd")).unwrap();
        for f in ["b.wav", "a.flac", "c.mp3", "notes.txt"] {
            std::fs::write(root.join("bd").join(f), b"x").unwrap();
        }
        let lib = SampleLibrary::scan(std::slice::from_ref(&root)).unwrap();
        assert_eq!(lib.bank_len("bd"), 3);
        // SuperDirt reads only the WAV, so it is n 0 on both engines; the others follow
        let name = |n: f64| {
            lib.lookup("bd", n)
                .unwrap()
                .path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        };
        assert_eq!(name(0.0), "b.wav");
        assert_eq!(name(1.0), "a.flac");
        assert_eq!(name(3.0), "b.wav");
        assert_eq!(name(-1.0), "c.mp3");
        assert_eq!(name(-1.5), "c.mp3");
        assert_eq!(name(2.9), "c.mp3");
        assert!(lib.lookup("sn", 0.0).is_none());
        assert!(lib.lookup("..", 0.0).is_none());
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn superdirt_formats_come_first_in_byte_order() {
        let root = temp_dir("order");
        std::fs::create_dir_all(root.join("rave2")).unwrap();
        for f in [
            "b.ogg", "a.ogg", "d.AIF", "c.wav", "B.aiff", "e.aifc", "a.flac", "x.wave",
        ] {
            std::fs::write(root.join("rave2").join(f), b"x").unwrap();
        }
        let lib = SampleLibrary::scan(std::slice::from_ref(&root)).unwrap();
        let names: Vec<String> = (0..lib.bank_len("rave2"))
            .map(|n| {
                let f = lib.lookup("rave2", n as f64).unwrap();
                f.path.file_name().unwrap().to_string_lossy().into_owned()
            })
            .collect();
        // upper case sorts before lower case (byte order), as in SuperDirt
        assert_eq!(
            names,
            ["B.aiff", "c.wav", "d.AIF", "e.aifc", "a.flac", "a.ogg", "b.ogg", "x.wave"]
        );
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn no_name_or_link_reaches_a_file_outside_the_roots() {
        let base = temp_dir("outside");
        let root = base.join("samples");
        let outside = base.join("outside");
        std::fs::create_dir_all(root.join("x")).unwrap();
        std::fs::create_dir_all(root.join("y")).unwrap();
        std::fs::create_dir_all(outside.join("secret")).unwrap();
        std::fs::write(root.join("x").join("a.wav"), b"x").unwrap();
        std::fs::write(outside.join("secret").join("s.wav"), b"x").unwrap();
        // a bank that is a link to a folder outside, and a file that is a link to a file outside
        std::os::unix::fs::symlink(outside.join("secret"), root.join("evil")).unwrap();
        std::os::unix::fs::symlink(
            outside.join("secret").join("s.wav"),
            root.join("y").join("link.wav"),
        )
        .unwrap();
        let lib = SampleLibrary::scan(std::slice::from_ref(&root)).unwrap();
        assert_eq!(lib.bank_names(), vec!["x"]);
        let secret = outside.join("secret").canonicalize().unwrap();
        assert!(lib
            .all_files()
            .all(|f| !f.path.canonicalize().unwrap().starts_with(&secret)));
        let abs = outside.join("secret").display().to_string();
        for name in [
            "..",
            ".",
            "../outside/secret",
            "x/..",
            "x/../../outside/secret",
            "/etc",
            abs.as_str(),
            "..\\x",
            "x\0",
            "x\0/../evil",
            "",
            "evil",
            "y",
            "secret",
        ] {
            assert!(lib.lookup(name, 0.0).is_none(), "{name:?}");
            if name != "evil" && name != "y" && name != "secret" {
                assert!(
                    !crate::dispatch::dirt_event::valid_sound_name(name),
                    "{name:?}"
                );
            }
        }
        assert!(lib.lookup("x", 0.0).is_some());
        std::fs::remove_dir_all(base).unwrap();
    }
}
