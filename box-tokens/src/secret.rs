//! The [`Secret`] string type that keeps credentials out of logs and wipes them on drop.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// The text printed in place of a secret by `Debug` and `Display`.
const REDACTED: &str = "<redacted>";

/// A string credential: an access or refresh token, a client secret, a
/// passphrase, a private key PEM or a signed assertion.
///
/// `Debug` and `Display` print `<redacted>`, so a `Secret` can sit inside
/// structs that are logged without leaking. The only way to read the value
/// is [`Secret::expose`], which makes every read easy to find in review.
/// The backing memory is overwritten with zeros when the value is dropped.
///
/// Serde writes and reads a `Secret` as the plain string, because the token
/// store must persist the real value.
///
/// Equality runs in constant time over the bytes (the length may still be
/// learned through timing).
#[derive(Clone, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// Returns the credential itself; call this only where the value must
    /// leave the process (an HTTP request, the token store).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Tells whether the credential is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_owned())
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Secret) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Secret, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{secret}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(secret.clone())), "Some(<redacted>)");
    }

    #[test]
    fn expose_returns_the_value() {
        let secret = Secret::from("hunter2");
        assert_eq!(secret.expose(), "hunter2");
        assert!(!secret.is_empty());
        assert!(Secret::default().is_empty());
    }

    #[test]
    fn serde_uses_the_plain_string() {
        let secret = Secret::from(String::from("tok\"en"));
        let json = serde_json::to_string(&secret).expect("serializes");
        assert_eq!(json, r#""tok\"en""#);
        let back: Secret = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, secret);
    }

    #[test]
    fn equality_compares_values() {
        assert_eq!(Secret::from("abc"), Secret::from("abc"));
        assert_ne!(Secret::from("abc"), Secret::from("abd"));
        assert_ne!(Secret::from("abc"), Secret::from("abcd"));
    }
}
