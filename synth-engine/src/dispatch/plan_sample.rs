//! Turning an event's parameters and its sample into a [`VoiceSpec`] (SuperDirt's timing and level rules).

use crate::dispatch::params::{Param, ParamSet};
use crate::dsp::distort::crush_step;
use crate::engine::command::{EffectSpec, EnvelopeSpec, FilterSpec, OrbitUpdate, VoiceSpec};
use crate::samples::SampleRef;

/// Middle C, the pitch at which a sample plays at its own speed.
const BASE_FREQ: f64 = 261.625_565_300_598_6;
/// Longest voice, in seconds.
const MAX_SUSTAIN: f64 = 600.0;

/// Why an event makes no sound.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PlanError {
    #[error("the event's length is zero")]
    TooShort,
}

/// Where and when the voice starts, as decided by the caller.
#[derive(Clone, Copy, Debug)]
pub struct Placement {
    /// Absolute output frame (before `nudge`, `lag`, `offset`), or `None` for "as soon as possible".
    pub frame: Option<f64>,
    pub sample_rate: u32,
    pub orbits: usize,
}

/// The pitch ratio of `note`/`octave`/`freq` relative to middle C (SuperDirt's `freq / 60.midicps`).
pub fn pitch_ratio(p: &ParamSet) -> f64 {
    if let Some(f) = p.get(Param::Freq) {
        return f as f64 / BASE_FREQ;
    }
    let note = p.get_or(Param::Note, 0.0) as f64;
    let octave = p.get_or(Param::Octave, 5.0) as f64;
    2f64.powf((note + octave * 12.0 - 60.0) / 12.0)
}

/// The linear level of an event: `amp · (min(gain, 2) + overgain)^4`, amp defaulting to 0.4.
pub fn level(p: &ParamSet) -> f32 {
    let amp = p.get_or(Param::Amp, 0.4);
    let g = (p.get_or(Param::Gain, 1.0).min(2.0) + p.get_or(Param::Overgain, 0.0)).max(0.0);
    amp * g.powi(4)
}

pub(crate) fn filter(cutoff: f32, damping: f32, sr: f32) -> FilterSpec {
    FilterSpec {
        cutoff: cutoff.abs().clamp(20.0, sr * 0.5),
        damping,
    }
}

/// SuperDirt's stereo pan position: `pan * 2 - 1` folded into -1..1, returned as 0..1.
pub fn stereo_pan(pan: f32) -> f32 {
    let x = (pan as f64 * 2.0 - 1.0 + 1.0).rem_euclid(4.0);
    let folded = if x > 2.0 { 4.0 - x } else { x };
    (folded / 2.0) as f32
}

