//! Reading a spec: YAML or JSON text in, a parsed `openapiv3` document out, with parse errors
//! located by file, JSON pointer and (where the parser knows it) line and column.
//!
//! The text is first read into a plain JSON tree (`read_tree`), which refuses repeated keys
//! (on which `openapiv3` would panic) and takes every key as text (YAML reads `200:` as a
//! number). That tree is edited before it is typed: [overlays](crate::Overlay) first, then
//! `upgrade.rs` rewrites an OpenAPI 3.1 document into the 3.0 shapes `openapiv3` reads, and
//! `tolerate.rs` sets right what other tools accept (both find schemas with `walk.rs`). The
//! warnings of these passes are kept with the [`Spec`]. When typing the tree fails, the text
//! is parsed too, for the error's line and column.

use std::collections::HashMap;
use std::fmt;

use openapiv3::OpenAPI;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_path_to_error::Segment;

use crate::diagnostics::{Error, Errors, Location, Pointer, Warning};
use crate::overlay::Overlay;

mod defs;
mod tolerate;
mod upgrade;
mod walk;

/// A parsed OpenAPI document together with the names of the files it came from.
#[derive(Debug, Clone)]
pub struct Spec {
    file: String,
    overlays: Vec<String>,
    document: OpenAPI,
    ref_siblings: RefSiblings,
    /// What reading the document worked around, before lowering.
    warnings: Vec<Warning>,
    /// Schemas moved from a `$defs` to the component schemas, in order.
    moves: Vec<defs::Move>,
}

/// The keywords written beside a `$ref`, by the pointer of the object that holds them.
///
/// OpenAPI 3.0 says a `$ref`'s siblings are ignored, and `openapiv3` drops them, yet documents
/// write `nullable: true` or a `description` there and mean it; lowering reads them here.
type RefSiblings = HashMap<String, Map<String, Value>>;

impl Spec {
    /// Parses `text`, which is JSON when its first non-blank character is `{` and YAML otherwise.
    ///
    /// `file` is only used to name the spec in diagnostics and in generated headers.
    pub fn parse(file: impl Into<String>, text: &str) -> Result<Self, Errors> {
        Self::parse_with_overlays(file, text, &[])
    }

    /// Parses `text` as [`Spec::parse`] does, after applying `overlays` to it in order.
    ///
    /// Every action of every overlay must match something; all that do not are reported
    /// together. Errors found after overlays were applied point into the edited document.
    /// An OpenAPI 3.1 document is read as its 3.0 equivalent; what that rewrite, or setting
    /// right what other tools tolerate, loses is warned about by [`crate::generate`].
    pub fn parse_with_overlays(
        file: impl Into<String>,
        text: &str,
        overlays: &[Overlay],
    ) -> Result<Self, Errors> {
        let file = file.into();
        let mut tree = read_tree(&file, text)?;
        let version = check_version(&file, &tree)?;
        let errors = overlays
            .iter()
            .flat_map(|overlay| overlay.apply(&mut tree, &file))
            .collect();
        if let Some(errors) = Errors::from_vec(errors) {
            return Err(errors);
        }
        let (moves, edits) = rewrite(&mut tree, version);
        // The text keeps what the tree loses (`version: 1.10` is text to `openapiv3`), so an
        // unedited document is typed from it when it can be.
        let edited = !(overlays.is_empty() && edits.is_empty() && version == Version::V3_0);
        let document = if edited {
            type_tree(&file, text, &tree, overlays)?
        } else {
            parse_text(&file, text).or_else(|_| type_tree(&file, text, &tree, overlays))?
        };
        let mut ref_siblings = RefSiblings::new();
        collect_ref_siblings(&tree, &mut String::from("#"), &mut ref_siblings);
        let mut spec = Self {
            file,
            overlays: overlays.iter().map(|o| o.file().to_owned()).collect(),
            document,
            ref_siblings,
            warnings: Vec::new(),
            moves,
        };
        spec.warnings = edits
            .into_iter()
            .map(|(at, message)| Warning {
                location: spec.location(&at),
                message,
            })
            .collect();
        Ok(spec)
    }

