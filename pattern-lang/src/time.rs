//! Exact musical time: a rational number of cycles whose arithmetic reports
//! overflow as an error instead of panicking or wrapping.

use std::cmp::Ordering;
use std::fmt;

/// Arithmetic on [`Time`] left the representable range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("time arithmetic overflowed (numbers too large to keep exact)")]
pub struct TimeOverflow;

/// A point in time, or a duration, in cycles: an exact reduced fraction with a
/// positive denominator.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Time {
    num: i128,
    den: i128,
}

/// Result of time arithmetic.
pub type TimeResult = Result<Time, TimeOverflow>;

/// The loop of Stein's binary gcd, for either width: `a` odd and `b`
/// nonzero on entry; `a` holds the gcd's odd part on exit.
macro_rules! stein {
    ($a:ident, $b:ident) => {
        loop {
            $b >>= $b.trailing_zeros();
            if $a > $b {
                std::mem::swap(&mut $a, &mut $b);
            }
            $b -= $a;
            if $b == 0 {
                break;
            }
        }
    };
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    if a == 0 {
        return b as i128;
    }
    if b == 0 {
        return a as i128;
    }
    if a <= u64::MAX as u128 && b <= u64::MAX as u128 {
        return gcd64(a as u64, b as u64) as i128;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    stein!(a, b);
    (a << shift) as i128
}

#[inline]
fn gcd64(mut a: u64, mut b: u64) -> u64 {
    if a == 0 || b == 0 {
        return a | b;
    }
    let shift = (a | b).trailing_zeros();
    // Musical times mostly have power-of-two denominators: then the common
    // factor is a power of two too.
    if a & (a - 1) == 0 || b & (b - 1) == 0 {
        return 1 << a.trailing_zeros().min(b.trailing_zeros());
    }
    a >>= a.trailing_zeros();
    stein!(a, b);
    a << shift
}

/// Both parts of `n / d` when each fits in 64 bits (almost every musical
/// time), so that products of two parts cannot overflow an `i128`.
#[inline]
fn small_parts(n: i128, d: i128) -> Option<(i64, i64)> {
    match (i64::try_from(n), i64::try_from(d)) {
        (Ok(n), Ok(d)) => Some((n, d)),
        _ => None,
    }
}

/// The parts of both times, when all four fit in 64 bits (the fast path).
#[inline]
fn both_small(x: Time, y: Time) -> Option<((i64, i64), (i64, i64))> {
    Some((small_parts(x.num, x.den)?, small_parts(y.num, y.den)?))
}

/// The product of two 64-bit numbers, which always fits in an `i128`.
#[inline]
fn wide_mul(a: i64, b: i64) -> i128 {
    a as i128 * b as i128
}

/// The exact quotient of `n` by `g`, a positive divisor of it.
#[inline]
fn div_exact(n: i128, g: i128) -> i128 {
    if g == 1 {
        n
    } else if g & (g - 1) == 0 {
        n >> g.trailing_zeros()
    } else if let (Ok(n), Ok(g)) = (i64::try_from(n), i64::try_from(g)) {
        (n / g) as i128
    } else {
        n / g
    }
}

/// Largest magnitude kept for numerators and denominators.
const LIMIT: i128 = 1 << 120;

impl Time {
    pub const ZERO: Time = Time { num: 0, den: 1 };
    pub const ONE: Time = Time { num: 1, den: 1 };

    /// An integer number of cycles.
    pub const fn int(n: i64) -> Time {
        Time {
            num: n as i128,
            den: 1,
        }
    }

    /// `num / den`, reduced. Fails for a zero denominator or values too large.
    pub fn new(num: i128, den: i128) -> TimeResult {
        if den == 0 {
            return Err(TimeOverflow);
        }
        if den < 0 {
            return Time::reduce(
                num.checked_neg().ok_or(TimeOverflow)?,
                den.checked_neg().ok_or(TimeOverflow)?,
            );
        }
        Time::reduce(num, den)
    }

    /// Reduces `num / den` for a positive `den`.
    #[inline]
    fn reduce(num: i128, den: i128) -> TimeResult {
        if den == 1 {
            return Time::lowest(num, 1);
        }
        // Fast path: both parts fit in 64 bits (almost every musical time).
        if let Some((n, d)) = small_parts(num, den) {
            let g = gcd64(n.unsigned_abs(), d as u64) as i128;
            return Ok(Time {
                num: div_exact(num, g),
                den: div_exact(den, g),
            });
        }
        let g = gcd(num, den);
        let (num, den) = if g > 1 {
            (num / g, den / g)
        } else {
            (num, den)
        };
        Time::lowest(num, den)
    }

    /// `num / den` already in lowest terms, if it is within the range kept.
    #[inline]
    fn lowest(num: i128, den: i128) -> TimeResult {
        if num.abs() > LIMIT || den > LIMIT {
            Err(TimeOverflow)
        } else {
            Ok(Time { num, den })
        }
    }

    /// The exact value of a finite double (as Haskell's `toRational` gives it).
    pub fn from_f64(x: f64) -> TimeResult {
        if !x.is_finite() {
            return Err(TimeOverflow);
        }
        if x == 0.0 {
            return Ok(Time::ZERO);
        }
        let bits = x.to_bits();
        let negative = bits >> 63 == 1;
        let exponent = ((bits >> 52) & 0x7ff) as i32;
        let fraction = bits & ((1u64 << 52) - 1);
        let (mantissa, exp) = if exponent == 0 {
            (fraction, -1074)
        } else {
            (fraction | (1u64 << 52), exponent - 1075)
        };
        let shift = mantissa.trailing_zeros() as i32;
        let mantissa = (mantissa >> shift) as i128;
        let exp = exp + shift;
        let signed = if negative { -mantissa } else { mantissa };
        if exp >= 0 {
            if exp > 62 {
                return Err(TimeOverflow);
            }
            let v = signed.checked_mul(1i128 << exp).ok_or(TimeOverflow)?;
            Time::new(v, 1)
        } else {
            if -exp > 126 {
                return Err(TimeOverflow);
            }
            Time::new(signed, 1i128 << (-exp))
        }
    }

    /// A decimal literal such as `0.1` taken exactly (`1/10`), as Haskell
    /// reads a numeric literal in a `Rational` position.
    pub fn from_decimal(text: &str) -> Option<Time> {
        let text = text.trim();
        let (mantissa, exp10) = match text.find(['e', 'E']) {
            Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
            None => (text, 0),
        };
        let negative = mantissa.starts_with('-');
        let mantissa = mantissa.trim_start_matches(['-', '+']);
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
            None => (mantissa, ""),
        };
        let digits = format!("{int_part}{frac_part}");
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut num: i128 = digits.parse().ok()?;
        if negative {
            num = -num;
        }
        let scale = exp10 - frac_part.len() as i32;
        if scale.abs() > 36 {
            return None;
        }
        let pow = 10i128.checked_pow(scale.unsigned_abs())?;
        if scale >= 0 {
            Time::new(num.checked_mul(pow)?, 1).ok()
        } else {
            Time::new(num, pow).ok()
        }
    }

    pub fn numer(self) -> i128 {
        self.num
    }

    pub fn denom(self) -> i128 {
        self.den
    }

    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    pub fn is_negative(self) -> bool {
        self.num < 0
    }

    pub fn is_integer(self) -> bool {
        self.den == 1
    }

    pub fn to_f64(self) -> f64 {
        if self.den == 1 {
            return self.num as f64;
        }
        // Divide with care for large values: correctly rounded enough for
        // values whose parts fit f64 mantissas, which covers musical times.
        self.num as f64 / self.den as f64
    }

    /// The start of the cycle this time falls in (Tidal's `sam`).
    pub fn sam(self) -> Time {
        Time {
            num: self.floor_int(),
            den: 1,
        }
    }

    /// `floor` as an integer.
    #[inline]
    pub fn floor_int(self) -> i128 {
        if self.den == 1 {
            return self.num;
        }
        if let (Ok(n), Ok(d)) = (i64::try_from(self.num), i64::try_from(self.den)) {
            return n.div_euclid(d) as i128;
        }
        self.num.div_euclid(self.den)
    }

    /// `ceiling` as an integer.
    pub fn ceil_int(self) -> i128 {
        if self.den == 1 {
            return self.num;
        }
        if let Some((n, d)) = small_parts(self.num, self.den) {
            return n.div_euclid(d) as i128 + (n.rem_euclid(d) != 0) as i128;
        }
        -((-self.num).div_euclid(self.den))
    }

    /// The start of the next cycle (`nextSam`).
    pub fn next_sam(self) -> TimeResult {
        self.sam() + Time::ONE
    }

    /// Position within the cycle, in `[0, 1)` (`cyclePos`).
    pub fn cycle_pos(self) -> Time {
        if self.den == 1 {
            return Time::ZERO;
        }
        if let (Ok(n), Ok(d)) = (i64::try_from(self.num), i64::try_from(self.den)) {
            return Time {
                num: n.rem_euclid(d) as i128,
                den: self.den,
            };
        }
        Time {
            num: self.num.rem_euclid(self.den),
            den: self.den,
        }
    }

    #[inline]
    pub fn checked_add(self, o: Time) -> TimeResult {
        if let Some(((a, b), (c, d))) = both_small(self, o) {
            return add_small(a, b, c, d);
        }
        if self.den == o.den {
            let n = self.num.checked_add(o.num).ok_or(TimeOverflow)?;
            return Time::reduce(n, self.den);
        }
        let n = self
            .num
            .checked_mul(o.den)
            .and_then(|a| o.num.checked_mul(self.den).and_then(|b| a.checked_add(b)))
            .ok_or(TimeOverflow)?;
        let d = self.den.checked_mul(o.den).ok_or(TimeOverflow)?;
        Time::reduce(n, d)
    }

    pub fn checked_sub(self, o: Time) -> TimeResult {
        self.checked_add(Time {
            num: -o.num,
            den: o.den,
        })
    }

    #[inline]
    pub fn checked_mul(self, o: Time) -> TimeResult {
        if let Some(((a, b), (c, d))) = both_small(self, o) {
            return mul_small(a, b, c, d);
        }
        // Cross-reduce first to keep intermediates small.
        let g1 = gcd(self.num, o.den);
        let g2 = gcd(o.num, self.den);
        let (g1, g2) = (g1.max(1), g2.max(1));
        let n = (self.num / g1)
            .checked_mul(o.num / g2)
            .ok_or(TimeOverflow)?;
        let d = (self.den / g2)
            .checked_mul(o.den / g1)
            .ok_or(TimeOverflow)?;
        Time::new(n, d)
    }

    pub fn checked_div(self, o: Time) -> TimeResult {
        if o.num == 0 {
            return Err(TimeOverflow);
        }
        self.checked_mul(
            Time {
                num: o.den,
                den: o.num,
            }
            .normalised(),
        )
    }

    fn normalised(self) -> Time {
        if self.den < 0 {
            Time {
                num: -self.num,
                den: -self.den,
            }
        } else {
            self
        }
    }

    pub fn recip(self) -> TimeResult {
        Time::ONE.checked_div(self)
    }

    /// Haskell's `mod'` on rationals: the result has the sign of the divisor.
    pub fn modulo(self, o: Time) -> TimeResult {
        if o.is_zero() {
            return Err(TimeOverflow);
        }
        let q = self.checked_div(o)?.floor_int();
        self.checked_sub(Time::new(q, 1)?.checked_mul(o)?)
    }

    pub fn min(self, o: Time) -> Time {
        if self <= o {
            self
        } else {
            o
        }
    }

    pub fn max(self, o: Time) -> Time {
        if self >= o {
            self
        } else {
            o
        }
    }
}

