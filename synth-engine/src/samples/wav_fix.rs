//! A tolerant step before symphonia reads a WAV: a PCM or float `fmt ` chunk of a length it refuses (e.g. 20 bytes) is cut to its 16 standard bytes.
//!
//! symphonia 0.5 accepts a PCM/float `fmt ` chunk only 16, 18 or 40 bytes long (and a float
//! one of 18 only with no extension). Other readers (sox, SuperCollider) read the first 16
//! bytes and skip the rest; Dirt-Samples' `pluck` and `mute` have 20. This rewrites such a
//! chunk in memory; every other file is left alone.

const PCM: u16 = 0x0001;
const IEEE_FLOAT: u16 = 0x0003;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Whether symphonia would refuse a `fmt ` chunk of `len` bytes whose body starts at `body`.
fn refused(bytes: &[u8], body: usize, len: u32) -> Option<bool> {
    let tag = u16_at(bytes, body)?;
    Some(match tag {
        PCM => !matches!(len, 16 | 18 | 40),
        IEEE_FLOAT => match len {
            16 | 40 => false,
            18 => u16_at(bytes, body + 16)? != 0,
            _ => true,
        },
        _ => false,
    })
}

/// The file with its `fmt ` chunk cut to 16 bytes, if it is a WAV symphonia would refuse for
/// that reason alone; `None` when nothing needs changing (or it is not a WAV at all).
pub fn normalise_wav(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.get(0..4)? != b"RIFF" || bytes.get(8..12)? != b"WAVE" {
        return None;
    }
    let mut at = 12usize;
    loop {
        let id = bytes.get(at..at + 4)?;
        let len = u32_at(bytes, at + 4)?;
        let body = at + 8;
        if id == b"fmt " {
            if len < 16 || !refused(bytes, body, len)? {
                return None;
            }
            let head = bytes.get(body..body + 16)?;
            let end = body
                .checked_add(len as usize)?
                .checked_add(len as usize & 1)?;
            let end = end.min(bytes.len());
            let rest = bytes.get(end..)?;
            let cut = end.checked_sub(body + 16)?;
            let mut out = Vec::with_capacity(bytes.len());
            out.extend_from_slice(&bytes[..at + 4]);
            out.extend_from_slice(&16u32.to_le_bytes());
            out.extend_from_slice(head);
            out.extend_from_slice(rest);
            let riff = u32_at(bytes, 4)?.saturating_sub(cut as u32);
            out[4..8].copy_from_slice(&riff.to_le_bytes());
            return Some(out);
        }
        // chunks are padded to an even length
        at = body
            .checked_add(len as usize)?
            .checked_add(len as usize & 1)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn wav(fmt: &[u8], data: &[u8]) -> Vec<u8> {
        let mut b = b"RIFF\0\0\0\0WAVE".to_vec();
        b.extend_from_slice(b"fmt ");
        b.extend_from_slice(&(fmt.len() as u32).to_le_bytes());
        b.extend_from_slice(fmt);
        if fmt.len() % 2 == 1 {
            b.push(0);
        }
        b.extend_from_slice(b"data");
        b.extend_from_slice(&(data.len() as u32).to_le_bytes());
        b.extend_from_slice(data);
        let riff = (b.len() - 8) as u32;
        b[4..8].copy_from_slice(&riff.to_le_bytes());
        b
    }

    fn pcm16_fmt(extra: &[u8]) -> Vec<u8> {
        let mut f = Vec::new();
        f.extend_from_slice(&PCM.to_le_bytes());
        f.extend_from_slice(&1u16.to_le_bytes());
        f.extend_from_slice(&44100u32.to_le_bytes());
        f.extend_from_slice(&88200u32.to_le_bytes());
        f.extend_from_slice(&2u16.to_le_bytes());
        f.extend_from_slice(&16u16.to_le_bytes());
        f.extend_from_slice(extra);
        f
    }

    #[test]
    fn a_twenty_byte_fmt_is_cut_to_sixteen_and_others_are_left_alone() {
        let data = [1u8, 0, 2, 0];
        let odd = wav(&pcm16_fmt(&[2, 0, 0, 0]), &data);
        let fixed = normalise_wav(&odd).unwrap();
        assert_eq!(fixed, wav(&pcm16_fmt(&[]), &data));
        assert_eq!(normalise_wav(&wav(&pcm16_fmt(&[]), &data)), None);
        assert_eq!(normalise_wav(&wav(&pcm16_fmt(&[0, 0]), &data)), None);
        assert_eq!(normalise_wav(b"fLaC...."), None);
    }

    proptest! {
        #[test]
        fn never_panics_on_any_bytes(tail in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut b = b"RIFF\x10\0\0\0WAVE".to_vec();
            b.extend_from_slice(&tail);
            let _ = normalise_wav(&b);
        }

        #[test]
        fn never_panics_on_a_damaged_wav(
            extra in proptest::collection::vec(any::<u8>(), 0..40),
            at in 0usize..80,
            value in any::<u8>(),
            cut in 0usize..80,
        ) {
            let mut b = wav(&pcm16_fmt(&extra), &[0u8; 16]);
            if at < b.len() {
                b[at] = value;
            }
            b.truncate(b.len().saturating_sub(cut));
            if let Some(fixed) = normalise_wav(&b) {
                prop_assert!(fixed.len() <= b.len());
            }
        }
    }
}
