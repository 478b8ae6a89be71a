//! Reading what other tools read: the details of a document that break OpenAPI's letter but
//! not its sense are set right in the JSON tree, each with a warning at its node, before the
//! document is typed.
//!
//! - Documentation (`description`, `summary`, `title`) that is not text, such as a `$ref`
//!   object left by a tool that assembles a document from Markdown files, is dropped.
//! - A constraint the generator's types cannot hold (`minimum` beyond 64 bits, a length that
//!   is not a whole number) is dropped.
//! - A schema `$ref` that points at nothing, or at something that is not a component schema
//!   (a response, say), loses its `$ref`: that one schema is any JSON. References outside the
//!   document are left for lowering to refuse.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::walk::{self, Visitor};
use crate::diagnostics::Pointer;

/// Sets right what [the module](self) says in `document`, and returns a warning (its pointer
/// and message) for each change.
pub(super) fn tolerate(document: &mut Value) -> Vec<(Pointer, String)> {
    let components = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    let mut pass = Tolerance {
        components,
        warnings: Vec::new(),
    };
    walk::document(document, &mut pass);
    pass.warnings
}

struct Tolerance {
    /// The names of the component schemas, which schema `$ref`s may point at.
    components: HashSet<String>,
    warnings: Vec<(Pointer, String)>,
}

/// Members that hold documentation text in the objects of OpenAPI.
const TEXT: &[&str] = &["description", "summary", "title"];

