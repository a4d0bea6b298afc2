//! Writes Ostinato's default sample banks (Dirt-Samples layout), synthesised and fully deterministic.
//!
//! `cargo run -p synth-engine --example make-samples -- samples`
//!
//! Every sound is made here from sines, sweeps and seeded noise; running it
//! again gives the same bytes. Both WAV (hound) and FLAC (flacenc) files are
//! written, mono and stereo, at 44.1 and 48 kHz, so the loader is exercised.

use flacenc::component::BitRepr;
use flacenc::error::Verify;
use std::f64::consts::PI;
use std::path::Path;

/// Deterministic white noise in [-1, 1).
struct Noise(u32);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (self.0 >> 8) as f64 / (1u32 << 23) as f64 - 1.0
    }
}

/// A mono or stereo sound at a sample rate.
struct Sound {
    rate: u32,
    channels: Vec<Vec<f64>>,
}

impl Sound {
    fn mono(rate: u32, seconds: f64, f: impl FnMut(f64) -> f64) -> Sound {
        Sound {
            rate,
            channels: vec![render(rate, seconds, f)],
        }
    }

    fn stereo(rate: u32, left: Vec<f64>, right: Vec<f64>) -> Sound {
        Sound {
            rate,
            channels: vec![left, right],
        }
    }

    fn to_i16(&self) -> Vec<i32> {
        let frames = self.channels[0].len();
        let mut out = Vec::with_capacity(frames * self.channels.len());
        for i in 0..frames {
            for ch in &self.channels {
                out.push((ch[i].clamp(-1.0, 1.0) * 32767.0).round() as i32);
            }
        }
        out
    }

