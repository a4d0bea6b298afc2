//! Controls: one row per control (its name, value type, aliases and doc),
//! with Tidal's names and value types; each becomes a builtin from a pattern
//! of values to a pattern of named controls (`speed "1 2"`).

use std::borrow::Cow;

use super::{Builtin, Call, Run};
use crate::core::controls::sound;
use crate::lang::error::LangError;
use crate::lang::runtime::Val;

/// The value type a control takes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Double,
    Int,
    Note,
    String,
}
use Kind::{Double as D, Int as I, Note as N, String as S};

impl Kind {
    /// The builtin's signature.
    pub fn signature(self) -> &'static str {
        match self {
            D => "Pattern Double -> ControlPattern",
            I => "Pattern Int -> ControlPattern",
            N => "Pattern Note -> ControlPattern",
            S => "Pattern String -> ControlPattern",
        }
    }
}

/// One control: the name it is sent under, the function name when that
/// differs (Tidal's `nrpnn` sends `nrpn`), other names for the same control,
/// and a doc when the generated one ("sets the 'x' control") will not do.
pub struct Control {
    pub key: &'static str,
    pub name: &'static str,
    pub kind: Kind,
    pub aliases: &'static [&'static str],
    pub doc: Option<&'static str>,
}

impl Control {
    const fn new(key: &'static str, kind: Kind) -> Control {
        Control {
            key,
            name: key,
            kind,
            aliases: &[],
            doc: None,
        }
    }

    const fn named(self, name: &'static str) -> Control {
        Control { name, ..self }
    }

    const fn aliases(self, aliases: &'static [&'static str]) -> Control {
        Control { aliases, ..self }
    }

    /// The builtin `name` sending this control.
    fn builtin(&self, name: &'static str, doc: Cow<'static, str>) -> Builtin {
        let example = Cow::Owned(example(name, self.kind));
        Builtin::with(
            name,
            self.kind.signature(),
            doc,
            example,
            Run::Control(self.key),
        )
    }

    /// Pushes the builtins of this row: each alias, then the control under
    /// its name.
    fn push_builtins(&self, out: &mut Vec<Builtin>) {
        let doc = match self.doc {
            Some(d) => Cow::Borrowed(d),
            None => Cow::Owned(["sets the '", self.key, "' control"].concat()),
        };
        for alias in self.aliases {
            let alias_doc = [&*doc, " (alias of ", self.key, ")"].concat();
            out.push(self.builtin(alias, Cow::Owned(alias_doc)));
        }
        out.push(self.builtin(self.name, doc));
    }
}

/// An example for a control, from its value type.
fn example(name: &str, kind: Kind) -> String {
    let value = match (kind, name) {
        (Kind::String, "vowel") => "\"a e\"",
        (Kind::String, "unit") => "\"c\"",
        (Kind::String, _) => "\"x\"",
        (Kind::Int, _) => "\"1 2\"",
        _ => "\"0.25 0.5\"",
    };
    ["s \"bd*2\" # ", name, " ", value].concat()
}

