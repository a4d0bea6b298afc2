//! The stream slots (`d1`..`d16`, `p "name"`): which pattern each one plays,
//! the one it goes back to when the new one fails, and solo/mute.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use pattern_lang::{Pattern, Value};

/// A slot's name: `d1`..`d16` (also `p 1`..) or `p "name"`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SlotId {
    /// `dN` / `p N`: the number, 1-based.
    Number(u32),
    Named(String),
}

impl SlotId {
    /// The `_id_` Tidal sends: "1" for d1, the name for `p "name"`.
    pub fn wire_id(&self) -> String {
        match self {
            SlotId::Number(n) => n.to_string(),
            SlotId::Named(s) => s.clone(),
        }
    }
}

impl fmt::Display for SlotId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlotId::Number(n) => write!(f, "d{n}"),
            SlotId::Named(s) => write!(f, "p {s:?}"),
        }
    }
}

/// A slot's patterns and how it plays.
pub struct Slot {
    pub pattern: Pattern<Value>,
    /// What it played before, for when `pattern` fails.
    pub previous: Option<Pattern<Value>>,
    /// d1..d16 play on orbit 0..15 unless the pattern sets one.
    pub orbit: Option<i32>,
    /// The `_id_` sent with each event.
    pub wire_id: String,
    /// Whether `pattern` has answered a frame's query in time: a late
    /// answer from then on is the machine's hiccup more likely than the
    /// pattern's fault.
    pub proven: bool,
}

/// Every slot, with solo and mute.
#[derive(Default)]
pub struct Slots {
    slots: BTreeMap<SlotId, Slot>,
    muted: BTreeSet<SlotId>,
    soloed: BTreeSet<SlotId>,
}

impl Slots {
    /// `d1 $ pattern`: the old pattern becomes the one to fall back to.
    pub fn play(&mut self, id: SlotId, pattern: Pattern<Value>, orbit: Option<i32>) {
        let wire_id = id.wire_id();
        let previous = self.slots.remove(&id).map(|s| s.pattern);
        self.slots.insert(
            id,
            Slot {
                pattern,
                previous,
                orbit,
                wire_id,
                proven: false,
            },
        );
    }

    /// The slot's pattern answered in time.
    pub fn prove(&mut self, id: &SlotId) {
        if let Some(slot) = self.slots.get_mut(id) {
            slot.proven = true;
        }
    }

    /// How many slots there are (silenced ones included).
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn hush(&mut self) {
        self.slots.clear();
    }

    pub fn set_muted(&mut self, id: SlotId, on: bool) {
        if on {
            self.muted.insert(id);
        } else {
            self.muted.remove(&id);
        }
    }

    pub fn set_soloed(&mut self, id: SlotId, on: bool) {
        if on {
            self.soloed.insert(id);
        } else {
            self.soloed.remove(&id);
        }
    }

    /// The slots that sound now: not muted, and soloed if any slot is.
    pub fn audible(&self) -> impl Iterator<Item = (&SlotId, &Slot)> {
        self.slots.iter().filter(|(id, _)| {
            !self.muted.contains(*id) && (self.soloed.is_empty() || self.soloed.contains(*id))
        })
    }

    pub fn get(&self, id: &SlotId) -> Option<&Slot> {
        self.slots.get(id)
    }

    /// The slot's pattern failed: back to the one before (or silence).
    /// Returns true when there was one to go back to.
    pub fn fall_back(&mut self, id: &SlotId) -> bool {
        match self.slots.get_mut(id) {
            Some(slot) => match slot.previous.take() {
                Some(p) => {
                    slot.pattern = p;
                    slot.proven = false;
                    true
                }
                None => {
                    self.slots.remove(id);
                    false
                }
            },
            None => false,
        }
    }
}
