//! The preallocated voice pool: starting voices, cut groups, stealing the oldest, rendering all.

use crate::engine::command::VoiceSpec;
use crate::engine::orbit::Orbit;
use crate::engine::program_voice::{ProgramBank, VoiceStates};
use crate::engine::voice::Voice;
use crate::engine::MAX_BLOCK;
use crate::program::Program;
use crate::samples::SampleBuffer;
use std::sync::Arc;

/// Voices beyond `max_voices` that may still be fading out after being stolen.
pub const STEAL_RESERVE: usize = 32;

/// What happened when a voice was started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StartReport {
    pub stolen: bool,
}

/// All voices, allocated once.
pub struct VoicePool {
    voices: Vec<Voice>,
    /// The node state of each voice's program.
    states: VoiceStates,
    active: Vec<usize>,
    free: Vec<usize>,
    /// Scratch list of voices that can be rendered in pairs (capacity for all voices).
    pairable: Vec<usize>,
    max_voices: usize,
    /// Voices allowed now (below `max_voices` while the machine cannot keep up).
    cap: usize,
    next_order: u64,
    /// Frames of the fade given to a stolen voice.
    steal_fade: u32,
}

impl VoicePool {
    /// `max_voices` sounding voices plus a small reserve for stolen ones fading out.
    pub fn new(max_voices: usize, template: VoiceSpec, sample_rate: f32) -> VoicePool {
        let max_voices = max_voices.max(1);
        let total = max_voices + STEAL_RESERVE;
        VoicePool {
            voices: (0..total).map(|_| Voice::idle(template)).collect(),
            states: VoiceStates::new(total),
            active: Vec::with_capacity(total),
            free: (0..total).rev().collect(),
            pairable: Vec::with_capacity(total),
            max_voices,
            cap: max_voices,
            next_order: 0,
            steal_fade: (sample_rate * 0.005) as u32,
        }
    }

    /// Voices currently sounding (including fading ones).
    pub fn active_count(&self) -> usize {
        self.active.len()
    }

    /// Voices sounding and not fading out.
    pub fn sounding(&self) -> usize {
        self.active
            .iter()
            .filter(|&&i| !self.voices[i].stopping)
            .count()
    }

    /// Sets how many voices may sound now (at most the pool's maximum).
    pub fn set_cap(&mut self, cap: usize) {
        self.cap = cap.clamp(1, self.max_voices);
    }

    /// Fades out the `n` oldest sounding voices; returns how many it stopped.
    pub fn shed(&mut self, n: usize) -> usize {
        let mut stopped = 0;
        while stopped < n {
            let Some(i) = self.oldest_sounding() else {
                break;
            };
            self.voices[i].stop(0, self.steal_fade);
            stopped += 1;
        }
        stopped
    }

    /// The voice that started first among those not fading out.
    fn oldest_sounding(&self) -> Option<usize> {
        self.active
            .iter()
            .copied()
            .filter(|&i| !self.voices[i].stopping)
            .min_by_key(|&i| self.voices[i].order)
    }

