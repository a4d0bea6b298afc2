//! Running a [`Program`] for one block of one voice: each operation fills a register from its inputs and state.

mod delay;
mod envelope;
mod filter;
mod osc;
mod play;

pub use delay::{migrate_ring, HEAD as DELAY_HEAD};

use crate::engine::MAX_BLOCK;
use crate::program::{In, Op, Program, MAX_SCALARS};

/// A resolved input: a constant for the block or a register.
#[derive(Clone, Copy)]
pub(crate) enum Sig<'a> {
    K(f32),
    A(&'a [f32; MAX_BLOCK]),
}

impl Sig<'_> {
    #[inline(always)]
    pub(crate) fn at(self, i: usize) -> f32 {
        match self {
            Sig::K(k) => k,
            Sig::A(a) => a[i],
        }
    }

    /// The value at the block's first frame (for values taken once per block).
    #[inline(always)]
    pub(crate) fn first(self) -> f32 {
        self.at(0)
    }
}

#[inline(always)]
fn sig<'a>(x: In, scalars: &[f32; MAX_SCALARS], regs: &'a [[f32; MAX_BLOCK]]) -> Sig<'a> {
    match x {
        In::Scalar(s) => Sig::K(scalars[s as usize]),
        In::Reg(r) => Sig::A(&regs[r as usize]),
    }
}

/// Per-voice context of a block.
pub struct BlockContext<'a> {
    pub scalars: &'a [f32; MAX_SCALARS],
    pub sample_rate: f32,
    /// The voice's sample, for `play`.
    pub sample: Option<&'a crate::samples::SampleBuffer>,
    /// Frames the voice (or effect) has run before this block: control-rate updates follow
    /// this count, so the output does not depend on where blocks begin and end.
    pub elapsed: u64,
}

/// Sets every node's state to its starting value; `seed` varies noise between voices.
pub fn init_state(program: &Program, state: &mut [f32], seed: u32) {
    state[..program.state_size].fill(0.0);
    seed_noise(program, state, seed);
}

/// Seeds the noise generators of a state that is otherwise all zeros (a fresh zeroed buffer
/// needs nothing else, and its untouched pages stay unused).
pub fn seed_noise(program: &Program, state: &mut [f32], seed: u32) {
    for op in &program.ops {
        if let Op::Noise { state: s, .. } = *op {
            let [lo, hi] = osc::noise_seed(seed, s);
            state[s as usize] = lo;
            state[s as usize + 4] = hi;
        }
    }
}