    /// The file name given to [`Spec::parse`].
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The file names of the overlays applied to the document, in order.
    pub fn overlays(&self) -> &[String] {
        &self.overlays
    }

    /// The parsed document.
    pub fn document(&self) -> &OpenAPI {
        &self.document
    }

    /// What reading the document worked around (an OpenAPI 3.1 construct with no 3.0 shape,
    /// documentation that is not text, ...), each located at its node.
    pub(crate) fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Where the node at `at` of the document as read (its `$defs` moved among the component
    /// schemas) is in the document as written.
    pub(crate) fn location(&self, at: &Pointer) -> Location {
        let pointer = Pointer::verbatim(&defs::original(at.as_str(), &self.moves));
        location(&self.file, &pointer, None)
    }

    /// The keywords beside the `$ref` at `at`, if it has any.
    pub(crate) fn ref_siblings(&self, at: &Pointer) -> Option<&Map<String, Value>> {
        self.ref_siblings.get(at.as_str())
    }

    /// The keywords beside every `$ref` inside the node at `at`, by pointer, in no order.
    pub(crate) fn ref_siblings_under<'s>(
        &'s self,
        at: &'s Pointer,
    ) -> impl Iterator<Item = (&'s str, &'s Map<String, Value>)> {
        self.ref_siblings
            .iter()
            .filter(move |(pointer, _)| {
                pointer
                    .strip_prefix(at.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
            })
            .map(|(pointer, keywords)| (pointer.as_str(), keywords))
    }
}

/// Rewrites the tree of a document of `version` into what `openapiv3` reads: `$defs` moved
/// and 3.1 rewritten as 3.0 (for 3.1), then what other tools tolerate set right. Returns the
/// moves and a warning (pointer and message) for each edit that loses something.
fn rewrite(tree: &mut Value, version: Version) -> (Vec<defs::Move>, Vec<(Pointer, String)>) {
    let (moves, mut edits) = match version {
        Version::V3_0 => (Vec::new(), Vec::new()),
        Version::V3_1 => (defs::hoist(tree), upgrade::upgrade(tree)),
    };
    edits.extend(tolerate::tolerate(tree));
    (moves, edits)
}

/// Records, under `at` and below it in `tree`, every object holding a `$ref` and other keys.
/// `at` is the pointer of `tree`, as [`Pointer`] writes it; it is restored before returning.
fn collect_ref_siblings(tree: &Value, at: &mut String, found: &mut RefSiblings) {
    let mut visit = |token: &str, child: &Value, at: &mut String| {
        if !(child.is_object() || child.is_array()) {
            return;
        }
        let length = at.len();
        at.push('/');
        at.push_str(&token.replace('~', "~0").replace('/', "~1"));
        collect_ref_siblings(child, at, found);
        at.truncate(length);
    };
    match tree {
        Value::Object(members) if members.get("$ref").is_some_and(Value::is_string) => {
            let siblings: Map<String, Value> = members
                .iter()
                .filter(|(key, _)| *key != "$ref")
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            if !siblings.is_empty() {
                found.insert(at.clone(), siblings);
            }
        }
        Value::Object(members) => {
            for (key, child) in members {
                visit(key, child, at);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                visit(&index.to_string(), child, at);
            }
        }
        _ => {}
    }
}

/// The versions of OpenAPI the generator reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Version {
    V3_0,
    /// Rewritten into 3.0 shapes by `upgrade.rs` before it is typed.
    V3_1,
}

/// Refuses anything but OpenAPI 3.0.x and 3.1.x before typing the document, whose other
/// constructs would otherwise be reported as odd errors elsewhere.
fn check_version(file: &str, tree: &Value) -> Result<Version, Error> {
    let version = tree.get("openapi").and_then(Value::as_str);
    let message = match version {
        Some(version) if version.starts_with("3.0.") => return Ok(Version::V3_0),
        Some(version) if version.starts_with("3.1.") => return Ok(Version::V3_1),
        Some(version) => format!(
            "OpenAPI version `{version}` is not supported; this generator reads OpenAPI 3.0.x \
             and 3.1.x"
        ),
        None => "an OpenAPI document needs an `openapi` field naming its version".into(),
    };
    Err(error_at(
        file,
        Pointer::root().join("openapi"),
        None,
        message,
    ))
}