/// Every control with Tidal's value type, by the name it is sent under.
pub const CONTROLS: &[Control] = &[
    Control::new("accelerate", D),
    Control::new("amp", D),
    Control::new("attack", D).aliases(&["att"]),
    Control::new("bandf", D).aliases(&["bpf"]),
    Control::new("bandq", D).aliases(&["bpq"]),
    Control::new("begin", D),
    Control::new("binshift", D),
    Control::new("button0", D),
    Control::new("button1", D),
    Control::new("button10", D),
    Control::new("button11", D),
    Control::new("button12", D),
    Control::new("button13", D),
    Control::new("button14", D),
    Control::new("button15", D),
    Control::new("button2", D),
    Control::new("button3", D),
    Control::new("button4", D),
    Control::new("button5", D),
    Control::new("button6", D),
    Control::new("button7", D),
    Control::new("button8", D),
    Control::new("button9", D),
    Control::new("ccn", D),
    Control::new("ccv", D),
    Control::new("channel", I),
    Control::new("clhatdecay", D).aliases(&["chdecay"]),
    Control::new("coarse", D),
    Control::new("comb", D),
    Control::new("control", D),
    Control::new("cps", D),
    Control::new("crush", D),
    Control::new("ctlNum", D),
    Control::new("ctranspose", D),
    Control::new("cut", I),
    Control::new("cutoff", D).aliases(&["ctf", "lpf"]),
    Control::new("cutoffegint", D).aliases(&["ctfg"]),
    Control::new("decay", D),
    Control::new("degree", D),
    Control::new("delay", D),
    Control::new("delayfeedback", D).aliases(&["delayfb", "dfb"]),
    Control::new("delaytime", D).aliases(&["delayt", "dt"]),
    Control::new("detune", D).aliases(&["det"]),
    Control::new("distort", D),
    Control::new("djf", D),
    Control::new("dry", D),
    Control::new("dur", D),
    Control::new("end", D),
    Control::new("enhance", D),
    Control::new("expression", D),
    Control::new("fadeInTime", D),
    Control::new("fadeTime", D).aliases(&["fadeOutTime"]),
    Control::new("frameRate", D),
    Control::new("frames", D),
    Control::new("freeze", D),
    Control::new("freq", D),
    Control::new("from", D),
    Control::new("fshift", D),
    Control::new("fshiftnote", D),
    Control::new("fshiftphase", D),
    Control::new("gain", D),
    Control::new("gate", D).aliases(&["gat"]),
    Control::new("harmonic", D),
    Control::new("hatgrain", D).aliases(&["hg"]),
    Control::new("hbrick", D),
    Control::new("hcutoff", D).aliases(&["hpf"]),
    Control::new("hold", D),
    Control::new("hours", D),
    Control::new("hresonance", D).aliases(&["hpq"]),
    Control::new("imag", D),
    Control::new("kcutoff", D),
    Control::new("krush", D),
    Control::new("lagogo", D).aliases(&["lag"]),
    Control::new("lbrick", D),
    Control::new("lclap", D).aliases(&["lcp"]),
    Control::new("lclaves", D).aliases(&["lcl"]),
    Control::new("lclhat", D).aliases(&["lch"]),
    Control::new("lcrash", D).aliases(&["lcr"]),
    Control::new("legato", D),
    Control::new("leslie", D),
    Control::new("lfo", D),
    Control::new("lfocutoffint", D).aliases(&["lfoc"]),
    Control::new("lfodelay", D),
    Control::new("lfoint", D).aliases(&["lfoi"]),
    Control::new("lfopitchint", D).aliases(&["lfop"]),
    Control::new("lfoshape", D),
    Control::new("lfosync", D),
    Control::new("lhitom", D).aliases(&["lht"]),
    Control::new("lkick", D).aliases(&["lbd"]),
    Control::new("llotom", D).aliases(&["llt"]),
    Control::new("lock", D),
    Control::new("loop", D),
    Control::new("lophat", D).aliases(&["loh"]),
    Control::new("lrate", D),
    Control::new("lsize", D),
    Control::new("lsnare", D).aliases(&["lsn"]),
    Control::new("midibend", D),
    Control::new("midichan", D),
    Control::new("midicmd", S),
    Control::new("miditouch", D),
    Control::new("minutes", D),
    Control::new("modwheel", D),
    Control::new("mtranspose", D),
    Control::new("n", N).aliases(&["number"]),
    Control::new("note", N).aliases(&["up"]),
    Control::new("nrpn", I).named("nrpnn"),
    Control::new("nudge", D),
    Control::new("octave", I),
    Control::new("octaveR", D),
    Control::new("octer", D),
    Control::new("octersub", D),
    Control::new("octersubsub", D),
    Control::new("offset", D),
    Control::new("ophatdecay", D).aliases(&["ohdecay"]),
    Control::new("orbit", I),
    Control::new("overgain", D),
    Control::new("overshape", D),
    Control::new("pan", D),
    Control::new("panorient", D),
    Control::new("panspan", D),
    Control::new("pansplay", D),
    Control::new("panwidth", D),
    Control::new("partials", D),
    Control::new("phaserdepth", D).aliases(&["phasdp"]),
    Control::new("phaserrate", D).aliases(&["phasr"]),
    Control::new("pitch1", D).aliases(&["pit1"]),
    Control::new("pitch2", D).aliases(&["pit2"]),
    Control::new("pitch3", D).aliases(&["pit3"]),
    Control::new("polyTouch", D),
    Control::new("portamento", D).aliases(&["por"]),
    Control::new("progNum", D),
    Control::new("rate", D),
    Control::new("real", D),
    Control::new("release", D).aliases(&["rel"]),
    Control::new("resonance", D).aliases(&["lpq"]),
    Control::new("ring", D),
    Control::new("ringdf", D),
    Control::new("ringf", D),
    Control::new("room", D),
    Control::new("sagogo", D).aliases(&["sag"]),
    Control::new("sclap", D).aliases(&["scp"]),
    Control::new("sclaves", D).aliases(&["scl"]),
    Control::new("scram", D),
    Control::new("scrash", D).aliases(&["scr"]),
    Control::new("seconds", D),
    Control::new("semitone", D),
    Control::new("shape", D),
    Control::new("size", D).aliases(&["sz"]),
    Control::new("slide", D).aliases(&["sld"]),
    Control::new("slider0", D),
    Control::new("slider1", D),
    Control::new("slider10", D),
    Control::new("slider11", D),
    Control::new("slider12", D),
    Control::new("slider13", D),
    Control::new("slider14", D),
    Control::new("slider15", D),
    Control::new("slider2", D),
    Control::new("slider3", D),
    Control::new("slider4", D),
    Control::new("slider5", D),
    Control::new("slider6", D),
    Control::new("slider7", D),
    Control::new("slider8", D),
    Control::new("slider9", D),
    Control::new("smear", D),
    Control::new("songPtr", D),
    Control::new("speed", D),
    Control::new("squiz", D),
    Control::new("stepsPerOctave", D),
    Control::new("stutterdepth", D).aliases(&["std"]),
    Control::new("stuttertime", D).aliases(&["stt"]),
    Control::new("sustain", D).aliases(&["sus"]),
    Control::new("sustainpedal", D),
    Control::new("timescale", D),
    Control::new("timescalewin", D),
    Control::new("to", D),
    Control::new("toArg", S),
    Control::new("tomdecay", D).aliases(&["tdecay"]),
    Control::new("tremolodepth", D).aliases(&["tremdp"]),
    Control::new("tremolorate", D).aliases(&["tremr"]),
    Control::new("triode", D),
    Control::new("tsdelay", D),
    Control::new("uid", D),
    Control::new("unit", S),
    Control::new("val", D),
    Control::new("val", I).named("nrpnv"),
    Control::new("vcfegint", D).aliases(&["vcf"]),
    Control::new("vcoegint", D).aliases(&["vco"]),
    Control::new("velocity", D),
    Control::new("voice", D).aliases(&["voi"]),
    Control::new("vowel", S),
    Control::new("waveloss", D),
    Control::new("xsdelay", D),
];

fn run_sound(c: &Call) -> Result<Val, LangError> {
    Ok(Val::Pat(sound(&c.pat(0)?)))
}

/// The control builtins: `s`/`sound`, then every row of the table.
pub fn builtins() -> Vec<Builtin> {
    let mut v = vec![
        Builtin::new(
            "s",
            "Pattern String -> ControlPattern",
            "the sample or synth to play; \"bd:3\" also sets n",
            "s \"bd*2 sn:1\"",
            run_sound,
        ),
        Builtin::new(
            "sound",
            "Pattern String -> ControlPattern",
            "the sample or synth to play (same as s)",
            "sound \"bd sn\"",
            run_sound,
        ),
    ];
    for control in CONTROLS {
        control.push_builtins(&mut v);
    }
    v
}
