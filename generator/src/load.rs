//! Reading a spec: YAML or JSON text in, a parsed `openapiv3` document out, with parse errors
//! located by file, JSON pointer and (where the parser knows it) line and column.

use openapiv3::OpenAPI;
use serde_path_to_error::Segment;

use crate::diagnostics::{Error, Location, Pointer};

/// A parsed OpenAPI document together with the name of the file it came from.
#[derive(Debug, Clone)]
pub struct Spec {
    file: String,
    document: OpenAPI,
}

impl Spec {
    /// Parses `text`, which is JSON when its first non-blank character is `{` and YAML otherwise.
    ///
    /// `file` is only used to name the spec in diagnostics and in generated headers.
    pub fn parse(file: impl Into<String>, text: &str) -> Result<Self, Error> {
        let file = file.into();
        reject_duplicate_keys(&file, text)?;
        let parsed = if text.trim_start().starts_with('{') {
            let mut json = serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize::<_, OpenAPI>(&mut json).map_err(|error| {
                let line_column = Some((error.inner().line(), error.inner().column()));
                located(&file, error.path(), line_column, error.inner().to_string())
            })
        } else {
            let yaml = serde_yaml::Deserializer::from_str(text);
            serde_path_to_error::deserialize::<_, OpenAPI>(yaml).map_err(|error| {
                let line_column = error.inner().location().map(|l| (l.line(), l.column()));
                let message = yaml_message(error.inner(), &error.path().to_string());
                located(&file, error.path(), line_column, message)
            })
        };
        let document = parsed?;
        if !document.openapi.starts_with("3.0.") {
            return Err(Error {
                location: Location {
                    file,
                    pointer: "#/openapi".to_owned(),
                    line_column: None,
                },
                message: format!(
                    "OpenAPI version `{}` is not supported; this generator reads OpenAPI 3.0.x",
                    document.openapi
                ),
            });
        }
        Ok(Self { file, document })
    }

    /// The file name given to [`Spec::parse`].
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The parsed document.
    pub fn document(&self) -> &OpenAPI {
        &self.document
    }
}

/// `openapiv3` panics on a mapping that repeats a key (it parses some nodes twice, and only
/// the first pass sees the repeat), so repeated keys are refused first. The YAML parser
/// refuses them, and reads JSON as well.
fn reject_duplicate_keys(file: &str, text: &str) -> Result<(), Error> {
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Err(error) if error.to_string().contains("duplicate") => {
            let line_column = error.location().map(|l| (l.line(), l.column()));
            Err(Error {
                location: Location {
                    file: file.to_owned(),
                    pointer: "#".to_owned(),
                    line_column,
                },
                message: yaml_message(&error, ""),
            })
        }
        // Other syntax errors are reported, with a pointer, by the real parse.
        _ => Ok(()),
    }
}

fn located(
    file: &str,
    path: &serde_path_to_error::Path,
    line_column: Option<(usize, usize)>,
    message: String,
) -> Error {
    let mut pointer = Pointer::root();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer.join(index),
            Segment::Map { key } => pointer.join(key),
            Segment::Enum { variant } => pointer.join(variant),
            Segment::Unknown => break,
        };
    }
    Error {
        location: Location {
            file: file.to_owned(),
            pointer: pointer.as_str().to_owned(),
            line_column,
        },
        message,
    }
}

/// serde_yaml puts the path before its messages and " at line L column C" after them; the
/// location already says both.
fn yaml_message(error: &serde_yaml::Error, path: &str) -> String {
    let message = error.to_string();
    let message = message
        .strip_prefix(&format!("{path}: "))
        .unwrap_or(&message);
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

    #[test]
    fn yaml_and_json_are_both_read() {
        assert!(Spec::parse("a.yaml", MINIMAL).is_ok());
        let json = r#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#;
        assert!(Spec::parse("a.json", json).is_ok());
    }

    #[test]
    fn malformed_yaml_is_located_by_line() {
        let error = Spec::parse("bad.yaml", "openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        assert_eq!(error.location.file, "bad.yaml");
        assert!(error.location.line_column.is_some(), "{error}");
    }

    #[test]
    fn a_wrongly_typed_node_is_located_by_pointer_and_line() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: [1]\npaths: {}\n";
        let error = Spec::parse("bad.yaml", text).unwrap_err();
        assert_eq!(error.location.pointer, "#/info/version", "{error}");
        assert_eq!(
            error.location.line_column.map(|(line, _)| line),
            Some(4),
            "{error}"
        );
    }

    #[test]
    fn inside_paths_the_line_locates_what_the_pointer_cannot() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let error = Spec::parse("bad.yaml", text).unwrap_err();
        assert!(error.location.pointer.starts_with("#/paths"), "{error}");
        assert!(error.location.line_column.is_some(), "{error}");
    }

    #[test]
    fn a_repeated_key_is_an_error_not_a_panic() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/: {description: a, description: b}}\n";
        let error = Spec::parse("dup.yaml", text).unwrap_err();
        assert!(error.message.contains("duplicate"), "{error}");
        assert!(error.location.line_column.is_some(), "{error}");
        let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/": {"summary": "a", "summary": "b"}}}"#;
        assert!(Spec::parse("dup.json", json).is_err());
    }

    #[test]
    fn openapi_3_1_is_refused_at_the_version_field() {
        let text = MINIMAL.replace("3.0.3", "3.1.0");
        let error = Spec::parse("new.yaml", &text).unwrap_err();
        assert_eq!(error.location.pointer, "#/openapi");
    }
}
