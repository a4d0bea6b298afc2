//! Turning an event into the start of a compiled voice: parameters filled by name as SuperDirt fills a synth's controls.
//!
//! `freq` is the event's `freq`, else `midicps((note ?? n) + octave * 12)` with octave 5
//! (SuperDirt's `~midinote`/`~freq`); `sustain` is the event's `sustain`, else `legato * delta`,
//! else `delta`; `pan` is folded into 0..1 as for samples; every other declared name takes the
//! event's value of that name (known or not), else the definition's default. The event's `gain`
//! and `overgain` scale the voice (`amp` is the voice's own to use), and SuperDirt's per-voice
//! effects apply unless the voice declares the parameter that drives them (a voice with `cutoff`
//! filters itself).

use crate::dispatch::params::{Param, ParamSet};
use crate::dispatch::plan_sample::{effects, orbit_update, stereo_pan, Placement};
use crate::engine::command::{EventValues, ProgramStart, VoiceSpec};
use crate::program::{Program, MAX_PARAMS};
use rosc::OscType;

/// Longest voice, in seconds.
const MAX_SUSTAIN: f32 = 600.0;

fn raw_number(args: &[OscType], name: &str) -> Option<f32> {
    args.chunks_exact(2)
        .rev()
        .find_map(|pair| match (&pair[0], &pair[1]) {
            (OscType::String(n), v) if n == name => match v {
                OscType::Float(f) => Some(*f),
                OscType::Double(d) => Some(*d as f32),
                OscType::Int(i) => Some(*i as f32),
                OscType::Long(l) => Some(*l as f32),
                _ => None,
            }
            .filter(|x| x.is_finite()),
            _ => None,
        })
}

/// The value of one declared parameter for this event, or `None` when the event leaves it to the default.
fn given_value(name: &str, p: &ParamSet, args: &[OscType], default: f32) -> Option<f32> {
    match name {
        "freq" | "sustain" | "pan" => Some(value_of(name, p, args, default)),
        _ => match Param::from_name(name) {
            Some(known) => p.get(known),
            None => raw_number(args, name).map(|v| v.clamp(-1.0e6, 1.0e6)),
        },
    }
}

/// The value of one declared parameter for this event.
fn value_of(name: &str, p: &ParamSet, args: &[OscType], default: f32) -> f32 {
    match name {
        "freq" => p.get(Param::Freq).unwrap_or_else(|| {
            let note = p.get(Param::Note).or(p.get(Param::N)).unwrap_or(0.0);
            let midinote = note + p.get_or(Param::Octave, 5.0) * 12.0;
            440.0 * ((midinote - 69.0) / 12.0).exp2()
        }),
        "sustain" => {
            let delta = p.get_or(Param::Delta, 1.0);
            p.get(Param::Sustain)
                .or(p.get(Param::Legato).map(|l| l * delta))
                .unwrap_or(delta)
                .clamp(0.0, MAX_SUSTAIN)
        }
        "pan" => stereo_pan(p.get_or(Param::Pan, default) + p.get_or(Param::Channel, 0.0) / 2.0),
        _ => match Param::from_name(name) {
            Some(known) => p.get(known).unwrap_or(default),
            // names the engine does not know are bounded like any numeric control
            None => raw_number(args, name)
                .map(|v| v.clamp(-1.0e6, 1.0e6))
                .unwrap_or(default),
        },
    }
}

