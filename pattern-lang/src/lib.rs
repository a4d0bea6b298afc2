//! Ostinato's pattern language: exact musical time, Tidal's patterns and
//! combinators, the mini-notation, and the interpreter for Tidal code.
//! Pure: no I/O, threads or clocks.

pub mod arith;
pub mod core;
pub mod event;
pub mod lang;
pub mod mini;
pub mod pattern;
pub mod span;
pub mod time;
pub mod value;

pub use event::Event;
pub use pattern::{Budget, Pattern, QueryError, State};
pub use span::Span;
pub use time::Time;
pub use value::{Value, ValueMap};