/// `a/b + c/d` for reduced fractions with 64-bit parts, reducing with the
/// smallest gcds (Knuth, TAOCP 4.5.1): every intermediate fits an `i128`.
#[inline]
fn add_small(a: i64, b: i64, c: i64, d: i64) -> TimeResult {
    if b == d {
        return Time::reduce(a as i128 + c as i128, b as i128);
    }
    // An integer plus a reduced fraction is already reduced.
    if b == 1 {
        return Time::lowest(wide_mul(a, d) + c as i128, d as i128);
    }
    if d == 1 {
        return Time::lowest(wide_mul(c, b) + a as i128, b as i128);
    }
    let g = gcd64(b as u64, d as u64) as i64;
    if g == 1 {
        return Time::lowest(wide_mul(a, d) + wide_mul(c, b), wide_mul(b, d));
    }
    let (b1, d1) = (b / g, d / g);
    let t = wide_mul(a, d1) + wide_mul(c, b1);
    let g2 = match i64::try_from(t) {
        Ok(t) => gcd64(t.unsigned_abs(), g as u64) as i64,
        Err(_) => gcd(t, g as i128) as i64,
    };
    Time::lowest(div_exact(t, g2 as i128), wide_mul(b1, d / g2))
}

/// `a/b * c/d` for reduced fractions with 64-bit parts, cross-reduced so
/// that the product is already in lowest terms.
#[inline]
fn mul_small(a: i64, b: i64, c: i64, d: i64) -> TimeResult {
    if a == 0 || c == 0 {
        return Ok(Time::ZERO);
    }
    let g1 = if d == 1 {
        1
    } else {
        gcd64(a.unsigned_abs(), d as u64) as i64
    };
    let g2 = if b == 1 {
        1
    } else {
        gcd64(c.unsigned_abs(), b as u64) as i64
    };
    let div = |n: i64, g: i64| if g == 1 { n } else { n / g };
    Time::lowest(
        wide_mul(div(a, g1), div(c, g2)),
        wide_mul(div(b, g2), div(d, g1)),
    )
}

