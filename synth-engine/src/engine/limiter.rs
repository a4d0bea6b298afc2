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

/// Whether any sample of `block` is above the knee or not finite (most blocks are neither,
/// and pass through untouched). Eight running lanes, so the scan vectorises.
pub fn needs_limiting(block: &[f32]) -> bool {
    let mut peak = [0.0f32; 8];
    // x * 0 is 0 for every finite x, NaN for NaN and infinities
    let mut poison = [0.0f32; 8];
    let chunks = block.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for j in 0..8 {
            peak[j] = peak[j].max(c[j].abs());
            poison[j] += c[j] * 0.0;
        }
    }
    for (j, x) in rest.iter().enumerate() {
        peak[j] = peak[j].max(x.abs());
        poison[j] += x * 0.0;
    }
    peak.iter().any(|p| *p > KNEE) || poison.iter().any(|p| *p != 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loud_or_broken_blocks_need_limiting() {
        let mut quiet = vec![0.5f32; 37];
        quiet[3] = -0.8;
        assert!(!needs_limiting(&quiet));
        for bad in [0.81, -2.0, f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            for at in [0, 7, 8, 36] {
                let mut b = quiet.clone();
                b[at] = bad;
                assert!(needs_limiting(&b), "{bad} at {at}");
            }
        }
        assert!(!needs_limiting(&[]));
    }

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
