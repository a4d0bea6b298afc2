//! The orbit reverb: allpass diffusion into a damped feedback loop (shaped after SuperDirt's `dirt_reverb`).

use super::StereoEffect;

/// A delay line of fixed length.
#[derive(Clone, Debug)]
struct Line {
    buf: Vec<f32>,
    pos: usize,
}

impl Line {
    fn new(frames: usize) -> Line {
        Line {
            buf: vec![0.0; frames.max(1)],
            pos: 0,
        }
    }

    /// The value written `len` frames ago, then stores `x`.
    #[inline]
    fn exchange(&mut self, x: f32) -> f32 {
        let out = self.buf[self.pos];
        self.buf[self.pos] = x;
        self.pos += 1;
        if self.pos == self.buf.len() {
            self.pos = 0;
        }
        out
    }

    fn clear(&mut self) {
        self.buf.fill(0.0);
        self.pos = 0;
    }
}

/// A Schroeder allpass whose coefficient gives a 60 dB decay over `decay` seconds.
#[derive(Clone, Debug)]
struct Allpass {
    line: Line,
    g: f32,
}

impl Allpass {
    fn new(delay: f32, decay: f32, sr: f32) -> Allpass {
        Allpass {
            line: Line::new((delay * sr) as usize),
            g: 0.001f32.powf(delay / decay),
        }
    }

    #[inline]
    fn tick(&mut self, x: f32) -> f32 {
        let delayed = self.line.buf[self.line.pos];
        let w = x + self.g * delayed;
        self.line.exchange(w);
        delayed - self.g * w
    }
}

struct Channel {
    diffusers: [Allpass; 4],
    loop_allpass: Allpass,
    loop_delay: Line,
    late_allpass: Allpass,
    damp: f32,
    feedback: f32,
    dc_in: f32,
    dc_out: f32,
    spread: f32,
}

/// A stereo reverb for one orbit.
pub struct Reverb {
    channels: [Channel; 2],
    room: f32,
    depth: f32,
    wet: f32,
}

const DIFFUSE: [[f32; 4]; 2] = [
    [0.0073, 0.0121, 0.0157, 0.0191],
    [0.0083, 0.0109, 0.0167, 0.0179],
];
const LOOP_AP: [f32; 2] = [0.031, 0.043];
const LOOP_DELAY: [f32; 2] = [0.1915, 0.2583];
const LATE_AP: [f32; 2] = [0.071, 0.113];
const SPREAD: [f32; 2] = [0.004, 0.012];

impl Reverb {
    /// Allocates the delay lines for sample rate `sr`.
    pub fn new(sr: f32) -> Reverb {
        let channel = |c: usize| Channel {
            diffusers: DIFFUSE[c].map(|d| Allpass::new(d, 1.0, sr)),
            loop_allpass: Allpass::new(LOOP_AP[c], 2.0, sr),
            loop_delay: Line::new((LOOP_DELAY[c] * sr) as usize),
            late_allpass: Allpass::new(LATE_AP[c], 2.0, sr),
            damp: 0.0,
            feedback: 0.0,
            dc_in: 0.0,
            dc_out: 0.0,
            spread: SPREAD[c],
        };
        let mut r = Reverb {
            channels: [channel(0), channel(1)],
            room: 0.0,
            depth: 0.0,
            wet: 1.0,
        };
        r.set(0.0, 0.1, 0.0);
        r
    }

    /// `room` = send level, `size` 0..1 = feedback depth, `dry` 0..1 turns the reverb output down.
    pub fn set(&mut self, room: f32, size: f32, dry: f32) {
        self.room = room;
        self.depth = 0.01 * 98f32.powf(size.clamp(0.0, 1.0));
        self.wet = 1.0 - dry;
    }

    /// Whether new input would be heard (`room` above zero).
    pub fn is_fed(&self) -> bool {
        self.room > 0.0
    }

    /// Silences the tail (when it has died away, or after a non-finite value).
    pub fn clear(&mut self) {
        for ch in self.channels.iter_mut() {
            for ap in ch.diffusers.iter_mut() {
                ap.line.clear();
            }
            ch.loop_allpass.line.clear();
            ch.loop_delay.clear();
            ch.late_allpass.line.clear();
            ch.damp = 0.0;
            ch.feedback = 0.0;
            ch.dc_in = 0.0;
            ch.dc_out = 0.0;
        }
    }
}

impl StereoEffect for Reverb {
    /// Adds the reverb of the input's left plus right to the output; returns the peak it added.
    fn process(&mut self, [in_l, in_r]: [&[f32]; 2], [out_l, out_r]: [&mut [f32]; 2]) -> f32 {
        let mut peak = 0.0f32;
        let room = self.room;
        let wet = self.wet;
        let depth = self.depth;
        for (c, out) in [out_l, out_r].into_iter().enumerate() {
            let ch = &mut self.channels[c];
            let fb_gain = (depth + ch.spread).min(0.985);
            for i in 0..out.len() {
                let mut x = (in_l[i] + in_r[i]) * room;
                for ap in ch.diffusers.iter_mut() {
                    x = ap.tick(x);
                }
                let mut fb = ch.feedback * fb_gain;
                ch.damp = 0.5 * fb + 0.5 * ch.damp;
                fb = ch.loop_allpass.tick(ch.damp);
                fb = ch.loop_delay.exchange(fb);
                fb = ch.late_allpass.tick(fb);
                let sum = fb + x;
                // leak DC
                let y = sum - ch.dc_in + 0.995 * ch.dc_out;
                ch.dc_in = sum;
                ch.dc_out = y;
                ch.feedback = if y.is_finite() { y } else { 0.0 };
                let o = y * wet;
                peak = peak.max(o.abs());
                out[i] += o;
            }
        }
        peak
    }
}
