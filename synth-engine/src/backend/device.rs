//! The sound-card output through cpal (ALSA on Linux, also on a Raspberry Pi).

use super::{Output, OutputError, OutputOptions};
use crate::clock::{unix_now, UnixNanos};
use crate::engine::Engine;
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{BufferSize, FromSample, SampleFormat, SizedSample, StreamConfig};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Frames the converting callback can take at once (larger callbacks are processed in pieces).
const CONVERT_FRAMES: usize = 8192;

/// An opened sound card.
/// What the stream's callbacks tell the control side.
#[derive(Default)]
struct Health {
    /// Stream errors (xruns and worse).
    errors: AtomicU64,
    /// Audio callbacks so far.
    callbacks: AtomicU64,
    /// The first error after which the stream cannot go on (device or server gone).
    fatal: Mutex<Option<cpal::Error>>,
}

impl Health {
    /// cpal's error callback (on some hosts the audio thread): counts, and keeps a fatal error
    /// without ever blocking (a busy slot means one is being kept or read already).
    fn error(&self, e: cpal::Error) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        let fatal = matches!(
            e.kind(),
            cpal::ErrorKind::DeviceNotAvailable
                | cpal::ErrorKind::StreamInvalidated
                | cpal::ErrorKind::HostUnavailable
        );
        if fatal {
            if let Ok(mut slot) = self.fatal.try_lock() {
                if slot.is_none() {
                    *slot = Some(e);
                }
            }
        }
    }
}

pub struct DeviceOutput {
    device: cpal::Device,
    config: StreamConfig,
    format: SampleFormat,
    label: String,
}

fn device_label(d: &cpal::Device) -> String {
    match (d.id(), d.description()) {
        (Ok(id), Ok(desc)) => format!("{} ({})", id.id(), desc.name()),
        (Ok(id), Err(_)) => id.id().to_string(),
        (Err(_), Ok(desc)) => desc.name().to_string(),
        _ => "unknown device".into(),
    }
}

fn matches(d: &cpal::Device, wanted: &str) -> bool {
    let id_ok = d
        .id()
        .map(|id| id.id() == wanted || id.to_string() == wanted)
        .unwrap_or(false);
    let name_ok = d
        .description()
        .map(|desc| desc.name() == wanted)
        .unwrap_or(false);
    id_ok || name_ok
}

/// Collects what alsa-lib would print on stderr (on this thread) so it can go into our own message.
struct AlsaMessages {
    #[cfg(target_os = "linux")]
    buffer: Option<std::rc::Rc<std::cell::RefCell<alsa::Output>>>,
}

impl AlsaMessages {
    fn capture() -> AlsaMessages {
        AlsaMessages {
            #[cfg(target_os = "linux")]
            buffer: alsa::Output::local_error_handler().ok(),
        }
    }

    /// The last message alsa-lib gave, as ` (ALSA: ...)`, or nothing.
    fn last(&self) -> String {
        #[cfg(target_os = "linux")]
        if let Some(b) = &self.buffer {
            let text = b.borrow().to_string();
            if let Some(line) = text.lines().rev().find(|l| !l.trim().is_empty()) {
                return format!(" (ALSA: {})", line.trim());
            }
        }
        String::new()
    }
}

/// The audio host (`alsa`, `jack` when built with the `jack` feature, ...), or the default one.
pub fn host(name: Option<&str>) -> Result<cpal::Host, OutputError> {
    let Some(name) = name else {
        return Ok(cpal::default_host());
    };
    let available = cpal::available_hosts();
    let id = available
        .iter()
        .find(|id| id.name().eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            let names: Vec<&str> = available.iter().map(|id| id.name()).collect();
            OutputError::Device(format!(
                "audio host {name:?} is not available (available: {})",
                names.join(", ")
            ))
        })?;
    cpal::host_from_id(*id).map_err(|e| OutputError::Device(e.to_string()))
}

/// The wall time at which the first frame of this callback will be heard: now plus the
/// output latency the host reports (at most a second), so timetags mean "sounds at".
#[inline]
fn heard_at(info: &cpal::OutputCallbackInfo) -> u64 {
    let ts = info.timestamp();
    let latency = ts
        .playback
        .duration_since(ts.callback)
        .as_nanos()
        .min(1_000_000_000);
    (unix_now().max(0) as u64).saturating_add(latency as u64)
}

/// One line per output device of the host.
pub fn list_devices(host_name: Option<&str>) -> Result<Vec<String>, OutputError> {
    let _alsa = AlsaMessages::capture();
    let host = host(host_name)?;
    let default = host.default_output_device().and_then(|d| d.id().ok());
    let devices = host
        .output_devices()
        .map_err(|e| OutputError::Device(e.to_string()))?;
    Ok(devices
        .map(|d| {
            let mark = if d.id().ok() == default {
                " [default]"
            } else {
                ""
            };
            let cfg = d
                .default_output_config()
                .map(|c| {
                    format!(
                        ", {} ch, {} Hz, {:?}",
                        c.channels(),
                        c.sample_rate(),
                        c.sample_format()
                    )
                })
                .unwrap_or_default();
            format!("{}{}{}", device_label(&d), cfg, mark)
        })
        .collect())
}

