//! The orbit delay: a stereo feedback delay of up to four seconds (SuperDirt's `dirt_delay`).

use super::StereoEffect;

/// Longest delay time in seconds.
pub const MAX_DELAY: f32 = 4.0;

/// A stereo feedback delay.
pub struct Delay {
    lines: [Vec<f32>; 2],
    write: usize,
    sr: f32,
    time: f32,
    target_time: f32,
    feedback: f32,
    level: f32,
    target_level: f32,
}

impl Delay {
    /// Allocates four seconds of memory per channel (pages are only touched when used).
    pub fn new(sr: f32) -> Delay {
        let frames = (MAX_DELAY * sr) as usize + 4;
        Delay {
            lines: [vec![0.0; frames], vec![0.0; frames]],
            write: 0,
            sr,
            time: 0.25 * sr,
            target_time: 0.25 * sr,
            feedback: 0.5,
            level: 0.0,
            target_level: 0.0,
        }
    }

    /// Sets the output level (`delay`), and optionally time (s) and feedback.
    pub fn set(&mut self, level: f32, time: Option<f32>, feedback: Option<f32>, jump: bool) {
        self.target_level = level;
        if let Some(t) = time {
            self.target_time = (t.clamp(0.0, MAX_DELAY) * self.sr).max(1.0);
            if jump {
                self.time = self.target_time;
            }
        }
        if let Some(f) = feedback {
            self.feedback = f.clamp(0.0, 0.99);
        }
    }

    /// The current delay time in seconds.
    pub fn time_seconds(&self) -> f32 {
        self.time.max(self.target_time) / self.sr
    }

    /// Whether the output is turned up.
    pub fn is_open(&self) -> bool {
        self.target_level > 0.0 || self.level > 1e-4
    }

    /// Silences the echoes.
    pub fn clear(&mut self) {
        for l in self.lines.iter_mut() {
            l.fill(0.0);
        }
        self.level = 0.0;
    }
}

impl StereoEffect for Delay {
    /// Feeds the input through and adds the echoes to the output; returns the peak it added.
    fn process(&mut self, [in_l, in_r]: [&[f32]; 2], [out_l, out_r]: [&mut [f32]; 2]) -> f32 {
        let len = self.lines[0].len();
        let time_coef = 1.0 - (-1.0 / (0.05 * self.sr)).exp();
        let level_coef = 1.0 - (-1.0 / (0.01 * self.sr)).exp();
        let mut peak = 0.0f32;
        for i in 0..in_l.len() {
            self.time += (self.target_time - self.time) * time_coef;
            self.level += (self.target_level - self.level) * level_coef;
            let read = self.write as f32 + len as f32 - self.time;
            let i0 = read.floor();
            let frac = read - i0;
            let a = i0 as usize % len;
            let b = (a + 1) % len;
            for (c, (input, out)) in [(in_l, &mut *out_l), (in_r, &mut *out_r)]
                .into_iter()
                .enumerate()
            {
                let line = &mut self.lines[c];
                let y = line[a] + (line[b] - line[a]) * frac;
                let w = input[i] + self.feedback * y;
                line[self.write] = if w.is_finite() { w } else { 0.0 };
                let o = y * self.level;
                peak = peak.max(o.abs());
                out[i] += o;
            }
            self.write += 1;
            if self.write == len {
                self.write = 0;
            }
        }
        peak
    }
}
