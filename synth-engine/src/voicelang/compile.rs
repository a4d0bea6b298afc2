//! Lowering a parsed voice to a flat [`Program`]: per-voice scalars folded out of the audio path, registers, a state layout.

use super::ast::{Expr, Pos, VoiceFile};
use super::builtins::{self, Kind};
use super::VoiceError;
use crate::program::{
    Binary, In, NodeSlot, Op, OrbitEffect, ParamDef, Program, ScalarOp, Unary, EFFECT_STATE,
    MAX_PARAMS, MAX_REGISTERS, MAX_SCALARS, ORBIT_CONTROLS, VOICE_STATE,
};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

static GENERATION: AtomicU64 = AtomicU64::new(1);

/// A value while compiling.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Value {
    Const(f64),
    Scalar(u16),
    Mono(u16),
    Stereo(u16, u16),
}

pub(super) struct Compiler<'a> {
    pub(super) file: &'a str,
    pub(super) sr: f32,
    pub(super) params: Vec<ParamDef>,
    pub(super) scalar_ops: Vec<ScalarOp>,
    pub(super) scalars: u16,
    pub(super) ops: Vec<Op>,
    pub(super) registers: u16,
    pub(super) state: u32,
    pub(super) layout: Vec<NodeSlot>,
    pub(super) names: HashMap<String, Value>,
    pub(super) lengths: Vec<u16>,
    /// Path of the binding being compiled and how many nested nodes it has so far.
    pub(super) binding: String,
    pub(super) nested: usize,
    /// Whether the call being compiled is the whole right-hand side of its binding.
    pub(super) top: bool,
    /// Whether the voice declares a sample bank, and the scalar rate of its first `play`.
    pub(super) has_bank: bool,
    pub(super) play_rate: Option<u16>,
    /// An orbit effect (then `input()` is the orbit's bus).
    pub(super) is_effect: bool,
}

/// Compiles a parsed voice for `sample_rate`.
pub fn compile(file: &str, voice: &VoiceFile, sample_rate: f32) -> Result<Program, VoiceError> {
    let mut c = Compiler {
        file,
        sr: sample_rate,
        params: Vec::new(),
        scalar_ops: Vec::new(),
        scalars: 0,
        ops: Vec::new(),
        registers: 0,
        state: 0,
        layout: Vec::new(),
        names: HashMap::new(),
        lengths: Vec::new(),
        binding: String::new(),
        nested: 0,
        top: false,
        has_bank: voice.bank.is_some(),
        play_rate: None,
        is_effect: false,
    };
    let effect = if voice.effect {
        let Some(effect) = OrbitEffect::from_name(&voice.name) else {
            let names: Vec<&str> = OrbitEffect::ALL.iter().map(|e| e.name()).collect();
            return Err(c.err(
                Pos { line: 1, col: 1 },
                format!("an effect is one of {}", names.join(", ")),
            ));
        };
        // the orbit's bus arrives in the first two registers
        c.registers = 2;
        Some(effect)
    } else {
        None
    };
    c.is_effect = effect.is_some();
    for p in &voice.params {
        if c.names.contains_key(&p.name) {
            return Err(c.err(p.pos, format!("`{}` is declared twice", p.name)));
        }
        if c.params.len() >= MAX_PARAMS {
            return Err(c.err(p.pos, format!("at most {MAX_PARAMS} parameters")));
        }
        let index = c.params.len() as u16;
        c.params.push(ParamDef::new(&p.name, p.default as f32));
        let out = c.scalar(p.pos)?;
        c.scalar_ops.push(ScalarOp::Param { out, index });
        c.names.insert(p.name.clone(), Value::Scalar(out));
    }
    // the voice's length without envelopes: the `sustain` parameter (declared or not)
    let sustain_index = match c.params.iter().position(|p| p.name == "sustain") {
        Some(i) => i,
        None => {
            if c.params.len() >= MAX_PARAMS {
                let pos = voice.params.last().map_or(Pos::default(), |p| p.pos);
                return Err(c.err(
                    pos,
                    format!("at most {} parameters besides `sustain`", MAX_PARAMS - 1),
                ));
            }
            c.params.push(ParamDef::new("sustain", 1.0));
            c.params.len() - 1
        }
    };
    let fallback_length = c.scalar(Pos::default())?;
    c.scalar_ops.push(ScalarOp::Param {
        out: fallback_length,
        index: sustain_index as u16,
    });
    for b in &voice.bindings {
        if c.names.contains_key(&b.name) {
            return Err(c.err(b.pos, format!("`{}` is already defined", b.name)));
        }
        c.binding = b.name.clone();
        c.nested = 0;
        c.top = true;
        let v = c.expr(&b.expr)?;
        c.names.insert(b.name.clone(), v);
    }
    let controls = c
        .params
        .iter()
        .map(|p| {
            ORBIT_CONTROLS
                .iter()
                .position(|n| *n == p.name)
                .map_or(0, |i| i as u8 + 1)
        })
        .collect();
    let Some((out_expr, out_pos)) = &voice.output else {
        return Err(c.err(Pos { line: 1, col: 1 }, "the voice has no `out`".into()));
    };
    c.binding = "out".into();
    c.nested = 0;
    c.top = true;
    let out = match c.expr(out_expr)? {
        Value::Stereo(l, r) => [In::Reg(l), In::Reg(r)],
        v => {
            let i = c.input(v, *out_pos)?;
            [i, i]
        }
    };
    Ok(Program {
        name: voice.name.clone(),
        generation: GENERATION.fetch_add(1, Ordering::Relaxed),
        sample_rate,
        params: c.params,
        scalar_ops: c.scalar_ops,
        scalar_count: c.scalars as usize,
        ops: c.ops,
        registers: c.registers as usize,
        out,
        state_size: c.state as usize,
        layout: c.layout,
        lengths: c.lengths,
        fallback_length,
        bank: voice.bank.as_ref().map(|(b, _)| b.clone()),
        effect,
        controls,
        play_rate: c.play_rate,
        migration: None,
    })
}

