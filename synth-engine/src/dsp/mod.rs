//! Native DSP building blocks shared by the sampler voice, the orbits and the voice-program nodes.

pub mod delay;
pub mod distort;
pub mod envelope;
pub mod filter;
pub mod reverb;
pub mod squiz;
pub mod vowel;

/// A built-in stereo effect an orbit runs when no definition replaces it.
pub trait StereoEffect {
    /// Adds the effect of `input` to `output`; returns the block's peak.
    fn process(&mut self, input: [&[f32]; 2], output: [&mut [f32]; 2]) -> f32;
}
