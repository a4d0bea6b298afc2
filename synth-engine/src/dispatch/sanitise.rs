//! Turning untrusted numbers into safe ones before they go anywhere near the audio thread.

use crate::dispatch::params::Param;

/// Returns the value made safe for `p`, or `None` when it cannot be used at all (NaN, infinite).
///
/// Ranges follow what SuperDirt's synths clip to, or what keeps the DSP stable
/// where SuperDirt relies on scsynth to cope (e.g. huge filter Q).
pub fn sanitise(p: Param, v: f64) -> Option<f32> {
    if !v.is_finite() {
        return None;
    }
    let clamp = |lo: f64, hi: f64| Some(v.clamp(lo, hi) as f32);
    match p {
        Param::N => clamp(-1.0e6, 1.0e6),
        Param::Note => clamp(-300.0, 300.0),
        Param::Octave => clamp(-20.0, 30.0),
        Param::Freq => clamp(0.01, 1.0e5),
        Param::Speed => clamp(-1000.0, 1000.0),
        Param::Accelerate => clamp(-1000.0, 1000.0),
        Param::Begin | Param::End => clamp(0.0, 1.0),
        Param::Loop => Some(v.abs().min(1.0e4) as f32),
        Param::Unit => clamp(0.0, 2.0),
        Param::Cut => Some(v.clamp(-1.0e6, 1.0e6).round() as f32),
        Param::Legato => clamp(0.0, 1.0e4),
        Param::Sustain | Param::Delta => clamp(0.0, 3600.0),
        Param::Cps => clamp(1.0e-6, 1.0e4),
        Param::Cycle => clamp(-1.0e12, 1.0e12),
        Param::Gain => clamp(0.0, 2.0),
        Param::Overgain => clamp(-10.0, 10.0),
        Param::Amp => clamp(0.0, 10.0),
        Param::Pan => clamp(-1.0e6, 1.0e6),
        Param::Nudge | Param::Lag | Param::Offset => clamp(-60.0, 60.0),
        Param::Orbit => Some(v.clamp(-1.0e6, 1.0e6).floor() as f32),
        Param::Channel => clamp(-64.0, 64.0),
        Param::FadeTime => clamp(0.0, 1.0),
        Param::Cutoff | Param::HCutoff | Param::BandF => Some(v.abs().min(1.0e6) as f32),
        Param::Resonance | Param::HResonance => clamp(0.0, 1.0),
        Param::BandQ => clamp(1.0, 1000.0),
        Param::Shape => clamp(0.0, 0.9999),
        Param::Crush => clamp(0.0, 32.0),
        Param::Coarse => Some(v.clamp(1.0, 4096.0).round() as f32),
        Param::Vowel => clamp(0.0, 5.0),
        Param::Attack | Param::Hold | Param::Release => clamp(0.0, 3600.0),
        Param::Curve => clamp(-50.0, 50.0),
        Param::Squiz => clamp(0.0, 100.0),
        Param::Room => clamp(0.0, 4.0),
        Param::Size => clamp(0.0, 1.0),
        Param::Dry => clamp(0.0, 2.0),
        Param::Delay => clamp(0.0, 4.0),
        Param::DelayTime => clamp(0.0, 4.0),
        Param::DelayFeedback => clamp(0.0, 0.99),
        Param::Lock => Some(if v != 0.0 { 1.0 } else { 0.0 }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_numbers_are_clamped_or_dropped() {
        for p in Param::all() {
            for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                assert_eq!(sanitise(*p, v), None, "{p:?} {v}");
            }
            for v in [1.0e300, -1.0e300, 0.0, -1.0, 3.5] {
                let s = sanitise(*p, v).expect("finite input gives a value");
                assert!(s.is_finite(), "{p:?} {v} -> {s}");
            }
        }
        assert_eq!(sanitise(Param::Gain, 9.0), Some(2.0));
        assert_eq!(sanitise(Param::Begin, -3.0), Some(0.0));
        assert_eq!(sanitise(Param::DelayFeedback, 5.0), Some(0.99));
        assert_eq!(sanitise(Param::Cutoff, -500.0), Some(500.0));
        assert_eq!(sanitise(Param::Loop, -2.0), Some(2.0));
    }
}
