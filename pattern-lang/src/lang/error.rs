//! Errors in Tidal code, each with the span of source it is about.

/// Byte offsets `(start, end)` into the source line.
pub type Src = (usize, usize);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The code cannot be parsed.
    Syntax,
    /// A name that no builtin, control or `let` defines.
    UnknownName,
    /// Types that do not fit (including too many arguments).
    Type,
    /// A mini-notation string that cannot be read.
    MiniNotation,
    /// Something that could only be found while building the pattern.
    Eval,
}

/// An error with the span it points at.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct LangError {
    pub kind: ErrorKind,
    pub src: Src,
    pub message: String,
}

impl LangError {
    pub fn new(kind: ErrorKind, src: Src, message: impl Into<String>) -> LangError {
        LangError {
            kind,
            src,
            message: message.into(),
        }
    }

    pub fn syntax(src: Src, message: &str) -> LangError {
        LangError::new(ErrorKind::Syntax, src, format!("syntax error: {message}"))
    }

    pub fn eval(src: Src, message: impl Into<String>) -> LangError {
        LangError::new(ErrorKind::Eval, src, message)
    }

    /// The 1-based column where the error starts.
    pub fn column(&self, source: &str) -> usize {
        source[..self.src.0.min(source.len())].chars().count() + 1
    }
}
