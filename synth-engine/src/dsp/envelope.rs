//! Envelopes: the click-free gate every voice has, the curved segment (SuperCollider's `Env` curve) that both the sampler's attack/hold/release and the VM's perc/linen/adsr are made of, and the sampler's linen.

use crate::engine::command::EnvelopeSpec;

/// SuperCollider's `\sin` segment shape from 0 to 1 over `x` in 0..=1.
#[inline]
pub fn sine_ramp(x: f32) -> f32 {
    0.5 - 0.5 * (std::f32::consts::PI * x.clamp(0.0, 1.0)).cos()
}

/// Gate level at `elapsed` frames of a voice `length` frames long with the given fades.
#[inline]
pub fn gate(elapsed: u64, length: u64, fade_in: u32, fade_out: u32) -> f32 {
    if elapsed < fade_in as u64 {
        sine_ramp((elapsed as f32 + 0.5) / fade_in as f32)
    } else if elapsed + (fade_out as u64) >= length {
        let left = length.saturating_sub(elapsed) as f32;
        sine_ramp((left - 0.5).max(0.0) / fade_out.max(1) as f32)
    } else {
        1.0
    }
}

/// One envelope segment from `start` to `target` over `frames` frames with SuperCollider's
/// `curve` (0 straight; negative rises fast, positive slow): its level at frame `k` is
/// `start + slope·k` when straight, else `a - d·w^k`, where `w^frames = e^curve` so that
/// the segment lands on `target` exactly at its end.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CurvedSegment {
    Straight { slope: f64 },
    Curved { a: f64, d: f64, w: f64 },
}

impl CurvedSegment {
    /// Designs the segment (straight when `curve` is within 0.001 of 0 or nothing moves).
    pub fn new(start: f64, target: f64, frames: f64, curve: f64) -> CurvedSegment {
        if curve.abs() <= 1e-3 || target == start {
            CurvedSegment::Straight {
                slope: (target - start) / frames,
            }
        } else {
            let d = (target - start) / (1.0 - curve.exp());
            CurvedSegment::Curved {
                a: start + d,
                d,
                w: (curve / frames).exp(),
            }
        }
    }
}

/// `Env.linen(attack, hold, release, 1, curve)` run sample by sample without `exp` per sample.
#[derive(Clone, Copy, Debug)]
pub struct Linen {
    spec: EnvelopeSpec,
    stage: u8,
    pos: u32,
    len: u32,
    from: f64,
    segment: CurvedSegment,
    /// `w^pos` of a curved segment, advanced by multiplication.
    grow: f64,
    level: f64,
}

impl Linen {
    /// Starts at level 0 (or 1 when there is no attack).
    pub fn new(spec: EnvelopeSpec) -> Linen {
        let mut env = Linen {
            spec,
            stage: 0,
            pos: 0,
            len: 0,
            from: 0.0,
            segment: CurvedSegment::Straight { slope: 0.0 },
            grow: 1.0,
            level: 0.0,
        };
        env.enter(0);
        env
    }

    fn enter(&mut self, stage: u8) {
        self.stage = stage;
        self.pos = 0;
        let (len, from, to) = match stage {
            0 => (self.spec.attack, 0.0, 1.0),
            1 => (self.spec.hold, 1.0, 1.0),
            2 => match self.spec.release {
                Some(r) => (r, 1.0, 0.0),
                None => (u32::MAX, 1.0, 1.0),
            },
            _ => (u32::MAX, 0.0, 0.0),
        };
        self.len = len;
        self.from = from;
        self.level = from;
        self.grow = 1.0;
        self.segment = if len > 0 && len < u32::MAX {
            CurvedSegment::new(from, to, len as f64, self.spec.curve as f64)
        } else {
            CurvedSegment::Straight { slope: 0.0 }
        };
        if len == 0 && stage < 3 {
            self.enter(stage + 1);
        }
    }

    /// The next level.
    #[inline]
    pub fn next_level(&mut self) -> f32 {
        if self.stage >= 3 {
            return 0.0;
        }
        self.level = match self.segment {
            CurvedSegment::Straight { slope } => self.from + slope * self.pos as f64,
            CurvedSegment::Curved { a, d, w } => {
                let level = a - d * self.grow;
                self.grow *= w;
                level
            }
        };
        self.pos = self.pos.saturating_add(1);
        if self.pos >= self.len && self.len != u32::MAX {
            self.enter(self.stage + 1);
        }
        self.level as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_fades_in_and_out_and_is_flat_between() {
        assert!(gate(0, 1000, 48, 48) < 0.01);
        assert_eq!(gate(500, 1000, 48, 48), 1.0);
        assert!(gate(999, 1000, 48, 48) < 0.01);
        assert_eq!(gate(0, 1000, 0, 48), 1.0);
        let mut prev = 0.0;
        for e in 0..48 {
            let g = gate(e, 1000, 48, 48);
            assert!(g >= prev);
            prev = g;
        }
    }

    #[test]
    fn linen_rises_holds_and_falls() {
        let mut env = Linen::new(EnvelopeSpec {
            attack: 100,
            hold: 50,
            release: Some(100),
            curve: -3.0,
        });
        let levels: Vec<f32> = (0..300).map(|_| env.next_level()).collect();
        assert!(levels[0] < 0.05);
        assert!(levels[50] > 0.5); // curve -3 rises fast
        assert!((levels[120] - 1.0).abs() < 1e-6);
        assert!(levels[200] < 0.5);
        assert_eq!(levels[299], 0.0);
        let mut open = Linen::new(EnvelopeSpec {
            attack: 10,
            hold: 0,
            release: None,
            curve: -3.0,
        });
        let last = (0..1000).map(|_| open.next_level()).last().unwrap();
        assert_eq!(last, 1.0);
    }
}
