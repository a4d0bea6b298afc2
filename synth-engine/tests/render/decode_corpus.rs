//! Every kind of sample file decodes: a corpus of WAV variants, AIFF/AIFC and FLAC, written byte by byte (or by hound and flacenc) by the test itself.

#[path = "../common/mod.rs"]
mod common;

use common::temp_dir;
use synth_engine::samples::decode::decode_file;

const FRAMES: usize = 300;
const RATE: u32 = 44100;

/// The test signal: a ramp from -0.5 to 0.5 repeating every 100 frames, per channel `c` scaled.
fn signal(i: usize, c: usize) -> f64 {
    ((i % 100) as f64 / 100.0 - 0.5) * if c == 0 { 1.0 } else { -0.5 }
}

/// Interleaved sample bytes of the signal: `kind` 'i' (integer; 8-bit unsigned) or 'f'.
fn samples(kind: char, bits: u16, channels: u16, big_endian: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..FRAMES {
        for c in 0..channels as usize {
            let v = signal(i, c);
            let mut bytes: Vec<u8> = match (kind, bits) {
                ('f', 32) => (v as f32).to_le_bytes().to_vec(),
                ('f', 64) => v.to_le_bytes().to_vec(),
                ('i', 8) if !big_endian => vec![((v * 128.0).round() as i32 + 128) as u8],
                ('i', b) => {
                    let full = (v * (1i64 << (b - 1)) as f64).round() as i64;
                    full.to_le_bytes()[..b as usize / 8].to_vec()
                }
                _ => unreachable!(),
            };
            if big_endian {
                bytes.reverse();
            }
            out.extend_from_slice(&bytes);
        }
    }
    out
}

/// A chunk: id, length, body, pad byte when the length is odd.
fn chunk(id: &[u8; 4], body: &[u8], big_endian: bool) -> Vec<u8> {
    let mut c = id.to_vec();
    let len = body.len() as u32;
    c.extend_from_slice(&if big_endian {
        len.to_be_bytes()
    } else {
        len.to_le_bytes()
    });
    c.extend_from_slice(body);
    if body.len() % 2 == 1 {
        c.push(0);
    }
    c
}

/// The 16 standard bytes of a `fmt ` chunk.
fn fmt16(tag: u16, channels: u16, bits: u16) -> Vec<u8> {
    let align = channels * bits / 8;
    let mut f = Vec::new();
    f.extend_from_slice(&tag.to_le_bytes());
    f.extend_from_slice(&channels.to_le_bytes());
    f.extend_from_slice(&RATE.to_le_bytes());
    f.extend_from_slice(&(RATE * align as u32).to_le_bytes());
    f.extend_from_slice(&align.to_le_bytes());
    f.extend_from_slice(&bits.to_le_bytes());
    f
}

/// A WAV file: `fmt ` of the given body, the chunks `before` data, then the data.
fn wav(fmt: Vec<u8>, before: &[Vec<u8>], data: &[u8]) -> Vec<u8> {
    let mut body = b"WAVE".to_vec();
    body.extend(chunk(b"fmt ", &fmt, false));
    for c in before {
        body.extend_from_slice(c);
    }
    body.extend(chunk(b"data", data, false));
    chunk(b"RIFF", &body, false)
}

/// WAVE_FORMAT_EXTENSIBLE: the 40-byte `fmt ` with the sub-format of `tag` (1 PCM, 3 float).
fn extensible(tag: u16, channels: u16, bits: u16) -> Vec<u8> {
    let mut f = fmt16(0xfffe, channels, bits);
    f.extend_from_slice(&22u16.to_le_bytes());
    f.extend_from_slice(&bits.to_le_bytes());
    f.extend_from_slice(&(if channels == 1 { 4u32 } else { 3 }).to_le_bytes());
    f.extend_from_slice(&(tag as u32).to_le_bytes());
    f.extend_from_slice(&[
        0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
    ]);
    f
}

/// The sample rate as an 80-bit extended float (AIFF's COMM).
fn extended(rate: u32) -> [u8; 10] {
    let exponent = 31 - rate.leading_zeros();
    let mantissa = (rate as u64) << (63 - exponent);
    let mut b = [0u8; 10];
    b[..2].copy_from_slice(&((16383 + exponent) as u16).to_be_bytes());
    b[2..].copy_from_slice(&mantissa.to_be_bytes());
    b
}

/// An AIFF (or, with `aifc`, AIFC with compression `NONE`) file of big-endian integers.
fn aiff(bits: u16, channels: u16, aifc: bool) -> Vec<u8> {
    let mut comm = Vec::new();
    comm.extend_from_slice(&channels.to_be_bytes());
    comm.extend_from_slice(&(FRAMES as u32).to_be_bytes());
    comm.extend_from_slice(&bits.to_be_bytes());
    comm.extend_from_slice(&extended(RATE));
    let mut body = if aifc {
        b"AIFC".to_vec()
    } else {
        b"AIFF".to_vec()
    };
    if aifc {
        comm.extend_from_slice(b"NONE");
        comm.extend_from_slice(b"\x0enot compressed\0");
        body.extend(chunk(b"FVER", &0xa280_5140u32.to_be_bytes(), true));
    }
    body.extend(chunk(b"COMM", &comm, true));
    let mut ssnd = vec![0u8; 8];
    ssnd.extend(samples('i', bits, channels, true));
    body.extend(chunk(b"SSND", &ssnd, true));
    chunk(b"FORM", &body, true)
}