/// Runs `program` for `n` frames; the output is in the registers named by `program.out`.
pub fn run(
    program: &Program,
    ctx: &BlockContext,
    state: &mut [f32],
    regs: &mut [[f32; MAX_BLOCK]],
    n: usize,
) {
    let sc = ctx.scalars;
    let sr = ctx.sample_rate;
    for op in &program.ops {
        match *op {
            Op::Unary { op, a, out } => {
                let (ins, outs) = regs.split_at_mut(out as usize);
                let a = sig(a, sc, ins);
                let o = &mut outs[0][..n];
                match a {
                    Sig::A(a) => {
                        for (o, a) in o.iter_mut().zip(a.iter()) {
                            *o = op.apply(*a);
                        }
                    }
                    Sig::K(k) => o.fill(op.apply(k)),
                }
            }
            Op::Binary { op, a, b, out } => {
                let (ins, outs) = regs.split_at_mut(out as usize);
                binary(op, sig(a, sc, ins), sig(b, sc, ins), &mut outs[0][..n]);
            }
            Op::Clip { x, lo, hi, out } => {
                let (ins, outs) = regs.split_at_mut(out as usize);
                let (x, lo, hi) = (sig(x, sc, ins), sig(lo, sc, ins), sig(hi, sc, ins));
                for (i, o) in outs[0][..n].iter_mut().enumerate() {
                    *o = x.at(i).max(lo.at(i)).min(hi.at(i));
                }
            }
            Op::Osc {
                wave,
                freq,
                width,
                pm,
                out,
                state: s,
            } => {
                let (ins, outs) = regs.split_at_mut(out as usize);
                let st = &mut state[s as usize..s as usize + osc::STATE];
                let (f, w, p) = (sig(freq, sc, ins), sig(width, sc, ins), sig(pm, sc, ins));
                osc::oscillator(wave, f, w, p, sr, st, &mut outs[0][..n]);
            }
            Op::Noise {
                pink,
                out,
                state: s,
            } => {
                let st = &mut state[s as usize..s as usize + osc::NOISE_STATE];
                osc::noise(pink, st, &mut regs[out as usize][..n]);
            }
            Op::Envelope {
                segments,
                count,
                out,
                state: s,
            } => {
                let st = &mut state[s as usize..s as usize + envelope::STATE];
                envelope::envelope(
                    &segments[..count as usize],
                    sc,
                    sr,
                    st,
                    &mut regs[out as usize][..n],
                );
            }
            Op::Line {
                from,
                to,
                seconds,
                exponential,
                out,
                state: s,
            } => {
                let (a, b, t) = (sc[from as usize], sc[to as usize], sc[seconds as usize]);
                envelope::line(
                    a,
                    b,
                    t * sr,
                    exponential,
                    &mut state[s as usize],
                    &mut regs[out as usize][..n],
                );
            }
            Op::Filter {
                kind,
                x,
                freq,
                q,
                out,
                state: s,
            } => {
                let (ins, outs) = regs.split_at_mut(out as usize);
                let st = &mut state[s as usize..s as usize + filter::STATE];
                let (x, f, q) = (sig(x, sc, ins), sig(freq, sc, ins), sig(q, sc, ins));
                filter::biquad(kind, x, f, q, sr, st, &mut outs[0][..n], ctx.elapsed);
            }
            Op::Ladder {
                x,
                freq,
                res,
                out,
                state: s,
            } => {
                let (ins, outs) = regs.split_at_mut(out as usize);
                let st = &mut state[s as usize..s as usize + filter::LADDER_STATE];
                let (x, f, r) = (sig(x, sc, ins), sig(freq, sc, ins), sig(res, sc, ins));
                filter::ladder(x, f, r, sr, st, &mut outs[0][..n], ctx.elapsed);
            }
            Op::Delay {
                kind,
                x,
                time,
                decay,
                damp,
                len,
                out,
                state: s,
            } => {
                let (ins, outs) = regs.split_at_mut(out as usize);
                let st = &mut state[s as usize..s as usize + delay::HEAD + len as usize];
                let (x, t) = (sig(x, sc, ins), sig(time, sc, ins));
                let (d, k) = (sig(decay, sc, ins), sig(damp, sc, ins));
                delay::delay(kind, x, t, d, k, sr, st, &mut outs[0][..n]);
            }
            Op::Shape { x, amount, out } => {
                let (ins, outs) = regs.split_at_mut(out as usize);
                let (x, a) = (sig(x, sc, ins), sig(amount, sc, ins));
                for (i, o) in outs[0][..n].iter_mut().enumerate() {
                    *o = crate::dsp::distort::shape(x.at(i), a.at(i));
                }
            }
            Op::Play {
                rate,
                out,
                state: s,
            } => {
                let (ins, outs) = regs.split_at_mut(out as usize);
                let st = &mut state[s as usize..s as usize + play::STATE];
                play::play(ctx.sample, sig(rate, sc, ins), sr, st, &mut outs[0][..n]);
            }
            Op::Pan { x, pos, out } => {
                let (ins, outs) = regs.split_at_mut(out as usize);
                let (x, pos) = (sig(x, sc, ins), sig(pos, sc, ins));
                let (l, r) = outs.split_at_mut(1);
                pan(x, pos, &mut l[0][..n], &mut r[0][..n]);
            }
        }
    }
}

fn binary(op: crate::program::Binary, a: Sig, b: Sig, o: &mut [f32]) {
    use crate::program::Binary::*;
    match (op, a, b) {
        (Add, Sig::A(a), Sig::A(b)) => o
            .iter_mut()
            .zip(a.iter().zip(b.iter()))
            .for_each(|(o, (a, b))| *o = a + b),
        (Mul, Sig::A(a), Sig::A(b)) => o
            .iter_mut()
            .zip(a.iter().zip(b.iter()))
            .for_each(|(o, (a, b))| *o = a * b),
        (Mul, Sig::A(a), Sig::K(k)) | (Mul, Sig::K(k), Sig::A(a)) => {
            o.iter_mut().zip(a.iter()).for_each(|(o, a)| *o = a * k)
        }
        (Add, Sig::A(a), Sig::K(k)) | (Add, Sig::K(k), Sig::A(a)) => {
            o.iter_mut().zip(a.iter()).for_each(|(o, a)| *o = a + k)
        }
        _ => {
            for (i, o) in o.iter_mut().enumerate() {
                *o = op.apply(a.at(i), b.at(i));
            }
        }
    }
}

/// Equal-power pan: `pos` 0 = left, 0.5 = centre (-3 dB each side), 1 = right.
fn pan(x: Sig, pos: Sig, l: &mut [f32], r: &mut [f32]) {
    let gains = |p: f32| {
        let angle = p.clamp(0.0, 1.0) * std::f32::consts::FRAC_PI_2;
        (angle.cos(), angle.sin())
    };
    match pos {
        Sig::K(p) => {
            let (gl, gr) = gains(p);
            for i in 0..l.len() {
                let s = x.at(i);
                l[i] = s * gl;
                r[i] = s * gr;
            }
        }
        Sig::A(_) => {
            for i in 0..l.len() {
                let (gl, gr) = gains(pos.at(i));
                let s = x.at(i);
                l[i] = s * gl;
                r[i] = s * gr;
            }
        }
    }
}

/// State sizes of the fixed-size nodes, for the compiler's layout.
pub mod sizes {
    pub const OSC: usize = super::osc::STATE;
    pub const NOISE: usize = super::osc::NOISE_STATE;
    pub const FILTER: usize = super::filter::STATE;
    pub const LADDER: usize = super::filter::LADDER_STATE;
    pub const ENVELOPE: usize = super::envelope::STATE;
    pub const PLAY: usize = super::play::STATE;
}