impl std::ops::Neg for Time {
    type Output = Time;
    fn neg(self) -> Time {
        Time {
            num: -self.num,
            den: self.den,
        }
    }
}

macro_rules! checked_op {
    ($tr:ident, $m:ident, $f:ident) => {
        impl std::ops::$tr for Time {
            type Output = TimeResult;
            fn $m(self, o: Time) -> TimeResult {
                self.$f(o)
            }
        }
    };
}
checked_op!(Add, add, checked_add);
checked_op!(Sub, sub, checked_sub);
checked_op!(Mul, mul, checked_mul);
checked_op!(Div, div, checked_div);

impl Ord for Time {
    fn cmp(&self, o: &Time) -> Ordering {
        if self.den == o.den {
            return self.num.cmp(&o.num);
        }
        if let Some(((a, b), (c, d))) = both_small(*self, *o) {
            return wide_mul(a, d).cmp(&wide_mul(c, b));
        }
        match (self.num.checked_mul(o.den), o.num.checked_mul(self.den)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => compare_fractions(self.num, self.den, o.num, o.den),
        }
    }
}

/// Exact comparison of `a/b` with `c/d` (positive denominators) without
/// overflow, by comparing integer parts and then the inverted remainders.
fn compare_fractions(a: i128, b: i128, c: i128, d: i128) -> Ordering {
    let (qa, ra) = (a.div_euclid(b), a.rem_euclid(b));
    let (qc, rc) = (c.div_euclid(d), c.rem_euclid(d));
    match qa.cmp(&qc) {
        Ordering::Equal => match (ra == 0, rc == 0) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            // ra/b vs rc/d  <=>  d/rc vs b/ra
            (false, false) => compare_fractions(d, rc, b, ra),
        },
        other => other,
    }
}

