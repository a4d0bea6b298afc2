//! The `event-server` binary.
fn main() {}
