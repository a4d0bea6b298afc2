//! The core combinators of patterns, with Tidal's semantics.

pub mod applicative;
pub mod concat;
pub mod controls;
pub mod cycles;
pub mod euclid;
pub mod random;
pub mod signals;
pub mod time_ops;

pub use applicative::*;
pub use concat::*;