impl PartialOrd for Time {
    fn partial_cmp(&self, o: &Time) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl From<i64> for Time {
    fn from(n: i64) -> Time {
        Time::int(n)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

impl fmt::Debug for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(n: i128, d: i128) -> Time {
        Time::new(n, d).unwrap()
    }

    #[test]
    fn reduces_and_orders() {
        assert_eq!(t(2, 4), t(1, 2));
        assert_eq!(t(1, -2), t(-1, 2));
        assert!(t(1, 3) < t(1, 2));
        assert_eq!(t(-1, 2).sam(), Time::int(-1));
        assert_eq!(t(-1, 3).cycle_pos(), t(2, 3));
        assert_eq!(t(7, 2).ceil_int(), 4);
    }

    #[test]
    fn doubles_convert_exactly() {
        assert_eq!(Time::from_f64(1.5).unwrap(), t(3, 2));
        assert_eq!(
            Time::from_f64(0.1).unwrap(),
            t(3602879701896397, 36028797018963968)
        );
        assert_eq!(Time::from_f64(-0.25).unwrap(), t(-1, 4));
        assert!(Time::from_f64(f64::NAN).is_err());
        assert!(Time::from_f64(1e300).is_err());
    }

    #[test]
    fn decimals_convert_exactly() {
        assert_eq!(Time::from_decimal("0.1").unwrap(), t(1, 10));
        assert_eq!(Time::from_decimal("1e3").unwrap(), Time::int(1000));
        assert_eq!(Time::from_decimal("-2.5e-1").unwrap(), t(-1, 4));
    }

    #[test]
    fn overflow_is_an_error() {
        let big = Time::int(1 << 61);
        assert_eq!(big * big, Err(TimeOverflow));
        assert_eq!(Time::ONE / Time::ZERO, Err(TimeOverflow));
        let tiny = Time::from_f64(1e-20).unwrap();
        assert!((tiny * tiny).is_err());
        assert!(Time::from_f64(1e-300).is_err());
    }

    #[test]
    fn compares_large_fractions_exactly() {
        let a = Time::new((1 << 119) + 1, (1 << 118) + 3).unwrap();
        let b = Time::new((1 << 119) + 2, (1 << 118) + 3).unwrap();
        let c = Time::new(3, 1 << 117).unwrap();
        assert!(a < b);
        assert!(c < a);
        assert_eq!(compare_fractions(1, 3, 2, 6), Ordering::Equal);
        assert_eq!(compare_fractions(-1, 3, 1, 3), Ordering::Less);
    }

    /// The plain definitions, reduced with a textbook gcd.
    fn reference(n: i128, d: i128) -> Option<Time> {
        use num_integer::Integer;
        let g = n.gcd(&d);
        let (n, d) = (n / g * d.signum(), d / g * d.signum());
        (n.abs() <= LIMIT && d <= LIMIT).then_some(Time { num: n, den: d })
    }

    fn arb_time() -> impl proptest::strategy::Strategy<Value = Time> {
        use proptest::prelude::*;
        let part = prop_oneof![
            -40i128..40,
            -(1i128 << 62)..(1i128 << 62),
            (0u32..62).prop_map(|k| 1i128 << k),
            (0u32..62, -3i128..4).prop_map(|(k, x)| (1i128 << k) * 3 + x),
        ];
        let den = prop_oneof![
            1i128..40,
            (0u32..62).prop_map(|k| 1i128 << k),
            1i128..(1i128 << 62),
            (0u32..40).prop_map(|k| 3i128 << k),
        ];
        (part, den).prop_map(|(n, d)| Time::new(n, d).unwrap())
    }

    proptest::proptest! {
        #[test]
        fn fast_arithmetic_matches_the_definitions(a in arb_time(), b in arb_time()) {
            let (p, q, r, s) = (a.num, a.den, b.num, b.den);
            assert_eq!((a + b).ok(), reference(p * s + r * q, q * s));
            assert_eq!((a - b).ok(), reference(p * s - r * q, q * s));
            assert_eq!((a * b).ok(), reference(p * r, q * s));
            if r != 0 {
                assert_eq!((a / b).ok(), reference(p * s, q * r));
            }
            assert_eq!(a.cmp(&b), (p * s).cmp(&(r * q)));
            assert_eq!(a.floor_int(), p.div_euclid(q));
            assert_eq!(a.ceil_int(), -((-p).div_euclid(q)));
        }
    }

    #[test]
    fn modulo_follows_haskell() {
        assert_eq!(t(7, 2).modulo(Time::int(2)).unwrap(), t(3, 2));
        assert_eq!(t(-1, 2).modulo(Time::int(2)).unwrap(), t(3, 2));
    }
}
