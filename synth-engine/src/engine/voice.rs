//! One voice: a sampler (reads its region with cubic interpolation) or a compiled program; runs its effects, fades, pans.

use crate::dsp::distort::{crush, shape, Coarse};
use crate::dsp::envelope::{gate, Linen};
use crate::dsp::filter::{LowPassBiquad, Svf, SvfMode};
use crate::dsp::squiz::Squiz;
use crate::dsp::vowel::Vowel;
use crate::engine::command::VoiceSpec;
use crate::engine::playhead::Playhead;
use crate::engine::program_voice::ProgramVoice;
use crate::engine::MAX_BLOCK;
use crate::program::Program;
use crate::samples::buffer::SampleBuffer;
use wide::f32x4;

/// 4-point, 3rd-order Hermite interpolation (as SuperCollider's `cubicinterp`).
#[inline(always)]
fn cubic(x: f32, ym1: f32, y0: f32, y1: f32, y2: f32) -> f32 {
    let c1 = 0.5 * (y1 - ym1);
    let c2 = ym1 - 2.5 * y0 + 2.0 * y1 - 0.5 * y2;
    let c3 = 0.5 * (y2 - ym1) + 1.5 * (y0 - y1);
    ((c3 * x + c2) * x + c1) * x + y0
}

/// Reads a padded channel at the playhead.
#[inline(always)]
pub(crate) fn read(ch: &[f32], index: usize, frac: f32) -> f32 {
    let base = index.min(ch.len() - 3);
    let w = &ch[base - 1..base + 3];
    cubic(frac, w[0], w[1], w[2], w[3])
}

/// The state of one playing voice.
#[derive(Debug)]
pub struct Voice {
    pub spec: VoiceSpec,
    /// Increasing start order, for stealing the oldest.
    pub order: u64,
    /// Frames played so far.
    elapsed: u64,
    /// Frames before the voice starts within the current block.
    pub wait: u32,
    length: u64,
    fade_out: u32,
    pub stopping: bool,
    head: Playhead,
    pan_left: f32,
    pan_right: f32,
    lpf: Option<Svf>,
    /// The low-pass of the fused loop (used instead of `lpf` when the voice has no other effect).
    fast_lpf: Option<LowPassBiquad>,
    hpf: Option<Svf>,
    bpf: Option<Svf>,
    vowel: Option<Vowel>,
    coarse: Coarse,
    envelope: Option<Linen>,
    squiz: Squiz,
    /// The compiled program this voice runs, if it is not a sampler.
    pub prog: ProgramVoice,
    sample_rate: f32,
}

impl Voice {
    /// An idle voice with its buffers allocated (done once, when the pool is made).
    pub fn idle(spec: VoiceSpec) -> Voice {
        Voice {
            spec,
            order: 0,
            elapsed: 0,
            wait: 0,
            length: 0,
            fade_out: 0,
            stopping: false,
            head: Playhead::default(),
            pan_left: 0.0,
            pan_right: 0.0,
            lpf: None,
            fast_lpf: None,
            hpf: None,
            bpf: None,
            vowel: None,
            coarse: Coarse::default(),
            envelope: None,
            squiz: Squiz::default(),
            prog: ProgramVoice::default(),
            sample_rate: 48000.0,
        }
    }

    /// Starts this voice for `spec`, `wait` frames into the next block. No allocation.
    pub fn start(&mut self, spec: VoiceSpec, order: u64, wait: u32, sr: f32) {
        let fx = spec.effects;
        self.spec = spec;
        self.sample_rate = sr;
        self.prog.clear();
        self.order = order;
        self.elapsed = 0;
        self.wait = wait;
        self.length = spec.length;
        self.fade_out = spec.fade_out;
        self.stopping = false;
        self.head = Playhead::new(
            spec.position,
            spec.rate,
            spec.rate_step,
            spec.region_start,
            spec.region_end,
        );
        // equal power: Pan2 for mono, Balance2 for stereo (each side scaled, -3 dB at the centre)
        let angle = spec.pan.clamp(0.0, 1.0) * std::f32::consts::FRAC_PI_2;
        self.pan_left = angle.cos() * spec.gain;
        self.pan_right = angle.sin() * spec.gain;
        self.lpf = fx
            .lpf
            .map(|f| Svf::new(SvfMode::LowPass, f.cutoff, f.damping, sr));
        self.fast_lpf = fx
            .lpf
            .map(|f| Svf::low_pass_biquad(f.cutoff, f.damping, sr));
        self.hpf = fx
            .hpf
            .map(|f| Svf::new(SvfMode::HighPass, f.cutoff, f.damping, sr));
        self.bpf = fx
            .bpf
            .map(|f| Svf::new(SvfMode::BandPass, f.cutoff, f.damping, sr));
        self.vowel = fx.vowel.map(|(code, res)| Vowel::new(code, res, sr));
        self.coarse = Coarse::default();
        self.envelope = fx.envelope.map(Linen::new);
        if fx.squiz.is_some() {
            self.squiz.reset();
        }
    }

