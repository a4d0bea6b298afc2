//! An orbit: a stereo bus the voices play into, with its reverb and delay, asleep when silent.

use super::command::OrbitUpdate;
use super::delay::Delay;
use super::reverb::Reverb;
use super::MAX_BLOCK;

/// Peak below which an effect's tail counts as silent.
const SILENCE: f32 = 1.0e-6;

/// One orbit.
pub struct Orbit {
    left: [f32; MAX_BLOCK],
    right: [f32; MAX_BLOCK],
    /// Voices wrote into the bus this block.
    touched: bool,
    reverb: Reverb,
    reverb_awake: bool,
    delay: Delay,
    delay_awake: bool,
    room: f32,
    size: f32,
    dry: f32,
}

impl Orbit {
    /// Allocates the orbit's effect memory.
    pub fn new(sr: f32) -> Orbit {
        Orbit {
            left: [0.0; MAX_BLOCK],
            right: [0.0; MAX_BLOCK],
            touched: false,
            reverb: Reverb::new(sr),
            reverb_awake: false,
            delay: Delay::new(sr),
            delay_awake: false,
            room: 0.0,
            size: 0.1,
            dry: 0.0,
        }
    }

    /// Marks the bus as written this block (clearing it first if it was clean).
    pub fn touch(&mut self) {
        if !self.touched {
            self.left.fill(0.0);
            self.right.fill(0.0);
            self.touched = true;
        }
    }

    /// The bus voices add into.
    pub fn bus_mut(&mut self) -> (&mut [f32; MAX_BLOCK], &mut [f32; MAX_BLOCK]) {
        (&mut self.left, &mut self.right)
    }

    /// Applies an event's orbit-wide settings (they persist, as SuperDirt's global effects do).
    pub fn apply(&mut self, u: &OrbitUpdate) {
        self.room = u.room.unwrap_or(self.room);
        self.size = u.size.unwrap_or(self.size);
        self.dry = u.dry.unwrap_or(self.dry);
        self.reverb.set(self.room, self.size, self.dry);
        let jump = !self.delay_awake;
        self.delay
            .set(u.delay, u.delay_time, u.delay_feedback, jump);
    }

    /// Whether this orbit does any work this block.
    pub fn is_busy(&self) -> bool {
        self.touched || self.reverb_awake || self.delay_awake
    }

    /// Mixes the bus and its effects into `out_l/out_r` (first `n` frames). Costs nothing when idle.
    pub fn process(&mut self, n: usize, out_l: &mut [f32], out_r: &mut [f32]) {
        if !self.is_busy() {
            return;
        }
        if !self.touched {
            self.left[..n].fill(0.0);
            self.right[..n].fill(0.0);
        }
        for i in 0..n {
            out_l[i] += self.left[i];
            out_r[i] += self.right[i];
        }
        if self.touched && self.reverb.is_fed() {
            self.reverb_awake = true;
        }
        if self.reverb_awake {
            let peak = self.reverb.process(
                &self.left[..n],
                &self.right[..n],
                &mut out_l[..n],
                &mut out_r[..n],
            );
            if !peak.is_finite() || (!self.touched && peak < SILENCE) {
                self.reverb.clear();
                self.reverb_awake = false;
            }
        }
        if self.delay.is_open() && (self.touched || self.delay_awake) {
            self.delay_awake = true;
        }
        if self.delay_awake {
            let peak = self.delay.process(
                &self.left[..n],
                &self.right[..n],
                &mut out_l[..n],
                &mut out_r[..n],
            );
            if !peak.is_finite() || (!self.touched && peak < SILENCE && !self.delay_has_input()) {
                self.delay.clear();
                self.delay_awake = false;
            }
        }
        self.touched = false;
    }

    fn delay_has_input(&self) -> bool {
        // an open delay may still hold echoes that are quieter than SILENCE at the output
        // only because its level is low; it sleeps once the level has gone to zero too
        self.delay.is_open()
    }
}
