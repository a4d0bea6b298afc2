//! Lowering each builtin call (oscillators, envelopes, filters, delays, pan...) to operations and state.

use super::ast::Pos;
use super::builtins::Kind;
use super::compile::{Compiler, Value};
use super::VoiceError;
use crate::engine::ugen_sizes;
use crate::program::{Binary, In, Op, Segment, MAX_SEGMENTS};

impl Compiler<'_> {
    /// Applies a node taking a mono `in` to each side of a stereo input (paths `NAME` and `NAME.right`).
    pub(super) fn per_side(
        &mut self,
        name: &'static str,
        kind: Kind,
        values: &[Value],
        pos: Pos,
    ) -> Result<Value, VoiceError> {
        let Value::Stereo(l, r) = values[0] else {
            unreachable!("checked by caller")
        };
        let top = self.top;
        let mut left = values.to_vec();
        left[0] = Value::Mono(l);
        let lv = self.lower(name, kind, &left, pos)?;
        self.top = top;
        let saved = self.binding.clone();
        self.binding = format!("{saved}.right");
        let mut right = values.to_vec();
        right[0] = Value::Mono(r);
        let rv = self.lower(name, kind, &right, pos)?;
        self.binding = saved;
        Ok(self.pair(lv, rv))
    }

    pub(super) fn scalar_arg(&mut self, name: &str, v: Value, pos: Pos) -> Result<u16, VoiceError> {
        self.as_scalar(v, pos)?.ok_or_else(|| {
            self.err(
                pos,
                format!("the arguments of `{name}` must be parameters or constants, not signals"),
            )
        })
    }

    pub(super) fn lower(
        &mut self,
        name: &'static str,
        kind: Kind,
        v: &[Value],
        pos: Pos,
    ) -> Result<Value, VoiceError> {
        let takes_input = matches!(
            kind,
            Kind::Filter(_) | Kind::Rlpf | Kind::Ladder | Kind::Delay(_) | Kind::Shape | Kind::Clip
        );
        if takes_input && matches!(v[0], Value::Stereo(..)) {
            return self.per_side(name, kind, v, pos);
        }
        match kind {
            Kind::Unary(op) => {
                self.top = false;
                self.unary(op, v[0], pos)
            }
            Kind::Binary(op) => {
                self.top = false;
                self.binary(op, v[0], v[1], pos)
            }
            Kind::Mix => unreachable!("handled in call"),
            Kind::Clip => {
                let (x, lo, hi) = (
                    self.input(v[0], pos)?,
                    self.input(v[1], pos)?,
                    self.input(v[2], pos)?,
                );
                self.top = false;
                self.stateless(pos, |out| Op::Clip { x, lo, hi, out })
            }
            Kind::Shape => {
                let (x, amount) = (self.input(v[0], pos)?, self.input(v[1], pos)?);
                self.top = false;
                self.stateless(pos, |out| Op::Shape { x, amount, out })
            }
            Kind::Osc(wave) => {
                let freq = self.input(v[0], pos)?;
                let second = if v.len() > 1 {
                    self.input(v[1], pos)?
                } else {
                    self.input(Value::Const(0.0), pos)?
                };
                // the second argument is the pulse's width or the sine's phase modulation
                let (width, pm) = (second, second);
                self.stateful(pos, name, ugen_sizes::OSC, |out, state| Op::Osc {
                    wave,
                    freq,
                    width,
                    pm,
                    out,
                    state,
                })
            }
            Kind::Noise { pink } => self.stateful(pos, name, ugen_sizes::NOISE, |out, state| {
                Op::Noise { pink, out, state }
            }),
            Kind::Perc | Kind::Linen | Kind::Adsr => self.envelope(kind, name, v, pos),
            Kind::Line { exponential } => {
                let from = self.scalar_arg(name, v[0], pos)?;
                let to = self.scalar_arg(name, v[1], pos)?;
                let seconds = self.scalar_arg(name, v[2], pos)?;
                self.stateful(pos, name, 1, |out, state| Op::Line {
                    from,
                    to,
                    seconds,
                    exponential,
                    out,
                    state,
                })
            }
            Kind::Filter(_) | Kind::Rlpf => {
                let (x, freq) = (self.input(v[0], pos)?, self.input(v[1], pos)?);
                let q = match kind {
                    // Q = 1/rq
                    Kind::Rlpf => {
                        let q = self.binary(Binary::Div, Value::Const(1.0), v[2], pos)?;
                        self.input(q, pos)?
                    }
                    _ => self.input(v[2], pos)?,
                };
                let fk = match kind {
                    Kind::Filter(fk) => fk,
                    _ => crate::program::FilterKind::LowPass,
                };
                self.stateful(pos, name, ugen_sizes::FILTER, |out, state| Op::Filter {
                    kind: fk,
                    x,
                    freq,
                    q,
                    out,
                    state,
                })
            }
            Kind::Ladder => {
                let (x, freq, res) = (
                    self.input(v[0], pos)?,
                    self.input(v[1], pos)?,
                    self.input(v[2], pos)?,
                );
                self.stateful(pos, name, ugen_sizes::LADDER, |out, state| Op::Ladder {
                    x,
                    freq,
                    res,
                    out,
                    state,
                })
            }
            Kind::Delay(dk) => {
                let (x, time) = (self.input(v[0], pos)?, self.input(v[1], pos)?);
                // (in, time, max), (in, time, decay|feedback, max) or (in, time, feedback, damp, max)
                let (decay, damp, max) = match v.len() {
                    5 => (self.input(v[2], pos)?, self.input(v[3], pos)?, v[4]),
                    4 => (
                        self.input(v[2], pos)?,
                        self.input(Value::Const(0.0), pos)?,
                        v[3],
                    ),
                    _ => {
                        let zero = self.input(Value::Const(0.0), pos)?;
                        (zero, zero, v[2])
                    }
                };
                let Value::Const(max) = max else {
                    return Err(self.err(pos, format!("the `max` of `{name}` must be a number")));
                };
                let len = ((max.max(0.0) * self.sr as f64).ceil() as u32).max(2) + 1;
                self.stateful(
                    pos,
                    name,
                    crate::program::ugen::DELAY_HEAD + len as usize,
                    |out, state| Op::Delay {
                        kind: dk,
                        x,
                        time,
                        decay,
                        damp,
                        len,
                        out,
                        state,
                    },
                )
            }
            Kind::Input => {
                if !self.is_effect {
                    return Err(self.err(pos, "`input()` is only available in an `effect`".into()));
                }
                self.top = false;
                Ok(Value::Stereo(0, 1))
            }
            Kind::Side(k) => {
                self.top = false;
                match v[0] {
                    Value::Stereo(l, r) => Ok(Value::Mono(if k == 0 { l } else { r })),
                    other => Ok(other),
                }
            }
            Kind::Stereo => {
                self.top = false;
                let mut side = |x: Value| -> Result<u16, VoiceError> {
                    match x {
                        Value::Mono(r) => Ok(r),
                        Value::Stereo(..) => {
                            Err(self.err(pos, "`stereo` takes two mono signals".into()))
                        }
                        other => {
                            // a scalar becomes a signal holding it: max(a, a) = a
                            let a = self.input(other, pos)?;
                            let out = self.register(pos)?;
                            self.ops.push(Op::Binary {
                                op: Binary::Max,
                                a,
                                b: a,
                                out,
                            });
                            Ok(out)
                        }
                    }
                };
                let (l, r) = (side(v[0])?, side(v[1])?);
                Ok(Value::Stereo(l, r))
            }
            Kind::Play => {
                if !self.has_bank {
                    return Err(self.err(
                        pos,
                        "`play` needs a `sample BANK` line naming the bank it reads".into(),
                    ));
                }
                let rate = self.input(v[0], pos)?;
                if let (None, In::Scalar(s)) = (self.play_rate, rate) {
                    self.play_rate = Some(s);
                }
                self.stateful(pos, name, ugen_sizes::PLAY, |out, state| Op::Play {
                    rate,
                    out,
                    state,
                })
            }
            Kind::Pan => {
                let (x, p) = (self.input(v[0], pos)?, self.input(v[1], pos)?);
                self.top = false;
                let out = self.register(pos)?;
                let right = self.register(pos)?;
                self.ops.push(Op::Pan { x, pos: p, out });
                Ok(Value::Stereo(out, right))
            }
        }
    }

    /// A node keeping `size` floats of state and writing one new register: pushes
    /// `make(out, state)` and gives the register.
    fn stateful(
        &mut self,
        pos: Pos,
        name: &'static str,
        size: usize,
        make: impl FnOnce(u16, u32) -> Op,
    ) -> Result<Value, VoiceError> {
        let state = self.node_state(name, size, pos)?;
        let out = self.register(pos)?;
        self.ops.push(make(out, state));
        Ok(Value::Mono(out))
    }

    /// A node without state writing one new register: pushes `make(out)` and gives the register.
    fn stateless(&mut self, pos: Pos, make: impl FnOnce(u16) -> Op) -> Result<Value, VoiceError> {
        let out = self.register(pos)?;
        self.ops.push(make(out));
        Ok(Value::Mono(out))
    }

    /// An envelope node (`perc`, `linen`, `adsr`) of `kind`, called as `name` with scalar arguments.
    pub(super) fn envelope(
        &mut self,
        kind: Kind,
        name: &'static str,
        v: &[Value],
        pos: Pos,
    ) -> Result<Value, VoiceError> {
        let mut s = Vec::with_capacity(v.len());
        for x in v {
            s.push(self.scalar_arg(name, *x, pos)?);
        }
        let one = self.as_scalar(Value::Const(1.0), pos)?.expect("constant");
        let zero = self.as_scalar(Value::Const(0.0), pos)?.expect("constant");
        let seg = |target, seconds, curve| Segment {
            target,
            seconds,
            curve,
        };
        let (segs, total): (Vec<Segment>, Value) = match kind {
            Kind::Perc => {
                let total =
                    self.binary(Binary::Add, Value::Scalar(s[0]), Value::Scalar(s[1]), pos)?;
                (vec![seg(one, s[0], s[2]), seg(zero, s[1], s[2])], total)
            }
            Kind::Linen => {
                let ab = self.binary(Binary::Add, Value::Scalar(s[0]), Value::Scalar(s[1]), pos)?;
                let total = self.binary(Binary::Add, ab, Value::Scalar(s[2]), pos)?;
                (
                    vec![
                        seg(one, s[0], s[3]),
                        seg(one, s[1], s[3]),
                        seg(zero, s[2], s[3]),
                    ],
                    total,
                )
            }
            _ => {
                // attack, decay, level, release, hold, curve: held at `level` until `hold`
                let ad = self.binary(Binary::Add, Value::Scalar(s[0]), Value::Scalar(s[1]), pos)?;
                let rest = self.binary(Binary::Sub, Value::Scalar(s[4]), ad, pos)?;
                let rest = self.binary(Binary::Max, rest, Value::Const(0.0), pos)?;
                let rest = self.scalar_arg(name, rest, pos)?;
                let hold = self.binary(Binary::Max, Value::Scalar(s[4]), ad, pos)?;
                let total = self.binary(Binary::Add, hold, Value::Scalar(s[3]), pos)?;
                (
                    vec![
                        seg(one, s[0], s[5]),
                        seg(s[2], s[1], s[5]),
                        seg(s[2], rest, s[5]),
                        seg(zero, s[3], s[5]),
                    ],
                    total,
                )
            }
        };
        let total = self.scalar_arg(name, total, pos)?;
        self.lengths.push(total);
        let mut segments = [Segment::default(); MAX_SEGMENTS];
        segments[..segs.len()].copy_from_slice(&segs);
        self.stateful(pos, name, ugen_sizes::ENVELOPE, |out, state| Op::Envelope {
            segments,
            count: segs.len() as u8,
            out,
            state,
        })
    }
}