    /// Starts a voice `wait` frames into the next block, cutting and stealing as needed.
    pub fn start(
        &mut self,
        spec: VoiceSpec,
        wait: u32,
        sample_rate: f32,
        slot_users: &mut [u32],
        programs: &[Option<Box<Program>>],
        slots: &[Option<Arc<SampleBuffer>>],
    ) -> StartReport {
        let mut report = StartReport::default();
        if spec.cut != 0 {
            for &i in &self.active {
                let v = &mut self.voices[i];
                let same_group = v.spec.cut != 0 && v.spec.cut.abs() == spec.cut.abs();
                let same_sample = spec.cut > 0 || v.spec.sample_key == spec.sample_key;
                if v.spec.orbit == spec.orbit && same_group && same_sample && !v.stopping {
                    let fade = v.spec.fade_out.max(1);
                    v.stop(wait, fade);
                }
            }
        }
        if self.sounding() >= self.cap {
            if let Some(i) = self.oldest_sounding() {
                self.voices[i].stop(wait, self.steal_fade);
                report.stolen = true;
            }
        }
        if self.free.is_empty() {
            // the reserve is exhausted: end the oldest fading voice at once
            if let Some(pos) = (0..self.active.len()).min_by_key(|&p| {
                let v = &self.voices[self.active[p]];
                (!v.stopping, v.order)
            }) {
                let i = self.active.swap_remove(pos);
                release_slot(&self.voices[i], slot_users);
                self.free.push(i);
            }
        }
        let Some(i) = self.free.pop() else {
            return report;
        };
        self.next_order += 1;
        self.voices[i].start(spec, self.next_order, wait, sample_rate);
        self.active.push(i);
        if let Some(p) = spec.program {
            if let Some(Some(program)) = programs.get(p.id as usize) {
                let sample = if p.uses_sample {
                    slots.get(spec.slot as usize).and_then(|s| s.as_deref())
                } else {
                    None
                };
                self.voices[i].start_program(program, sample, self.states.of(i));
            }
        }
        if uses_slot(&spec) {
            if let Some(u) = slot_users.get_mut(spec.slot as usize) {
                *u += 1;
            }
        }
        report
    }

    /// Moves every voice playing program `id` from `old` into `new` (at a block boundary).
    pub fn migrate(&mut self, id: u16, old: Option<&Program>, new: &Program, scratch: &mut [f32]) {
        for &i in &self.active {
            let v = &mut self.voices[i];
            if v.prog.id == Some(id) {
                v.migrate_program(old, new, self.states.of(i), scratch);
            }
        }
    }

    /// Fades every voice out.
    pub fn silence(&mut self) {
        for &i in &self.active {
            let fade = self.steal_fade;
            self.voices[i].stop(0, fade);
        }
    }

