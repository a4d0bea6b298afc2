//! Tempo arguments (`setcps 0.75`, `setcps (120/60/4)`, `setbpm 135`) read
//! as exact fractions: numbers, `+ - * /` and parentheses.

use pattern_lang::Time;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TempoError {
    #[error("expected a number or an arithmetic expression like (120/60/4)")]
    NotArithmetic,
    #[error("the tempo must be positive")]
    NotPositive,
    #[error("the tempo is too extreme to compute with")]
    Overflow,
}

/// Reads an exact, positive tempo.
pub fn parse_tempo(src: &str) -> Result<Time, TempoError> {
    let mut p = Parser {
        s: src.as_bytes(),
        i: 0,
        depth: 0,
    };
    let v = p.sum()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(TempoError::NotArithmetic);
    }
    if v.is_negative() || v.is_zero() {
        return Err(TempoError::NotPositive);
    }
    Ok(v)
}

/// `setbpm b` is `setcps (b/60/4)`: four beats per cycle.
pub fn bpm_to_cps(bpm: Time) -> Result<Time, TempoError> {
    bpm.checked_div(Time::int(240))
        .map_err(|_| TempoError::Overflow)
}

/// Parentheses nested deeper than this are refused (the parser recurses).
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn sum(&mut self) -> Result<Time, TempoError> {
        let mut v = self.product()?;
        while let Some(op @ (b'+' | b'-')) = self.peek() {
            self.i += 1;
            let r = self.product()?;
            v = if op == b'+' {
                v.checked_add(r)
            } else {
                v.checked_sub(r)
            }
            .map_err(|_| TempoError::Overflow)?;
        }
        Ok(v)
    }

    fn product(&mut self) -> Result<Time, TempoError> {
        let mut v = self.unary()?;
        while let Some(op @ (b'*' | b'/')) = self.peek() {
            self.i += 1;
            let r = self.unary()?;
            v = if op == b'*' {
                v.checked_mul(r).map_err(|_| TempoError::Overflow)?
            } else if r.is_zero() {
                return Err(TempoError::NotPositive);
            } else {
                v.checked_div(r).map_err(|_| TempoError::Overflow)?
            };
        }
        Ok(v)
    }

    fn unary(&mut self) -> Result<Time, TempoError> {
        // Signs in a loop, not by recursion: `------1` cannot run out of stack.
        let mut negative = false;
        while self.peek() == Some(b'-') {
            self.i += 1;
            negative = !negative;
        }
        let v = self.unsigned()?;
        Ok(if negative { -v } else { v })
    }

    fn unsigned(&mut self) -> Result<Time, TempoError> {
        match self.peek() {
            Some(b'(') if self.depth >= MAX_DEPTH => Err(TempoError::NotArithmetic),
            Some(b'(') => {
                self.i += 1;
                self.depth += 1;
                let v = self.sum()?;
                self.depth -= 1;
                if self.peek() != Some(b')') {
                    return Err(TempoError::NotArithmetic);
                }
                self.i += 1;
                Ok(v)
            }
            Some(c) if c.is_ascii_digit() => {
                let start = self.i;
                while self.i < self.s.len()
                    && (self.s[self.i].is_ascii_digit() || self.s[self.i] == b'.')
                {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.i])
                    .map_err(|_| TempoError::NotArithmetic)?;
                Time::from_decimal(text).ok_or(TempoError::NotArithmetic)
            }
            _ => Err(TempoError::NotArithmetic),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_tempos() {
        assert_eq!(parse_tempo("0.75").unwrap(), Time::new(3, 4).unwrap());
        assert_eq!(parse_tempo("(120/60/4)").unwrap(), Time::new(1, 2).unwrap());
        assert_eq!(
            parse_tempo(" 135 / 240 ").unwrap(),
            Time::new(9, 16).unwrap()
        );
        assert_eq!(
            bpm_to_cps(parse_tempo("135").unwrap()).unwrap(),
            Time::new(9, 16).unwrap()
        );
        assert!(parse_tempo("0").is_err());
        assert!(parse_tempo("-1").is_err());
        assert!(parse_tempo("1/0").is_err());
        assert!(parse_tempo("fast").is_err());
        assert!(parse_tempo("(1").is_err());
        assert_eq!(parse_tempo("--1").unwrap(), Time::int(1));
    }

    #[test]
    fn deep_input_is_refused_not_a_stack_overflow() {
        let minus = format!("{}1", "-".repeat(999_999));
        assert_eq!(parse_tempo(&minus), Err(TempoError::NotPositive));
        let parens = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(parse_tempo(&parens), Err(TempoError::NotArithmetic));
        let ok = format!("{}1{}", "(".repeat(64), ")".repeat(64));
        assert_eq!(parse_tempo(&ok).unwrap(), Time::int(1));
    }
}
