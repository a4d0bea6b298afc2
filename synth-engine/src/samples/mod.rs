//! Samples: the bank index on disk, decoding, and the memory-bounded cache of decoded buffers.

pub mod buffer;
pub mod cache;
pub mod decode;
pub mod library;
pub mod loader;
pub mod watch;
pub mod wav_fix;

pub use buffer::SampleBuffer;
pub use cache::{SampleCache, SampleRef};
pub use library::{SampleFile, SampleLibrary};
