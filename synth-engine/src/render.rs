//! Offline rendering of a score (JSON Lines of timestamped OSC messages) to a WAV file, as fast as possible.

use crate::dispatch::dispatcher::Dispatcher;
use crate::engine::{self, EngineConfig};
use crate::samples::SampleLibrary;
use rosc::OscType;
use std::path::{Path, PathBuf};

/// One line of a score.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreLine {
    /// Seconds from the start of the render.
    pub time: f64,
    pub address: String,
    pub args: Vec<OscType>,
    /// A `{"time": T, "reload": PATH}` line: reload voice definitions from PATH (then `address` is empty).
    pub reload: Option<PathBuf>,
}

impl ScoreLine {
    /// A reload of the voice definitions in `path` (a folder or one file) at `time`.
    pub fn reload(time: f64, path: impl Into<PathBuf>) -> ScoreLine {
        ScoreLine {
            time,
            address: String::new(),
            args: Vec::new(),
            reload: Some(path.into()),
        }
    }
}

/// Why a render failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Write { path: String, message: String },
}

/// Settings of one render.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    pub duration: f64,
    pub sample_rate: u32,
    pub max_voices: usize,
    pub orbits: usize,
    pub sample_memory: usize,
    /// Voice definitions loaded before the first frame (a folder or one file).
    pub voices: Option<PathBuf>,
}

/// What a render did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RenderReport {
    pub frames: u64,
    pub events: usize,
    pub skipped_lines: Vec<String>,
    pub failed_events: usize,
    /// What each load or reload did, one line per definition, with the time of the reload.
    pub reloads: Vec<String>,
    /// Definitions that failed to compile (`file:line:col: message`).
    pub voice_errors: Vec<String>,
}

fn json_to_osc(v: &serde_json::Value) -> Option<OscType> {
    match v {
        serde_json::Value::String(s) => Some(OscType::String(s.clone())),
        serde_json::Value::Bool(b) => Some(OscType::Int(*b as i32)),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(match i32::try_from(i) {
                    Ok(i) => OscType::Int(i),
                    Err(_) => OscType::Long(i),
                })
            } else {
                n.as_f64().map(|f| OscType::Float(f as f32))
            }
        }
        _ => None,
    }
}

/// Parses a score; lines that cannot be used are returned as warnings (with their line numbers).
pub fn parse_score(text: &str) -> (Vec<ScoreLine>, Vec<String>) {
    let mut lines = Vec::new();
    let mut warnings = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with("//") || raw.starts_with('#') {
            continue;
        }
        let v: serde_json::Value = match serde_json::from_str(raw) {
            Ok(v) => v,
            Err(e) => {
                warnings.push(format!("line {}: not JSON: {e}", i + 1));
                continue;
            }
        };
        if let Some(reload) = v.get("reload") {
            match (v.get("time").and_then(|t| t.as_f64()), reload.as_str()) {
                (Some(time), Some(path)) if time.is_finite() && time >= 0.0 => {
                    lines.push(ScoreLine::reload(time, path));
                }
                _ => warnings.push(format!(
                    "line {}: a \"reload\" line needs \"time\" (seconds >= 0) and a path",
                    i + 1
                )),
            }
            continue;
        }
        let time = v.get("time").and_then(|t| t.as_f64());
        let address = v.get("address").and_then(|a| a.as_str());
        let args = v.get("args").and_then(|a| a.as_array());
        match (time, address, args) {
            (Some(time), Some(address), Some(args)) if time.is_finite() && time >= 0.0 => {
                let converted: Option<Vec<OscType>> = args.iter().map(json_to_osc).collect();
                match converted {
                    Some(args) => lines.push(ScoreLine {
                        time,
                        address: address.to_string(),
                        args,
                        reload: None,
                    }),
                    None => warnings.push(format!(
                        "line {}: args must be strings, numbers or booleans",
                        i + 1
                    )),
                }
            }
            _ => warnings.push(format!(
                "line {}: needs \"time\" (seconds >= 0), \"address\" and \"args\"",
                i + 1
            )),
        }
    }
    lines.sort_by(|a, b| a.time.total_cmp(&b.time));
    (lines, warnings)
}

/// Renders `score` into interleaved stereo samples held in memory.
pub fn render_score(
    score: &[ScoreLine],
    library: SampleLibrary,
    opts: &RenderOptions,
) -> (Vec<f32>, RenderReport) {
    let mut all = Vec::new();
    let report = render_score_into(score, library, opts, |block| {
        all.extend_from_slice(block);
        Ok::<(), std::convert::Infallible>(())
    });
    match report {
        Ok(r) => (all, r),
        Err(e) => match e {},
    }
}

