//! Decoded samples kept within a memory budget, each in a numbered slot the audio thread can read.
//!
//! The cache lives on the control side. Installing a buffer and evicting one
//! are requests to the audio thread; a slot is reused only after the audio
//! thread has handed the evicted buffer back (so nothing is freed there).

use super::buffer::SampleBuffer;
use super::decode::{decode_file, DecodeError};
use super::library::SampleFile;
use std::collections::HashMap;
use std::sync::Arc;

/// What the audio thread needs to know about a cached sample (plain numbers).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SampleRef {
    pub slot: u32,
    pub key: u32,
    pub frames: usize,
    pub channels: usize,
    pub sample_rate: u32,
}

/// Where the cache sends its requests (the engine link, or a test double).
pub trait SlotSink {
    /// Hands a decoded buffer to the audio thread for `slot`; false if it could not be queued.
    fn install(&mut self, slot: u32, buffer: Arc<SampleBuffer>) -> bool;
    /// Asks the audio thread to give `slot` back once no voice plays it; false if not queued.
    fn evict(&mut self, slot: u32) -> bool;
}

/// Why a sample could not be made ready.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error("all {0} sample slots are in use")]
    NoFreeSlot(usize),
    #[error("the engine's queue is full")]
    QueueFull,
    #[error("{0} failed to decode earlier")]
    KnownBad(String),
}

struct Entry {
    info: SampleRef,
    bytes: usize,
    last_used: u64,
}

/// The cache of decoded samples (control side).
pub struct SampleCache {
    entries: HashMap<u32, Entry>,
    free_slots: Vec<u32>,
    slot_count: usize,
    /// Bytes held by buffers that are installed or on their way back.
    used: usize,
    /// Bytes of slots whose eviction was requested but not yet confirmed.
    evicting: HashMap<u32, usize>,
    budget: usize,
    tick: u64,
    bad: HashMap<u32, String>,
    max_frames: usize,
}

impl SampleCache {
    /// A cache of `slot_count` slots holding at most `budget_bytes` of audio.
    pub fn new(slot_count: usize, budget_bytes: usize) -> SampleCache {
        SampleCache {
            entries: HashMap::new(),
            free_slots: (0..slot_count as u32).rev().collect(),
            slot_count,
            used: 0,
            evicting: HashMap::new(),
            budget: budget_bytes,
            tick: 0,
            bad: HashMap::new(),
            max_frames: 48000 * 60 * 20,
        }
    }

    /// Bytes of decoded audio currently held.
    pub fn used_bytes(&self) -> usize {
        self.used
    }

    /// The memory budget in bytes.
    pub fn budget(&self) -> usize {
        self.budget
    }

    /// Number of samples currently cached.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Returns the sample's slot, decoding and installing it first if needed (in this thread).
    pub fn get(
        &mut self,
        file: &SampleFile,
        sink: &mut dyn SlotSink,
    ) -> Result<SampleRef, CacheError> {
        if let Some(info) = self.lookup(file.key)? {
            return Ok(info);
        }
        let decoded = decode_file(&file.path, self.max_frames);
        self.insert(file, decoded, sink)
    }

    /// The slot of a cached sample (marking it recently used), `None` if it is not loaded,
    /// or an error if it failed to decode before.
    pub fn lookup(&mut self, key: u32) -> Result<Option<SampleRef>, CacheError> {
        self.tick += 1;
        if let Some(e) = self.entries.get_mut(&key) {
            e.last_used = self.tick;
            return Ok(Some(e.info));
        }
        if let Some(msg) = self.bad.get(&key) {
            return Err(CacheError::KnownBad(msg.clone()));
        }
        Ok(None)
    }

    /// Longest file accepted, in frames.
    pub fn max_frames(&self) -> usize {
        self.max_frames
    }

