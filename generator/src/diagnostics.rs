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

/// Every reason the generator refused a spec (never empty), sorted by file and pointer so
/// that problems in one part of a document are read together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors(Vec<Error>);

impl Errors {
    /// Gathers `errors`, sorted by file, pointer and message, without repeats; `None` when
    /// there are none.
    pub fn from_vec(mut errors: Vec<Error>) -> Option<Self> {
        errors.sort_by(|a, b| {
            let key = |e: &Error| (e.location.file.clone(), e.location.pointer.clone());
            key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
        });
        errors.dedup();
        (!errors.is_empty()).then_some(Self(errors))
    }

    /// The errors, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Error> {
        self.0.iter()
    }

    /// How many there are (at least one).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: there is at least one error.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors as a vector.
    pub fn into_vec(self) -> Vec<Error> {
        self.0
    }
}

impl From<Error> for Errors {
    fn from(error: Error) -> Self {
        Self(vec![error])
    }
}

impl<'e> IntoIterator for &'e Errors {
    type Item = &'e Error;
    type IntoIter = std::slice::Iter<'e, Error>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// One error per line, then how many there are when there are several.
impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        if self.0.len() > 1 {
            write!(f, "\n{} errors", self.0.len())?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

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

    /// A pointer written out before, such as a type's origin.
    pub(crate) fn verbatim(text: &str) -> Self {
        Pointer(text.to_owned())
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

    /// The last reference token, unescaped: `A/B` for `#/components/responses/A~1B`.
    pub(crate) fn last_token(&self) -> String {
        let token = self.0.rsplit('/').next().unwrap_or_default();
        token.replace("~1", "/").replace("~0", "~")
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
    fn errors_are_sorted_counted_and_deduplicated() {
        let at = |pointer: &str| Error {
            location: Location {
                file: "x.yaml".into(),
                pointer: pointer.into(),
                line_column: None,
            },
            message: "bad".into(),
        };
        let errors = Errors::from_vec(vec![at("#/b"), at("#/a"), at("#/b")]).unwrap();
        assert_eq!(
            errors.to_string(),
            "error: x.yaml: #/a: bad\nerror: x.yaml: #/b: bad\n2 errors"
        );
        assert_eq!(Errors::from_vec(Vec::new()), None);
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