/// Plans one sampler voice.
pub fn plan_sample(
    p: &ParamSet,
    sample: &SampleRef,
    at: Placement,
) -> Result<VoiceSpec, PlanError> {
    let sr = at.sample_rate as f64;
    let srf = at.sample_rate as f32;
    let frames = sample.frames as f64;
    let file_sr = sample.sample_rate as f64;
    let ratio = pitch_ratio(p);
    let cps = p.get_or(Param::Cps, 1.0) as f64;
    let unit = p.get_or(Param::Unit, 0.0);

    let mut speed = p.get_or(Param::Speed, 1.0) as f64;
    let b = p.get_or(Param::Begin, 0.0) as f64;
    let e = p.get_or(Param::End, 1.0) as f64;
    let (lo, hi) = (b.min(e), b.max(e));
    let length = hi - lo;
    if length <= 0.0 || frames < 1.0 {
        return Err(PlanError::TooShort);
    }
    let unit_duration_base = frames / file_sr / ratio;
    if unit == 1.0 {
        speed *= cps * unit_duration_base;
    }
    let end_speed = match p.get(Param::Accelerate) {
        Some(a) => speed * (1.0 + a as f64),
        None => speed,
    };
    let avg_speed = if p.has(Param::Accelerate) {
        (speed.abs() + end_speed.abs()) * 0.5
    } else {
        speed.abs()
    };
    let unit_duration = if unit == 2.0 {
        length
    } else if avg_speed > 0.0 {
        unit_duration_base * length / avg_speed
    } else {
        0.0 // a sample that does not move would only hold one value: nothing to hear
    };
    let delta = p.get_or(Param::Delta, 1.0) as f64;
    let looped = unit_duration * p.get_or(Param::Loop, 1.0) as f64;
    let sustain = match (p.get(Param::Sustain), p.get(Param::Legato)) {
        (Some(s), _) => (s as f64).min(looped),
        (None, Some(l)) => (delta * l as f64).min(unit_duration),
        (None, None) => looped,
    }
    .min(MAX_SUSTAIN);
    let total = (sustain * sr).round();
    if total.is_nan() || total < 2.0 {
        return Err(PlanError::TooShort);
    }
    let fade = (p.get_or(Param::FadeTime, 0.001) as f64).min(sustain * 0.19098);
    let fade_out = (fade * sr).round().max(1.0) as u32;
    let fade_in = if lo != 0.0 { fade_out } else { 0 };

    let scale = ratio * file_sr / sr;
    let max = crate::engine::playhead::MAX_RATE;
    let rate = (speed * scale).clamp(-max, max);
    let rate_step = ((end_speed * scale).clamp(-max, max) - rate) / total;
    let (region_start, region_end) = (lo * frames, hi * frames);
    let position = if rate < 0.0 {
        (region_end - 1.0).max(region_start)
    } else {
        region_start
    };

    // `nudge` is not applied here: Tidal (and our event server) already add
    // it to the timetag, and SuperDirt ignores it for the same reason.
    let shift =
        p.get_or(Param::Lag, 0.0) as f64 + p.get_or(Param::Offset, 0.0) as f64 * speed.abs();
    let (start_frame, asap) = match at.frame {
        Some(f) => ((f + shift * sr).round().max(0.0) as u64, false),
        None => (0, true),
    };
    let pan = stereo_pan(p.get_or(Param::Pan, 0.5) + p.get_or(Param::Channel, 0.0) / 2.0);
    let orbit = (p.get_or(Param::Orbit, 0.0) as i64).rem_euclid(at.orbits.max(1) as i64) as u16;

    let effects = effects(p, srf, sr);
    let orbit_update = orbit_update(p, cps);

    Ok(VoiceSpec {
        program: None,
        start_frame,
        asap,
        slot: sample.slot,
        sample_key: sample.key,
        position,
        region_start,
        region_end,
        rate,
        rate_step,
        length: total as u64,
        fade_in,
        fade_out,
        gain: level(p),
        pan,
        orbit,
        cut: p.get_or(Param::Cut, 0.0) as i32,
        effects,
        orbit_update,
    })
}

/// The per-voice effects an event asks for (SuperDirt's dirt modules).
pub fn effects(p: &ParamSet, srf: f32, sr: f64) -> EffectSpec {
    EffectSpec {
        vowel: p
            .get(Param::Vowel)
            .filter(|v| *v >= 1.0)
            .map(|v| (v as u8, p.get_or(Param::Resonance, 0.5))),
        shape: p.get(Param::Shape),
        hpf: p
            .get(Param::HCutoff)
            .map(|c| filter(c, 0.001f32.powf(p.get_or(Param::HResonance, 0.0)), srf)),
        bpf: p
            .get(Param::BandF)
            .map(|c| filter(c, 1.0 / p.get_or(Param::BandQ, 10.0).max(1.0), srf)),
        crush: p.get(Param::Crush).map(crush_step),
        coarse: p.get(Param::Coarse).filter(|c| *c > 1.0).map(|c| c as u32),
        lpf: p
            .get(Param::Cutoff)
            .map(|c| filter(c, 0.001f32.powf(p.get_or(Param::Resonance, 0.0)), srf)),
        envelope: if p.has(Param::Attack) || p.has(Param::Release) {
            let secs = |x: f32| (x as f64 * sr).round().min(u32::MAX as f64 - 1.0) as u32;
            Some(EnvelopeSpec {
                attack: secs(p.get_or(Param::Attack, 0.0)),
                hold: secs(p.get_or(Param::Hold, 0.0)),
                release: p.get(Param::Release).map(secs),
                curve: p.get_or(Param::Curve, -3.0),
            })
        } else {
            None
        },
        squiz: p.get(Param::Squiz),
    }
}