/// Types `text` itself. Without tracking where it is (which costs an allocation per key) when
/// it can: only a failure is parsed again, to be located.
fn parse_text(file: &str, text: &str) -> Result<OpenAPI, Error> {
    let untracked = if is_json(text) {
        OpenAPI::deserialize(&mut serde_json::Deserializer::from_str(text)).ok()
    } else {
        OpenAPI::deserialize(serde_yaml::Deserializer::from_str(text)).ok()
    };
    untracked.map_or_else(|| parse_text_located(file, text), Ok)
}

fn parse_text_located(file: &str, text: &str) -> Result<OpenAPI, Error> {
    if is_json(text) {
        let mut json = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut json).map_err(|error| {
            let line_column = Some((error.inner().line(), error.inner().column()));
            let message = without_position(&error.inner().to_string());
            located(file, error.path(), line_column, message)
        })
    } else {
        let yaml = serde_yaml::Deserializer::from_str(text);
        serde_path_to_error::deserialize(yaml).map_err(|error| yaml_error(file, &error))
    }
}

/// Types the tree read from `text` and edited since, untracked when it can (see
/// [`parse_text`]). An error is located by its pointer and, when parsing `text` itself fails
/// at the same node, by that error's line and column too.
fn type_tree(file: &str, text: &str, tree: &Value, overlays: &[Overlay]) -> Result<OpenAPI, Error> {
    OpenAPI::deserialize(tree).or_else(|_| type_tree_located(file, text, tree, overlays))
}

fn type_tree_located(
    file: &str,
    text: &str,
    tree: &Value,
    overlays: &[Overlay],
) -> Result<OpenAPI, Error> {
    serde_path_to_error::deserialize(tree).map_err(|error| {
        let suffix = if overlays.is_empty() {
            ""
        } else {
            " (in the document as the overlays left it)"
        };
        let message = format!("{}{suffix}", error.inner());
        let from_tree = located(file, error.path(), None, message);
        match parse_text(file, text) {
            Err(from_text) if from_text.location.pointer == from_tree.location.pointer => Error {
                location: from_text.location,
                ..from_tree
            },
            _ => from_tree,
        }
    })
}

/// Reads YAML or JSON `text` into a JSON tree, refusing repeated keys, which YAML and JSON
/// parsers otherwise resolve silently (or, in `openapiv3`, by panicking). Untracked when it
/// can (see [`parse_text`]).
pub(crate) fn read_tree(file: &str, text: &str) -> Result<Value, Error> {
    untracked_tree(text).map_or_else(|| read_tree_located(file, text), Ok)
}

fn untracked_tree(text: &str) -> Option<Value> {
    if is_json(text) {
        let mut json = serde_json::Deserializer::from_str(text);
        let Tree(tree) = Tree::deserialize(&mut json).ok()?;
        json.end().ok()?;
        Some(tree)
    } else {
        let Tree(tree) = Tree::deserialize(serde_yaml::Deserializer::from_str(text)).ok()?;
        Some(tree)
    }
}

fn read_tree_located(file: &str, text: &str) -> Result<Value, Error> {
    if is_json(text) {
        let mut json = serde_json::Deserializer::from_str(text);
        let Tree(tree) = serde_path_to_error::deserialize(&mut json).map_err(|error| {
            let line_column = Some((error.inner().line(), error.inner().column()));
            let message = without_position(&error.inner().to_string());
            located(file, error.path(), line_column, message)
        })?;
        json.end().map_err(|error| {
            let line_column = Some((error.line(), error.column()));
            let message = without_position(&error.to_string());
            error_at(file, Pointer::root(), line_column, message)
        })?;
        Ok(tree)
    } else {
        let yaml = serde_yaml::Deserializer::from_str(text);
        serde_path_to_error::deserialize(yaml)
            .map(|Tree(tree)| tree)
            .map_err(|error| yaml_error(file, &error))
    }
}

