//! Controls: functions from a pattern of values to a pattern of named
//! controls (`speed "1 2"`), with Tidal's names, aliases and value types.

use std::sync::Arc;

use super::{Builtin, Call};
use crate::lang::error::LangError;
use crate::lang::eval::Val;
use crate::pattern::Pattern;
use crate::value::{Name, Value, ValueMap};

/// The pattern's values under the control `key`.
pub fn control(key: &str, p: Pattern<Value>) -> Pattern<Value> {
    let name: Name = Arc::from(key);
    p.fmap(move |v| Value::Map(ValueMap::singleton(name.clone(), v.clone())))
}

/// `s`/`sound`: a sample or synth name; `name:i` also sets `n` to `i`.
pub fn sound(p: &Pattern<Value>) -> Pattern<Value> {
    let (s, n): (Name, Name) = (Arc::from("s"), Arc::from("n"));
    p.fmap(move |v| {
        let Value::S(text) = v else {
            return Value::Map(ValueMap::new());
        };
        if !text.contains(':') {
            return Value::Map(ValueMap::singleton(s.clone(), v.clone()));
        }
        let mut fields = text.split(':').filter(|f| !f.is_empty());
        let mut pairs = Vec::with_capacity(2);
        if let Some(name) = fields.next() {
            pairs.push((s.clone(), Value::str(name)));
        }
        if let Some(index) = fields.next().and_then(read_double) {
            pairs.push((n.clone(), Value::F(index)));
        }
        Value::Map(ValueMap::from_pairs(pairs))
    })
}

/// A number in Haskell's `read` syntax for `Double` (`3`, `-1.5`, `2e3`).
pub fn read_double(text: &str) -> Option<f64> {
    let body = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let exp_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    if digits(int) && frac.is_none_or(digits) && exp_ok {
        text.parse().ok()
    } else {
        None
    }
}

fn run_sound(c: &Call) -> Result<Val, LangError> {
    Ok(Val::Pat(sound(&c.pat(0)?)))
}

