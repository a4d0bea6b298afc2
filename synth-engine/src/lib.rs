//! Ostinato's synth engine: SuperDirt-compatible OSC in, sample-accurate samplers and effects out.
//!
//! The control side ([`osc`] decodes packets, [`dispatch`] turns events into voice plans,
//! [`samples`] loads what they play, [`voicelang`] compiles voice definitions into
//! [`program`]s, [`clock`] maps time to frames) produces `Copy` voice specifications; the
//! [`engine`] renders them on the audio thread without allocating, with the native DSP of
//! [`dsp`]; a [`backend`] drives it (a device, or [`render`] offline).

pub mod backend;
pub mod clock;
pub mod dispatch;
pub mod dsp;
pub mod engine;
pub mod osc;
pub mod paths;
pub mod program;
pub mod render;
pub mod samples;
pub mod voicelang;