    /// Starts the compiled program of this voice's spec (after [`Voice::start`]).
    pub fn start_program(
        &mut self,
        program: &Program,
        sample: Option<&SampleBuffer>,
        state: &mut [f32],
    ) {
        let Some(start) = self.spec.program else {
            return;
        };
        let seconds = self
            .prog
            .start(&start, program, self.order as u32, sample, state);
        self.set_length(seconds);
        // a program pans itself: only the event's gain is applied here
        self.pan_left = self.spec.gain;
        self.pan_right = self.spec.gain;
    }

    /// Moves a running program voice into a reloaded program.
    pub fn migrate_program(
        &mut self,
        old: Option<&Program>,
        new: &Program,
        state: &mut [f32],
        scratch: &mut [f32],
    ) {
        let seconds = self.prog.migrate(old, new, state, scratch);
        self.set_length(seconds);
    }

    fn set_length(&mut self, seconds: f32) {
        if self.stopping {
            return;
        }
        let max = (600.0 * self.sample_rate) as u64;
        let frames = ((seconds.max(0.0) * self.sample_rate).round() as u64).clamp(1, max);
        self.length = frames.max(self.elapsed + 1);
        self.fade_out = self.fade_out.min((self.length / 2) as u32);
    }

    /// Renders up to `n` frames of a program voice into `[left, right]` (added); false when finished.
    #[allow(clippy::too_many_arguments)]
    pub fn render_program(
        &mut self,
        program: &Program,
        registers: &mut [[f32; MAX_BLOCK]],
        sample: Option<&SampleBuffer>,
        state: &mut [f32],
        n: usize,
        scratch: &mut [[f32; MAX_BLOCK]; 2],
        [left, right]: [&mut [f32]; 2],
    ) -> bool {
        let (offset, frames) = self.take_block(n);
        if frames == 0 {
            return self.remaining() > 0;
        }
        let (sl, sr) = scratch.split_at_mut(1);
        let (sl, sr) = (&mut sl[0][..frames], &mut sr[0][..frames]);
        self.prog
            .render(program, registers, self.sample_rate, sample, state, sl, sr);
        if !self.is_plain() || self.lpf.is_some() {
            self.effects(2, sl, sr);
        }
        let (gl, gr) = (self.pan_left, self.pan_right);
        let (len, fin, fout) = (self.length, self.spec.fade_in, self.fade_out);
        let out_l = &mut left[offset..offset + frames];
        let out_r = &mut right[offset..offset + frames];
        let e = self.elapsed;
        if e >= fin as u64 && e + frames as u64 + fout as u64 <= len {
            // no fade in this block
            for (o, s) in out_l.iter_mut().zip(sl.iter()) {
                *o += s * gl;
            }
            for (o, s) in out_r.iter_mut().zip(sr.iter()) {
                *o += s * gr;
            }
        } else {
            for i in 0..frames {
                let g = gate(e + i as u64, len, fin, fout);
                out_l[i] += sl[i] * g * gl;
                out_r[i] += sr[i] * g * gr;
            }
        }
        self.elapsed = e + frames as u64;
        self.remaining() > 0
    }

    /// Fades the voice out over `fade` frames starting `at` frames into the current block.
    pub fn stop(&mut self, at: u32, fade: u32) {
        let at_elapsed = if at >= self.wait {
            self.elapsed + (at - self.wait) as u64
        } else {
            0
        };
        let end = at_elapsed + fade as u64;
        if end < self.length {
            self.length = end;
            self.fade_out = fade.max(1);
        }
        self.stopping = true;
    }

    /// Frames of this voice still to come.
    pub fn remaining(&self) -> u64 {
        self.length.saturating_sub(self.elapsed)
    }

