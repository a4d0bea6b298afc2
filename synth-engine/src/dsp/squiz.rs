//! `squiz`: raises pitch by replaying each zero-crossing chunk of the input `ratio` times faster.

/// Longest chunk kept, in frames.
pub const SQUIZ_CHUNK: usize = 1024;

/// Per-voice state; its buffers are allocated with the voice pool, never on the audio thread.
#[derive(Clone, Debug)]
pub struct Squiz {
    recording: Vec<f32>,
    playing: Vec<f32>,
    write: usize,
    play_len: usize,
    read: f32,
    last_in: f32,
}

impl Default for Squiz {
    fn default() -> Self {
        Squiz {
            recording: vec![0.0; SQUIZ_CHUNK * 2],
            playing: vec![0.0; SQUIZ_CHUNK * 2],
            write: 0,
            play_len: 0,
            read: 0.0,
            last_in: 0.0,
        }
    }
}

impl Squiz {
    /// Forgets what it heard (a new voice).
    pub fn reset(&mut self) {
        self.write = 0;
        self.play_len = 0;
        self.read = 0.0;
        self.last_in = 0.0;
    }

    /// Processes a block of `channels` (1 or 2) planar slices; chunk boundaries follow channel 0.
    pub fn process(&mut self, ratio: f32, left: &mut [f32], mut right: Option<&mut [f32]>) {
        let ratio = ratio.max(0.0);
        for i in 0..left.len() {
            let x0 = left[i];
            let x1 = right.as_ref().map(|r| r[i]).unwrap_or(0.0);
            self.recording[self.write * 2] = x0;
            self.recording[self.write * 2 + 1] = x1;
            self.write += 1;
            let crossed = self.last_in <= 0.0 && x0 > 0.0;
            self.last_in = x0;
            if crossed || self.write >= SQUIZ_CHUNK {
                std::mem::swap(&mut self.recording, &mut self.playing);
                self.play_len = self.write;
                self.write = 0;
                self.read = 0.0;
            }
            let (y0, y1) = if self.play_len == 0 {
                (0.0, 0.0)
            } else {
                let idx = (self.read as usize).min(self.play_len - 1);
                self.read += ratio;
                if self.read >= self.play_len as f32 {
                    self.read -= self.play_len as f32 * (self.read / self.play_len as f32).floor();
                }
                (self.playing[idx * 2], self.playing[idx * 2 + 1])
            };
            left[i] = y0;
            if let Some(r) = right.as_mut() {
                r[i] = y1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zero_crossings(x: &[f32]) -> usize {
        x.windows(2).filter(|w| w[0] <= 0.0 && w[1] > 0.0).count()
    }

    #[test]
    fn squiz_two_doubles_the_zero_crossings_of_a_sine() {
        let mut s = Squiz::default();
        let mut block: Vec<f32> = (0..48000)
            .map(|n| (2.0 * std::f32::consts::PI * 100.0 * n as f32 / 48000.0).sin())
            .collect();
        let before = zero_crossings(&block);
        s.process(2.0, &mut block, None);
        let after = zero_crossings(&block[4800..]);
        let expected = 2.0 * before as f32 * 0.9;
        assert!(
            (after as f32 - expected).abs() < expected * 0.1,
            "{before} -> {after}"
        );
    }
}
