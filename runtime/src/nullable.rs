//! [`Nullable`]: an optional property that may also be `null`, three states on the wire.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The value of a property that may be left out and may be `null`, where the two differ.
///
/// A request that unlocks a file sends `{"lock": null}`; one that leaves the lock alone sends
/// `{}`. `Option<T>` has room for only one of them, so such a property is a `Nullable<T>`:
///
/// - [`Nullable::Absent`]: left out of the JSON (the default, when a builder's setter is not
///   called, and what a response that does not mention the property decodes to);
/// - [`Nullable::Null`]: written and read as `null`;
/// - [`Nullable::Value`]: a value.
///
/// Setters take `impl Into<Nullable<T>>`: a value (`.lock(lock)`, `.name("text")`), an
/// `Option` (`None` is `null`), or `Nullable::Null` itself. Generated structs mark these fields
/// `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`, so an absent field is left
/// out; written on its own, `Absent` is `null`, the nearest JSON has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// Not there at all.
    #[default]
    Absent,
    /// There, as `null`.
    Null,
    /// There, with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the property is left out; generated code skips serialising it then.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the property is there as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, when there is one (neither absent nor `null`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, when there is one, giving up the difference between absent and `null`.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// A `Nullable` of a reference to the value.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// The value changed by `f`, absence and `null` kept.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(f(value)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `None` is `null`: to leave a property out, do not set it.
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }
}

impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_owned())
    }
}

impl From<&str> for Nullable<crate::SecretString> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.into())
    }
}

impl From<String> for Nullable<crate::SecretString> {
    fn from(value: String) -> Self {
        Nullable::Value(value.into())
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => value.serialize(serializer),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

/// Reads `null` as [`Nullable::Null`] and anything else as a value; a property that is not
/// there is never read, so `#[serde(default)]` makes it [`Nullable::Absent`].
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::Nullable;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        lock: Nullable<u32>,
    }

    #[test]
    fn three_states_on_the_wire() {
        let cases = [
            (Nullable::Absent, "{}"),
            (Nullable::Null, r#"{"lock":null}"#),
            (Nullable::Value(7), r#"{"lock":7}"#),
        ];
        for (lock, json) in cases {
            let patch = Patch { lock };
            assert_eq!(serde_json::to_string(&patch).unwrap(), json);
            assert_eq!(serde_json::from_str::<Patch>(json).unwrap(), patch);
        }
    }

    #[test]
    fn conversions_say_what_they_mean() {
        assert_eq!(Nullable::from(3), Nullable::Value(3));
        assert_eq!(Nullable::<u8>::from(None), Nullable::Null);
        assert_eq!(Nullable::from(Some(3)), Nullable::Value(3));
        assert_eq!(Nullable::from("a"), Nullable::Value("a".to_owned()));
        let value: Nullable<u8> = Nullable::Value(2);
        assert_eq!(value.map(|n| n * 2).value(), Some(&4));
        assert_eq!(Nullable::<u8>::Null.into_value(), None);
        assert!(Nullable::<u8>::default().is_absent());
        assert!(Nullable::<u8>::Null.is_null());
    }
}
