//! Errors and warnings, each located by the spec file and a JSON pointer into it.

use std::fmt;

/// Where in a spec a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The spec file as the caller named it.
    pub file: String,
    /// A JSON pointer such as `#/components/schemas/AccessToken/properties/expires_in`.
    pub pointer: String,
    /// Line and column (1-based) when the parser knows them, as for syntax errors.
    pub line_column: Option<(usize, usize)>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, column)) = self.line_column {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.pointer)
    }
}

/// A reason the generator cannot produce a client for a spec.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("error: {location}: {message}")]
pub struct Error {
    /// The offending part of the spec.
    pub location: Location,
    /// A sentence saying what is wrong.
    pub message: String,
}

/// Something the generator worked around; printed, never fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The part of the spec the warning is about.
    pub location: Location,
    /// A sentence saying what was done about it.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.location, self.message)
    }
}

/// A JSON pointer under construction, rendered as `#/a/b~1c`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Pointer(String);

impl Pointer {
    /// The pointer to the whole document.
    pub(crate) fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// Parses a local `$ref` such as `#/components/schemas/X`.
    pub(crate) fn from_ref(reference: &str) -> Option<Self> {
        reference
            .starts_with("#/")
            .then(|| Pointer(reference.to_owned()))
    }

    /// This pointer extended by one reference token, escaped as RFC 6901 says.
    pub(crate) fn join(&self, token: impl fmt::Display) -> Self {
        let token = token.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, token))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        let pointer = Pointer::root()
            .join("paths")
            .join("/oauth2/token")
            .join("a~b");
        assert_eq!(pointer.as_str(), "#/paths/~1oauth2~1token/a~0b");
    }

    #[test]
    fn error_names_file_and_pointer() {
        let error = Error {
            location: Location {
                file: "spec/x.yaml".into(),
                pointer: "#/components/schemas/A".into(),
                line_column: None,
            },
            message: "bad".into(),
        };
        assert_eq!(
            error.to_string(),
            "error: spec/x.yaml: #/components/schemas/A: bad"
        );
    }
}
