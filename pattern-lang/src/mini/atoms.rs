//! What a mini-notation word means for each pattern type: sample names,
//! numbers with Tidal's rational letters, note names, chords, booleans.

use super::chords::chord;
use crate::time::Time;
use crate::value::Value;

/// The type of pattern a mini-notation string is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    String,
    Double,
    Note,
    Int,
    Time,
    Bool,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::String => "String",
            Kind::Double => "Double",
            Kind::Note => "Note",
            Kind::Int => "Int",
            Kind::Time => "Time",
            Kind::Bool => "Bool",
        }
    }
}

/// A word read as one value, or as the notes of a chord.
#[derive(Debug, Clone, PartialEq)]
pub enum Atom {
    One(Value),
    Chord(Vec<Value>),
}

/// Where in the word reading failed, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct AtomError {
    pub offset: usize,
    pub message: String,
}

fn err<T>(offset: usize, message: impl Into<String>) -> Result<T, AtomError> {
    Err(AtomError {
        offset,
        message: message.into(),
    })
}

/// A cursor over a word.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }
    fn peek2(&self) -> Option<char> {
        self.text[self.at..].chars().nth(1)
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }
    fn digits(&mut self) -> &'a str {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        &self.text[start..self.at]
    }
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }
    fn done(&self) -> bool {
        self.at >= self.text.len()
    }
}

fn sign(c: &mut Cursor) -> f64 {
    if c.eat('-') {
        -1.0
    } else {
        c.eat('+');
        1.0
    }
}

/// An integer or a float (`1`, `1.5`, `1e3`, `2.5e-2`), as Haskell reads them.
fn int_or_float(c: &mut Cursor) -> Option<(f64, bool)> {
    let start = c.at;
    if c.digits().is_empty() {
        c.at = start;
        return None;
    }
    let int_end = c.at;
    let mut is_float = false;
    if c.peek() == Some('.') && c.peek2().is_some_and(|d| d.is_ascii_digit()) {
        c.at += 1;
        c.digits();
        is_float = true;
    }
    let before_exp = c.at;
    if matches!(c.peek(), Some('e' | 'E')) {
        c.at += 1;
        if matches!(c.peek(), Some('-' | '+')) {
            c.at += 1;
        }
        if c.digits().is_empty() {
            c.at = before_exp;
        } else {
            is_float = true;
        }
    }
    if !is_float {
        c.at = int_end;
    }
    c.text[start..c.at]
        .parse::<f64>()
        .ok()
        .map(|v| (v, !is_float))
}

fn ratio_letter(ch: char) -> Option<Time> {
    let (n, d) = match ch {
        'w' => (1, 1),
        'h' => (1, 2),
        'q' => (1, 4),
        'e' => (1, 8),
        's' => (1, 16),
        't' => (1, 3),
        'f' => (1, 5),
        'x' => (1, 6),
        _ => return None,
    };
    Time::new(n, d).ok()
}

/// A rational letter, if one stands here and no letter follows it.
fn ratio_char(c: &mut Cursor) -> Option<Time> {
    let ch = c.peek()?;
    let r = ratio_letter(ch)?;
    if c.peek2().is_some_and(|n| n.is_alphabetic()) {
        return None;
    }
    c.at += ch.len_utf8();
    Some(r)
}

/// Tidal's `pRatio`: a number with an optional `%d` and rational letter, or
/// a rational letter alone.
fn ratio(c: &mut Cursor) -> Result<Option<Time>, AtomError> {
    let start = c.at;
    let s = sign(c);
    let value = if let Some((n, _)) = int_or_float(c) {
        let v = if c.eat('%') {
            let d = c.digits();
            let d: i128 = match d.parse() {
                Ok(d) if d != 0 => d,
                _ => return err(c.at, "expected a denominator after '%'"),
            };
            if n.fract() != 0.0 {
                return err(start, "fractions need an integer numerator and denominator");
            }
            Time::new(n as i128, d).map_err(|_| AtomError {
                offset: start,
                message: "number too large".into(),
            })?
        } else {
            Time::from_f64(n).map_err(|_| AtomError {
                offset: start,
                message: "number too large to use as time".into(),
            })?
        };
        match ratio_char(c) {
            Some(r) => (v * r).map_err(|_| AtomError {
                offset: start,
                message: "number too large".into(),
            })?,
            None => v,
        }
    } else if let Some(r) = ratio_char(c) {
        r
    } else {
        c.at = start;
        return Ok(None);
    };
    Ok(Some(if s < 0.0 { -value } else { value }))
}

