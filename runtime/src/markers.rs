//! Small types generated code uses: the marker of a builder's required field not set yet, and
//! what `Debug` shows in place of a secret.

use std::fmt;

/// In a generated builder's type, a required field that has not been set yet: `build` exists
/// only once no field is `Missing`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Missing;

/// Stands in for a secret (a password, token or assertion) in `Debug` output.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
