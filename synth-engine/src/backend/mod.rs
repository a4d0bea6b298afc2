//! Where the sound goes: a small trait with a sound-card output (cpal), a WAV file and nothing at all.

pub mod device;
pub mod paced;

use crate::clock::UnixNanos;
use crate::engine::Engine;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Why an output could not run.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("no audio output device found{0}; use `--output wav:PATH` or `--output null` to run without one")]
    NoDevice(String),
    #[error("audio device: {0}")]
    Device(String),
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("unknown output {0:?}: expected `device`, `wav:PATH` or `null`")]
    Unknown(String),
}

/// An opened output, ready to run the engine.
pub trait Output {
    /// How it is named in the ready line (`wav:/tmp/x.wav`, `null`, `device "default"`).
    fn describe(&self) -> String;
    /// The sample rate the engine must run at.
    fn sample_rate(&self) -> u32;
    /// Runs `engine` until `stop` is set; calls `ready` once sound is flowing, with the
    /// wall time of frame 0 when the output knows it exactly (WAV and null outputs).
    fn run(
        self: Box<Self>,
        engine: Engine,
        stop: Arc<AtomicBool>,
        ready: &mut dyn FnMut(Option<UnixNanos>),
    ) -> Result<(), OutputError>;
}

/// What `--output` asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum OutputChoice {
    Device,
    Wav(String),
    Null,
}

impl std::str::FromStr for OutputChoice {
    type Err = OutputError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "device" {
            Ok(OutputChoice::Device)
        } else if s == "null" {
            Ok(OutputChoice::Null)
        } else if let Some(p) = s.strip_prefix("wav:") {
            if p.is_empty() {
                Err(OutputError::Unknown(s.into()))
            } else {
                Ok(OutputChoice::Wav(p.into()))
            }
        } else {
            Err(OutputError::Unknown(s.into()))
        }
    }
}

/// Options for opening an output.
#[derive(Clone, Debug)]
pub struct OutputOptions {
    pub choice: OutputChoice,
    pub device: Option<String>,
    /// The cpal host (`alsa`, `jack`); `None` for the platform's default.
    pub host: Option<String>,
    pub buffer: u32,
    pub sample_rate: u32,
}

/// Opens the chosen output.
pub fn open(opts: &OutputOptions) -> Result<Box<dyn Output>, OutputError> {
    match &opts.choice {
        OutputChoice::Device => Ok(Box::new(device::DeviceOutput::open(opts)?)),
        OutputChoice::Wav(path) => Ok(Box::new(paced::PacedOutput::wav(
            path,
            opts.sample_rate,
            opts.buffer,
        )?)),
        OutputChoice::Null => Ok(Box::new(paced::PacedOutput::null(
            opts.sample_rate,
            opts.buffer,
        ))),
    }
}
