//! Walking a document's JSON tree before it is typed: which nodes are schemas and which are
//! the other objects of OpenAPI (operations, parameters, responses, ...).
//!
//! The walk knows only as much of OpenAPI's grammar as the passes over the tree need: a member
//! named `schema` and the entries of `#/components/schemas` are schemas, and inside a schema
//! its subschemas are found by keyword. Extensions (`x-...`) and example values are data, not
//! document, and are never entered.

use serde_json::Value;

use crate::diagnostics::Pointer;

/// What a pass does at each node of the walk. Each node is visited before what it holds, so a
/// visitor may rewrite a node and the walk goes on into the rewritten one.
pub(super) trait Visitor {
    /// A schema (an object or, in OpenAPI 3.1, a boolean) found at `at`.
    fn schema(&mut self, schema: &mut Value, at: &Pointer);

    /// Any other object of the document, found at `at`.
    fn object(&mut self, object: &mut serde_json::Map<String, Value>, at: &Pointer);
}

/// Visits every object and schema of `document`.
pub(super) fn document(document: &mut Value, visitor: &mut impl Visitor) {
    object(document, &Pointer::root(), visitor);
}

/// Members whose values are data rather than document (or, in `security`, only names of
/// schemes and scopes): never entered.
const DATA: &[&str] = &[
    "example", "examples", "default", "value", "enum", "const", "security",
];

/// Members whose values map names (paths, statuses, media types, header names, ...) to
/// objects: the map's keys are names, not keywords, so the map is not itself visited.
const NAMED: &[&str] = &[
    "paths",
    "pathItems",
    "responses",
    "headers",
    "content",
    "encoding",
    "links",
    "callbacks",
    "variables",
    "parameters",
    "requestBodies",
    "securitySchemes",
];

fn object(node: &mut Value, at: &Pointer, visitor: &mut impl Visitor) {
    match node {
        Value::Object(members) => {
            visitor.object(members, at);
            let is_components = at.as_str() == "#/components";
            for (key, child) in members.iter_mut() {
                let child_at = at.join(key);
                match key.as_str() {
                    key if key.starts_with("x-") || DATA.contains(&key) => {}
                    "schema" => schema(child, &child_at, visitor),
                    "schemas" if is_components => each_member(child, &child_at, visitor),
                    key if NAMED.contains(&key) && child.is_object() => {
                        each_object(child, &child_at, visitor);
                    }
                    _ => object(child, &child_at, visitor),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                object(item, &at.join(index), visitor);
            }
        }
        _ => {}
    }
}

/// Visits the objects a map of names holds.
fn each_object(node: &mut Value, at: &Pointer, visitor: &mut impl Visitor) {
    if let Value::Object(members) = node {
        for (name, child) in members.iter_mut() {
            object(child, &at.join(name), visitor);
        }
    }
}

/// Keywords whose value is one subschema.
const ONE_SCHEMA: &[&str] = &[
    "items",
    "additionalItems",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// Keywords whose value is a list of subschemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Keywords whose value maps names to subschemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

fn schema(node: &mut Value, at: &Pointer, visitor: &mut impl Visitor) {
    visitor.schema(node, at);
    let Value::Object(keywords) = node else {
        return;
    };
    for (key, child) in keywords.iter_mut() {
        let child_at = at.join(key);
        let key = key.as_str();
        if SCHEMA_MAPS.contains(&key) {
            each_member(child, &child_at, visitor);
        } else if SCHEMA_LISTS.contains(&key) || (key == "items" && child.is_array()) {
            each_item(child, &child_at, visitor);
        } else if ONE_SCHEMA.contains(&key)
            && !(key == "additionalProperties" && child.is_boolean())
        {
            schema(child, &child_at, visitor);
        }
    }
}

fn each_member(node: &mut Value, at: &Pointer, visitor: &mut impl Visitor) {
    if let Value::Object(members) = node {
        for (name, child) in members.iter_mut() {
            schema(child, &at.join(name), visitor);
        }
    }
}

fn each_item(node: &mut Value, at: &Pointer, visitor: &mut impl Visitor) {
    if let Value::Array(items) = node {
        for (index, child) in items.iter_mut().enumerate() {
            schema(child, &at.join(index), visitor);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Map};

    use super::*;

    /// Records the pointers it is shown.
    #[derive(Default)]
    struct Seen {
        schemas: Vec<String>,
        objects: Vec<String>,
    }

    impl Visitor for Seen {
        fn schema(&mut self, _: &mut Value, at: &Pointer) {
            self.schemas.push(at.as_str().to_owned());
        }

        fn object(&mut self, _: &mut Map<String, Value>, at: &Pointer) {
            self.objects.push(at.as_str().to_owned());
        }
    }

    #[test]
    fn schemas_are_found_by_position_and_data_is_never_entered() {
        let mut tree = json!({
            "paths": {"/a": {"get": {
                "parameters": [{"name": "q", "schema": {"type": "string"}}],
                "x-meta": {"schema": {"type": "string"}},
                "responses": {"200": {"content": {"application/json": {
                    "example": {"schema": 1},
                    "schema": {"items": {"properties": {"schema": true}}}}}}}}}},
            "components": {"schemas": {"A": {
                "allOf": [{"not": {}}],
                "additionalProperties": false,
                "default": {"properties": {}}}}}
        });
        let mut seen = Seen::default();
        document(&mut tree, &mut seen);
        seen.schemas.sort();
        assert_eq!(
            seen.schemas,
            [
                "#/components/schemas/A",
                "#/components/schemas/A/allOf/0",
                "#/components/schemas/A/allOf/0/not",
                "#/paths/~1a/get/parameters/0/schema",
                "#/paths/~1a/get/responses/200/content/application~1json/schema",
                "#/paths/~1a/get/responses/200/content/application~1json/schema/items",
                "#/paths/~1a/get/responses/200/content/application~1json/schema/items/properties/schema",
            ]
        );
        assert!(seen.objects.contains(&"#/paths/~1a/get".to_owned()));
        assert!(
            !seen.objects.contains(&"#/paths".to_owned()),
            "a map of names"
        );
        assert!(!seen.objects.iter().any(|at| at.contains("x-meta")));
    }
}