/// A note name: `c`..`b`, modifiers `s` (sharp) `f` (flat) `n`, octave
/// (default 5): `cs5` is 1, `a4` is -3.
fn note_name(c: &mut Cursor) -> Option<f64> {
    let base = match c.peek()? {
        'c' => 0,
        'd' => 2,
        'e' => 4,
        'f' => 5,
        'g' => 7,
        'a' => 9,
        'b' => 11,
        _ => return None,
    };
    c.at += 1;
    let mut n: i64 = base;
    loop {
        match c.peek() {
            Some('s') => n += 1,
            Some('f') => n -= 1,
            Some('n') => {}
            _ => break,
        }
        c.at += 1;
    }
    let octave = c.digits();
    let octave: i64 = if octave.is_empty() {
        5
    } else {
        octave.parse().unwrap_or(5)
    };
    Some((n + (octave - 5) * 12) as f64)
}

/// `'name` and an optional `'range`/`i`/`o` modifier group: the chord's
/// intervals.
fn chord_tail(c: &mut Cursor) -> Result<Option<Vec<f64>>, AtomError> {
    if !c.eat('\'') {
        return Ok(None);
    }
    let name_start = c.at;
    while c.peek().is_some_and(|ch| ch.is_ascii_alphanumeric()) {
        c.at += 1;
    }
    let name = &c.text[name_start..c.at];
    if name.is_empty() {
        return err(name_start, "expected a chord name after '");
    }
    let base: Vec<i64> = chord(name).map(|c| c.to_vec()).unwrap_or_else(|| vec![0]);
    if !c.eat('\'') {
        return Ok(Some(base.into_iter().map(|x| x as f64).collect()));
    }
    let n = base.len();
    let count = c.digits();
    let count: usize = if count.is_empty() {
        n
    } else {
        count.parse().unwrap_or(n).min(4096)
    };
    let mut inversions = 0;
    while c.eat('i') {
        inversions += 1;
    }
    let mut open = 0;
    while c.eat('o') {
        open += 1;
    }
    let notes: Vec<i64> = (0..)
        .flat_map(|octave: i64| base.iter().map(move |x| x + 12 * octave))
        .skip(inversions)
        .take(count)
        .collect();
    let notes = if open > 0 && n > 2 && notes.len() >= 3 {
        let mut v = vec![notes[0] - 12, notes[2] - 12, notes[1]];
        v.extend(notes.iter().skip(3));
        v
    } else {
        notes
    };
    Ok(Some(notes.into_iter().map(|x| x as f64).collect()))
}

fn finish(c: &Cursor, what: &str) -> Result<(), AtomError> {
    if c.done() {
        Ok(())
    } else {
        err(c.at, format!("unexpected '{}' in {what}", c.rest()))
    }
}

fn numeric_atom(v: f64, chord: Option<Vec<f64>>, make: impl Fn(f64) -> Value) -> Atom {
    match chord {
        None => Atom::One(make(v)),
        Some(intervals) => Atom::Chord(intervals.into_iter().map(|i| make(v + i)).collect()),
    }
}