    /// Renders every voice into its orbit's bus; finished voices return to the pool.
    ///
    /// Plain mono voices on the same orbit are rendered two at a time (see [`Voice::render_pair`]).
    pub fn render(
        &mut self,
        n: usize,
        slots: &[Option<Arc<SampleBuffer>>],
        programs: &mut ProgramBank,
        scratch: &mut [[f32; MAX_BLOCK]; 2],
        orbits: &mut [Orbit],
        slot_users: &mut [u32],
    ) {
        self.pairable.clear();
        let ProgramBank {
            table: programs,
            registers,
            ..
        } = programs;
        for &i in &self.active {
            let v = &mut self.voices[i];
            let Some(orbit) = orbits.get_mut(v.spec.orbit as usize) else {
                continue;
            };
            if let Some(id) = v.prog.id {
                let sample = if uses_slot(&v.spec) {
                    slots.get(v.spec.slot as usize).and_then(|s| s.as_deref())
                } else {
                    None
                };
                if let Some(Some(program)) = programs.get(id as usize) {
                    orbit.touch();
                    let (l, r) = orbit.bus_mut();
                    v.render_program(
                        program,
                        registers,
                        sample,
                        self.states.of(i),
                        n,
                        scratch,
                        [&mut l[..n], &mut r[..n]],
                    );
                }
                continue;
            }
            let buffer = slots.get(v.spec.slot as usize).and_then(Option::as_ref);
            let Some(buffer) = buffer else { continue };
            if v.pairable(n, buffer) {
                self.pairable.push(i);
                continue;
            }
            orbit.touch();
            let (l, r) = orbit.bus_mut();
            v.render(buffer, n, scratch, &mut l[..n], &mut r[..n]);
        }
        let voices = &self.voices;
        self.pairable
            .sort_unstable_by_key(|&i| (voices[i].pair_key(), i));
        let mut k = 0;
        while k < self.pairable.len() {
            let i = self.pairable[k];
            let key = self.voices[i].pair_key();
            // how many of the following voices share the key: groups of 4, then 2, then 1
            let same = self.pairable[k..]
                .iter()
                .take(4)
                .take_while(|&&j| self.voices[j].pair_key() == key)
                .count();
            let Some(orbit) = orbits.get_mut(key.0 as usize) else {
                k += 1; // not pairable in the first place (its orbit was checked above)
                continue;
            };
            orbit.touch();
            let (l, r) = orbit.bus_mut();
            let (l, r) = (&mut l[..n], &mut r[..n]);
            let g = &self.pairable[k..];
            let lpf = key.1;
            let taken = match same {
                4 => match group_at(&mut self.voices, [g[0], g[1], g[2], g[3]], slots) {
                    Some((group, buffers)) => {
                        if lpf {
                            Voice::render_quad::<true>(group, buffers, l, r);
                        } else {
                            Voice::render_quad::<false>(group, buffers, l, r);
                        }
                        4
                    }
                    None => 0,
                },
                2 | 3 => match group_at(&mut self.voices, [g[0], g[1]], slots) {
                    Some(([a, b], [ba, bb])) => {
                        if lpf {
                            Voice::render_pair::<true>(a, b, ba, bb, l, r);
                        } else {
                            Voice::render_pair::<false>(a, b, ba, bb, l, r);
                        }
                        2
                    }
                    None => 0,
                },
                _ => 0,
            };
            if taken > 0 {
                k += taken;
            } else {
                let v = &mut self.voices[i];
                if let Some(Some(buffer)) = slots.get(v.spec.slot as usize) {
                    v.render(buffer, n, scratch, l, r);
                }
                k += 1;
            }
        }
        // voices that have finished, or whose sample or orbit is gone, return to the pool
        let mut p = 0;
        while p < self.active.len() {
            let i = self.active[p];
            let v = &self.voices[i];
            let has_program = match v.prog.id {
                Some(id) => programs.get(id as usize).is_some_and(Option::is_some),
                None => v.spec.program.is_none(),
            };
            let has_sample =
                !uses_slot(&v.spec) || slots.get(v.spec.slot as usize).is_some_and(Option::is_some);
            let source = has_program && has_sample;
            let playable = source && (v.spec.orbit as usize) < orbits.len();
            if playable && v.remaining() > 0 {
                p += 1;
            } else {
                self.active.swap_remove(p);
                release_slot(&self.voices[i], slot_users);
                self.voices[i].prog.clear();
                self.free.push(i);
            }
        }
    }
}

/// Whether a voice reads the sample in its spec's slot (a sampler, or a program with `play`).
fn uses_slot(spec: &VoiceSpec) -> bool {
    spec.program.is_none_or(|p| p.uses_sample)
}

/// A voice stops using its sample's slot.
fn release_slot(v: &Voice, slot_users: &mut [u32]) {
    if uses_slot(&v.spec) {
        if let Some(u) = slot_users.get_mut(v.spec.slot as usize) {
            *u = u.saturating_sub(1);
        }
    }
}

/// The samples of a group of voices, if every one is still loaded.
fn buffers_of<'a, const N: usize>(
    group: &[&mut Voice; N],
    slots: &'a [Option<Arc<SampleBuffer>>],
) -> Option<[&'a SampleBuffer; N]> {
    let first = slots.get(group.first()?.spec.slot as usize)?.as_deref()?;
    let mut buffers = [first; N];
    for (b, v) in buffers.iter_mut().zip(group.iter()) {
        *b = slots.get(v.spec.slot as usize)?.as_deref()?;
    }
    Some(buffers)
}

/// The voices at `indices` and their samples, if they can be borrowed and every sample is
/// still loaded (else they render one by one). Nothing here can panic.
fn group_at<'v, 's, const N: usize>(
    voices: &'v mut [Voice],
    indices: [usize; N],
    slots: &'s [Option<Arc<SampleBuffer>>],
) -> Option<([&'v mut Voice; N], [&'s SampleBuffer; N])> {
    let group = voices.get_disjoint_mut(indices).ok()?;
    let buffers = buffers_of(&group, slots)?;
    Some((group, buffers))
}
