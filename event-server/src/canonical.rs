//! Events as canonical JSON lines: exact rationals, floats rounded to nine
//! significant digits and printed as Python prints them, events in a fixed
//! order. This is the contract `event-server query` is compared on.

use std::fmt::Write;

use pattern_lang::{Event, Time, Value};

/// A JSON string literal, with non-ASCII escaped (as Python's `json.dumps`).
pub fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{:04x}", unit);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A float as Python prints `float('%.9g' % x)`.
pub fn float(x: f64, out: &mut String) {
    if x.is_nan() {
        out.push_str("NaN");
        return;
    }
    if x.is_infinite() {
        out.push_str(if x > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    let rounded: f64 = format!("{x:.8e}").parse().unwrap_or(x);
    python_repr(rounded, out);
}

/// Python's `repr` of a float: shortest round-trip digits, fixed notation
/// for exponents from -4 to 15, otherwise `d.ddde+XX`.
pub fn python_repr(x: f64, out: &mut String) {
    if x == 0.0 {
        out.push_str(if x.is_sign_negative() { "-0.0" } else { "0.0" });
        return;
    }
    let sci = format!("{x:e}"); // e.g. "-1.5e16", "3.33e-1"
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    if negative {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        if exp < 0 {
            out.push_str("0.");
            for _ in 0..(-exp - 1) {
                out.push('0');
            }
            out.push_str(&digits);
        } else {
            let point = exp as usize + 1;
            if digits.len() <= point {
                out.push_str(&digits);
                for _ in digits.len()..point {
                    out.push('0');
                }
                out.push_str(".0");
            } else {
                out.push_str(&digits[..point]);
                out.push('.');
                out.push_str(&digits[point..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
}

/// A value: controls as an object with sorted keys, numbers with Tidal's
/// types (floats for `VF`/`VN`/`VR`, integers for `VI`).
pub fn value(v: &Value, out: &mut String) {
    match v {
        Value::S(s) => json_string(s, out),
        Value::F(x) | Value::N(x) => float(*x, out),
        Value::R(r) => float(r.to_f64(), out),
        Value::I(i) => {
            let _ = write!(out, "{i}");
        }
        Value::B(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Map(m) => {
            out.push('{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(k, out);
                out.push(':');
                value(v, out);
            }
            out.push('}');
        }
    }
}

fn time(t: Time, out: &mut String) {
    let _ = write!(out, "\"{}/{}\"", t.numer(), t.denom());
}

/// All events as a JSON array, sorted as the conformance files are.
pub fn events(events: &[Event<Value>], out: &mut String) {
    let mut rows: Vec<(&Event<Value>, String)> = events
        .iter()
        .map(|e| {
            let mut v = String::new();
            value(&e.value, &mut v);
            (e, v)
        })
        .collect();
    rows.sort_by(|(a, va), (b, vb)| {
        a.part
            .begin
            .cmp(&b.part.begin)
            .then(a.part.end.cmp(&b.part.end))
            .then(a.whole.map(|w| w.begin).cmp(&b.whole.map(|w| w.begin)))
            .then(va.cmp(vb))
            .then(a.whole.map(|w| w.end).cmp(&b.whole.map(|w| w.end)))
    });
    out.push('[');
    for (i, (e, v)) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"whole\":");
        match e.whole {
            None => out.push_str("null"),
            Some(w) => {
                out.push('[');
                time(w.begin, out);
                out.push(',');
                time(w.end, out);
                out.push(']');
            }
        }
        out.push_str(",\"part\":[");
        time(e.part.begin, out);
        out.push(',');
        time(e.part.end, out);
        out.push_str("],\"value\":");
        out.push_str(v);
        out.push('}');
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(x: f64) -> String {
        let mut s = String::new();
        float(x, &mut s);
        s
    }

    #[test]
    fn floats_print_as_python() {
        assert_eq!(f(1.0), "1.0");
        assert_eq!(f(1.0 / 3.0), "0.333333333");
        assert_eq!(f(1e-5), "1e-05");
        assert_eq!(f(1.5e16), "1.5e+16");
        assert_eq!(f(0.0001), "0.0001");
        assert_eq!(f(100.0), "100.0");
        assert_eq!(f(-0.5), "-0.5");
        assert_eq!(f(123456789012.0), "123456789000.0");
        assert_eq!(f(0.44444418), "0.44444418");
    }

    #[test]
    fn strings_escape_like_python() {
        let mut s = String::new();
        json_string("a\"b\\é\n", &mut s);
        assert_eq!(s, "\"a\\\"b\\\\\\u00e9\\n\"");
    }
}
