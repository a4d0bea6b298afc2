//! Diffing two state layouts by path, node type and size into copy instructions run at the swap.

use crate::program::{Migration, Program, StateCopy};

/// What a migration keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kept {
    pub kept: usize,
    pub nodes: usize,
}

/// Whether a node type is a delay line (its state is a ring kept by its newest samples),
/// read from the builtin table so that a new delay node needs no change here.
fn is_delay(kind: &str) -> bool {
    super::builtins::lookup(kind).is_some_and(|b| matches!(b.kind, super::builtins::Kind::Delay(_)))
}

/// The old path a new node takes its state from: its own, or through a `let NEW was OLD` rename.
fn old_path(path: &str, renames: &[(String, String)]) -> String {
    for (new, old) in renames {
        if path == new {
            return old.clone();
        }
        if let Some(rest) = path.strip_prefix(new.as_str()) {
            if rest.starts_with('.') {
                return format!("{old}{rest}");
            }
        }
    }
    path.to_string()
}

/// Plans how state moves from `old` to `new`: unchanged nodes (same path, type and size) are
/// copied, a delay line of another length keeps its newest samples, the rest start fresh.
pub fn plan(old: &Program, new: &Program, renames: &[(String, String)]) -> (Migration, Kept) {
    let mut copies = Vec::new();
    for slot in &new.layout {
        let from = old_path(&slot.path, renames);
        let Some(o) = old
            .layout
            .iter()
            .find(|o| o.path == from && o.kind == slot.kind)
        else {
            continue;
        };
        if o.size == slot.size {
            copies.push(StateCopy::Plain {
                from: o.offset,
                to: slot.offset,
                len: slot.size,
            });
        } else if is_delay(slot.kind) {
            copies.push(StateCopy::Ring {
                from: o.offset,
                old_len: o.size,
                to: slot.offset,
                new_len: slot.size,
            });
        }
    }
    let param_map = new
        .params
        .iter()
        .map(|p| {
            old.params
                .iter()
                .position(|q| q.name == p.name)
                .map(|i| i as u16)
        })
        .collect();
    let kept = Kept {
        kept: copies.len(),
        nodes: new.layout.len(),
    };
    (
        Migration {
            from_generation: old.generation,
            param_map,
            copies,
        },
        kept,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voicelang::compile_text;

    fn program(text: &str) -> (Program, Vec<(String, String)>) {
        compile_text("t.voice", text, 48000.0).unwrap()
    }

    #[test]
    fn constant_edits_keep_everything_and_structural_edits_keep_unchanged_nodes() {
        let (a, _) = program("voice t\nparam freq = 440\nlet osc = saw(freq)\nlet f = rlpf(osc, 800, 0.3)\nlet e = perc(0.01, 1)\nout f * e\n");
        let (b, _) = program("voice t\nparam freq = 440\nlet osc = saw(freq)\nlet f = rlpf(osc, 1600, 0.2)\nlet e = perc(0.01, 1)\nout f * e\n");
        let (m, k) = plan(&a, &b, &[]);
        assert_eq!(k, Kept { kept: 3, nodes: 3 });
        assert_eq!(m.copies.len(), 3);
        let (c, _) = program("voice t\nparam freq = 440\nlet osc = saw(freq)\nlet sub = sine(freq / 2)\nlet f = ladder(osc + sub, 800)\nlet e = perc(0.01, 1)\nout f * e\n");
        let (_, k) = plan(&a, &c, &[]);
        assert_eq!(k, Kept { kept: 2, nodes: 4 });
    }

    #[test]
    fn limits_and_misuse_are_errors_with_positions() {
        let many: String = (0..32).map(|i| format!("param p{i} = 1\n")).collect();
        let e = compile_text("t.voice", &format!("voice t\n{many}out p0\n"), 48000.0).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t.voice:33:1: at most 31 parameters"),
            "{e}"
        );
        let e = compile_text(
            "t.voice",
            "voice t\nlet x = delay(saw(440), 0.1, max: 100)\nout x\n",
            48000.0,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("t.voice:2:9: more than 65536 state values"),
            "{e}"
        );
        // a second of echo inside a voice fits
        let one_second = "voice t\nlet x = delay(saw(440), 0.5, max: 1)\nout x\n";
        assert!(compile_text("t.voice", one_second, 48000.0).is_ok());
        let e = compile_text("t.voice", "voice t\nout input()\n", 48000.0).unwrap_err();
        assert!(
            e.to_string().contains("only available in an `effect`"),
            "{e}"
        );
        let e = compile_text("t.voice", "voice t\nout play(1)\n", 48000.0).unwrap_err();
        assert!(e.to_string().contains("needs a `sample BANK`"), "{e}");
        let e = compile_text(
            "t.voice",
            "voice t\nparam f = 1\nout perc(0.1, saw(f))\n",
            48000.0,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("t.voice:3:5: the arguments of `perc` must be parameters or constants"),
            "{e}"
        );
        let e = compile_text("t.voice", "voice t\nout sawz(1)\n", 48000.0).unwrap_err();
        assert_eq!(e.to_string(), "t.voice:2:5: unknown function `sawz`");
    }

    #[test]
    fn renames_and_grown_delays_keep_state() {
        let (a, _) =
            program("voice t\nlet osc = saw(440)\nlet d = comb(osc, 0.01, 1, max: 0.02)\nout d\n");
        let (b, r) = program(
            "voice t\nlet tone was osc = saw(440)\nlet d = comb(tone, 0.01, 1, max: 0.04)\nout d\n",
        );
        let (m, k) = plan(&a, &b, &r);
        assert_eq!(k.kept, 2);
        assert!(m.copies.iter().any(|c| matches!(c, StateCopy::Ring { .. })));
    }
}
