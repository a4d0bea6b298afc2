//! The core combinators of patterns, with Tidal's semantics.

pub mod applicative;
pub mod chords;
pub mod concat;
pub mod controls;
pub mod cycles;
pub mod euclid;
pub mod random;
pub mod scales;
pub mod signals;
pub mod time_ops;

pub use applicative::*;
pub use concat::*;

/// Tidal's `!!!`: list indexing that wraps around.
pub fn wrap_index<T: Clone>(xs: &[T], i: i64) -> Option<T> {
    if xs.is_empty() {
        return None;
    }
    Some(xs[i.rem_euclid(xs.len() as i64) as usize].clone())
}
