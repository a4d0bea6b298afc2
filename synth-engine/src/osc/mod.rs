//! OSC in: unpacking packets and the UDP server that feeds the dispatcher.

pub mod packet;
pub mod server;
pub mod talkback;