/// Renders `score`, handing each block of interleaved stereo samples to `sink` as it is made.
pub fn render_score_into<E>(
    score: &[ScoreLine],
    library: SampleLibrary,
    opts: &RenderOptions,
    mut sink: impl FnMut(&[f32]) -> Result<(), E>,
) -> Result<RenderReport, E> {
    let (mut engine, link) = engine::new(EngineConfig {
        sample_rate: opts.sample_rate,
        max_voices: opts.max_voices,
        orbits: opts.orbits,
    });
    let mut dispatcher = Dispatcher::new(library, link, opts.sample_memory);
    let mut report = RenderReport::default();
    if let Some(v) = &opts.voices {
        let r = dispatcher.load_voices(v);
        report
            .voice_errors
            .extend(r.errors.iter().map(|e| e.to_string()));
    }
    let sr = opts.sample_rate as f64;
    let total = (opts.duration.max(0.0) * sr).round() as u64;
    let mut out = vec![0.0f32; 1024 * 2];
    report.frames = total;
    let block = 1024usize;
    let mut next = 0usize;
    let mut frame = 0u64;
    while frame < total {
        let mut n = (block as u64).min(total - frame) as usize;
        let mut block_end = frame + n as u64;
        while next < score.len() && (score[next].time * sr) < block_end as f64 {
            let line = &score[next];
            if let Some(path) = &line.reload {
                // a reload happens at its own frame: end the block there
                let at = (line.time * sr).round() as u64;
                if at > frame {
                    block_end = at.min(block_end);
                    n = (block_end - frame) as usize;
                    break;
                }
                next += 1;
                let r = dispatcher.load_voices(path);
                for l in r.log {
                    report.reloads.push(format!("{:.3} s: {l}", line.time));
                }
                report
                    .voice_errors
                    .extend(r.errors.iter().map(|e| e.to_string()));
                continue;
            }
            next += 1;
            if line.address != "/dirt/play" {
                continue;
            }
            report.events += 1;
            if dispatcher.play(&line.args, Some(line.time * sr)).is_err() {
                report.failed_events += 1;
            }
            if dispatcher.link.command_space() < 16 {
                break; // let the engine drain the queue first
            }
        }
        engine.process(&mut out[..n * 2], 2, 0);
        sink(&out[..n * 2])?;
        dispatcher.housekeeping();
        dispatcher.link.drain_ticks(|_| {});
        frame = block_end;
    }
    Ok(report)
}

/// Renders `score` straight into a 32-bit float stereo WAV file.
pub fn render_to_wav(
    score: &[ScoreLine],
    library: SampleLibrary,
    opts: &RenderOptions,
    path: &Path,
) -> Result<RenderReport, RenderError> {
    let err = |e: hound::Error| RenderError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: opts.sample_rate,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(path, spec).map_err(err)?;
    let report = render_score_into(score, library, opts, |block| {
        for s in block {
            w.write_sample(*s)?;
        }
        Ok(())
    })
    .map_err(err)?;
    w.finalize().map_err(err)?;
    Ok(report)
}

/// Reads a score file.
pub fn read_score(path: &Path) -> Result<(Vec<ScoreLine>, Vec<String>), RenderError> {
    let text = std::fs::read_to_string(path).map_err(|source| RenderError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let (mut lines, warnings) = parse_score(&text);
    // relative reload paths are relative to the score's folder
    let base = path.parent().unwrap_or(Path::new("."));
    for l in &mut lines {
        if let Some(p) = l.reload.as_mut() {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
    }
    Ok((lines, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_lines_convert_types_and_read_reloads() {
        let (lines, warnings) = parse_score(
            "{\"time\": 0.5, \"address\": \"/dirt/play\", \"args\": [\"s\", \"bd\", \"n\", 3, \"speed\", 2.0]}\n\
             {\"reload\": \"voices/x\"}\n\
             {\"time\": 0.3, \"reload\": \"voices/y\"}\n\
             \n\
             {\"time\": 0.25, \"address\": \"/dirt/play\", \"args\": [\"s\", \"sn\"]}\n\
             not json\n",
        );
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].time, 0.25);
        assert_eq!(lines[1].reload.as_deref(), Some(Path::new("voices/y")));
        assert_eq!(lines[2].args[3], OscType::Int(3));
        assert_eq!(lines[2].args[5], OscType::Float(2.0));
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0].contains("line 2"));
    }
}
