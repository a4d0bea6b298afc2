//! Events waiting for their frame: a time-ordered queue, so starting what is due costs time in the events due.

use crate::engine::command::VoiceSpec;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// When an entry starts (0 = as soon as possible), its arrival number (ties start in arrival
/// order) and where its specification is kept.
type Entry = Reverse<(u64, u64, u16)>;

/// Events waiting for their frame. Everything is allocated up front; nothing here allocates,
/// frees or panics afterwards.
pub struct Pending {
    /// Specifications, by slot (a slot is either free or named by one queue entry).
    specs: Box<[VoiceSpec]>,
    /// Slots with no event in them.
    free: Vec<u16>,
    /// The earliest event on top.
    queue: BinaryHeap<Entry>,
    arrivals: u64,
}

impl Pending {
    /// Room for `capacity` events (at most 65,536).
    pub fn new(capacity: usize, blank: VoiceSpec) -> Pending {
        let capacity = capacity.clamp(1, 1 << 16);
        let mut pending = Pending {
            specs: vec![blank; capacity].into_boxed_slice(),
            free: Vec::with_capacity(capacity),
            queue: BinaryHeap::with_capacity(capacity),
            arrivals: 0,
        };
        pending.clear();
        pending
    }

    /// Events waiting.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// Whether no event is waiting.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Forgets every waiting event.
    pub fn clear(&mut self) {
        self.queue.clear();
        self.free.clear();
        self.free.extend((0..self.specs.len() as u16).rev());
    }

    /// Queues an event to start at `key` (0 = as soon as possible). When full, the event
    /// furthest ahead gives way to a sooner one, so a flood of far-future events cannot silence
    /// what is due now. Returns false when full (whether or not the event took a place).
    pub fn push(&mut self, key: u64, spec: VoiceSpec) -> bool {
        self.arrivals += 1;
        if let Some(slot) = self.free.pop() {
            self.specs[slot as usize] = spec;
            self.queue.push(Reverse((key, self.arrivals, slot)));
            return true;
        }
        let latest = self.queue.iter().map(|Reverse(e)| *e).max_by_key(|e| e.0);
        if let Some((latest_key, arrival, slot)) = latest {
            if key < latest_key {
                self.queue
                    .retain(|Reverse((_, a, s))| (*a, *s) != (arrival, slot));
                self.specs[slot as usize] = spec;
                self.queue.push(Reverse((key, self.arrivals, slot)));
            }
        }
        false
    }

    /// When the earliest waiting event starts.
    pub fn next_key(&self) -> Option<u64> {
        self.queue.peek().map(|Reverse(e)| e.0)
    }

    /// The earliest waiting event if it starts before `end`, taken out of the queue.
    pub fn pop_before(&mut self, end: u64) -> Option<VoiceSpec> {
        if self.next_key()? >= end {
            return None;
        }
        let Reverse((_, _, slot)) = self.queue.pop()?;
        self.free.push(slot);
        Some(self.specs[slot as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(tag: u32) -> VoiceSpec {
        let mut s = crate::engine::blank_spec();
        s.slot = tag;
        s
    }

    fn drain(p: &mut Pending, end: u64) -> Vec<u32> {
        std::iter::from_fn(|| p.pop_before(end).map(|s| s.slot)).collect()
    }

    #[test]
    fn due_events_come_out_in_time_then_arrival_order() {
        let mut p = Pending::new(8, spec(0));
        p.push(30, spec(3));
        p.push(10, spec(1));
        p.push(20, spec(2));
        p.push(10, spec(11));
        p.push(0, spec(0));
        assert_eq!(drain(&mut p, 21), vec![0, 1, 11, 2]);
        assert_eq!(p.next_key(), Some(30));
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn when_full_the_latest_event_gives_way_to_a_sooner_one() {
        let mut p = Pending::new(3, spec(0));
        assert!(p.push(100, spec(1)));
        assert!(p.push(300, spec(3)));
        assert!(p.push(200, spec(2)));
        assert!(!p.push(50, spec(5)));
        assert!(!p.push(400, spec(4)));
        assert_eq!(drain(&mut p, u64::MAX), vec![5, 1, 2]);
        assert!(p.is_empty());
        assert!(p.push(1, spec(9)));
    }

    #[test]
    fn a_flood_of_future_events_leaves_the_due_ones_cheap_to_find() {
        // 4096 events far ahead and one due: taking the due one looks at the top only, so
        // the far ones are still all there, untouched and in order, afterwards.
        let mut p = Pending::new(4097, spec(0));
        for i in 0..4096u32 {
            p.push(1_000_000 + u64::from(i), spec(i));
        }
        p.push(5, spec(99_999));
        assert_eq!(drain(&mut p, 6), vec![99_999]);
        assert_eq!(drain(&mut p, 6), Vec::<u32>::new());
        assert_eq!(p.len(), 4096);
        assert_eq!(p.next_key(), Some(1_000_000));
    }
}
