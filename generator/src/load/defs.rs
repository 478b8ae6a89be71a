//! OpenAPI 3.1's `$defs`: schemas a schema defines for its own use, moved among the
//! component schemas, where lowering finds (and names) what `$ref`s point at.
//!
//! Each entry of a `$defs` keeps its name when no component schema has it, else gets a number
//! after it. Every `$ref` into a moved schema is rewritten to its new place, and the moves are
//! returned, so that diagnostics about a moved schema are located where the document has it.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::walk::{self, Visitor};
use crate::diagnostics::Pointer;

/// Rounds of moving, each taking the `$defs` the schemas moved in the last one held.
const MAX_DEPTH: usize = 16;

/// Where a schema was moved from, and where to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Move {
    /// The schema's pointer in the document as written.
    pub(super) from: Pointer,
    /// Its pointer among the component schemas.
    pub(super) to: Pointer,
}

/// Moves every `$defs` entry of `document` among its component schemas; see [the
/// module](self).
pub(super) fn hoist(document: &mut Value) -> Vec<Move> {
    let mut moves = Vec::new();
    for _ in 0..MAX_DEPTH {
        let mut found = Found::default();
        walk::document(document, &mut found);
        if found.defs.is_empty() {
            break;
        }
        let round = place(document, found.defs);
        let renames: HashMap<String, String> = round
            .iter()
            .map(|moved| (moved.from.as_str().to_owned(), moved.to.as_str().to_owned()))
            .collect();
        walk::document(document, &mut Rewrite { renames: &renames });
        moves.extend(round);
    }
    moves
}

/// Takes each `$defs` out of the schema that holds it.
#[derive(Default)]
struct Found {
    /// The pointer of each `$defs`, and its entries.
    defs: Vec<(Pointer, Map<String, Value>)>,
}

impl Visitor for Found {
    fn schema(&mut self, schema: &mut Value, at: &Pointer) {
        let Some(keywords) = schema.as_object_mut() else {
            return;
        };
        if let Some(Value::Object(entries)) = keywords.shift_remove("$defs") {
            self.defs.push((at.join("$defs"), entries));
        }
    }

    fn object(&mut self, _: &mut Map<String, Value>, _: &Pointer) {}
}

/// Puts the entries of `defs` among the component schemas, under names no schema has yet.
fn place(document: &mut Value, defs: Vec<(Pointer, Map<String, Value>)>) -> Vec<Move> {
    let Some(root) = document.as_object_mut() else {
        return Vec::new();
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(components) = components.as_object_mut() else {
        return Vec::new();
    };
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(schemas) = schemas.as_object_mut() else {
        return Vec::new();
    };
    let to = Pointer::root().join("components").join("schemas");
    let mut moves = Vec::new();
    for (at, entries) in defs {
        for (name, schema) in entries {
            let free = (1..)
                .map(|n| match n {
                    1 => name.clone(),
                    n => format!("{name}{n}"),
                })
                .find(|candidate| !schemas.contains_key(candidate))
                .unwrap_or_default();
            moves.push(Move {
                from: at.join(&name),
                to: to.join(&free),
            });
            schemas.insert(free, schema);
        }
    }
    moves
}

/// Points `$ref`s into moved schemas at their new places.
struct Rewrite<'r> {
    /// Old pointers of moved schemas -> new ones.
    renames: &'r HashMap<String, String>,
}

impl Visitor for Rewrite<'_> {
    fn schema(&mut self, schema: &mut Value, _: &Pointer) {
        let Some(Value::String(reference)) = schema.get_mut("$ref") else {
            return;
        };
        // The reference itself, or a pointer into it (`.../$defs/A/properties/b`).
        let moved = reference.match_indices('/').map(|(end, _)| end);
        let ends = moved.chain([reference.len()]);
        let mut renamed = ends.filter_map(|end| {
            let new = self.renames.get(&reference[..end])?;
            Some(format!("{new}{}", &reference[end..]))
        });
        // The longest of them, the last in order.
        if let Some(renamed) = renamed.next_back() {
            *reference = renamed;
        }
    }

    fn object(&mut self, _: &mut Map<String, Value>, _: &Pointer) {}
}

/// `pointer` as the document has it, before any of `moves`.
pub(super) fn original(pointer: &str, moves: &[Move]) -> String {
    for (index, moved) in moves.iter().enumerate().rev() {
        let to = moved.to.as_str();
        if let Some(rest) = pointer.strip_prefix(to) {
            if rest.is_empty() || rest.starts_with('/') {
                return original(&format!("{}{rest}", moved.from), &moves[..index]);
            }
        }
    }
    pointer.to_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn defs_become_component_schemas_and_refs_follow_them() {
        let mut document = json!({"components": {"schemas": {
            "Point": {"type": "object", "properties": {
                "x": {"$ref": "#/components/schemas/Point/$defs/Coordinate"},
                "unit": {"$ref": "#/components/schemas/Point/$defs/Point/properties/name"}},
                "$defs": {
                    "Coordinate": {"type": "number"},
                    "Point": {"type": "object", "properties": {"name": {"type": "string"}},
                        "$defs": {"Deep": {"type": "integer"}}}}}}}});
        let moves = hoist(&mut document);
        let schemas = &document["components"]["schemas"];
        assert_eq!(schemas["Coordinate"], json!({"type": "number"}));
        assert_eq!(schemas["Deep"], json!({"type": "integer"}));
        assert!(schemas["Point"].get("$defs").is_none());
        let properties = &schemas["Point"]["properties"];
        assert_eq!(properties["x"]["$ref"], "#/components/schemas/Coordinate");
        assert_eq!(
            properties["unit"]["$ref"],
            "#/components/schemas/Point2/properties/name"
        );
        assert_eq!(
            original("#/components/schemas/Deep/type", &moves),
            "#/components/schemas/Point/$defs/Point/$defs/Deep/type"
        );
        assert_eq!(
            original("#/components/schemas/Point/x", &moves),
            "#/components/schemas/Point/x"
        );
    }
}
