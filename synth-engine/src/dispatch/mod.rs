//! The control side of an event: decoding `/dirt/play` arguments, sanitising, and planning a sampler or a compiled voice for the engine.

pub mod dirt_event;
pub mod dispatcher;
pub mod notice;
pub mod params;
pub mod plan_program;
pub mod plan_sample;
pub mod sanitise;

pub use dispatcher::{DispatchError, Dispatcher};
