//! The last stage before the output: non-finite samples become silence, peaks are softly limited.

/// Level above which the soft knee starts.
const KNEE: f32 = 0.8;

/// Soft-limits one sample into (-1, 1); transparent below the knee. Returns 0 for NaN/inf.
#[inline]
pub fn limit(x: f32) -> f32 {
    if !x.is_finite() {
        return 0.0;
    }
    let a = x.abs();
    if a <= KNEE {
        x
    } else {
        let over = (a - KNEE) / (1.0 - KNEE);
        (KNEE + (1.0 - KNEE) * over.tanh()).copysign(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_is_transparent_below_the_knee_and_bounded_above() {
        assert_eq!(limit(0.5), 0.5);
        assert_eq!(limit(-0.8), -0.8);
        assert!(limit(100.0) <= 1.0 && limit(100.0) > 0.99);
        assert!(limit(-3.0) >= -1.0);
        assert_eq!(limit(f32::NAN), 0.0);
        assert_eq!(limit(f32::INFINITY), 0.0);
        let mut prev = 0.0;
        for i in 0..1000 {
            let y = limit(i as f32 * 0.005);
            assert!(y >= prev);
            prev = y;
        }
    }
}