/// The control builtins: grouped ones, then every plain control and alias
/// with Tidal's value type.
pub fn builtins() -> Vec<Builtin> {
    vec![
        Builtin::new(
            "s",
            "Pattern String -> ControlPattern",
            1,
            "the sample or synth to play; \"bd:3\" also sets n",
            "s \"bd*2 sn:1\"",
            run_sound,
        ),
        Builtin::new(
            "sound",
            "Pattern String -> ControlPattern",
            1,
            "the sample or synth to play (same as s)",
            "sound \"bd sn\"",
            run_sound,
        ),
        Builtin::control(
            "accelerate",
            "Pattern Double -> ControlPattern",
            "accelerate",
            "sets the 'accelerate' control",
        ),
        Builtin::control(
            "amp",
            "Pattern Double -> ControlPattern",
            "amp",
            "sets the 'amp' control",
        ),
        Builtin::control(
            "attack",
            "Pattern Double -> ControlPattern",
            "attack",
            "sets the 'attack' control",
        ),
        Builtin::control(
            "bandf",
            "Pattern Double -> ControlPattern",
            "bandf",
            "sets the 'bandf' control",
        ),
        Builtin::control(
            "bandq",
            "Pattern Double -> ControlPattern",
            "bandq",
            "sets the 'bandq' control",
        ),
        Builtin::control(
            "begin",
            "Pattern Double -> ControlPattern",
            "begin",
            "sets the 'begin' control",
        ),
        Builtin::control(
            "binshift",
            "Pattern Double -> ControlPattern",
            "binshift",
            "sets the 'binshift' control",
        ),
        Builtin::control(
            "button0",
            "Pattern Double -> ControlPattern",
            "button0",
            "sets the 'button0' control",
        ),
        Builtin::control(
            "button1",
            "Pattern Double -> ControlPattern",
            "button1",
            "sets the 'button1' control",
        ),
        Builtin::control(
            "button10",
            "Pattern Double -> ControlPattern",
            "button10",
            "sets the 'button10' control",
        ),
        Builtin::control(
            "button11",
            "Pattern Double -> ControlPattern",
            "button11",
            "sets the 'button11' control",
        ),
        Builtin::control(
            "button12",
            "Pattern Double -> ControlPattern",
            "button12",
            "sets the 'button12' control",
        ),
        Builtin::control(
            "button13",
            "Pattern Double -> ControlPattern",
            "button13",
            "sets the 'button13' control",
        ),
        Builtin::control(
            "button14",
            "Pattern Double -> ControlPattern",
            "button14",
            "sets the 'button14' control",
        ),
        Builtin::control(
            "button15",
            "Pattern Double -> ControlPattern",
            "button15",
            "sets the 'button15' control",
        ),
        Builtin::control(
            "button2",
            "Pattern Double -> ControlPattern",
            "button2",
            "sets the 'button2' control",
        ),
        Builtin::control(
            "button3",
            "Pattern Double -> ControlPattern",
            "button3",
            "sets the 'button3' control",
        ),
        Builtin::control(
            "button4",
            "Pattern Double -> ControlPattern",
            "button4",
            "sets the 'button4' control",
        ),
        Builtin::control(
            "button5",
            "Pattern Double -> ControlPattern",
            "button5",
            "sets the 'button5' control",
        ),
        Builtin::control(
            "button6",
            "Pattern Double -> ControlPattern",
            "button6",
            "sets the 'button6' control",
        ),
        Builtin::control(
            "button7",
            "Pattern Double -> ControlPattern",
            "button7",
            "sets the 'button7' control",
        ),
        Builtin::control(
            "button8",
            "Pattern Double -> ControlPattern",
            "button8",
            "sets the 'button8' control",
        ),
        Builtin::control(
            "button9",
            "Pattern Double -> ControlPattern",
            "button9",
            "sets the 'button9' control",
        ),
        Builtin::control(
            "ccn",
            "Pattern Double -> ControlPattern",
            "ccn",
            "sets the 'ccn' control",
        ),
        Builtin::control(
            "ccv",
            "Pattern Double -> ControlPattern",
            "ccv",
            "sets the 'ccv' control",
        ),
        Builtin::control(
            "channel",
            "Pattern Int -> ControlPattern",
            "channel",
            "sets the 'channel' control",
        ),
        Builtin::control(
            "clhatdecay",
            "Pattern Double -> ControlPattern",
            "clhatdecay",
            "sets the 'clhatdecay' control",
        ),
        Builtin::control(
            "coarse",
            "Pattern Double -> ControlPattern",
            "coarse",
            "sets the 'coarse' control",
        ),
        Builtin::control(
            "comb",
            "Pattern Double -> ControlPattern",
            "comb",
            "sets the 'comb' control",
        ),
        Builtin::control(
            "control",
            "Pattern Double -> ControlPattern",
            "control",
            "sets the 'control' control",
        ),
        Builtin::control(
            "cps",
            "Pattern Double -> ControlPattern",
            "cps",
            "sets the 'cps' control",
        ),
        Builtin::control(
            "crush",
            "Pattern Double -> ControlPattern",
            "crush",
            "sets the 'crush' control",
        ),
        Builtin::control(
            "ctlNum",
            "Pattern Double -> ControlPattern",
            "ctlNum",
            "sets the 'ctlNum' control",
        ),
        Builtin::control(
            "ctranspose",
            "Pattern Double -> ControlPattern",
            "ctranspose",
            "sets the 'ctranspose' control",
        ),
        Builtin::control(
            "cut",
            "Pattern Int -> ControlPattern",
            "cut",
            "sets the 'cut' control",
        ),
        Builtin::control(
            "cutoff",
            "Pattern Double -> ControlPattern",
            "cutoff",
            "sets the 'cutoff' control",
        ),
        Builtin::control(
            "cutoffegint",
            "Pattern Double -> ControlPattern",
            "cutoffegint",
            "sets the 'cutoffegint' control",
        ),
        Builtin::control(
            "decay",
            "Pattern Double -> ControlPattern",
            "decay",
            "sets the 'decay' control",
        ),
        Builtin::control(
            "degree",
            "Pattern Double -> ControlPattern",
            "degree",
            "sets the 'degree' control",
        ),
        Builtin::control(
            "delay",
            "Pattern Double -> ControlPattern",
            "delay",
            "sets the 'delay' control",
        ),
        Builtin::control(
            "delayfeedback",
            "Pattern Double -> ControlPattern",
            "delayfeedback",
            "sets the 'delayfeedback' control",
        ),
        Builtin::control(
            "delaytime",
            "Pattern Double -> ControlPattern",
            "delaytime",
            "sets the 'delaytime' control",
        ),
        Builtin::control(
            "detune",
            "Pattern Double -> ControlPattern",
            "detune",
            "sets the 'detune' control",
        ),
        Builtin::control(
            "distort",
            "Pattern Double -> ControlPattern",
            "distort",
            "sets the 'distort' control",
        ),
        Builtin::control(
            "djf",
            "Pattern Double -> ControlPattern",
            "djf",
            "sets the 'djf' control",
        ),
        Builtin::control(
            "dry",
            "Pattern Double -> ControlPattern",
            "dry",
            "sets the 'dry' control",
        ),
        Builtin::control(
            "dur",
            "Pattern Double -> ControlPattern",
            "dur",
            "sets the 'dur' control",
        ),
        Builtin::control(
            "end",
            "Pattern Double -> ControlPattern",
            "end",
            "sets the 'end' control",
        ),
        Builtin::control(
            "enhance",
            "Pattern Double -> ControlPattern",
            "enhance",
            "sets the 'enhance' control",
        ),
        Builtin::control(
            "expression",
            "Pattern Double -> ControlPattern",
            "expression",
            "sets the 'expression' control",
        ),
        Builtin::control(
            "fadeInTime",
            "Pattern Double -> ControlPattern",
            "fadeInTime",
            "sets the 'fadeInTime' control",
        ),
        Builtin::control(
            "fadeTime",
            "Pattern Double -> ControlPattern",
            "fadeTime",
            "sets the 'fadeTime' control",
        ),
        Builtin::control(
            "frameRate",
            "Pattern Double -> ControlPattern",
            "frameRate",
            "sets the 'frameRate' control",
        ),
        Builtin::control(
            "frames",
            "Pattern Double -> ControlPattern",
            "frames",
            "sets the 'frames' control",
        ),
        Builtin::control(
            "freeze",
            "Pattern Double -> ControlPattern",
            "freeze",
            "sets the 'freeze' control",
        ),
        Builtin::control(
            "freq",
            "Pattern Double -> ControlPattern",
            "freq",
            "sets the 'freq' control",
        ),
        Builtin::control(
            "from",
            "Pattern Double -> ControlPattern",
            "from",
            "sets the 'from' control",
        ),
        Builtin::control(
            "fshift",
            "Pattern Double -> ControlPattern",
            "fshift",
            "sets the 'fshift' control",
        ),
        Builtin::control(
            "fshiftnote",
            "Pattern Double -> ControlPattern",
            "fshiftnote",
            "sets the 'fshiftnote' control",
        ),
        Builtin::control(
            "fshiftphase",
            "Pattern Double -> ControlPattern",
            "fshiftphase",
            "sets the 'fshiftphase' control",
        ),
        Builtin::control(
            "gain",
            "Pattern Double -> ControlPattern",
            "gain",
            "sets the 'gain' control",
        ),
        Builtin::control(
            "gate",
            "Pattern Double -> ControlPattern",
            "gate",
            "sets the 'gate' control",
        ),
        Builtin::control(
            "harmonic",
            "Pattern Double -> ControlPattern",
            "harmonic",
            "sets the 'harmonic' control",
        ),
        Builtin::control(
            "hatgrain",
            "Pattern Double -> ControlPattern",
            "hatgrain",
            "sets the 'hatgrain' control",
        ),
        Builtin::control(
            "hbrick",
            "Pattern Double -> ControlPattern",
            "hbrick",
            "sets the 'hbrick' control",
        ),
        Builtin::control(
            "hcutoff",
            "Pattern Double -> ControlPattern",
            "hcutoff",
            "sets the 'hcutoff' control",
        ),
        Builtin::control(
            "hold",
            "Pattern Double -> ControlPattern",
            "hold",
            "sets the 'hold' control",
        ),
        Builtin::control(
            "hours",
            "Pattern Double -> ControlPattern",
            "hours",
            "sets the 'hours' control",
        ),
        Builtin::control(
            "hresonance",
            "Pattern Double -> ControlPattern",
            "hresonance",
            "sets the 'hresonance' control",
        ),
        Builtin::control(
            "imag",
            "Pattern Double -> ControlPattern",
            "imag",
            "sets the 'imag' control",
        ),
        Builtin::control(
            "kcutoff",
            "Pattern Double -> ControlPattern",
            "kcutoff",
            "sets the 'kcutoff' control",
        ),
        Builtin::control(
            "krush",
            "Pattern Double -> ControlPattern",
            "krush",
            "sets the 'krush' control",
        ),
        Builtin::control(
            "lagogo",
            "Pattern Double -> ControlPattern",
            "lagogo",
            "sets the 'lagogo' control",
        ),
        Builtin::control(
            "lbrick",
            "Pattern Double -> ControlPattern",
            "lbrick",
            "sets the 'lbrick' control",
        ),
        Builtin::control(
            "lclap",
            "Pattern Double -> ControlPattern",
            "lclap",
            "sets the 'lclap' control",
        ),
        Builtin::control(
            "lclaves",
            "Pattern Double -> ControlPattern",
            "lclaves",
            "sets the 'lclaves' control",
        ),
        Builtin::control(
            "lclhat",
            "Pattern Double -> ControlPattern",
            "lclhat",
            "sets the 'lclhat' control",
        ),
        Builtin::control(
            "lcrash",
            "Pattern Double -> ControlPattern",
            "lcrash",
            "sets the 'lcrash' control",
        ),
        Builtin::control(
            "legato",
            "Pattern Double -> ControlPattern",
            "legato",
            "sets the 'legato' control",
        ),
        Builtin::control(
            "leslie",
            "Pattern Double -> ControlPattern",
            "leslie",
            "sets the 'leslie' control",
        ),
        Builtin::control(
            "lfo",
            "Pattern Double -> ControlPattern",
            "lfo",
            "sets the 'lfo' control",
        ),
        Builtin::control(
            "lfocutoffint",
            "Pattern Double -> ControlPattern",
            "lfocutoffint",
            "sets the 'lfocutoffint' control",
        ),
        Builtin::control(
            "lfodelay",
            "Pattern Double -> ControlPattern",
            "lfodelay",
            "sets the 'lfodelay' control",
        ),
        Builtin::control(
            "lfoint",
            "Pattern Double -> ControlPattern",
            "lfoint",
            "sets the 'lfoint' control",
        ),
        Builtin::control(
            "lfopitchint",
            "Pattern Double -> ControlPattern",
            "lfopitchint",
            "sets the 'lfopitchint' control",
        ),
        Builtin::control(
            "lfoshape",
            "Pattern Double -> ControlPattern",
            "lfoshape",
            "sets the 'lfoshape' control",
        ),
        Builtin::control(
            "lfosync",
            "Pattern Double -> ControlPattern",
            "lfosync",
            "sets the 'lfosync' control",
        ),
        Builtin::control(
            "lhitom",
            "Pattern Double -> ControlPattern",
            "lhitom",
            "sets the 'lhitom' control",
        ),
        Builtin::control(
            "lkick",
            "Pattern Double -> ControlPattern",
            "lkick",
            "sets the 'lkick' control",
        ),
        Builtin::control(
            "llotom",
            "Pattern Double -> ControlPattern",
            "llotom",
            "sets the 'llotom' control",
        ),
        Builtin::control(
            "lock",
            "Pattern Double -> ControlPattern",
            "lock",
            "sets the 'lock' control",
        ),
        Builtin::control(
            "loop",
            "Pattern Double -> ControlPattern",
            "loop",
            "sets the 'loop' control",
        ),
        Builtin::control(
            "lophat",
            "Pattern Double -> ControlPattern",
            "lophat",
            "sets the 'lophat' control",
        ),
        Builtin::control(
            "lrate",
            "Pattern Double -> ControlPattern",
            "lrate",
            "sets the 'lrate' control",
        ),
        Builtin::control(
            "lsize",
            "Pattern Double -> ControlPattern",
            "lsize",
            "sets the 'lsize' control",
        ),
        Builtin::control(
            "lsnare",
            "Pattern Double -> ControlPattern",
            "lsnare",
            "sets the 'lsnare' control",
        ),
        Builtin::control(
            "midibend",
            "Pattern Double -> ControlPattern",
            "midibend",
            "sets the 'midibend' control",
        ),
        Builtin::control(
            "midichan",
            "Pattern Double -> ControlPattern",
            "midichan",
            "sets the 'midichan' control",
        ),
        Builtin::control(
            "midicmd",
            "Pattern String -> ControlPattern",
            "midicmd",
            "sets the 'midicmd' control",
        ),
        Builtin::control(
            "miditouch",
            "Pattern Double -> ControlPattern",
            "miditouch",
            "sets the 'miditouch' control",
        ),
        Builtin::control(
            "minutes",
            "Pattern Double -> ControlPattern",
            "minutes",
            "sets the 'minutes' control",
        ),
        Builtin::control(
            "modwheel",
            "Pattern Double -> ControlPattern",
            "modwheel",
            "sets the 'modwheel' control",
        ),
        Builtin::control(
            "mtranspose",
            "Pattern Double -> ControlPattern",
            "mtranspose",
            "sets the 'mtranspose' control",
        ),
        Builtin::control(
            "n",
            "Pattern Note -> ControlPattern",
            "n",
            "sets the 'n' control",
        ),
        Builtin::control(
            "note",
            "Pattern Note -> ControlPattern",
            "note",
            "sets the 'note' control",
        ),
        Builtin::control(
            "nrpnn",
            "Pattern Int -> ControlPattern",
            "nrpn",
            "sets the 'nrpn' control",
        ),
        Builtin::control(
            "nrpnv",
            "Pattern Int -> ControlPattern",
            "val",
            "sets the 'val' control",
        ),
        Builtin::control(
            "nudge",
            "Pattern Double -> ControlPattern",
            "nudge",
            "sets the 'nudge' control",
        ),
        Builtin::control(
            "octave",
            "Pattern Int -> ControlPattern",
            "octave",
            "sets the 'octave' control",
        ),
        Builtin::control(
            "octaveR",
            "Pattern Double -> ControlPattern",
            "octaveR",
            "sets the 'octaveR' control",
        ),
        Builtin::control(
            "octer",
            "Pattern Double -> ControlPattern",
            "octer",
            "sets the 'octer' control",
        ),
        Builtin::control(
            "octersub",
            "Pattern Double -> ControlPattern",
            "octersub",
            "sets the 'octersub' control",
        ),
        Builtin::control(
            "octersubsub",
            "Pattern Double -> ControlPattern",
            "octersubsub",
            "sets the 'octersubsub' control",
        ),
        Builtin::control(
            "offset",
            "Pattern Double -> ControlPattern",
            "offset",
            "sets the 'offset' control",
        ),
        Builtin::control(
            "ophatdecay",
            "Pattern Double -> ControlPattern",
            "ophatdecay",
            "sets the 'ophatdecay' control",
        ),
        Builtin::control(
            "orbit",
            "Pattern Int -> ControlPattern",
            "orbit",
            "sets the 'orbit' control",
        ),
        Builtin::control(
            "overgain",
            "Pattern Double -> ControlPattern",
            "overgain",
            "sets the 'overgain' control",
        ),
        Builtin::control(
            "overshape",
            "Pattern Double -> ControlPattern",
            "overshape",
            "sets the 'overshape' control",
        ),
        Builtin::control(
            "pan",
            "Pattern Double -> ControlPattern",
            "pan",
            "sets the 'pan' control",
        ),
        Builtin::control(
            "panorient",
            "Pattern Double -> ControlPattern",
            "panorient",
            "sets the 'panorient' control",
        ),
        Builtin::control(
            "panspan",
            "Pattern Double -> ControlPattern",
            "panspan",
            "sets the 'panspan' control",
        ),
        Builtin::control(
            "pansplay",
            "Pattern Double -> ControlPattern",
            "pansplay",
            "sets the 'pansplay' control",
        ),
        Builtin::control(
            "panwidth",
            "Pattern Double -> ControlPattern",
            "panwidth",
            "sets the 'panwidth' control",
        ),
        Builtin::control(
            "partials",
            "Pattern Double -> ControlPattern",
            "partials",
            "sets the 'partials' control",
        ),
        Builtin::control(
            "phaserdepth",
            "Pattern Double -> ControlPattern",
            "phaserdepth",
            "sets the 'phaserdepth' control",
        ),
        Builtin::control(
            "phaserrate",
            "Pattern Double -> ControlPattern",
            "phaserrate",
            "sets the 'phaserrate' control",
        ),
        Builtin::control(
            "pitch1",
            "Pattern Double -> ControlPattern",
            "pitch1",
            "sets the 'pitch1' control",
        ),
        Builtin::control(
            "pitch2",
            "Pattern Double -> ControlPattern",
            "pitch2",
            "sets the 'pitch2' control",
        ),
        Builtin::control(
            "pitch3",
            "Pattern Double -> ControlPattern",
            "pitch3",
            "sets the 'pitch3' control",
        ),
        Builtin::control(
            "polyTouch",
            "Pattern Double -> ControlPattern",
            "polyTouch",
            "sets the 'polyTouch' control",
        ),
        Builtin::control(
            "portamento",
            "Pattern Double -> ControlPattern",
            "portamento",
            "sets the 'portamento' control",
        ),
        Builtin::control(
            "progNum",
            "Pattern Double -> ControlPattern",
            "progNum",
            "sets the 'progNum' control",
        ),
        Builtin::control(
            "rate",
            "Pattern Double -> ControlPattern",
            "rate",
            "sets the 'rate' control",
        ),
        Builtin::control(
            "real",
            "Pattern Double -> ControlPattern",
            "real",
            "sets the 'real' control",
        ),
        Builtin::control(
            "release",
            "Pattern Double -> ControlPattern",
            "release",
            "sets the 'release' control",
        ),
        Builtin::control(
            "resonance",
            "Pattern Double -> ControlPattern",
            "resonance",
            "sets the 'resonance' control",
        ),
        Builtin::control(
            "ring",
            "Pattern Double -> ControlPattern",
            "ring",
            "sets the 'ring' control",
        ),
        Builtin::control(
            "ringdf",
            "Pattern Double -> ControlPattern",
            "ringdf",
            "sets the 'ringdf' control",
        ),
        Builtin::control(
            "ringf",
            "Pattern Double -> ControlPattern",
            "ringf",
            "sets the 'ringf' control",
        ),
        Builtin::control(
            "room",
            "Pattern Double -> ControlPattern",
            "room",
            "sets the 'room' control",
        ),
        Builtin::control(
            "sagogo",
            "Pattern Double -> ControlPattern",
            "sagogo",
            "sets the 'sagogo' control",
        ),
        Builtin::control(
            "sclap",
            "Pattern Double -> ControlPattern",
            "sclap",
            "sets the 'sclap' control",
        ),
        Builtin::control(
            "sclaves",
            "Pattern Double -> ControlPattern",
            "sclaves",
            "sets the 'sclaves' control",
        ),
        Builtin::control(
            "scram",
            "Pattern Double -> ControlPattern",
            "scram",
            "sets the 'scram' control",
        ),
        Builtin::control(
            "scrash",
            "Pattern Double -> ControlPattern",
            "scrash",
            "sets the 'scrash' control",
        ),
        Builtin::control(
            "seconds",
            "Pattern Double -> ControlPattern",
            "seconds",
            "sets the 'seconds' control",
        ),
        Builtin::control(
            "semitone",
            "Pattern Double -> ControlPattern",
            "semitone",
            "sets the 'semitone' control",
        ),
        Builtin::control(
            "shape",
            "Pattern Double -> ControlPattern",
            "shape",
            "sets the 'shape' control",
        ),
        Builtin::control(
            "size",
            "Pattern Double -> ControlPattern",
            "size",
            "sets the 'size' control",
        ),
        Builtin::control(
            "slide",
            "Pattern Double -> ControlPattern",
            "slide",
            "sets the 'slide' control",
        ),
        Builtin::control(
            "slider0",
            "Pattern Double -> ControlPattern",
            "slider0",
            "sets the 'slider0' control",
        ),
        Builtin::control(
            "slider1",
            "Pattern Double -> ControlPattern",
            "slider1",
            "sets the 'slider1' control",
        ),
        Builtin::control(
            "slider10",
            "Pattern Double -> ControlPattern",
            "slider10",
            "sets the 'slider10' control",
        ),
        Builtin::control(
            "slider11",
            "Pattern Double -> ControlPattern",
            "slider11",
            "sets the 'slider11' control",
        ),
        Builtin::control(
            "slider12",
            "Pattern Double -> ControlPattern",
            "slider12",
            "sets the 'slider12' control",
        ),
        Builtin::control(
            "slider13",
            "Pattern Double -> ControlPattern",
            "slider13",
            "sets the 'slider13' control",
        ),
        Builtin::control(
            "slider14",
            "Pattern Double -> ControlPattern",
            "slider14",
            "sets the 'slider14' control",
        ),
        Builtin::control(
            "slider15",
            "Pattern Double -> ControlPattern",
            "slider15",
            "sets the 'slider15' control",
        ),
        Builtin::control(
            "slider2",
            "Pattern Double -> ControlPattern",
            "slider2",
            "sets the 'slider2' control",
        ),
        Builtin::control(
            "slider3",
            "Pattern Double -> ControlPattern",
            "slider3",
            "sets the 'slider3' control",
        ),
        Builtin::control(
            "slider4",
            "Pattern Double -> ControlPattern",
            "slider4",
            "sets the 'slider4' control",
        ),
        Builtin::control(
            "slider5",
            "Pattern Double -> ControlPattern",
            "slider5",
            "sets the 'slider5' control",
        ),
        Builtin::control(
            "slider6",
            "Pattern Double -> ControlPattern",
            "slider6",
            "sets the 'slider6' control",
        ),
        Builtin::control(
            "slider7",
            "Pattern Double -> ControlPattern",
            "slider7",
            "sets the 'slider7' control",
        ),
        Builtin::control(
            "slider8",
            "Pattern Double -> ControlPattern",
            "slider8",
            "sets the 'slider8' control",
        ),
        Builtin::control(
            "slider9",
            "Pattern Double -> ControlPattern",
            "slider9",
            "sets the 'slider9' control",
        ),
        Builtin::control(
            "smear",
            "Pattern Double -> ControlPattern",
            "smear",
            "sets the 'smear' control",
        ),
        Builtin::control(
            "songPtr",
            "Pattern Double -> ControlPattern",
            "songPtr",
            "sets the 'songPtr' control",
        ),
        Builtin::control(
            "speed",
            "Pattern Double -> ControlPattern",
            "speed",
            "sets the 'speed' control",
        ),
        Builtin::control(
            "squiz",
            "Pattern Double -> ControlPattern",
            "squiz",
            "sets the 'squiz' control",
        ),
        Builtin::control(
            "stepsPerOctave",
            "Pattern Double -> ControlPattern",
            "stepsPerOctave",
            "sets the 'stepsPerOctave' control",
        ),
        Builtin::control(
            "stutterdepth",
            "Pattern Double -> ControlPattern",
            "stutterdepth",
            "sets the 'stutterdepth' control",
        ),
        Builtin::control(
            "stuttertime",
            "Pattern Double -> ControlPattern",
            "stuttertime",
            "sets the 'stuttertime' control",
        ),
        Builtin::control(
            "sustain",
            "Pattern Double -> ControlPattern",
            "sustain",
            "sets the 'sustain' control",
        ),
        Builtin::control(
            "sustainpedal",
            "Pattern Double -> ControlPattern",
            "sustainpedal",
            "sets the 'sustainpedal' control",
        ),
        Builtin::control(
            "timescale",
            "Pattern Double -> ControlPattern",
            "timescale",
            "sets the 'timescale' control",
        ),
        Builtin::control(
            "timescalewin",
            "Pattern Double -> ControlPattern",
            "timescalewin",
            "sets the 'timescalewin' control",
        ),
        Builtin::control(
            "to",
            "Pattern Double -> ControlPattern",
            "to",
            "sets the 'to' control",
        ),
        Builtin::control(
            "toArg",
            "Pattern String -> ControlPattern",
            "toArg",
            "sets the 'toArg' control",
        ),
        Builtin::control(
            "tomdecay",
            "Pattern Double -> ControlPattern",
            "tomdecay",
            "sets the 'tomdecay' control",
        ),
        Builtin::control(
            "tremolodepth",
            "Pattern Double -> ControlPattern",
            "tremolodepth",
            "sets the 'tremolodepth' control",
        ),
        Builtin::control(
            "tremolorate",
            "Pattern Double -> ControlPattern",
            "tremolorate",
            "sets the 'tremolorate' control",
        ),
        Builtin::control(
            "triode",
            "Pattern Double -> ControlPattern",
            "triode",
            "sets the 'triode' control",
        ),
        Builtin::control(
            "tsdelay",
            "Pattern Double -> ControlPattern",
            "tsdelay",
            "sets the 'tsdelay' control",
        ),
        Builtin::control(
            "uid",
            "Pattern Double -> ControlPattern",
            "uid",
            "sets the 'uid' control",
        ),
        Builtin::control(
            "unit",
            "Pattern String -> ControlPattern",
            "unit",
            "sets the 'unit' control",
        ),
        Builtin::control(
            "val",
            "Pattern Double -> ControlPattern",
            "val",
            "sets the 'val' control",
        ),
        Builtin::control(
            "vcfegint",
            "Pattern Double -> ControlPattern",
            "vcfegint",
            "sets the 'vcfegint' control",
        ),
        Builtin::control(
            "vcoegint",
            "Pattern Double -> ControlPattern",
            "vcoegint",
            "sets the 'vcoegint' control",
        ),
        Builtin::control(
            "velocity",
            "Pattern Double -> ControlPattern",
            "velocity",
            "sets the 'velocity' control",
        ),
        Builtin::control(
            "voice",
            "Pattern Double -> ControlPattern",
            "voice",
            "sets the 'voice' control",
        ),
        Builtin::control(
            "vowel",
            "Pattern String -> ControlPattern",
            "vowel",
            "sets the 'vowel' control",
        ),
        Builtin::control(
            "waveloss",
            "Pattern Double -> ControlPattern",
            "waveloss",
            "sets the 'waveloss' control",
        ),
        Builtin::control(
            "xsdelay",
            "Pattern Double -> ControlPattern",
            "xsdelay",
            "sets the 'xsdelay' control",
        ),
        Builtin::control(
            "att",
            "Pattern Double -> ControlPattern",
            "attack",
            "sets the 'attack' control (alias of attack)",
        ),
        Builtin::control(
            "bpf",
            "Pattern Double -> ControlPattern",
            "bandf",
            "sets the 'bandf' control (alias of bandf)",
        ),
        Builtin::control(
            "bpq",
            "Pattern Double -> ControlPattern",
            "bandq",
            "sets the 'bandq' control (alias of bandq)",
        ),
        Builtin::control(
            "chdecay",
            "Pattern Double -> ControlPattern",
            "clhatdecay",
            "sets the 'clhatdecay' control (alias of clhatdecay)",
        ),
        Builtin::control(
            "ctf",
            "Pattern Double -> ControlPattern",
            "cutoff",
            "sets the 'cutoff' control (alias of cutoff)",
        ),
        Builtin::control(
            "ctfg",
            "Pattern Double -> ControlPattern",
            "cutoffegint",
            "sets the 'cutoffegint' control (alias of cutoffegint)",
        ),
        Builtin::control(
            "delayfb",
            "Pattern Double -> ControlPattern",
            "delayfeedback",
            "sets the 'delayfeedback' control (alias of delayfeedback)",
        ),
        Builtin::control(
            "delayt",
            "Pattern Double -> ControlPattern",
            "delaytime",
            "sets the 'delaytime' control (alias of delaytime)",
        ),
        Builtin::control(
            "det",
            "Pattern Double -> ControlPattern",
            "detune",
            "sets the 'detune' control (alias of detune)",
        ),
        Builtin::control(
            "dfb",
            "Pattern Double -> ControlPattern",
            "delayfeedback",
            "sets the 'delayfeedback' control (alias of delayfeedback)",
        ),
        Builtin::control(
            "dt",
            "Pattern Double -> ControlPattern",
            "delaytime",
            "sets the 'delaytime' control (alias of delaytime)",
        ),
        Builtin::control(
            "fadeOutTime",
            "Pattern Double -> ControlPattern",
            "fadeTime",
            "sets the 'fadeTime' control (alias of fadeTime)",
        ),
        Builtin::control(
            "gat",
            "Pattern Double -> ControlPattern",
            "gate",
            "sets the 'gate' control (alias of gate)",
        ),
        Builtin::control(
            "hg",
            "Pattern Double -> ControlPattern",
            "hatgrain",
            "sets the 'hatgrain' control (alias of hatgrain)",
        ),
        Builtin::control(
            "hpf",
            "Pattern Double -> ControlPattern",
            "hcutoff",
            "sets the 'hcutoff' control (alias of hcutoff)",
        ),
        Builtin::control(
            "hpq",
            "Pattern Double -> ControlPattern",
            "hresonance",
            "sets the 'hresonance' control (alias of hresonance)",
        ),
        Builtin::control(
            "lag",
            "Pattern Double -> ControlPattern",
            "lagogo",
            "sets the 'lagogo' control (alias of lagogo)",
        ),
        Builtin::control(
            "lbd",
            "Pattern Double -> ControlPattern",
            "lkick",
            "sets the 'lkick' control (alias of lkick)",
        ),
        Builtin::control(
            "lch",
            "Pattern Double -> ControlPattern",
            "lclhat",
            "sets the 'lclhat' control (alias of lclhat)",
        ),
        Builtin::control(
            "lcl",
            "Pattern Double -> ControlPattern",
            "lclaves",
            "sets the 'lclaves' control (alias of lclaves)",
        ),
        Builtin::control(
            "lcp",
            "Pattern Double -> ControlPattern",
            "lclap",
            "sets the 'lclap' control (alias of lclap)",
        ),
        Builtin::control(
            "lcr",
            "Pattern Double -> ControlPattern",
            "lcrash",
            "sets the 'lcrash' control (alias of lcrash)",
        ),
        Builtin::control(
            "lfoc",
            "Pattern Double -> ControlPattern",
            "lfocutoffint",
            "sets the 'lfocutoffint' control (alias of lfocutoffint)",
        ),
        Builtin::control(
            "lfoi",
            "Pattern Double -> ControlPattern",
            "lfoint",
            "sets the 'lfoint' control (alias of lfoint)",
        ),
        Builtin::control(
            "lfop",
            "Pattern Double -> ControlPattern",
            "lfopitchint",
            "sets the 'lfopitchint' control (alias of lfopitchint)",
        ),
        Builtin::control(
            "lht",
            "Pattern Double -> ControlPattern",
            "lhitom",
            "sets the 'lhitom' control (alias of lhitom)",
        ),
        Builtin::control(
            "llt",
            "Pattern Double -> ControlPattern",
            "llotom",
            "sets the 'llotom' control (alias of llotom)",
        ),
        Builtin::control(
            "loh",
            "Pattern Double -> ControlPattern",
            "lophat",
            "sets the 'lophat' control (alias of lophat)",
        ),
        Builtin::control(
            "lpf",
            "Pattern Double -> ControlPattern",
            "cutoff",
            "sets the 'cutoff' control (alias of cutoff)",
        ),
        Builtin::control(
            "lpq",
            "Pattern Double -> ControlPattern",
            "resonance",
            "sets the 'resonance' control (alias of resonance)",
        ),
        Builtin::control(
            "lsn",
            "Pattern Double -> ControlPattern",
            "lsnare",
            "sets the 'lsnare' control (alias of lsnare)",
        ),
        Builtin::control(
            "number",
            "Pattern Note -> ControlPattern",
            "n",
            "sets the 'n' control (alias of n)",
        ),
        Builtin::control(
            "ohdecay",
            "Pattern Double -> ControlPattern",
            "ophatdecay",
            "sets the 'ophatdecay' control (alias of ophatdecay)",
        ),
        Builtin::control(
            "phasdp",
            "Pattern Double -> ControlPattern",
            "phaserdepth",
            "sets the 'phaserdepth' control (alias of phaserdepth)",
        ),
        Builtin::control(
            "phasr",
            "Pattern Double -> ControlPattern",
            "phaserrate",
            "sets the 'phaserrate' control (alias of phaserrate)",
        ),
        Builtin::control(
            "pit1",
            "Pattern Double -> ControlPattern",
            "pitch1",
            "sets the 'pitch1' control (alias of pitch1)",
        ),
        Builtin::control(
            "pit2",
            "Pattern Double -> ControlPattern",
            "pitch2",
            "sets the 'pitch2' control (alias of pitch2)",
        ),
        Builtin::control(
            "pit3",
            "Pattern Double -> ControlPattern",
            "pitch3",
            "sets the 'pitch3' control (alias of pitch3)",
        ),
        Builtin::control(
            "por",
            "Pattern Double -> ControlPattern",
            "portamento",
            "sets the 'portamento' control (alias of portamento)",
        ),
        Builtin::control(
            "rel",
            "Pattern Double -> ControlPattern",
            "release",
            "sets the 'release' control (alias of release)",
        ),
        Builtin::control(
            "sag",
            "Pattern Double -> ControlPattern",
            "sagogo",
            "sets the 'sagogo' control (alias of sagogo)",
        ),
        Builtin::control(
            "scl",
            "Pattern Double -> ControlPattern",
            "sclaves",
            "sets the 'sclaves' control (alias of sclaves)",
        ),
        Builtin::control(
            "scp",
            "Pattern Double -> ControlPattern",
            "sclap",
            "sets the 'sclap' control (alias of sclap)",
        ),
        Builtin::control(
            "scr",
            "Pattern Double -> ControlPattern",
            "scrash",
            "sets the 'scrash' control (alias of scrash)",
        ),
        Builtin::control(
            "sld",
            "Pattern Double -> ControlPattern",
            "slide",
            "sets the 'slide' control (alias of slide)",
        ),
        Builtin::control(
            "std",
            "Pattern Double -> ControlPattern",
            "stutterdepth",
            "sets the 'stutterdepth' control (alias of stutterdepth)",
        ),
        Builtin::control(
            "stt",
            "Pattern Double -> ControlPattern",
            "stuttertime",
            "sets the 'stuttertime' control (alias of stuttertime)",
        ),
        Builtin::control(
            "sus",
            "Pattern Double -> ControlPattern",
            "sustain",
            "sets the 'sustain' control (alias of sustain)",
        ),
        Builtin::control(
            "sz",
            "Pattern Double -> ControlPattern",
            "size",
            "sets the 'size' control (alias of size)",
        ),
        Builtin::control(
            "tdecay",
            "Pattern Double -> ControlPattern",
            "tomdecay",
            "sets the 'tomdecay' control (alias of tomdecay)",
        ),
        Builtin::control(
            "tremdp",
            "Pattern Double -> ControlPattern",
            "tremolodepth",
            "sets the 'tremolodepth' control (alias of tremolodepth)",
        ),
        Builtin::control(
            "tremr",
            "Pattern Double -> ControlPattern",
            "tremolorate",
            "sets the 'tremolorate' control (alias of tremolorate)",
        ),
        Builtin::control(
            "up",
            "Pattern Note -> ControlPattern",
            "note",
            "sets the 'note' control (alias of note)",
        ),
        Builtin::control(
            "vcf",
            "Pattern Double -> ControlPattern",
            "vcfegint",
            "sets the 'vcfegint' control (alias of vcfegint)",
        ),
        Builtin::control(
            "vco",
            "Pattern Double -> ControlPattern",
            "vcoegint",
            "sets the 'vcoegint' control (alias of vcoegint)",
        ),
        Builtin::control(
            "voi",
            "Pattern Double -> ControlPattern",
            "voice",
            "sets the 'voice' control (alias of voice)",
        ),
    ]
}
