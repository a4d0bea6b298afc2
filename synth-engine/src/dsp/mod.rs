//! Native DSP building blocks shared by the sampler voice, the orbits and the voice-program nodes.

pub mod delay;
pub mod distort;
pub mod envelope;
pub mod filter;
pub mod reverb;
pub mod squiz;
pub mod vowel;