fn is_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// A JSON value read through serde, refusing mappings that repeat a key.
struct Tree(Value);

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor).map(Tree)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-compatible value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        Number::from_f64(value)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format_args!("{value} is not a number JSON can hold")))
    }

    /// An integer beyond 64 bits, which YAML reads, is kept as the nearest float, as JSON
    /// parsers keep it; a constraint that cannot hold it is then dropped with a warning.
    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Value, E> {
        self.visit_f64(value as f64)
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Value, E> {
        self.visit_f64(value as f64)
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Tree::deserialize(deserializer).map(|Tree(value)| value)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or_default());
        while let Some(Tree(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(Key(key)) = map.next_key()? {
            if members.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate key `{key}`: a mapping must not repeat a key"
                )));
            }
            let Tree(value) = map.next_value()?;
            members.insert(key, value);
        }
        Ok(Value::Object(members))
    }
}

/// A mapping key; YAML allows numbers and booleans there (`200:`), which JSON writes as text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyVisitor).map(Key)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number or boolean as a mapping key")
    }

    fn visit_bool<E>(self, value: bool) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_i64<E>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_u64<E>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_i128<E>(self, value: i128) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_u128<E>(self, value: u128) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_f64<E>(self, value: f64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_str<E>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }

    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }
}

fn yaml_error(file: &str, error: &serde_path_to_error::Error<serde_yaml::Error>) -> Error {
    let line_column = error.inner().location().map(|l| (l.line(), l.column()));
    let message = yaml_message(error.inner(), &error.path().to_string());
    located(file, error.path(), line_column, message)
}

/// An error for `file` at `pointer`.
pub(crate) fn error_at(
    file: &str,
    pointer: Pointer,
    line_column: Option<(usize, usize)>,
    message: String,
) -> Error {
    Error {
        location: location(file, &pointer, line_column),
        message,
    }
}