    /// Renders up to `n` frames of the block into `left`/`right` (added); false when finished.
    ///
    /// For a block of `n` frames: where in it the voice starts (after the frames it still
    /// waits) and how many frames it plays (at most what remains of it).
    fn take_block(&mut self, n: usize) -> (usize, usize) {
        let offset = (self.wait as usize).min(n);
        self.wait = self.wait.saturating_sub(n as u32);
        let frames = ((n - offset) as u64).min(self.remaining()) as usize;
        (offset, frames)
    }

    /// `scratch` holds two channels of [`MAX_BLOCK`] frames.
    #[allow(clippy::too_many_arguments)]
    pub fn render(
        &mut self,
        buffer: &SampleBuffer,
        n: usize,
        scratch: &mut [[f32; MAX_BLOCK]; 2],
        left: &mut [f32],
        right: &mut [f32],
    ) -> bool {
        let (offset, frames) = self.take_block(n);
        if frames == 0 {
            return self.remaining() > 0;
        }
        let channels = buffer.channel_count();
        if self.is_plain() {
            let out_l = &mut left[offset..offset + frames];
            let out_r = &mut right[offset..offset + frames];
            match (channels > 1, self.lpf.is_some()) {
                (false, false) => self.render_fused::<false, false>(buffer, out_l, out_r),
                (false, true) => self.render_fused::<false, true>(buffer, out_l, out_r),
                (true, false) => self.render_fused::<true, false>(buffer, out_l, out_r),
                (true, true) => self.render_fused::<true, true>(buffer, out_l, out_r),
            }
            return self.remaining() > 0;
        }
        let (sl, sr) = scratch.split_at_mut(1);
        let (sl, sr) = (&mut sl[0][..frames], &mut sr[0][..frames]);
        let ch0 = buffer.padded(0);
        let ch1 = buffer.padded(1);
        let mut head = self.head;
        if channels > 1 {
            for (l, r) in sl.iter_mut().zip(sr.iter_mut()) {
                let (i, f) = head.index_frac();
                *l = read(ch0, i, f);
                *r = read(ch1, i, f);
                head.advance();
            }
        } else {
            for l in sl.iter_mut() {
                let (i, f) = head.index_frac();
                *l = read(ch0, i, f);
                head.advance();
            }
        }
        self.head = head;
        self.effects(channels, sl, sr);

        let (pl, pr) = (self.pan_left, self.pan_right);
        let out_l = &mut left[offset..offset + frames];
        let out_r = &mut right[offset..offset + frames];
        let (len, fin, fout) = (self.length, self.spec.fade_in, self.fade_out);
        let mut e = self.elapsed;
        let plain = e >= fin as u64 && e + frames as u64 + fout as u64 <= len;
        if channels > 1 {
            for i in 0..frames {
                let g = if plain { 1.0 } else { gate(e, len, fin, fout) };
                out_l[i] += sl[i] * g * pl;
                out_r[i] += sr[i] * g * pr;
                e += 1;
            }
        } else {
            for i in 0..frames {
                let g = if plain { 1.0 } else { gate(e, len, fin, fout) };
                let s = sl[i] * g;
                out_l[i] += s * pl;
                out_r[i] += s * pr;
                e += 1;
            }
        }
        self.elapsed = e;
        self.remaining() > 0
    }

    /// Whether this voice can be rendered together with another one for the next `n` frames:
    /// a mono sample with no effect but an optional low-pass, not fading.
    pub fn pairable(&self, n: usize, buffer: &SampleBuffer) -> bool {
        let e = self.elapsed;
        buffer.channel_count() == 1
            && self.wait == 0
            && self.is_plain()
            && e >= self.spec.fade_in as u64
            && e + n as u64 + self.fade_out as u64 <= self.length
    }

    /// What pairs can share a loop: orbit and whether there is a low-pass.
    pub fn pair_key(&self) -> (u16, bool) {
        (self.spec.orbit, self.fast_lpf.is_some())
    }