impl DeviceOutput {
    /// Finds the device (`--device NAME` or the default) and a configuration at the wanted rate.
    pub fn open(opts: &OutputOptions) -> Result<DeviceOutput, OutputError> {
        let alsa = AlsaMessages::capture();
        let host = host(opts.host.as_deref())?;
        let device = match &opts.device {
            Some(name) => host
                .output_devices()
                .map_err(|e| OutputError::Device(e.to_string()))?
                .find(|d| matches(d, name))
                .ok_or_else(|| {
                    OutputError::NoDevice(format!(" named {name:?} (see --list-devices)"))
                })?,
            None => host
                .default_output_device()
                .ok_or_else(|| OutputError::NoDevice(alsa.last()))?,
        };
        let default = device
            .default_output_config()
            .map_err(|e| OutputError::NoDevice(format!(" ({e}){}", alsa.last())))?;
        let wanted = opts.sample_rate;
        let supported = device
            .supported_output_configs()
            .map_err(|e| OutputError::Device(e.to_string()))?
            .filter(|c| c.min_sample_rate() <= wanted && wanted <= c.max_sample_rate())
            .max_by_key(|c| {
                (
                    c.channels() == 2,
                    c.sample_format() == SampleFormat::F32,
                    c.channels() >= 2,
                    std::cmp::Reverse(c.channels()),
                )
            });
        let chosen = match supported {
            Some(c) => c.with_sample_rate(wanted),
            None => {
                return Err(OutputError::Device(format!(
                    "{} cannot run at {wanted} Hz (its default is {} Hz; pass --sample-rate {})",
                    device_label(&device),
                    default.sample_rate(),
                    default.sample_rate()
                )))
            }
        };
        let format = chosen.sample_format();
        let mut config: StreamConfig = chosen.into();
        config.buffer_size = BufferSize::Fixed(opts.buffer);
        Ok(DeviceOutput {
            label: device_label(&device),
            device,
            config,
            format,
        })
    }

    fn build<T>(&self, mut engine: Engine, health: Arc<Health>) -> Result<cpal::Stream, OutputError>
    where
        T: SizedSample + FromSample<f32>,
    {
        let channels = self.config.channels as usize;
        let mut scratch = vec![0.0f32; CONVERT_FRAMES * channels];
        let counter = health.clone();
        let callback = move |data: &mut [T], info: &cpal::OutputCallbackInfo| {
            counter.callbacks.fetch_add(1, Ordering::Relaxed);
            let now = heard_at(info);
            for chunk in data.chunks_mut(CONVERT_FRAMES * channels) {
                let tmp = &mut scratch[..chunk.len()];
                engine.process(tmp, channels, now);
                for (o, x) in chunk.iter_mut().zip(tmp.iter()) {
                    *o = T::from_sample(*x);
                }
            }
        };
        let on_error = move |e: cpal::Error| health.error(e);
        self.device
            .build_output_stream::<T, _, _>(self.config, callback, on_error, None)
            .map_err(|e| OutputError::Device(e.to_string()))
    }

    fn build_f32(
        &self,
        mut engine: Engine,
        health: Arc<Health>,
    ) -> Result<cpal::Stream, OutputError> {
        let channels = self.config.channels as usize;
        let counter = health.clone();
        let callback = move |data: &mut [f32], info: &cpal::OutputCallbackInfo| {
            counter.callbacks.fetch_add(1, Ordering::Relaxed);
            engine.process(data, channels, heard_at(info));
        };
        let on_error = move |e: cpal::Error| health.error(e);
        self.device
            .build_output_stream::<f32, _, _>(self.config, callback, on_error, None)
            .map_err(|e| OutputError::Device(e.to_string()))
    }
}

impl Output for DeviceOutput {
    fn describe(&self) -> String {
        format!("device {}", self.label)
    }

    fn sample_rate(&self) -> u32 {
        self.config.sample_rate
    }

    fn run(
        self: Box<Self>,
        engine: Engine,
        stop: Arc<AtomicBool>,
        ready: &mut dyn FnMut(Option<UnixNanos>),
    ) -> Result<(), OutputError> {
        let health = Arc::new(Health::default());
        let stream = match self.format {
            SampleFormat::F32 => self.build_f32(engine, health.clone())?,
            SampleFormat::I16 => self.build::<i16>(engine, health.clone())?,
            SampleFormat::I32 => self.build::<i32>(engine, health.clone())?,
            SampleFormat::U16 => self.build::<u16>(engine, health.clone())?,
            SampleFormat::F64 => self.build::<f64>(engine, health.clone())?,
            other => {
                return Err(OutputError::Device(format!(
                    "unsupported sample format {other:?}"
                )))
            }
        };
        stream
            .play()
            .map_err(|e| OutputError::Device(e.to_string()))?;
        ready(None);
        let mut reported = 0;
        let (mut callbacks, mut last_callback, mut stall_reported) = (0, Instant::now(), false);
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(50));
            let gone = health.fatal.lock().ok().and_then(|mut slot| slot.take());
            if let Some(e) = gone {
                // closing a stream whose device or server has gone can block for good (JACK),
                // and the process is about to end anyway
                std::mem::forget(stream);
                return Err(OutputError::Device(format!("lost ({e}); stopping")));
            }
            let c = health.callbacks.load(Ordering::Relaxed);
            if c != callbacks {
                (callbacks, last_callback, stall_reported) = (c, Instant::now(), false);
            } else if !stall_reported && last_callback.elapsed() >= Duration::from_secs(2) {
                eprintln!("synth-engine: the audio device has not asked for sound for 2 s");
                stall_reported = true;
            }
            let n = health.errors.load(Ordering::Relaxed);
            if n > reported {
                eprintln!(
                    "synth-engine: {} audio device error(s) (xruns?)",
                    n - reported
                );
                reported = n;
            }
        }
        if health.callbacks.load(Ordering::Relaxed) == callbacks
            && last_callback.elapsed() >= Duration::from_millis(500)
        {
            // the device (or JACK server) has stopped calling back: closing the stream would
            // wait for it, possibly for ever; the process is about to end anyway
            std::mem::forget(stream);
        } else {
            drop(stream);
        }
        Ok(())
    }
}
