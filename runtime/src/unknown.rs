//! Values a server sends that the spec did not list when the client was generated. Enums of a
//! generated client keep such a value in their `Unknown` variant instead of failing to decode,
//! and write it back unchanged.

use std::fmt;

/// A value of an enum that the client does not know, kept exactly as received.
///
/// Only the runtime makes one, when decoding (or when a generated enum is built from text that
/// is not one of its known values), so an `Unknown` never holds a value the enum has a variant
/// for.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Unknown<T = String>(T);

impl<T> Unknown<T> {
    /// Wraps a value that is none of an enum's known ones. Generated code calls this only
    /// after checking every known value.
    #[doc(hidden)]
    pub fn new_unchecked(value: T) -> Self {
        Self(value)
    }

    /// The value as received.
    pub fn get(&self) -> &T {
        &self.0
    }
}

impl Unknown<String> {
    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<T: fmt::Debug> fmt::Debug for Unknown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: fmt::Display> fmt::Display for Unknown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
