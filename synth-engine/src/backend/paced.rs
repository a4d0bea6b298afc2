//! Outputs without a sound card, paced by the wall clock exactly like one: a WAV file, or nothing.
//!
//! Frame 0 is the start instant; block `k` is rendered when the wall clock
//! reaches its first frame, so live timing applies. The WAV header is rewritten
//! every half second and when stopped, so the file is valid at any moment.

use super::{Output, OutputError};
use crate::clock::{unix_now, UnixNanos};
use crate::engine::Engine;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

type WavWriter = hound::WavWriter<std::io::BufWriter<std::fs::File>>;

/// A wall-clock-paced output.
pub struct PacedOutput {
    writer: Option<(String, WavWriter)>,
    sample_rate: u32,
    buffer: u32,
}

impl PacedOutput {
    /// Writes 32-bit float stereo to `path`.
    pub fn wav(path: &str, sample_rate: u32, buffer: u32) -> Result<PacedOutput, OutputError> {
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let writer = hound::WavWriter::create(path, spec).map_err(|e| OutputError::File {
            path: path.into(),
            message: e.to_string(),
        })?;
        Ok(PacedOutput {
            writer: Some((path.to_string(), writer)),
            sample_rate,
            buffer: buffer.max(1),
        })
    }

    /// Renders and discards.
    pub fn null(sample_rate: u32, buffer: u32) -> PacedOutput {
        PacedOutput {
            writer: None,
            sample_rate,
            buffer: buffer.max(1),
        }
    }
}

impl Output for PacedOutput {
    fn describe(&self) -> String {
        match &self.writer {
            Some((p, _)) => format!("wav:{p}"),
            None => "null".into(),
        }
    }

    fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    fn run(
        self: Box<Self>,
        mut engine: Engine,
        stop: Arc<AtomicBool>,
        ready: &mut dyn FnMut(Option<UnixNanos>),
    ) -> Result<(), OutputError> {
        let PacedOutput {
            mut writer,
            sample_rate,
            buffer,
        } = *self;
        let file_err = |path: &str, e: hound::Error| OutputError::File {
            path: path.into(),
            message: e.to_string(),
        };
        let block = buffer as usize;
        let mut out = vec![0.0f32; block * 2];
        let sr = sample_rate as u64;
        let start = Instant::now();
        let start_unix = unix_now();
        let mut frames: u64 = 0;
        let mut last_flush = Instant::now();
        ready(Some(start_unix));
        while !stop.load(Ordering::Relaxed) {
            let due = start + Duration::from_nanos(frames * 1_000_000_000 / sr);
            let now = Instant::now();
            if due > now {
                std::thread::sleep((due - now).min(Duration::from_millis(50)));
                continue;
            }
            let t = start_unix + (frames as i128 * 1_000_000_000) / sr as i128;
            engine.process(&mut out, 2, t.max(0) as u64);
            if let Some((path, w)) = writer.as_mut() {
                for x in &out {
                    w.write_sample(*x).map_err(|e| file_err(path, e))?;
                }
                if last_flush.elapsed() >= Duration::from_millis(500) {
                    w.flush().map_err(|e| file_err(path, e))?;
                    last_flush = Instant::now();
                }
            }
            frames += block as u64;
        }
        if let Some((path, w)) = writer {
            w.finalize().map_err(|e| file_err(&path, e))?;
        }
        Ok(())
    }
}
