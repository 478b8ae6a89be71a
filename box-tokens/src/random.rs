//! Crate-private helpers: random tokens from the operating system's CSPRNG and hex encoding.

use std::fmt;
use std::time::Duration;

/// The operating system's random source failed; carries no secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RandomError(getrandom::Error);

impl fmt::Display for RandomError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the operating system's random source failed: {}", self.0)
    }
}

impl std::error::Error for RandomError {}

/// Returns `byte_count` random bytes as lowercase hex (two characters per
/// byte), which is safe in URLs, file names and JWT claims.
pub(crate) fn random_hex(byte_count: usize) -> Result<String, RandomError> {
    let mut bytes = vec![0_u8; byte_count];
    getrandom::fill(&mut bytes).map_err(RandomError)?;
    let text = hex(&bytes);
    bytes.fill(0);
    Ok(text)
}

/// A random duration from zero up to (not including) `bound`, in whole milliseconds; zero
/// when `bound` is under a millisecond.
pub(crate) fn random_below(bound: Duration) -> Result<Duration, RandomError> {
    let bound = u64::try_from(bound.as_millis()).unwrap_or(u64::MAX);
    if bound == 0 {
        return Ok(Duration::ZERO);
    }
    let mut bytes = [0_u8; 8];
    getrandom::fill(&mut bytes).map_err(RandomError)?;
    Ok(Duration::from_millis(u64::from_le_bytes(bytes) % bound))
}

/// Encodes bytes as lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_encodes_every_nibble() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(hex(&[]), "");
    }

    #[test]
    fn random_durations_stay_below_their_bound() {
        let bound = Duration::from_millis(5);
        for _ in 0..100 {
            assert!(random_below(bound).expect("random source works") < bound);
        }
        assert_eq!(
            random_below(Duration::from_micros(999)).unwrap(),
            Duration::ZERO
        );
    }

    #[test]
    fn random_hex_has_the_requested_length_and_varies() {
        let first = random_hex(16).expect("random source works");
        let second = random_hex(16).expect("random source works");
        assert_eq!(first.len(), 32);
        assert!(first.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(first, second);
    }
}