fn location(file: &str, pointer: &Pointer, line_column: Option<(usize, usize)>) -> Location {
    Location {
        file: file.to_owned(),
        pointer: pointer.as_str().to_owned(),
        line_column,
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
    error_at(file, pointer, line_column, message)
}

/// serde_yaml puts the path before its messages and " at line L column C" after them; the
/// location already says both.
fn yaml_message(error: &serde_yaml::Error, path: &str) -> String {
    let message = error.to_string();
    let message = message
        .strip_prefix(&format!("{path}: "))
        .unwrap_or(&message);
    without_position(message)
}

/// A parser message without its trailing " at line L column C", which the location says.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const MINIMAL: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

    fn only(errors: Errors) -> Error {
        assert_eq!(errors.len(), 1, "{errors}");
        errors.into_vec().remove(0)
    }

    #[test]
    fn yaml_and_json_are_both_read() {
        assert!(Spec::parse("a.yaml", MINIMAL).is_ok());
        let json = r#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#;
        assert!(Spec::parse("a.json", json).is_ok());
    }

    #[test]
    fn an_unquoted_yaml_version_keeps_its_text() {
        let text = MINIMAL.replace("'1'", "1.10");
        let spec = Spec::parse("a.yaml", &text).unwrap();
        assert_eq!(spec.document().info.version, "1.10");
    }

    #[test]
    fn malformed_yaml_is_located_by_line() {
        let error = only(Spec::parse("bad.yaml", "openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err());
        assert_eq!(error.location.file, "bad.yaml");
        assert!(error.location.line_column.is_some(), "{error}");
    }

    #[test]
    fn malformed_json_is_located_by_line_without_repeating_it() {
        let text = "{\"openapi\": \"3.0.3\",\n \"info\": }";
        let error = only(Spec::parse("bad.json", text).unwrap_err());
        assert_eq!(error.location.line_column.map(|(line, _)| line), Some(2));
        assert!(!error.message.contains("at line"), "{error}");
    }

    #[test]
    fn a_wrongly_typed_node_is_located_by_pointer_and_line() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: [1]\npaths: {}\n";
        let error = only(Spec::parse("bad.yaml", text).unwrap_err());
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
        let error = only(Spec::parse("bad.yaml", text).unwrap_err());
        assert!(error.location.pointer.starts_with("#/paths"), "{error}");
        assert!(error.location.line_column.is_some(), "{error}");
    }

    #[test]
    fn a_repeated_key_is_an_error_not_a_panic() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/: {description: a, description: b}}\n";
        let error = only(Spec::parse("dup.yaml", text).unwrap_err());
        assert!(
            error.message.contains("duplicate key `description`"),
            "{error}"
        );
        assert_eq!(error.location.pointer, "#/paths/~1");
        assert!(error.location.line_column.is_some(), "{error}");
        let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/": {"summary": "a", "summary": "b"}}}"#;
        let error = only(Spec::parse("dup.json", json).unwrap_err());
        assert!(error.message.contains("duplicate key `summary`"), "{error}");
    }

    #[test]
    fn keywords_beside_a_ref_are_kept_by_the_pointer_of_their_object() {
        let text = r##"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "A/B": {"type": "object", "properties": {
                    "owner": {"$ref": "#/components/schemas/C", "nullable": true},
                    "plain": {"$ref": "#/components/schemas/C"},
                    "$ref": {"type": "string"}}},
                "C": {"type": "object"}}}}"##;
        let spec = Spec::parse("t.json", text).unwrap();
        let owner = Pointer::root()
            .join("components")
            .join("schemas")
            .join("A/B")
            .join("properties");
        let siblings = spec.ref_siblings(&owner.join("owner")).unwrap();
        assert_eq!(Value::Object(siblings.clone()), json!({"nullable": true}));
        assert!(spec.ref_siblings(&owner.join("plain")).is_none());
        assert!(spec.ref_siblings(&owner.join("$ref")).is_none());
    }

    #[test]
    fn openapi_3_1_is_read_and_other_versions_are_refused_at_the_version_field() {
        let text = MINIMAL.replace("3.0.3", "3.1.0").replace("paths: {}\n", "");
        assert!(Spec::parse("new.yaml", &text).is_ok());
        let text = MINIMAL.replace("3.0.3", "4.0.0");
        let error = only(Spec::parse("next.yaml", &text).unwrap_err());
        assert_eq!(error.location.pointer, "#/openapi");
        let error = only(Spec::parse("none.yaml", "info: {}\n").unwrap_err());
        assert_eq!(error.location.pointer, "#/openapi");
    }

    #[test]
    fn integer_keys_in_extensions_and_huge_numbers_are_read() {
        let text =
            format!("{MINIMAL}x-codes:\n  200: ok\n  true: yes\nx-big: -9223372036854776000\n");
        let spec = Spec::parse("a.yaml", &text).unwrap();
        let extensions = &spec.document().extensions;
        assert_eq!(extensions["x-codes"]["200"], "ok");
        assert!(extensions["x-big"].as_f64().is_some_and(|big| big < -9e18));
    }

    #[test]
    fn the_warnings_of_reading_are_located_at_their_node() {
        let text = MINIMAL.replace("{title: t,", "{title: t, description: {$ref: a.md},");
        let spec = Spec::parse("a.yaml", &text).unwrap();
        let [warning] = spec.warnings() else {
            panic!("{:?}", spec.warnings());
        };
        assert_eq!(warning.location.pointer, "#/info/description");
    }

    #[test]
    fn yaml_keys_that_are_numbers_read_as_text() {
        let tree = read_tree("a.yaml", "200: {a: 1}\ntrue: x\n").unwrap();
        assert_eq!(tree["200"]["a"], 1);
        assert_eq!(tree["true"], "x");
    }
}
