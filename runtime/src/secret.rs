//! [`SecretString`]: the type of every credential a spec marks (`format: password`, `token`,
//! `jwt`), in requests and responses alike.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

/// Text that is a credential: a client secret, a code, a token, an assertion.
///
/// It prints as `<redacted>` in `Debug` output, has no `Display`, and its memory is wiped when
/// it is dropped. It is written to the wire as the plain string it holds and read from it as
/// one; [`expose`](SecretString::expose) is the one way to read it in code, which makes each
/// use easy to find.
///
/// ```
/// use clientgen_runtime::SecretString;
///
/// let secret = SecretString::from("s3cr3t");
/// assert_eq!(format!("{secret:?}"), "<redacted>");
/// assert_eq!(secret.expose(), "s3cr3t");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    /// The secret, as text.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The secret, as a plain `String` the caller now looks after: it is not wiped when
    /// dropped.
    pub fn into_exposed(mut self) -> String {
        std::mem::take(&mut *self.0)
    }
}

impl From<String> for SecretString {
    fn from(secret: String) -> Self {
        Self(Zeroizing::new(secret))
    }
}

impl From<&str> for SecretString {
    fn from(secret: &str) -> Self {
        Self::from(secret.to_owned())
    }
}

impl From<&String> for SecretString {
    fn from(secret: &String) -> Self {
        Self::from(secret.as_str())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Serialize for SecretString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::SecretString;

    #[test]
    fn shown_redacted_and_travels_as_plain_text() {
        let secret = SecretString::from("hunter2");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(<redacted>)");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"hunter2\"");
        let back: SecretString = serde_json::from_str("\"hunter2\"").unwrap();
        assert_eq!(back, secret);
        assert_eq!(back.into_exposed(), "hunter2");
    }
}
