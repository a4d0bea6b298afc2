//! What Ostinato's three test suites share: processes, sockets, files and OSC, nothing of the crates under test.

pub mod clock;
pub mod files;
pub mod osc;
pub mod process;
pub mod repl;
pub mod udp;

pub use clock::{
    ntp_bits, ntp_gap, ntp_to_unix, sleep, timetag, unix_now, wait_clock, wait_for_some,
    wait_for_value, wait_until, NTP_OFFSET,
};
pub use files::{read_stereo, read_wav, temp_dir, wav_frames_on_disk, write_wav, TempDir};
pub use osc::{dirt_message, encode, named, names, number, pair, typetags};
pub use process::{
    binary, collect, kill_if_running, lines, spawn_piped, start_until_ready, terminate, Started,
};
pub use repl::Repl;
pub use udp::{free_port, Packet, Receiver};
