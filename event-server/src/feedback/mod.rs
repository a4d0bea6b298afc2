//! What reaches the musician from outside the REPL: the engine's notices
//! about events, its log, and the scheduler's warnings, all printed through
//! one printer that keeps the line being typed intact.

pub mod engine_log;
pub mod notice;
pub mod printer;
