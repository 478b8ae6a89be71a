//! Keeping credentials out of `Debug` output.

use std::fmt;

/// Stands in for a secret value in `Debug` output: formats as `<redacted>`.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