/// Constraints held as 64-bit integers, whatever the schema's type.
const COUNTS: &[&str] = &[
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

/// Constraints held as 64-bit integers in an integer schema, and as numbers in any other.
const BOUNDS: &[&str] = &["minimum", "maximum", "multipleOf"];

impl Visitor for Tolerance {
    fn schema(&mut self, schema: &mut Value, at: &Pointer) {
        let Value::Object(keywords) = schema else {
            return;
        };
        self.drop_non_text(keywords, at);
        self.drop_unfit_constraints(keywords, at);
        self.loosen_ref(keywords, at);
    }

    fn object(&mut self, object: &mut Map<String, Value>, at: &Pointer) {
        self.drop_non_text(object, at);
    }
}

impl Tolerance {
    fn drop_non_text(&mut self, members: &mut Map<String, Value>, at: &Pointer) {
        for key in TEXT {
            if members.get(*key).is_some_and(|value| !value.is_string()) {
                let value = members.shift_remove(*key).unwrap_or_default();
                let message = format!("`{key}` is {}, not text; dropped", kind(&value));
                self.warnings.push((at.join(key), message));
            }
        }
    }

    fn drop_unfit_constraints(&mut self, keywords: &mut Map<String, Value>, at: &Pointer) {
        let integer = keywords.get("type").and_then(Value::as_str) == Some("integer");
        for key in COUNTS.iter().chain(BOUNDS) {
            let Some(value) = keywords.get(*key) else {
                continue;
            };
            let problem = match value {
                Value::Number(number) if COUNTS.contains(key) && !number.is_u64() => {
                    "not a whole number of at most 64 bits"
                }
                Value::Number(number) if integer && !number.is_i64() => {
                    "not an integer of at most 64 bits"
                }
                Value::Number(_) => continue,
                _ => "not a number",
            };
            let message = format!("`{key}: {value}` is {problem}; ignored");
            keywords.shift_remove(*key);
            self.warnings.push((at.join(key), message));
        }
    }

    /// Takes away a `$ref` that does not lead to a component schema of this document.
    fn loosen_ref(&mut self, keywords: &mut Map<String, Value>, at: &Pointer) {
        let Some(Value::String(reference)) = keywords.get("$ref") else {
            return;
        };
        let problem = match reference.strip_prefix("#/components/schemas/") {
            Some(name) if name.contains('/') => "points inside a component schema",
            Some(name) if self.components.contains(&unescape(name)) => return,
            Some(_) => "points at nothing",
            None if !reference.starts_with('#') => return,
            None if reference.starts_with("#/components/") => {
                "points at a component that is not a schema"
            }
            None => "does not point at a component schema",
        };
        let message = format!("`$ref: {reference}` {problem}; its values are any JSON");
        keywords.shift_remove("$ref");
        self.warnings.push((at.clone(), message));
    }
}

/// A JSON pointer's reference token, unescaped.
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// What kind of JSON `value` is, for a message.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn messages(mut document: Value) -> (Value, Vec<String>) {
        let warnings = tolerate(&mut document)
            .into_iter()
            .map(|(at, message)| format!("{at}: {message}"))
            .collect();
        (document, warnings)
    }

    #[test]
    fn documentation_that_is_not_text_is_dropped_where_it_stands() {
        let (document, warnings) = messages(json!({
            "paths": {"/a": {"get": {"description": {"$ref": "a.md"}, "summary": "S",
                "responses": {"200": {"description": "ok", "headers": {
                    "description": {"schema": {"type": "string"}}}}}}}},
            "components": {"schemas": {"A": {"title": 7, "properties": {
                "description": {"type": "string"}}}}}
        }));
        assert_eq!(
            warnings,
            [
                "#/paths/~1a/get/description: `description` is an object, not text; dropped",
                "#/components/schemas/A/title: `title` is a number, not text; dropped",
            ]
        );
        let operation = &document["paths"]["/a"]["get"];
        assert!(operation.get("description").is_none());
        assert_eq!(operation["summary"], "S");
        let headers = &operation["responses"]["200"]["headers"];
        assert!(
            headers["description"].is_object(),
            "a header named `description`"
        );
        assert!(document["components"]["schemas"]["A"]["properties"]["description"].is_object());
    }

    #[test]
    fn constraints_beyond_64_bits_are_dropped() {
        let (document, warnings) = messages(json!({"components": {"schemas": {
            "I": {"type": "integer", "minimum": -9.3e18, "maximum": 10},
            "N": {"type": "number", "minimum": -9.3e18, "maxLength": 1.5},
            "S": {"type": "string", "maxLength": "20"}}}}));
        assert_eq!(
            warnings,
            [
                "#/components/schemas/I/minimum: `minimum: -9.3e+18` is not an integer of at most 64 bits; ignored",
                "#/components/schemas/N/maxLength: `maxLength: 1.5` is not a whole number of at most 64 bits; ignored",
                "#/components/schemas/S/maxLength: `maxLength: \"20\"` is not a number; ignored",
            ]
        );
        assert_eq!(
            document["components"]["schemas"]["I"],
            json!({"type": "integer", "maximum": 10})
        );
        assert_eq!(document["components"]["schemas"]["N"]["minimum"], -9.3e18);
    }

    #[test]
    fn a_ref_to_anything_but_a_component_schema_loses_its_ref() {
        let (document, warnings) = messages(json!({"components": {
            "responses": {"R": {"description": "r"}},
            "schemas": {"A/B": {"type": "object"}, "C": {"properties": {
                "fine": {"$ref": "#/components/schemas/A~1B"},
                "far": {"$ref": "other.yaml#/X"},
                "gone": {"$ref": "#/components/schemas/Gone", "description": "kept"},
                "odd": {"$ref": "#/components/responses/R"},
                "deep": {"$ref": "#/components/schemas/A~1B/properties/x"},
                "path": {"$ref": "#/paths/~1a"}}}}}}));
        let at = "#/components/schemas/C/properties";
        assert_eq!(
            warnings,
            [
                format!("{at}/gone: `$ref: #/components/schemas/Gone` points at nothing; its values are any JSON"),
                format!("{at}/odd: `$ref: #/components/responses/R` points at a component that is not a schema; its values are any JSON"),
                format!("{at}/deep: `$ref: #/components/schemas/A~1B/properties/x` points inside a component schema; its values are any JSON"),
                format!("{at}/path: `$ref: #/paths/~1a` does not point at a component schema; its values are any JSON"),
            ]
        );
        let properties = &document["components"]["schemas"]["C"]["properties"];
        assert_eq!(properties["gone"], json!({"description": "kept"}));
        assert_eq!(properties["far"], json!({"$ref": "other.yaml#/X"}));
        assert_eq!(
            properties["fine"],
            json!({"$ref": "#/components/schemas/A~1B"})
        );
    }
}
