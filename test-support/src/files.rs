//! Files: temporary folders removed on drop, and float WAVs written and read.

use std::path::{Path, PathBuf};

/// A temporary folder, removed when dropped.
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for TempDir {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh, empty temporary folder `ostinato-<suite>-<name>-<pid>`, removed when dropped.
pub fn temp_dir(suite: &str, name: &str) -> TempDir {
    let d = std::env::temp_dir().join(format!("ostinato-{suite}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    TempDir(d)
}

/// Writes `channels` (all the same length) as a 32-bit float WAV at `path`.
pub fn write_wav(path: &Path, rate: u32, channels: &[Vec<f32>]) {
    let spec = hound::WavSpec {
        channels: channels.len() as u16,
        sample_rate: rate,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..channels[0].len() {
        for ch in channels {
            w.write_sample(ch[i]).unwrap();
        }
    }
    w.finalize().unwrap();
}

/// A float WAV: its (channels, sample rate) and its samples, interleaved.
pub fn read_wav(path: &Path) -> ((u16, u32), Vec<f32>) {
    let mut reader = hound::WavReader::open(path).expect("a valid WAV");
    let spec = reader.spec();
    let samples = reader.samples::<f32>().map(Result::unwrap).collect();
    ((spec.channels, spec.sample_rate), samples)
}

/// The left and right channels of a stereo float WAV.
pub fn read_stereo(path: &Path) -> (Vec<f32>, Vec<f32>) {
    let ((channels, _), samples) = read_wav(path);
    assert_eq!(channels, 2);
    (
        samples.iter().step_by(2).copied().collect(),
        samples.iter().skip(1).step_by(2).copied().collect(),
    )
}

/// Frames in a stereo float WAV that is still being written, from its size on disk.
pub fn wav_frames_on_disk(path: &Path) -> u64 {
    std::fs::metadata(path)
        .map(|m| m.len().saturating_sub(44) / 8)
        .unwrap_or(0)
}
