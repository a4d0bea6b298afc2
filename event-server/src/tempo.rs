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

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
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
        match self.peek() {
            Some(b'-') => {
                self.i += 1;
                Ok(-self.unary()?)
            }
            Some(b'(') => {
                self.i += 1;
                let v = self.sum()?;
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
    }
}
