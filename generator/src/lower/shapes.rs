//! One type for one shape: inline object and union schemas that are structurally identical
//! (the same properties, types, required list and constraints, whatever their documentation)
//! become one type, and an inline copy of a component schema (as documents published fully
//! dereferenced have everywhere) is that component's type.
//!
//! A schema's shape is its JSON with the keywords that only document it taken out, at every
//! level that is a schema (never inside `properties` names, `enum` values or examples), plus
//! the keywords written beside the `$ref`s inside it, which `openapiv3` drops but lowering
//! reads. The first place a shape is met names its type; later places reuse it, so adding an
//! operation elsewhere renames nothing.

use openapiv3::Schema;
use serde_json::Value;

use crate::diagnostics::Pointer;
use crate::load::Spec;

/// Keywords that document a schema without changing the values it allows.
const DOC_KEYWORDS: &[&str] = &[
    "title",
    "description",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
    "xml",
];

/// Keywords whose value is one schema.
const SCHEMA_KEYWORDS: &[&str] = &["items", "additionalProperties", "not"];

/// Keywords whose value is a list of schemas.
const SCHEMA_LIST_KEYWORDS: &[&str] = &["allOf", "oneOf", "anyOf"];

/// The shape of `schema`, found at `at` in `spec`: text that two schemas share exactly when
/// they describe the same values. `None` when the schema cannot be written as JSON.
pub(super) fn shape(spec: &Spec, schema: &Schema, at: &Pointer) -> Option<String> {
    let mut json = serde_json::to_value(schema).ok()?;
    strip_docs(&mut json);
    sort_keys(&mut json);
    let mut siblings: Vec<(String, Value)> = spec
        .ref_siblings_under(at)
        .map(|(pointer, keywords)| {
            let mut keywords = Value::Object(keywords.clone());
            strip_docs(&mut keywords);
            sort_keys(&mut keywords);
            (pointer[at.as_str().len()..].to_owned(), keywords)
        })
        .collect();
    siblings.sort_by(|a, b| a.0.cmp(&b.0));
    serde_json::to_string(&(json, siblings)).ok()
}

/// Takes the documentation keywords out of a schema's JSON and out of every schema inside it.
fn strip_docs(schema: &mut Value) {
    let Value::Object(keywords) = schema else {
        return;
    };
    for keyword in DOC_KEYWORDS {
        keywords.remove(*keyword);
    }
    for keyword in SCHEMA_KEYWORDS {
        if let Some(inner) = keywords.get_mut(*keyword) {
            strip_docs(inner);
        }
    }
    for keyword in SCHEMA_LIST_KEYWORDS {
        if let Some(Value::Array(members)) = keywords.get_mut(*keyword) {
            members.iter_mut().for_each(strip_docs);
        }
    }
    if let Some(Value::Object(properties)) = keywords.get_mut("properties") {
        properties.values_mut().for_each(strip_docs);
    }
}

/// Puts the members of every object in `value` in one order, so that the same schema written
/// (or typed) with its keywords in another order has the same shape.
fn sort_keys(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.sort_keys();
            members.values_mut().for_each(sort_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

/// Whether two keyword maps describe the same values once their documentation is left out;
/// for tests.
#[cfg(test)]
fn same_shape(a: Value, b: Value) -> bool {
    let (mut a, mut b) = (a, b);
    for value in [&mut a, &mut b] {
        strip_docs(value);
        sort_keys(value);
    }
    serde_json::to_string(&a).ok() == serde_json::to_string(&b).ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::same_shape;

    #[test]
    fn documentation_does_not_make_a_shape_but_names_and_constraints_do() {
        let a = json!({"type": "object", "description": "A", "properties": {
            "description": {"type": "string", "description": "x", "maxLength": 3},
            "items": {"type": "array", "items": {"type": "string", "example": "e"}}
        }});
        let b = json!({"type": "object", "title": "B", "properties": {
            "description": {"type": "string", "maxLength": 3},
            "items": {"type": "array", "items": {"type": "string"}}
        }});
        assert!(same_shape(a.clone(), b));
        let other_property = json!({"type": "object", "properties": {
            "summary": {"type": "string", "maxLength": 3},
            "items": {"type": "array", "items": {"type": "string"}}
        }});
        assert!(!same_shape(a.clone(), other_property));
        let other_constraint = json!({"type": "object", "properties": {
            "description": {"type": "string", "maxLength": 4},
            "items": {"type": "array", "items": {"type": "string"}}
        }});
        assert!(!same_shape(a, other_constraint));
    }

    #[test]
    fn the_order_keywords_are_written_in_does_not_make_a_shape() {
        let a =
            json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}});
        let b =
            json!({"required": ["a"], "properties": {"a": {"type": "string"}}, "type": "object"});
        assert!(same_shape(a, b));
    }

    #[test]
    fn enum_values_and_examples_are_kept_as_they_are() {
        let a = json!({"type": "string", "enum": ["description"], "default": {"title": 1}});
        let b = json!({"type": "string", "enum": ["description"], "default": {}});
        assert!(!same_shape(a, b));
    }
}