    /// Renders two [`pairable`](Voice::pairable) voices with the same [`pair_key`](Voice::pair_key)
    /// in one loop: their filters' feedback chains interleave, which nearly halves the time.
    pub fn render_pair<const LPF: bool>(
        a: &mut Voice,
        b: &mut Voice,
        buf_a: &SampleBuffer,
        buf_b: &SampleBuffer,
        out_l: &mut [f32],
        out_r: &mut [f32],
    ) {
        let frames = out_l.len() as u64;
        let (ca, cb) = (buf_a.padded(0), buf_b.padded(0));
        let (mut ha, mut hb) = (a.head, b.head);
        let (mut la, mut lb) = (
            a.fast_lpf.unwrap_or_default(),
            b.fast_lpf.unwrap_or_default(),
        );
        let (pla, pra, plb, prb) = (a.pan_left, a.pan_right, b.pan_left, b.pan_right);
        for (ol, or) in out_l.iter_mut().zip(out_r.iter_mut()) {
            let (ia, fa) = ha.index_frac();
            let (ib, fb) = hb.index_frac();
            let mut sa = read(ca, ia, fa);
            let mut sb = read(cb, ib, fb);
            ha.advance();
            hb.advance();
            if LPF {
                sa = la.tick(0, sa);
                sb = lb.tick(0, sb);
            }
            *ol += sa * pla + sb * plb;
            *or += sa * pra + sb * prb;
        }
        if LPF {
            a.fast_lpf = Some(la);
            b.fast_lpf = Some(lb);
        }
        a.head = ha;
        b.head = hb;
        a.elapsed += frames;
        b.elapsed += frames;
    }

    /// Renders four [`pairable`](Voice::pairable) voices with the same [`pair_key`](Voice::pair_key)
    /// in one loop, with their interpolation, filters and panning as 4-lane vectors.
    pub fn render_quad<const LPF: bool>(
        voices: [&mut Voice; 4],
        buffers: [&SampleBuffer; 4],
        out_l: &mut [f32],
        out_r: &mut [f32],
    ) {
        let frames = out_l.len() as u64;
        let chans: [&[f32]; 4] = buffers.map(|b| b.padded(0));
        let mut heads: [Playhead; 4] = std::array::from_fn(|k| voices[k].head);
        let lps: [LowPassBiquad; 4] =
            std::array::from_fn(|k| voices[k].fast_lpf.unwrap_or_default());
        let b0 = f32x4::new(lps.map(|f| f.b0));
        let a1 = f32x4::new(lps.map(|f| f.a1));
        let a2 = f32x4::new(lps.map(|f| f.a2));
        let mut s1 = f32x4::new(lps.map(|f| f.s1[0]));
        let mut s2 = f32x4::new(lps.map(|f| f.s2[0]));
        let pl = f32x4::new(std::array::from_fn(|k| voices[k].pan_left));
        let pr = f32x4::new(std::array::from_fn(|k| voices[k].pan_right));
        let (half, one_half, two, two_half) = (
            f32x4::splat(0.5),
            f32x4::splat(1.5),
            f32x4::splat(2.0),
            f32x4::splat(2.5),
        );
        for (ol, or) in out_l.iter_mut().zip(out_r.iter_mut()) {
            let mut taps = [[0.0f32; 4]; 4];
            let mut frac = [0.0f32; 4];
            for k in 0..4 {
                let (i, f) = heads[k].index_frac();
                let ch = chans[k];
                let base = i.min(ch.len() - 3);
                let w = &ch[base - 1..base + 3];
                taps[0][k] = w[0];
                taps[1][k] = w[1];
                taps[2][k] = w[2];
                taps[3][k] = w[3];
                frac[k] = f;
                heads[k].advance();
            }
            let [ym1, y0, y1, y2] = taps.map(f32x4::new);
            let x = f32x4::new(frac);
            let c1 = half * (y1 - ym1);
            let c2 = ym1 - two_half * y0 + two * y1 - half * y2;
            let c3 = half * (y2 - ym1) + one_half * (y0 - y1);
            let mut s = ((c3 * x + c2) * x + c1) * x + y0;
            if LPF {
                let bx = b0 * s;
                let y = bx + s1;
                s1 = two * bx + s2 - a1 * y;
                s2 = bx - a2 * y;
                s = y;
            }
            *ol += (s * pl).reduce_add();
            *or += (s * pr).reduce_add();
        }
        let (s1, s2) = (s1.to_array(), s2.to_array());
        for (k, v) in voices.into_iter().enumerate() {
            v.head = heads[k];
            if LPF {
                if let Some(f) = v.fast_lpf.as_mut() {
                    f.s1[0] = s1[k];
                    f.s2[0] = s2[k];
                }
            }
            v.elapsed += frames;
        }
    }