fn flac(bits: usize, channels: usize) -> Vec<u8> {
    use flacenc::component::BitRepr;
    use flacenc::error::Verify;
    let mut interleaved = Vec::new();
    for i in 0..FRAMES {
        for c in 0..channels {
            interleaved.push((signal(i, c) * (1i64 << (bits - 1)) as f64).round() as i32);
        }
    }
    // blocks that divide the signal (flacenc pads a short last block to full length)
    let mut config = flacenc::config::Encoder::default();
    config.block_size = 100;
    let config = config.into_verified().unwrap();
    let source =
        flacenc::source::MemSource::from_samples(&interleaved, channels, bits, RATE as usize);
    let stream = flacenc::encode_with_fixed_block_size(&config, source, config.block_size).unwrap();
    let mut sink = flacenc::bitsink::ByteSink::new();
    stream.write(&mut sink).unwrap();
    sink.as_slice().to_vec()
}

/// Writes a file with hound.
fn hound_wav(path: &std::path::Path, bits: u16, float: bool, channels: u16) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: RATE,
        bits_per_sample: bits,
        sample_format: if float {
            hound::SampleFormat::Float
        } else {
            hound::SampleFormat::Int
        },
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..FRAMES {
        for c in 0..channels as usize {
            let v = signal(i, c);
            match (float, bits) {
                (true, _) => w.write_sample(v as f32).unwrap(),
                (false, 8) => w.write_sample((v * 128.0).round() as i8).unwrap(),
                (false, 16) => w.write_sample((v * 32768.0).round() as i16).unwrap(),
                (false, b) => w
                    .write_sample((v * (1i64 << (b - 1)) as f64).round() as i32)
                    .unwrap(),
            }
        }
    }
    w.finalize().unwrap();
}

#[test]
fn every_variant_of_the_corpus_decodes_to_the_signal() {
    let dir = temp_dir("decode-corpus");
    let mut corpus: Vec<(String, Vec<u8>, u16, f64)> = Vec::new();
    for (kind, bits) in [
        ('i', 8),
        ('i', 16),
        ('i', 24),
        ('i', 32),
        ('f', 32),
        ('f', 64),
    ] {
        for channels in [1u16, 2] {
            let tag = if kind == 'f' { 3 } else { 1 };
            let data = samples(kind, bits, channels, false);
            let tol = if bits == 8 { 0.01 } else { 1e-4 };
            let name = format!("{kind}{bits}-{channels}ch");
            corpus.push((
                format!("{name}-fmt16.wav"),
                wav(fmt16(tag, channels, bits), &[], &data),
                channels,
                tol,
            ));
            let mut f18 = fmt16(tag, channels, bits);
            f18.extend_from_slice(&[0, 0]);
            corpus.push((
                format!("{name}-fmt18.wav"),
                wav(f18, &[], &data),
                channels,
                tol,
            ));
            // Dirt-Samples' pluck and mute: an extension size of 2 and two bytes of it
            let mut f20 = fmt16(tag, channels, bits);
            f20.extend_from_slice(&[2, 0, 0, 0]);
            corpus.push((
                format!("{name}-fmt20.wav"),
                wav(f20, &[], &data),
                channels,
                tol,
            ));
            let ext = extensible(tag, channels, bits);
            corpus.push((
                format!("{name}-fmt40-extensible.wav"),
                wav(ext, &[], &data),
                channels,
                tol,
            ));
            let before = [
                chunk(b"LIST", b"INFOISFT\x05\0\0\0test\0", false),
                chunk(b"bext", &[0u8; 602], false),
                chunk(b"junk", b"odd", false),
            ];
            corpus.push((
                format!("{name}-chunks-before-data.wav"),
                wav(fmt16(tag, channels, bits), &before, &data),
                channels,
                tol,
            ));
        }
    }
    for channels in [1u16, 2] {
        for bits in [8u16, 16, 24, 32] {
            let tol = if bits == 8 { 0.01 } else { 1e-4 };
            corpus.push((
                format!("{bits}-{channels}ch.aiff"),
                aiff(bits, channels, false),
                channels,
                tol,
            ));
            corpus.push((
                format!("{bits}-{channels}ch.aifc"),
                aiff(bits, channels, true),
                channels,
                tol,
            ));
        }
        for bits in [16usize, 24] {
            corpus.push((
                format!("{bits}-{channels}ch.flac"),
                flac(bits, channels as usize),
                channels,
                1e-4,
            ));
        }
    }
    for (name, bytes, ..) in &corpus {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    for channels in [1u16, 2] {
        for (bits, float) in [
            (8, false),
            (16, false),
            (24, false),
            (32, false),
            (32, true),
        ] {
            let name = format!(
                "hound-{bits}{}-{channels}ch.wav",
                if float { "f" } else { "" }
            );
            hound_wav(&dir.join(&name), bits, float, channels);
            corpus.push((
                name,
                Vec::new(),
                channels,
                if bits == 8 { 0.01 } else { 1e-4 },
            ));
        }
    }
    let mut failed = Vec::new();
    for (name, _, channels, tol) in &corpus {
        match decode_file(&dir.join(name), 1 << 20) {
            Err(e) => failed.push(format!("{name}: {e}")),
            Ok(b) => {
                let mut worst = 0.0f64;
                for i in 0..FRAMES {
                    for c in 0..*channels as usize {
                        worst = worst.max((b.frame(c, i as isize) as f64 - signal(i, c)).abs());
                    }
                }
                if b.frames() != FRAMES
                    || b.channel_count() != *channels as usize
                    || b.sample_rate() != RATE
                    || worst > *tol
                {
                    failed.push(format!(
                        "{name}: {} frames, {} channels, {} Hz, worst error {worst}",
                        b.frames(),
                        b.channel_count(),
                        b.sample_rate()
                    ));
                }
            }
        }
    }
    println!(
        "decoded {} of {} corpus files",
        corpus.len() - failed.len(),
        corpus.len()
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