    fn write_wav(&self, path: &Path) {
        let spec = hound::WavSpec {
            channels: self.channels.len() as u16,
            sample_rate: self.rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(path, spec).expect("create wav");
        for s in self.to_i16() {
            w.write_sample(s as i16).expect("write wav");
        }
        w.finalize().expect("finish wav");
    }

    fn write_flac(&self, path: &Path) {
        // one thread: the parallel encoder may pick different (equally valid) encodings run to run
        let mut config = flacenc::config::Encoder::default();
        config.multithread = false;
        let config = config.into_verified().expect("flac config");
        let samples = self.to_i16();
        let source = flacenc::source::MemSource::from_samples(
            &samples,
            self.channels.len(),
            16,
            self.rate as usize,
        );
        let stream = flacenc::encode_with_fixed_block_size(&config, source, config.block_size)
            .expect("flac encode");
        let mut sink = flacenc::bitsink::ByteSink::new();
        stream.write(&mut sink).expect("flac write");
        std::fs::write(path, sink.as_slice()).expect("write flac");
    }
}

fn render(rate: u32, seconds: f64, mut f: impl FnMut(f64) -> f64) -> Vec<f64> {
    let n = (seconds * rate as f64).round() as usize;
    (0..n).map(|i| f(i as f64 / rate as f64)).collect()
}

/// A short linear fade at the end so no file ends with a click.
fn tail_fade(mut v: Vec<f64>, rate: u32) -> Vec<f64> {
    let n = (0.003 * rate as f64) as usize;
    let len = v.len();
    for i in 0..n.min(len) {
        v[len - 1 - i] *= i as f64 / n as f64;
    }
    v
}

/// A one-channel sound from `samples`, its tail faded out.
fn mono(rate: u32, samples: Vec<f64>) -> Sound {
    Sound {
        rate,
        channels: vec![tail_fade(samples, rate)],
    }
}

fn kick(rate: u32, f0: f64, f1: f64, sweep: f64, decay: f64, click: f64) -> Sound {
    let mut phase = 0.0;
    let samples = render(rate, decay * 5.0, |t| {
        let f = f1 + (f0 - f1) * (-t / sweep).exp();
        phase += 2.0 * PI * f / rate as f64;
        let body = phase.sin() * (-t / decay).exp();
        let attack = click * (-t / 0.002).exp() * (2.0 * PI * 3000.0 * t).sin();
        0.9 * (body + attack)
    });
    mono(rate, samples)
}

fn snare(rate: u32, seed: u32, tone: f64, decay: f64, noise_amount: f64) -> Sound {
    let mut noise = Noise(seed);
    let mut lp = 0.0;
    let samples = render(rate, decay * 5.0, |t| {
        let n = noise.next();
        lp += 0.6 * (n - lp);
        let body = (2.0 * PI * tone * t).sin() * (-t / (decay * 0.5)).exp();
        let rattle = (n - 0.5 * lp) * (-t / decay).exp() * noise_amount;
        0.7 * (body * (1.0 - noise_amount) + rattle)
    });
    mono(rate, samples)
}

fn hat(rate: u32, seed: u32, decay: f64, length: f64) -> Sound {
    let mut noise = Noise(seed);
    let mut prev = 0.0;
    let samples = render(rate, length, |t| {
        let n = noise.next();
        let high = n - prev; // first difference: a simple high-pass
        prev = n;
        0.5 * high * (-t / decay).exp()
    });
    mono(rate, samples)
}

fn clap(rate: u32, seed: u32, spread: f64) -> Sound {
    let mut noise = Noise(seed);
    let samples = render(rate, 0.35, |t| {
        let n = noise.next();
        let bursts: f64 = (0..3)
            .map(|k| {
                let t0 = k as f64 * spread;
                if t >= t0 {
                    (-(t - t0) / 0.006).exp()
                } else {
                    0.0
                }
            })
            .sum();
        let tail = if t >= 3.0 * spread {
            0.4 * (-(t - 3.0 * spread) / 0.08).exp()
        } else {
            0.0
        };
        0.6 * n * (bursts + tail)
    });
    mono(rate, samples)
}

/// A short sharp click: full-scale first sample, then a 4 ms ringing decay.
fn click(rate: u32, freq: f64) -> Sound {
    let samples = render(rate, 0.02, |t| {
        if t == 0.0 {
            1.0
        } else {
            0.8 * (2.0 * PI * freq * t).cos() * (-t / 0.001).exp()
        }
    });
    Sound {
        rate,
        channels: vec![samples],
    }
}

fn pluck(rate: u32, freq: f64, length: f64, brightness: f64) -> Sound {
    let samples = render(rate, length, |t| {
        let env = (-t / (length * 0.3)).exp() * (1.0 - (-t / 0.002).exp());
        let mut s = 0.0;
        for h in 1..=6 {
            s += (2.0 * PI * freq * h as f64 * t).sin() * brightness.powi(h - 1) / h as f64;
        }
        0.5 * s * env
    });
    mono(rate, samples)
}

fn tom(rate: u32, f0: f64, f1: f64, decay: f64, seed: u32) -> Sound {
    let mut noise = Noise(seed);
    let mut phase = 0.0;
    let samples = render(rate, decay * 4.0, |t| {
        let f = f1 + (f0 - f1) * (-t / (decay * 0.4)).exp();
        phase += 2.0 * PI * f / rate as f64;
        0.8 * (phase.sin() + 0.1 * noise.next() * (-t / 0.01).exp()) * (-t / decay).exp()
    });
    mono(rate, samples)
}

fn bass(rate: u32, freq: f64, length: f64) -> Sound {
    let mut lp1 = 0.0;
    let mut lp2 = 0.0;
    let samples = render(rate, length, |t| {
        let saw = 2.0 * ((freq * t) % 1.0) - 1.0;
        let cutoff = 0.02 + 0.25 * (-t / 0.08).exp();
        lp1 += cutoff * (saw - lp1);
        lp2 += cutoff * (lp1 - lp2);
        0.7 * lp2 * (1.0 - (-t / 0.003).exp()) * (-t / (length * 0.6)).exp()
    });
    mono(rate, samples)
}

/// A slowly evolving stereo chord, long enough for `loop`, `begin` and `end`.
fn pad(rate: u32, root: f64, seconds: f64) -> Sound {
    let voice = |detune: f64| {
        tail_fade(
            render(rate, seconds, |t| {
                let env = (t / 0.05).min(1.0);
                let mut s = 0.0;
                for (k, ratio) in [1.0, 1.25, 1.5, 2.0].iter().enumerate() {
                    let f = root * ratio * (1.0 + detune * (k as f64 + 1.0));
                    s += (2.0 * PI * f * t + (2.0 * PI * 0.3 * t).sin()).sin();
                }
                0.2 * s * env
            }),
            rate,
        )
    };
    Sound::stereo(rate, voice(0.002), voice(-0.002))
}

fn synth_hit(rate: u32, freq: f64, fm: f64, decay: f64) -> Sound {
    let samples = render(rate, decay * 4.0, |t| {
        let modulator = (2.0 * PI * freq * fm * t).sin() * 3.0 * (-t / (decay * 0.5)).exp();
        0.6 * (2.0 * PI * freq * t + modulator).sin() * (-t / decay).exp()
    });
    mono(rate, samples)
}

/// One bar of a 120 bpm break (2 s), stereo: kick and snare centred, hats swung left and right.
fn drum_break(rate: u32, variant: u32) -> Sound {
    let frames = 2 * rate as usize;
    let mut left = vec![0.0; frames];
    let mut right = vec![0.0; frames];
    let step = rate as usize / 4; // sixteenth notes at 120 bpm
    let kick_s = kick(rate, 140.0, 50.0, 0.03, 0.12, 0.3);
    let snare_s = snare(rate, 7 + variant, 190.0, 0.08, 0.7);
    let hat_s = hat(rate, 99 + variant, 0.02, 0.06);
    let kicks: &[usize] = if variant == 0 {
        &[0, 6, 10]
    } else {
        &[0, 3, 8, 11]
    };
    let snares: &[usize] = &[4, 12];
    let mut add = |s: &Sound, at: usize, gl: f64, gr: f64| {
        for (i, v) in s.channels[0].iter().enumerate() {
            if at + i < frames {
                left[at + i] += v * gl;
                right[at + i] += v * gr;
            }
        }
    };
    for &k in kicks {
        add(&kick_s, k * step, 0.8, 0.8);
    }
    for &k in snares {
        add(&snare_s, k * step, 0.8, 0.8);
    }
    for k in 0..16 {
        let (gl, gr) = if k % 2 == 0 { (0.6, 0.3) } else { (0.3, 0.6) };
        add(&hat_s, k * step, gl, gr);
    }
    Sound::stereo(rate, tail_fade(left, rate), tail_fade(right, rate))
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "samples".into());
    let root = Path::new(&dir);
    let mut written = 0u64;
    let mut put = |bank: &str, name: &str, sound: Sound| {
        let d = root.join(bank);
        std::fs::create_dir_all(&d).expect("create bank folder");
        let path = d.join(name);
        if name.ends_with(".flac") {
            sound.write_flac(&path);
        } else {
            sound.write_wav(&path);
        }
        written += std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    };
    const CD: u32 = 44100;
    const DAT: u32 = 48000;

