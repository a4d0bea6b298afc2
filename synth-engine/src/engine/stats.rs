//! Counters shared between the audio thread and the reporting side (relaxed atomics only).

use std::sync::atomic::{AtomicU64, Ordering};

/// What the engine counts; read off the audio thread for reports and tests.
#[derive(Debug, Default)]
pub struct EngineStats {
    pub packets: AtomicU64,
    pub malformed_packets: AtomicU64,
    pub unknown_addresses: AtomicU64,
    pub events: AtomicU64,
    pub rejected_events: AtomicU64,
    pub rejected_values: AtomicU64,
    pub sounds_not_found: AtomicU64,
    pub queue_full: AtomicU64,
    pub late_events: AtomicU64,
    pub max_late_frames: AtomicU64,
    pub voices_started: AtomicU64,
    pub voices_stolen: AtomicU64,
    pub active_voices: AtomicU64,
    /// The most voices ever sounding at once (fading stolen ones included).
    pub max_active_voices: AtomicU64,
    pub pending_overflow: AtomicU64,
    /// Voices faded out because rendering could not keep real time.
    pub voices_shed: AtomicU64,
    /// The render load in thousandths (1000: rendering takes as long as the audio lasts).
    pub load_permille: AtomicU64,
    /// Voices allowed now (the maximum unless the machine could not keep up).
    pub voice_cap: AtomicU64,
    pub non_finite_samples: AtomicU64,
    pub frames_rendered: AtomicU64,
    pub callbacks: AtomicU64,
}

impl EngineStats {
    /// Adds one to a counter.
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Reads a counter.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    /// One line with the counters a user cares about.
    pub fn summary(&self) -> String {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        format!(
            "packets {} (malformed {}, unknown address {}), events {} (rejected {}, sound not found {}, late {}), voices started {} (stolen {}, most at once {}), queue full {}, pending overflow {}, voices shed to keep real time {}",
            g(&self.packets),
            g(&self.malformed_packets),
            g(&self.unknown_addresses),
            g(&self.events),
            g(&self.rejected_events),
            g(&self.sounds_not_found),
            g(&self.late_events),
            g(&self.voices_started),
            g(&self.voices_stolen),
            g(&self.max_active_voices),
            g(&self.queue_full),
            g(&self.pending_overflow),
            g(&self.voices_shed),
        )
    }
}