/// Reads one word as a value of the given kind.
pub fn parse_atom(text: &str, kind: Kind) -> Result<Atom, AtomError> {
    let mut c = Cursor { text, at: 0 };
    match kind {
        Kind::String => {
            let first = text.chars().next();
            if !first.is_some_and(|ch| ch.is_alphanumeric()) {
                return err(0, format!("'{text}' is not a name"));
            }
            if let Some(i) = text.find(|ch: char| !(ch.is_alphanumeric() || ":._-".contains(ch))) {
                return err(i, format!("unexpected '{}' in a name", &text[i..]));
            }
            Ok(Atom::One(Value::str(text)))
        }
        Kind::Bool => match text {
            "t" | "1" => Ok(Atom::One(Value::B(true))),
            "f" | "0" => Ok(Atom::One(Value::B(false))),
            _ => err(0, format!("'{text}' is not a boolean (t, f, 1 or 0)")),
        },
        Kind::Time => {
            let r = ratio(&mut c)?.ok_or_else(|| AtomError {
                offset: 0,
                message: format!("'{text}' is not a number"),
            })?;
            finish(&c, "a number")?;
            Ok(Atom::One(Value::R(r)))
        }
        Kind::Double => {
            if text.starts_with('\'') {
                let chord = chord_tail(&mut c)?;
                finish(&c, "a chord")?;
                return Ok(numeric_atom(0.0, chord, Value::F));
            }
            let s = sign(&mut c);
            let v = if let Some(r) = ratio(&mut c)? {
                r.to_f64()
            } else if let Some(n) = note_name(&mut c) {
                n
            } else {
                return err(c.at, format!("'{text}' is not a number"));
            };
            let chord = chord_tail(&mut c)?;
            finish(&c, "a number")?;
            Ok(numeric_atom(s * v, chord, Value::F))
        }
        Kind::Note | Kind::Int => {
            if text.starts_with('\'') {
                let chord = chord_tail(&mut c)?;
                finish(&c, "a chord")?;
                return Ok(if kind == Kind::Int {
                    numeric_atom(0.0, chord, |x| Value::I(x as i64))
                } else {
                    numeric_atom(0.0, chord, Value::N)
                });
            }
            let start = c.at;
            let s = sign(&mut c);
            let v = if let Some((n, _)) = int_or_float(&mut c) {
                n
            } else if let Some(n) = note_name(&mut c) {
                n
            } else if kind == Kind::Note {
                c.at = start;
                let r = ratio(&mut c)?.ok_or_else(|| AtomError {
                    offset: start,
                    message: format!("'{text}' is not a note"),
                })?;
                finish(&c, "a note")?;
                return Ok(Atom::One(Value::N(r.to_f64())));
            } else {
                return err(start, format!("'{text}' is not an integer"));
            };
            let v = s * v;
            if kind == Kind::Int {
                if v.fract() != 0.0 || !v.is_finite() || v.abs() > 9.0e15 {
                    return err(start, format!("'{text}' is not an integer"));
                }
                let chord = chord_tail(&mut c)?;
                finish(&c, "an integer")?;
                return Ok(numeric_atom(v, chord, |x| Value::I(x.round() as i64)));
            }
            let chord = chord_tail(&mut c)?;
            finish(&c, "a note")?;
            Ok(numeric_atom(v, chord, Value::N))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, kind: Kind) -> Value {
        match parse_atom(text, kind).unwrap() {
            Atom::One(v) => v,
            Atom::Chord(_) => panic!("chord"),
        }
    }

    #[test]
    fn numbers_and_letters() {
        assert_eq!(one("1e3", Kind::Double), Value::F(1000.0));
        assert_eq!(one("-0.5", Kind::Double), Value::F(-0.5));
        assert_eq!(one("e", Kind::Double), Value::F(0.125));
        assert_eq!(one("3q", Kind::Time), Value::R(Time::new(3, 4).unwrap()));
        assert_eq!(one("1%3", Kind::Time), Value::R(Time::new(1, 3).unwrap()));
        assert_eq!(one("e", Kind::Note), Value::N(4.0));
        assert_eq!(one("cs5", Kind::Note), Value::N(1.0));
        assert_eq!(one("bf2", Kind::Note), Value::N(-26.0));
        assert_eq!(one("fs", Kind::Double), Value::F(6.0));
        assert!(parse_atom("1.5", Kind::Int).is_err());
        assert!(parse_atom("foo", Kind::Double).is_err());
    }

    #[test]
    fn chords() {
        assert_eq!(
            parse_atom("c'maj", Kind::Note).unwrap(),
            Atom::Chord(vec![Value::N(0.0), Value::N(4.0), Value::N(7.0)])
        );
        assert_eq!(
            parse_atom("e'min'5", Kind::Note).unwrap(),
            Atom::Chord(vec![
                Value::N(4.0),
                Value::N(7.0),
                Value::N(11.0),
                Value::N(16.0),
                Value::N(19.0)
            ])
        );
    }
}