/// Plans one compiled voice (`id` in the engine's program table).
pub fn plan_program(
    p: &ParamSet,
    args: &[OscType],
    id: u16,
    program: &Program,
    at: Placement,
) -> VoiceSpec {
    let sr = at.sample_rate as f64;
    let mut params = [0.0f32; MAX_PARAMS];
    let mut given = 0u32;
    for (i, (v, def)) in params.iter_mut().zip(&program.params).enumerate() {
        match given_value(&def.name, p, args, def.default) {
            Some(x) => {
                *v = x;
                given |= 1 << i;
            }
            None => *v = def.default,
        }
    }
    // everything the event gave, by name, for parameters a reload may add while it sounds
    let mut event = EventValues::default();
    for name in ["freq", "sustain", "pan"] {
        event.insert(name, value_of(name, p, args, 0.5));
    }
    for pair in args.chunks_exact(2) {
        if let OscType::String(name) = &pair[0] {
            if let Some(v) = given_value(name, p, args, 0.0) {
                event.insert(name, v);
            }
        }
    }
    // a declared name counts under any of its aliases (`rel` is `release`, `lpf` is `cutoff`)
    let declares = |name: &str| {
        let wanted = Param::from_name(name);
        program
            .params
            .iter()
            .any(|d| d.name == name || (wanted.is_some() && Param::from_name(&d.name) == wanted))
    };
    let mut fx = effects(p, at.sample_rate as f32, sr);
    if declares("cutoff") || declares("resonance") {
        fx.lpf = None;
    }
    if declares("hcutoff") || declares("hresonance") {
        fx.hpf = None;
    }
    if declares("bandf") || declares("bandq") {
        fx.bpf = None;
    }
    if declares("shape") {
        fx.shape = None;
    }
    if declares("crush") {
        fx.crush = None;
    }
    if declares("coarse") {
        fx.coarse = None;
    }
    if declares("vowel") {
        fx.vowel = None;
    }
    if declares("attack") || declares("release") || declares("hold") {
        fx.envelope = None;
    }
    if declares("squiz") {
        fx.squiz = None;
    }
    let cps = p.get_or(Param::Cps, 1.0) as f64;
    // `nudge` is already in the timetag (as Tidal sends it); only `lag` moves the start.
    let shift = p.get_or(Param::Lag, 0.0) as f64;
    let (start_frame, asap) = match at.frame {
        Some(f) => ((f + shift * sr).round().max(0.0) as u64, false),
        None => (0, true),
    };
    let orbit = (p.get_or(Param::Orbit, 0.0) as i64).rem_euclid(at.orbits.max(1) as i64) as u16;
    let g = (p.get_or(Param::Gain, 1.0).min(2.0) + p.get_or(Param::Overgain, 0.0)).max(0.0);
    VoiceSpec {
        start_frame,
        asap,
        slot: 0,
        sample_key: u32::MAX,
        position: 0.0,
        region_start: 0.0,
        region_end: 0.0,
        rate: 0.0,
        rate_step: 0.0,
        // the audio thread sets the real length from the program's envelopes
        length: (value_of("sustain", p, args, 1.0) as f64 * sr)
            .round()
            .max(1.0) as u64,
        fade_in: 0,
        fade_out: (p.get_or(Param::FadeTime, 0.001) as f64 * sr)
            .round()
            .max(1.0) as u32,
        gain: g.powi(4),
        pan: 0.5,
        orbit,
        cut: p.get_or(Param::Cut, 0.0) as i32,
        effects: fx,
        orbit_update: orbit_update(p, cps),
        program: Some(ProgramStart {
            id,
            generation: program.generation,
            params,
            given,
            event,
            uses_sample: program.bank.is_some(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freq_and_sustain_follow_superdirt() {
        let f = |kv: &[(Param, f32)]| value_of("freq", &ParamSet::of(kv), &[], 0.0);
        assert!((f(&[]) - 261.6256).abs() < 1e-3);
        assert!((f(&[(Param::N, 12.0)]) - 523.2511).abs() < 1e-3);
        assert!((f(&[(Param::N, 12.0), (Param::Note, 0.0)]) - 261.6256).abs() < 1e-3);
        assert!((f(&[(Param::Octave, 4.0)]) - 130.8128).abs() < 1e-3);
        assert_eq!(f(&[(Param::Freq, 100.0), (Param::N, 3.0)]), 100.0);
        let s = |kv: &[(Param, f32)]| value_of("sustain", &ParamSet::of(kv), &[], 0.0);
        assert_eq!(s(&[]), 1.0);
        assert_eq!(s(&[(Param::Delta, 0.25)]), 0.25);
        assert_eq!(s(&[(Param::Delta, 0.5), (Param::Legato, 2.0)]), 1.0);
        assert_eq!(s(&[(Param::Sustain, 0.1), (Param::Legato, 2.0)]), 0.1);
        let args = [OscType::String("voice".into()), OscType::Float(0.3)];
        assert_eq!(value_of("voice", &ParamSet::default(), &args, 0.0), 0.3);
        assert_eq!(value_of("detune", &ParamSet::default(), &args, 0.7), 0.7);
    }
}
