//! `vowel`: five parallel formant band-passes (a e i o u), mixed with the input as SuperDirt does.

use crate::dsp::filter::{Svf, SvfMode};

/// Formants of a tenor voice: centre (Hz), level (dB), bandwidth (Hz).
const FORMANTS: [[(f32, f32, f32); 5]; 5] = [
    // a
    [
        (650.0, 0.0, 80.0),
        (1080.0, -6.0, 90.0),
        (2650.0, -7.0, 120.0),
        (2900.0, -8.0, 130.0),
        (3250.0, -22.0, 140.0),
    ],
    // e
    [
        (400.0, 0.0, 70.0),
        (1700.0, -14.0, 80.0),
        (2600.0, -12.0, 100.0),
        (3200.0, -14.0, 120.0),
        (3580.0, -20.0, 120.0),
    ],
    // i
    [
        (290.0, 0.0, 40.0),
        (1870.0, -15.0, 90.0),
        (2800.0, -18.0, 100.0),
        (3250.0, -20.0, 120.0),
        (3540.0, -30.0, 120.0),
    ],
    // o
    [
        (400.0, 0.0, 40.0),
        (800.0, -10.0, 80.0),
        (2600.0, -12.0, 100.0),
        (2800.0, -12.0, 120.0),
        (3000.0, -26.0, 120.0),
    ],
    // u
    [
        (350.0, 0.0, 40.0),
        (600.0, -20.0, 60.0),
        (2700.0, -17.0, 100.0),
        (2900.0, -14.0, 120.0),
        (3300.0, -26.0, 120.0),
    ],
];

/// A formant filter bank for one voice.
#[derive(Clone, Copy, Debug)]
pub struct Vowel {
    bands: [Svf; 5],
    levels: [f32; 5],
    dry: f32,
    wet: f32,
}

impl Vowel {
    /// `code` 1..=5 for a e i o u; `resonance` 0..1 sharpens the formants and raises their level.
    pub fn new(code: u8, resonance: f32, sr: f32) -> Vowel {
        let table = &FORMANTS[(code.clamp(1, 5) - 1) as usize];
        let r = resonance.clamp(0.0, 1.0);
        // SuperDirt scales the formant levels by 50..200; with these tables that
        // is far louder than the dry sound, so the range here is tamed to 1..4.
        let level_scale = 1.0 + 3.0 * r;
        let width_scale = 0.1 + 0.4 * r;
        let bands = table.map(|(f, _, bw)| {
            let rq = (bw / f) / width_scale;
            Svf::new(SvfMode::BandPassUnity, f, rq, sr)
        });
        let levels = table.map(|(_, db, _)| 10f32.powf(db / 20.0) * level_scale);
        // an equal-power crossfade towards the formants, at a quarter level
        let pos = -0.5 + 1.5 * r;
        let angle = (pos + 1.0) * std::f32::consts::FRAC_PI_4;
        Vowel {
            bands,
            levels,
            dry: angle.cos() * 0.25,
            wet: angle.sin() * 0.25,
        }
    }

    /// Processes one channel's block in place.
    pub fn process(&mut self, ch: usize, block: &mut [f32]) {
        for x in block.iter_mut() {
            let mut sum = 0.0;
            for (band, level) in self.bands.iter_mut().zip(self.levels) {
                sum += band.tick(ch, *x) * level;
            }
            *x = self.dry * *x + self.wet * sum;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn energy_at(code: u8, freq: f32) -> f32 {
        let mut v = Vowel::new(code, 0.5, 48000.0);
        let mut block: Vec<f32> = (0..24000)
            .map(|n| (2.0 * std::f32::consts::PI * freq * n as f32 / 48000.0).sin() * 0.1)
            .collect();
        v.process(0, &mut block);
        block[12000..].iter().map(|x| x * x).sum()
    }

    #[test]
    fn vowels_emphasise_their_first_formant() {
        // "a" has its first formant at 650 Hz, "i" at 290 Hz
        assert!(energy_at(1, 650.0) > 4.0 * energy_at(3, 650.0));
        assert!(energy_at(3, 290.0) > 4.0 * energy_at(1, 290.0));
    }
}
