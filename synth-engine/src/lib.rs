//! Ostinato's synth engine: SuperDirt-compatible OSC in, sample-accurate samplers and effects out.
//!
//! The control side ([`osc`], [`control`], [`plan`], [`samples`], [`clock`])
//! turns messages into `Copy` voice specifications; the [`engine`] renders
//! them on the audio thread without allocating; a [`backend`] drives it.

pub mod backend;
pub mod clock;
pub mod control;
pub mod dirt_event;
pub mod engine;
pub mod osc;
pub mod params;
pub mod paths;
pub mod plan;
pub mod plan_voice;
pub mod render;
pub mod samples;
pub mod sanitise;
pub mod voicelang;
