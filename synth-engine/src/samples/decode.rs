//! Decoding WAV, AIFF/AIFC, FLAC, Ogg/Vorbis and MP3 files into [`SampleBuffer`]s with symphonia (never on the audio thread).

use super::buffer::SampleBuffer;
use std::path::{Path, PathBuf};
use symphonia::core::audio::SampleBuffer as PcmBuffer;
use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

/// Why a file could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("{path}: cannot open: {source}")]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a supported audio file: {message}")]
    Format { path: PathBuf, message: String },
    #[error("{path}: longer than the limit of {limit} frames")]
    TooLong { path: PathBuf, limit: usize },
    #[error("{path}: the decoder crashed")]
    Crashed { path: PathBuf },
}

fn format_err(path: &Path, e: impl std::fmt::Display) -> DecodeError {
    DecodeError::Format {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Decodes a whole file; at most `max_frames` frames (longer files are an error).
///
/// A panic inside a decoder (a hostile file) is caught and reported as an error.
pub fn decode_file(path: &Path, max_frames: usize) -> Result<SampleBuffer, DecodeError> {
    let owned = path.to_path_buf();
    match std::panic::catch_unwind(move || decode_inner(&owned, max_frames)) {
        Ok(r) => r,
        Err(_) => Err(DecodeError::Crashed {
            path: path.to_path_buf(),
        }),
    }
}

/// Files up to this size are read whole before decoding (larger ones are streamed, as they are).
const MAX_READ_WHOLE: u64 = 256 << 20;

fn decode_inner(path: &Path, max_frames: usize) -> Result<SampleBuffer, DecodeError> {
    let open_err = |source| DecodeError::Open {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(open_err)?;
    let small = file
        .metadata()
        .map(|m| m.len() <= MAX_READ_WHOLE)
        .unwrap_or(false);
    // a sample file is read whole, so that a WAV symphonia would refuse can be mended first
    let source: Box<dyn symphonia::core::io::MediaSource> = if small {
        let bytes = std::fs::read(path).map_err(open_err)?;
        let bytes = super::wav_fix::normalise_wav(&bytes).unwrap_or(bytes);
        Box::new(std::io::Cursor::new(bytes))
    } else {
        Box::new(file)
    };
    let mss = MediaSourceStream::new(source, Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let probed = symphonia::default::get_probe()
        .format(
            &hint,
            mss,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .map_err(|e| format_err(path, e))?;
    let mut format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or_else(|| format_err(path, "no audio track"))?;
    let track_id = track.id;
    let mut sample_rate = track.codec_params.sample_rate.unwrap_or(0);
    let mut decoder = symphonia::default::get_codecs()
        .make(&track.codec_params, &DecoderOptions::default())
        .map_err(|e| format_err(path, e))?;

    let mut planar: Vec<Vec<f32>> = Vec::new();
    let mut pcm: Option<PcmBuffer<f32>> = None;
    loop {
        let packet = match format.next_packet() {
            Ok(p) => p,
            Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                break
            }
            Err(SymphoniaError::ResetRequired) => break,
            Err(e) => {
                if planar.first().is_some_and(|c| !c.is_empty()) {
                    break; // keep what decoded cleanly before a broken tail
                }
                return Err(format_err(path, e));
            }
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(d) => d,
            Err(SymphoniaError::DecodeError(_)) => continue,
            Err(SymphoniaError::IoError(_)) => break,
            Err(e) => return Err(format_err(path, e)),
        };
        let spec = *decoded.spec();
        if sample_rate == 0 {
            sample_rate = spec.rate;
        }
        let channels = spec.channels.count().max(1);
        let frames = decoded.frames();
        if frames == 0 {
            continue;
        }
        let needs_new = pcm
            .as_ref()
            .is_none_or(|b| b.capacity() < decoded.capacity() * channels);
        if needs_new {
            pcm = Some(PcmBuffer::<f32>::new(decoded.capacity() as u64, spec));
        }
        let buf = pcm.as_mut().expect("buffer was just made");
        buf.copy_planar_ref(decoded);
        let samples = buf.samples();
        if planar.len() < channels {
            planar.resize(channels, Vec::new());
        }
        for (c, ch) in planar.iter_mut().enumerate().take(channels) {
            ch.extend_from_slice(&samples[c * frames..(c + 1) * frames]);
        }
        if planar[0].len() > max_frames {
            return Err(DecodeError::TooLong {
                path: path.to_path_buf(),
                limit: max_frames,
            });
        }
    }
    if planar.is_empty() || planar[0].is_empty() {
        return Err(format_err(path, "no audio frames"));
    }
    if sample_rate == 0 {
        return Err(format_err(path, "unknown sample rate"));
    }
    Ok(SampleBuffer::new(planar, sample_rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_wav_written_by_hound_and_rejects_garbage() {
        let dir = std::env::temp_dir().join(format!("ostinato-decode-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.wav");
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 44100,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        for i in 0..1000i32 {
            w.write_sample((i * 10) as i16).unwrap();
            w.write_sample(-(i * 10) as i16).unwrap();
        }
        w.finalize().unwrap();
        let b = decode_file(&path, 1 << 20).unwrap();
        assert_eq!(b.frames(), 1000);
        assert_eq!(b.channel_count(), 2);
        assert_eq!(b.sample_rate(), 44100);
        assert!((b.frame(0, 500) - 5000.0 / 32768.0).abs() < 1e-6);
        assert!((b.frame(1, 500) + 5000.0 / 32768.0).abs() < 1e-6);
        assert!(matches!(
            decode_file(&path, 10),
            Err(DecodeError::TooLong { .. })
        ));
        let junk = dir.join("junk.wav");
        std::fs::write(&junk, b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk").unwrap();
        assert!(decode_file(&junk, 1 << 20).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
