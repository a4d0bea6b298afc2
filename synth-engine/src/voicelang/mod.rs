//! The voice definition language: parse (pest), compile to a flat [`Program`](crate::program::Program), diff state layouts for hot reload.
//!
//! Everything here runs off the audio thread. See `docs/voices.md` for the language.

pub mod ast;
pub mod bank;
pub mod builtins;
pub mod compile;
mod lower;
pub mod migrate;
pub mod watch;

pub use bank::{ReloadReport, VoiceBank};

use ast::Pos;

/// A definition that does not compile, reported as `file:line:col: message`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{col}: {message}")]
pub struct VoiceError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl VoiceError {
    pub(crate) fn at(file: &str, pos: Pos, message: String) -> VoiceError {
        VoiceError {
            file: file.to_string(),
            line: pos.line.max(1),
            col: pos.col.max(1),
            message,
        }
    }
}

/// The file extension of voice definitions.
pub const EXTENSION: &str = "voice";

/// Parses and compiles one definition's text.
pub fn compile_text(
    file: &str,
    text: &str,
    sample_rate: f32,
) -> Result<(crate::program::Program, Vec<(String, String)>), VoiceError> {
    let parsed = ast::parse(file, text)?;
    let program = compile::compile(file, &parsed, sample_rate)?;
    let renames = parsed
        .bindings
        .iter()
        .filter_map(|b| b.was.clone().map(|old| (b.name.clone(), old)))
        .collect();
    Ok((program, renames))
}