    // kicks: rate, start and end pitch (Hz), sweep and decay (s), click level
    for (name, rate, f0, f1, sweep, decay, click) in [
        ("bd00_deep.wav", CD, 150.0, 45.0, 0.04, 0.12, 0.3),
        ("bd01_short.flac", CD, 180.0, 55.0, 0.02, 0.06, 0.5),
        ("bd02_boom.wav", CD, 110.0, 38.0, 0.06, 0.25, 0.1),
        ("bd03_punch.flac", DAT, 220.0, 60.0, 0.015, 0.08, 0.6),
    ] {
        put("bd", name, kick(rate, f0, f1, sweep, decay, click));
    }

    put("sn", "sn00_tight.wav", snare(CD, 1, 185.0, 0.06, 0.7));
    put("sn", "sn01_fat.flac", snare(CD, 2, 160.0, 0.1, 0.6));
    put("sn", "sn02_noisy.wav", snare(DAT, 3, 220.0, 0.08, 0.9));
    put("sn", "sn03_rim.flac", snare(CD, 4, 400.0, 0.03, 0.4));

    put("hh", "hh00_closed.wav", hat(CD, 11, 0.015, 0.08));
    put("hh", "hh01_closed.flac", hat(CD, 12, 0.025, 0.1));
    put("hh", "hh02_open.wav", hat(CD, 13, 0.12, 0.4));
    put("hh", "hh03_tick.flac", hat(DAT, 14, 0.006, 0.04));

