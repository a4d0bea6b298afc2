//! Native DSP building blocks shared by the sampler voice and the voice-program nodes.

pub mod distort;
pub mod envelope;
pub mod filter;
pub mod squiz;
pub mod vowel;