impl Compiler<'_> {
    pub(super) fn err(&self, pos: Pos, message: String) -> VoiceError {
        VoiceError::at(self.file, pos, message)
    }

    pub(super) fn scalar(&mut self, pos: Pos) -> Result<u16, VoiceError> {
        if self.scalars as usize >= MAX_SCALARS {
            return Err(self.err(pos, format!("more than {MAX_SCALARS} scalar values")));
        }
        self.scalars += 1;
        Ok(self.scalars - 1)
    }

    pub(super) fn register(&mut self, pos: Pos) -> Result<u16, VoiceError> {
        if self.registers as usize >= MAX_REGISTERS {
            return Err(self.err(pos, format!("more than {MAX_REGISTERS} signals")));
        }
        self.registers += 1;
        Ok(self.registers - 1)
    }

    /// Reserves state for a node and records its path.
    pub(super) fn node_state(
        &mut self,
        kind: &'static str,
        size: usize,
        pos: Pos,
    ) -> Result<u32, VoiceError> {
        let path = if self.top {
            self.binding.clone()
        } else {
            self.nested += 1;
            format!("{}.{}{}", self.binding, kind, self.nested)
        };
        self.top = false;
        let offset = self.state;
        let limit = if self.is_effect {
            EFFECT_STATE
        } else {
            VOICE_STATE
        };
        if offset as usize + size > limit {
            return Err(self.err(pos, format!("more than {limit} state values")));
        }
        self.state += size as u32;
        self.layout.push(NodeSlot {
            path,
            kind,
            offset,
            size: size as u32,
        });
        Ok(offset)
    }

    /// A per-voice scalar for a constant or scalar value.
    pub(super) fn as_scalar(&mut self, v: Value, pos: Pos) -> Result<Option<u16>, VoiceError> {
        match v {
            Value::Const(k) => {
                let out = self.scalar(pos)?;
                self.scalar_ops.push(ScalarOp::Const {
                    out,
                    value: k as f32,
                });
                Ok(Some(out))
            }
            Value::Scalar(s) => Ok(Some(s)),
            _ => Ok(None),
        }
    }

    pub(super) fn input(&mut self, v: Value, pos: Pos) -> Result<In, VoiceError> {
        match v {
            Value::Mono(r) => Ok(In::Reg(r)),
            Value::Stereo(..) => Err(self.err(
                pos,
                "a stereo signal can only be mixed, scaled or sent to `out`".into(),
            )),
            other => Ok(In::Scalar(
                self.as_scalar(other, pos)?.expect("constant or scalar"),
            )),
        }
    }

    fn expr(&mut self, e: &Expr) -> Result<Value, VoiceError> {
        match e {
            Expr::Number(v) => Ok(Value::Const(*v)),
            Expr::Name(n, pos) => self.names.get(n).copied().ok_or_else(|| {
                self.err(
                    *pos,
                    format!("unknown name `{n}` (declare it with `param {n} = ...` or `let`)"),
                )
            }),
            Expr::Neg(x) => {
                let v = self.nested_expr(x)?;
                self.unary(Unary::Neg, v, Pos::default())
            }
            Expr::Binary(op, a, b) => {
                let (a, b) = (self.nested_expr(a)?, self.nested_expr(b)?);
                let op = match op {
                    '+' => Binary::Add,
                    '-' => Binary::Sub,
                    '*' => Binary::Mul,
                    _ => Binary::Div,
                };
                self.binary(op, a, b, Pos::default())
            }
            Expr::Call { name, args, pos } => self.call(name, args, *pos),
        }
    }

    pub(super) fn nested_expr(&mut self, e: &Expr) -> Result<Value, VoiceError> {
        self.top = false;
        self.expr(e)
    }

    pub(super) fn unary(&mut self, op: Unary, v: Value, pos: Pos) -> Result<Value, VoiceError> {
        match v {
            Value::Const(k) => Ok(Value::Const(op.apply(k as f32) as f64)),
            Value::Scalar(a) => {
                let out = self.scalar(pos)?;
                self.scalar_ops.push(ScalarOp::Unary { op, a, out });
                Ok(Value::Scalar(out))
            }
            Value::Mono(r) => {
                let out = self.register(pos)?;
                self.ops.push(Op::Unary {
                    op,
                    a: In::Reg(r),
                    out,
                });
                Ok(Value::Mono(out))
            }
            Value::Stereo(l, r) => {
                let (Value::Mono(l), Value::Mono(r)) = (
                    self.unary(op, Value::Mono(l), pos)?,
                    self.unary(op, Value::Mono(r), pos)?,
                ) else {
                    unreachable!("mono in, mono out")
                };
                Ok(Value::Stereo(l, r))
            }
        }
    }

    pub(super) fn binary(
        &mut self,
        op: Binary,
        a: Value,
        b: Value,
        pos: Pos,
    ) -> Result<Value, VoiceError> {
        match (a, b) {
            (Value::Const(x), Value::Const(y)) => {
                Ok(Value::Const(op.apply(x as f32, y as f32) as f64))
            }
            (Value::Stereo(l, r), other) => {
                let l = self.binary(op, Value::Mono(l), other, pos)?;
                let r = self.binary(op, Value::Mono(r), other, pos)?;
                Ok(self.pair(l, r))
            }
            (other, Value::Stereo(l, r)) => {
                let l = self.binary(op, other, Value::Mono(l), pos)?;
                let r = self.binary(op, other, Value::Mono(r), pos)?;
                Ok(self.pair(l, r))
            }
            (Value::Mono(_), _) | (_, Value::Mono(_)) => {
                let (a, b) = (self.input(a, pos)?, self.input(b, pos)?);
                let out = self.register(pos)?;
                self.ops.push(Op::Binary { op, a, b, out });
                Ok(Value::Mono(out))
            }
            _ => {
                let a = self.as_scalar(a, pos)?.expect("scalar");
                let b = self.as_scalar(b, pos)?.expect("scalar");
                let out = self.scalar(pos)?;
                self.scalar_ops.push(ScalarOp::Binary { op, a, b, out });
                Ok(Value::Scalar(out))
            }
        }
    }

    pub(super) fn pair(&self, l: Value, r: Value) -> Value {
        match (l, r) {
            (Value::Mono(l), Value::Mono(r)) => Value::Stereo(l, r),
            _ => unreachable!("audio in, audio out"),
        }
    }

    fn call(
        &mut self,
        name: &str,
        args: &[(Option<String>, Expr)],
        pos: Pos,
    ) -> Result<Value, VoiceError> {
        let Some(b) = builtins::lookup(name) else {
            return Err(self.err(pos, format!("unknown function `{name}`")));
        };
        let top = self.top;
        if b.kind == Kind::Mix {
            let mut acc = Value::Const(0.0);
            for (_, e) in args {
                let v = self.nested_expr(e)?;
                acc = self.binary(Binary::Add, acc, v, pos)?;
            }
            return Ok(acc);
        }
        // bind arguments: positional first, then by name
        let mut bound: Vec<Option<&Expr>> = vec![None; b.args.len()];
        for (i, (label, e)) in args.iter().enumerate() {
            let slot = match label {
                Some(l) => b.args.iter().position(|(n, _)| n == l).ok_or_else(|| {
                    self.err(
                        pos,
                        format!("`{name}` has no argument `{l}` (it takes {})", arg_list(b)),
                    )
                })?,
                None if i < b.args.len() => i,
                None => {
                    return Err(self.err(
                        pos,
                        format!(
                            "`{name}` takes {} arguments ({})",
                            b.args.len(),
                            arg_list(b)
                        ),
                    ))
                }
            };
            if bound[slot].is_some() {
                return Err(self.err(
                    pos,
                    format!("argument `{}` of `{name}` given twice", b.args[slot].0),
                ));
            }
            bound[slot] = Some(e);
        }
        let mut values = Vec::with_capacity(b.args.len());
        for (k, (arg, default)) in b.args.iter().enumerate() {
            let v = match (bound[k], default) {
                (Some(e), _) => self.nested_expr(e)?,
                (None, Some(d)) => Value::Const(*d),
                (None, None) => return Err(self.err(pos, format!("`{name}` needs `{arg}`"))),
            };
            values.push(v);
        }
        self.top = top;
        self.lower(b.name, b.kind, &values, pos)
    }
}

pub(super) fn arg_list(b: &builtins::Builtin) -> String {
    b.args
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}