    for k in 0..6u32 {
        let ext = if k % 2 == 0 { "wav" } else { "flac" };
        let decay = 0.005 + 0.01 * k as f64;
        put(
            "hh27",
            &format!("{k:03}_hh27.{ext}"),
            hat(CD, 30 + k, decay, decay * 5.0),
        );
    }

    put("cp", "cp00.wav", clap(CD, 21, 0.011));
    put("cp", "cp01.flac", clap(CD, 22, 0.008));
    put("cp", "cp02.wav", clap(DAT, 23, 0.014));

    put("click", "click00_2k.wav", click(DAT, 2000.0));
    put("click", "click01_4k.wav", click(DAT, 4000.0));
    put("click", "click02_1k.flac", click(DAT, 1000.0));
    put("click", "click03_cd.flac", click(CD, 3000.0));

    let arp = [
        261.63, 329.63, 392.0, 493.88, 523.25, 659.26, 783.99, 987.77,
    ];
    for (k, f) in arp.iter().enumerate() {
        let ext = if k % 2 == 0 { "wav" } else { "flac" };
        put(
            "arpy",
            &format!("arpy{k:02}.{ext}"),
            pluck(CD, *f, 0.4, 0.5),
        );
    }

    put("drum", "drum00_tom_low.wav", tom(CD, 160.0, 80.0, 0.15, 41));
    put(
        "drum",
        "drum01_tom_mid.flac",
        tom(CD, 220.0, 120.0, 0.12, 42),
    );
    put(
        "drum",
        "drum02_tom_high.wav",
        tom(CD, 330.0, 180.0, 0.1, 43),
    );
    put(
        "drum",
        "drum03_kick.flac",
        kick(CD, 130.0, 50.0, 0.03, 0.1, 0.2),
    );
    put("drum", "drum04_snare.wav", snare(CD, 44, 200.0, 0.05, 0.8));
    put("drum", "drum05_block.flac", synth_hit(CD, 800.0, 1.5, 0.03));

    put("bev", "bev00_pad.flac", pad(22050, 196.0, 1.5));
    put("bev", "bev01_pad.wav", pad(22050, 146.83, 1.2));

    put("break", "break00.flac", drum_break(CD, 0));
    put("break", "break01.flac", drum_break(CD, 1));

    for (k, f) in [55.0, 65.41, 73.42, 82.41].iter().enumerate() {
        let ext = if k % 2 == 0 { "wav" } else { "flac" };
        put("bass", &format!("bass{k:02}.{ext}"), bass(CD, *f, 0.4));
    }

    for (k, (f, fm)) in [(220.0, 2.0), (330.0, 1.41), (440.0, 3.5), (110.0, 0.5)]
        .iter()
        .enumerate()
    {
        let ext = if k % 2 == 0 { "wav" } else { "flac" };
        put(
            "odx",
            &format!("odx{k:02}.{ext}"),
            synth_hit(CD, *f, *fm, 0.1),
        );
    }

    // test tones: an exact 440 Hz sine and white noise at the engine's default rate
    put(
        "sine",
        "sine00_440.wav",
        Sound::mono(DAT, 1.0, |t| 0.5 * (2.0 * PI * 440.0 * t).sin()),
    );
    let mut n = Noise(777);
    put(
        "noise",
        "noise00.wav",
        Sound::mono(DAT, 0.5, |_| 0.5 * n.next()),
    );
    let mut n2 = Noise(778);
    let mut n3 = Noise(779);
    put(
        "noise",
        "noise01_stereo.flac",
        Sound::stereo(
            DAT,
            render(DAT, 0.5, |_| 0.5 * n2.next()),
            render(DAT, 0.5, |_| 0.5 * n3.next()),
        ),
    );

    println!("wrote {written} bytes of samples into {}", root.display());
}
