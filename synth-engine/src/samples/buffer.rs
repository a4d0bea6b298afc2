//! A decoded sample in memory, padded so cubic interpolation never reads out of bounds.

/// Frames of silence kept before and after the audio.
pub const PAD: usize = 4;

/// Decoded audio: planar channels (1 or 2), each padded with [`PAD`] zero frames on both sides.
#[derive(Debug)]
pub struct SampleBuffer {
    channels: Vec<Vec<f32>>,
    frames: usize,
    sample_rate: u32,
}

impl SampleBuffer {
    /// Builds a buffer from planar channels of equal length (more than two are mixed into two).
    pub fn new(mut planar: Vec<Vec<f32>>, sample_rate: u32) -> SampleBuffer {
        if planar.is_empty() {
            planar.push(Vec::new());
        }
        if planar.len() > 2 {
            let frames = planar[0].len();
            let mut left = vec![0.0; frames];
            let mut right = vec![0.0; frames];
            for (c, ch) in planar.iter().enumerate() {
                let target = if c % 2 == 0 { &mut left } else { &mut right };
                for (t, v) in target.iter_mut().zip(ch) {
                    *t += *v;
                }
            }
            planar = vec![left, right];
        }
        let frames = planar.iter().map(Vec::len).min().unwrap_or(0);
        let channels = planar
            .into_iter()
            .map(|ch| {
                let mut padded = Vec::with_capacity(frames + 2 * PAD);
                padded.extend(std::iter::repeat_n(0.0, PAD));
                padded.extend(
                    ch[..frames]
                        .iter()
                        .map(|v| if v.is_finite() { *v } else { 0.0 }),
                );
                padded.extend(std::iter::repeat_n(0.0, PAD));
                padded
            })
            .collect();
        SampleBuffer {
            channels,
            frames,
            sample_rate: sample_rate.max(1),
        }
    }

    /// Number of audio frames (without padding).
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// 1 (mono) or 2 (stereo).
    pub fn channel_count(&self) -> usize {
        self.channels.len()
    }

    /// The file's sample rate in Hz.
    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// Length in seconds at the file's own rate.
    pub fn duration(&self) -> f64 {
        self.frames as f64 / self.sample_rate as f64
    }

    /// Bytes of memory the audio occupies.
    pub fn bytes(&self) -> usize {
        self.channels.iter().map(|c| c.capacity() * 4).sum()
    }

    /// One padded channel: index `PAD + i` is frame `i`.
    pub fn padded(&self, channel: usize) -> &[f32] {
        &self.channels[channel.min(self.channels.len() - 1)]
    }

    /// Frame `i` of a channel, zero outside the audio (for tests and tools).
    pub fn frame(&self, channel: usize, i: isize) -> f32 {
        let idx = i + PAD as isize;
        let ch = self.padded(channel);
        if idx < 0 || idx as usize >= ch.len() {
            0.0
        } else {
            ch[idx as usize]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_and_replaces_non_finite_values() {
        let b = SampleBuffer::new(vec![vec![1.0, f32::NAN, 3.0]], 44100);
        assert_eq!(b.frames(), 3);
        assert_eq!(b.padded(0).len(), 3 + 2 * PAD);
        assert_eq!(b.frame(0, 1), 0.0);
        assert_eq!(b.frame(0, 2), 3.0);
        assert_eq!(b.frame(0, -1), 0.0);
        assert_eq!(b.frame(0, 99), 0.0);
    }

    #[test]
    fn more_than_two_channels_fold_into_stereo() {
        let b = SampleBuffer::new(vec![vec![1.0], vec![2.0], vec![4.0]], 48000);
        assert_eq!(b.channel_count(), 2);
        assert_eq!(b.frame(0, 0), 5.0);
        assert_eq!(b.frame(1, 0), 2.0);
    }
}