    /// Takes the result of decoding `file` (here or on a loader thread) into the cache.
    pub fn insert(
        &mut self,
        file: &SampleFile,
        decoded: Result<SampleBuffer, DecodeError>,
        sink: &mut dyn SlotSink,
    ) -> Result<SampleRef, CacheError> {
        if let Some(e) = self.entries.get(&file.key) {
            return Ok(e.info);
        }
        let buffer = match decoded {
            Ok(b) => Arc::new(b),
            Err(e) => {
                self.bad.insert(file.key, file.path.display().to_string());
                return Err(e.into());
            }
        };
        let bytes = buffer.bytes();
        self.make_room(bytes, sink);
        let slot = self
            .free_slots
            .pop()
            .ok_or(CacheError::NoFreeSlot(self.slot_count))?;
        let info = SampleRef {
            slot,
            key: file.key,
            frames: buffer.frames(),
            channels: buffer.channel_count(),
            sample_rate: buffer.sample_rate(),
        };
        if !sink.install(slot, buffer) {
            self.free_slots.push(slot);
            return Err(CacheError::QueueFull);
        }
        self.used += bytes;
        self.tick += 1;
        self.entries.insert(
            file.key,
            Entry {
                info,
                bytes,
                last_used: self.tick,
            },
        );
        Ok(info)
    }

    /// Evicts least recently used samples until `incoming` more bytes fit the budget.
    ///
    /// Bytes of evicted buffers count until the audio thread returns them.
    fn make_room(&mut self, incoming: usize, sink: &mut dyn SlotSink) {
        loop {
            let pending: usize = self.evicting.values().sum();
            let live = self.used.saturating_sub(pending);
            if live + incoming <= self.budget {
                break;
            }
            let Some((&key, _)) = self.entries.iter().min_by_key(|(_, e)| e.last_used) else {
                break;
            };
            let slot = self.entries[&key].info.slot;
            if !sink.evict(slot) {
                break;
            }
            let entry = self.entries.remove(&key).expect("key was just found");
            self.evicting.insert(slot, entry.bytes);
        }
    }

    /// Drops what is known of `key` (its file changed or is gone): a voice still playing it
    /// plays on from memory, and the audio thread gives the slot back when it ends.
    pub fn forget(&mut self, key: u32, sink: &mut dyn SlotSink) {
        self.bad.remove(&key);
        if let Some(slot) = self.entries.get(&key).map(|e| e.info.slot) {
            if sink.evict(slot) {
                let entry = self.entries.remove(&key).expect("key was just found");
                self.evicting.insert(slot, entry.bytes);
            }
        }
    }

    /// The audio thread gave a slot back: its memory and number are free again.
    pub fn returned(&mut self, slot: u32) {
        if let Some(bytes) = self.evicting.remove(&slot) {
            self.used = self.used.saturating_sub(bytes);
            self.free_slots.push(slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Recorder {
        installed: Vec<u32>,
        evicted: Vec<u32>,
    }
    impl SlotSink for Recorder {
        fn install(&mut self, slot: u32, _b: Arc<SampleBuffer>) -> bool {
            self.installed.push(slot);
            true
        }
        fn evict(&mut self, slot: u32) -> bool {
            self.evicted.push(slot);
            true
        }
    }

    fn write_wav(path: &std::path::Path, frames: usize) {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 48000,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for i in 0..frames {
            w.write_sample((i as f32 * 0.01).sin()).unwrap();
        }
        w.finalize().unwrap();
    }

    #[test]
    fn evicts_least_recently_used_within_budget_and_reuses_returned_slots() {
        let dir = std::env::temp_dir().join(format!("ostinato-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let files: Vec<SampleFile> = (0..3)
            .map(|i| {
                let path = dir.join(format!("{i}.wav"));
                write_wav(&path, 10_000);
                SampleFile { path, key: i }
            })
            .collect();
        // each buffer is ~40 KB; a budget of 100 KB holds two
        let mut cache = SampleCache::new(8, 100_000);
        let mut sink = Recorder::default();
        let a = cache.get(&files[0], &mut sink).unwrap();
        let b = cache.get(&files[1], &mut sink).unwrap();
        assert_eq!(cache.get(&files[0], &mut sink).unwrap(), a); // hit, and a becomes recent
        let c = cache.get(&files[2], &mut sink).unwrap();
        assert_eq!(sink.evicted, vec![b.slot]);
        assert_ne!(c.slot, b.slot);
        assert_eq!(a.frames, 10_000);
        let before = cache.used_bytes();
        cache.returned(b.slot);
        assert!(cache.used_bytes() < before);
        assert!(cache.used_bytes() <= 100_000);
        let bad = SampleFile {
            path: dir.join("missing.wav"),
            key: 99,
        };
        assert!(cache.get(&bad, &mut sink).is_err());
        assert!(matches!(
            cache.get(&bad, &mut sink),
            Err(CacheError::KnownBad(_))
        ));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