/// The orbit-wide settings an event carries.
pub fn orbit_update(p: &ParamSet, cps: f64) -> OrbitUpdate {
    let lock = p.get_or(Param::Lock, 0.0) != 0.0;
    OrbitUpdate {
        room: p.get(Param::Room),
        size: p.get(Param::Size),
        dry: p.get(Param::Dry),
        delay: p.get_or(Param::Delay, 0.0),
        delay_time: p.get(Param::DelayTime).map(|t| {
            let t = if lock { t as f64 / cps } else { t as f64 };
            t.clamp(0.0, 4.0) as f32
        }),
        delay_feedback: p.get(Param::DelayFeedback),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SampleRef {
        SampleRef {
            slot: 3,
            key: 7,
            frames: 48000,
            channels: 1,
            sample_rate: 48000,
        }
    }

    fn at(frame: f64) -> Placement {
        Placement {
            frame: Some(frame),
            sample_rate: 48000,
            orbits: 12,
        }
    }

    #[test]
    fn natural_length_follows_speed_begin_end_and_loop() {
        let len = |kv: &[(Param, f32)]| {
            plan_sample(&ParamSet::of(kv), &sample(), at(0.0))
                .unwrap()
                .length
        };
        assert_eq!(len(&[]), 48000);
        assert_eq!(len(&[(Param::Speed, 2.0)]), 24000);
        assert_eq!(len(&[(Param::Speed, -0.5)]), 96000);
        assert_eq!(len(&[(Param::Begin, 0.25), (Param::End, 0.75)]), 24000);
        assert_eq!(len(&[(Param::Loop, 3.0)]), 144000);
        assert_eq!(len(&[(Param::Sustain, 0.1)]), 4800);
        assert_eq!(len(&[(Param::Legato, 0.5), (Param::Delta, 0.5)]), 12000);
        assert_eq!(len(&[(Param::Note, 12.0)]), 24000);
        assert_eq!(len(&[(Param::Unit, 1.0), (Param::Cps, 2.0)]), 24000);
        // unit "s": the sound lasts (end - begin) seconds at most, speed still a rate
        assert_eq!(len(&[(Param::Unit, 2.0), (Param::End, 0.5)]), 24000);
        assert_eq!(len(&[(Param::Unit, 2.0), (Param::Speed, 0.25)]), 48000);
    }

    #[test]
    fn pan_folds_back_like_superdirts() {
        assert_eq!(stereo_pan(0.5), 0.5);
        assert_eq!(stereo_pan(0.0), 0.0);
        assert_eq!(stereo_pan(1.0), 1.0);
        assert_eq!(stereo_pan(1.25), 0.75);
        assert_eq!(stereo_pan(-0.25), 0.25);
        assert_eq!(stereo_pan(2.0), 0.0);
        assert!((0.0..=1.0).contains(&stereo_pan(1.0e6 + 0.3)));
    }

    #[test]
    fn level_timing_and_orbit_rules() {
        assert!((level(&ParamSet::of(&[])) - 0.4).abs() < 1e-6);
        assert!((level(&ParamSet::of(&[(Param::Gain, 2.0)])) - 6.4).abs() < 1e-5);
        let v = plan_sample(
            &ParamSet::of(&[
                (Param::Lag, 0.5),
                (Param::Nudge, 0.25),
                (Param::Orbit, 13.0),
                (Param::Speed, -1.0),
            ]),
            &sample(),
            at(1000.0),
        )
        .unwrap();
        // lag moves the start; nudge is already in the timetag
        assert_eq!(v.start_frame, 25000);
        assert_eq!(v.orbit, 1);
        assert!(v.rate < 0.0);
        assert_eq!(v.position, 47999.0);
        let lock = plan_sample(
            &ParamSet::of(&[
                (Param::DelayTime, 0.5),
                (Param::Lock, 1.0),
                (Param::Cps, 0.5),
            ]),
            &sample(),
            at(0.0),
        )
        .unwrap();
        assert_eq!(lock.orbit_update.delay_time, Some(1.0));
        assert!(plan_sample(
            &ParamSet::of(&[(Param::Begin, 0.5), (Param::End, 0.5)]),
            &sample(),
            at(0.0)
        )
        .is_err());
    }
}
