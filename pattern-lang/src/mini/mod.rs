//! Tidal's mini-notation: parsed with pest into a tree that keeps source
//! positions, then lowered to a pattern of the type its position expects.

pub mod ast;
pub mod atoms;
pub mod chords;
pub mod lower;

pub use atoms::Kind;

use crate::pattern::Pattern;
use crate::value::Value;

/// A mini-notation string that cannot be read, with the byte offset of the
/// problem inside the string.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("syntax error in mini-notation at column {}: {message}", .offset + 1)]
pub struct MiniError {
    pub offset: usize,
    pub message: String,
}

impl MiniError {
    pub fn new(offset: usize, message: String) -> MiniError {
        MiniError { offset, message }
    }
}

/// Parses `src` as a pattern of the given kind.
pub fn parse(src: &str, kind: Kind) -> Result<Pattern<Value>, MiniError> {
    let tree = ast::parse(src)?;
    lower::Lowerer::new().lower(&tree, kind)
}