    /// True when the voice has no effect but (optionally) a low-pass: then one fused loop does all.
    fn is_plain(&self) -> bool {
        let fx = &self.spec.effects;
        fx.vowel.is_none()
            && fx.shape.is_none()
            && fx.hpf.is_none()
            && fx.bpf.is_none()
            && fx.crush.is_none()
            && fx.coarse.is_none()
            && fx.envelope.is_none()
            && fx.squiz.is_none()
    }

    /// Reads, low-passes (if `LPF`), fades and pans in one loop: the common case, kept fast.
    fn render_fused<const STEREO: bool, const LPF: bool>(
        &mut self,
        buffer: &SampleBuffer,
        out_l: &mut [f32],
        out_r: &mut [f32],
    ) {
        let frames = out_l.len() as u64;
        let (len, fin, fout) = (self.length, self.spec.fade_in, self.fade_out);
        let e = self.elapsed;
        // frames [0, a) fade in, [a, b) are flat, [b, frames) fade out
        let a = (fin as u64).saturating_sub(e).min(frames) as usize;
        let b =
            (len.saturating_sub(fout as u64).saturating_sub(e)).clamp(a as u64, frames) as usize;
        let mut lp = self.fast_lpf.unwrap_or_default();
        let mut head = self.head;
        let ch0 = buffer.padded(0);
        let ch1 = buffer.padded(1);
        let (pl, pr) = (self.pan_left, self.pan_right);
        let mut frame = |ol: &mut f32, or: &mut f32, g: f32| {
            let (i, f) = head.index_frac();
            let mut l = read(ch0, i, f);
            let mut r = if STEREO { read(ch1, i, f) } else { 0.0 };
            head.advance();
            if LPF {
                l = lp.tick(0, l);
                if STEREO {
                    r = lp.tick(1, r);
                }
            }
            if STEREO {
                *ol += l * g * pl;
                *or += r * g * pr;
            } else {
                let s = l * g;
                *ol += s * pl;
                *or += s * pr;
            }
        };
        let (head_l, rest_l) = out_l.split_at_mut(a);
        let (head_r, rest_r) = out_r.split_at_mut(a);
        let (mid_l, tail_l) = rest_l.split_at_mut(b - a);
        let (mid_r, tail_r) = rest_r.split_at_mut(b - a);
        for (k, (ol, or)) in head_l.iter_mut().zip(head_r.iter_mut()).enumerate() {
            frame(ol, or, gate(e + k as u64, len, fin, fout));
        }
        for (ol, or) in mid_l.iter_mut().zip(mid_r.iter_mut()) {
            frame(ol, or, 1.0);
        }
        for (k, (ol, or)) in tail_l.iter_mut().zip(tail_r.iter_mut()).enumerate() {
            frame(ol, or, gate(e + (b + k) as u64, len, fin, fout));
        }
        if LPF {
            self.fast_lpf = Some(lp);
        }
        self.head = head;
        self.elapsed = e + frames;
    }

    fn effects(&mut self, channels: usize, sl: &mut [f32], sr: &mut [f32]) {
        let fx = self.spec.effects;
        for (ch, block) in [&mut *sl, &mut *sr].into_iter().enumerate().take(channels) {
            if let Some(v) = self.vowel.as_mut() {
                v.process(ch, block);
            }
            if let Some(amount) = fx.shape {
                for x in block.iter_mut() {
                    *x = shape(*x, amount);
                }
            }
            if let Some(f) = self.hpf.as_mut() {
                f.process(ch, block);
            }
            if let Some(f) = self.bpf.as_mut() {
                f.process(ch, block);
            }
            if let Some(step) = fx.crush {
                for x in block.iter_mut() {
                    *x = crush(*x, step);
                }
            }
            if let Some(every) = fx.coarse {
                self.coarse.process(ch, every, block);
            }
            if let Some(f) = self.lpf.as_mut() {
                f.process(ch, block);
            }
        }
        if let Some(env) = self.envelope.as_mut() {
            for i in 0..sl.len() {
                let g = env.next_level();
                sl[i] *= g;
                if channels > 1 {
                    sr[i] *= g;
                }
            }
        }
        if let Some(ratio) = fx.squiz {
            let right = if channels > 1 { Some(sr) } else { None };
            self.squiz.process(ratio, sl, right);
        }
    }
}
