//! `allOf` around one non-object schema: a string, number, integer, boolean or array, plus
//! members that only annotate it (`[{type: string, nullable: true}, {nullable: false}]`, or a
//! `$ref` to a scalar plus constraints). Such an `allOf` is that one value, with the members'
//! annotations merged into one schema, so it lowers like any other schema of its type.
//!
//! The merge works on the members' JSON forms, key by key (see [`merge_members`]); the result
//! is typed again by `openapiv3`, so it is exactly what the document would hold had it been
//! written as one schema.

use openapiv3::{ReferenceOr, Schema, SchemaKind};
use serde_json::{Map, Value};

use super::schemas::SchemaRef;
use super::{Lowerer, MAX_REF_CHAIN};
use crate::diagnostics::{Error, Pointer};

/// An `allOf` merged into one non-object schema.
#[derive(Clone, Copy)]
pub(crate) struct Merged<'a> {
    /// The merged schema; it has no `allOf`.
    pub(crate) schema: &'a Schema,
    /// The first `$ref` that gives the value a type, if any: the value is then that
    /// component's type (one enum stays one enum), with the merged annotations.
    pub(crate) reference: Option<&'a str>,
}

/// One member of an `allOf`, as JSON, with the reference it was reached through.
struct Member<'a> {
    json: Map<String, Value>,
    reference: Option<&'a str>,
}

impl<'a> Lowerer<'a> {
    /// `schema` (found at `at`) merged into one schema when it is an `allOf` around one
    /// non-object schema; `None` for any other schema, an `allOf` of objects included.
    /// Called through `simplified`, which remembers the answer.
    pub(crate) fn merged_scalar(
        &mut self,
        schema: &'a Schema,
        at: &Pointer,
    ) -> Result<Option<Merged<'a>>, Error> {
        let all_of = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            SchemaKind::Any(any) if !any.all_of.is_empty() => &any.all_of,
            _ => return Ok(None),
        };
        self.merge(schema, all_of, at)
    }

    fn merge(
        &mut self,
        schema: &'a Schema,
        all_of: &'a [ReferenceOr<Schema>],
        at: &Pointer,
    ) -> Result<Option<Merged<'a>>, Error> {
        let Some(wrapper) = own_keys(schema) else {
            return Ok(None);
        };
        let mut members = Vec::with_capacity(all_of.len());
        for (index, member) in all_of.iter().enumerate() {
            let member_at = at.join("allOf").join(index);
            let reference = match member {
                ReferenceOr::Reference { reference } => Some(reference.as_str()),
                ReferenceOr::Item(_) => None,
            };
            let (resolved, _) = self.resolve_schema(SchemaRef::from(member), &member_at)?;
            if !self.flatten(resolved, reference, &mut members, 0) {
                return Ok(None);
            }
        }
        let jsons: Vec<&Map<String, Value>> = members.iter().map(|m| &m.json).collect();
        let Some(merged) = merge_members(&wrapper, &jsons) else {
            return Ok(None);
        };
        let Ok(merged) = serde_json::from_value::<Schema>(Value::Object(merged)) else {
            return Ok(None);
        };
        // When a reference gives the type, the value is of that component's type (so one enum
        // stays one type, and a schema that contains itself is reached through the component,
        // whose lowering is guarded, rather than merged again at every level).
        let reference = members
            .iter()
            .filter(|m| m.json.contains_key("type"))
            .find_map(|m| m.reference);
        Ok(Some(Merged {
            schema: self.arena.alloc(merged),
            reference,
        }))
    }

    /// Adds the JSON form of `schema` to `members`, with the members of an `allOf` it holds
    /// listed in its place. `false` when a member cannot be part of a merge.
    fn flatten(
        &self,
        schema: &'a Schema,
        reference: Option<&'a str>,
        members: &mut Vec<Member<'a>>,
        depth: usize,
    ) -> bool {
        let Some(json) = own_keys(schema) else {
            return false;
        };
        let nested = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.as_slice(),
            SchemaKind::Any(any) => any.all_of.as_slice(),
            _ => &[],
        };
        members.push(Member { json, reference });
        if nested.is_empty() {
            return true;
        }
        if depth >= MAX_REF_CHAIN {
            return false;
        }
        nested.iter().all(|member| {
            let inner_reference = match member {
                ReferenceOr::Reference { reference } => Some(reference.as_str()),
                ReferenceOr::Item(_) => None,
            };
            match self.resolve_schema(SchemaRef::from(member), &Pointer::root()) {
                Ok((resolved, _)) => {
                    self.flatten(resolved, inner_reference.or(reference), members, depth + 1)
                }
                Err(_) => false,
            }
        })
    }
}

/// The JSON form of `schema` without its `allOf`; `None` for a schema that is not an object
/// when written out (which `openapiv3` never produces).
fn own_keys(schema: &Schema) -> Option<Map<String, Value>> {
    match serde_json::to_value(schema) {
        Ok(Value::Object(mut json)) => {
            json.remove("allOf");
            Some(json)
        }
        _ => None,
    }
}

/// The types an `allOf` can merge around.
const MERGEABLE_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array"];

/// Merges the members of an `allOf` that describe one non-object value, key by key:
///
/// - `type`: every member that has one agrees, and at least one has one;
/// - `description`, `title`, `format`, `example`, `default`, `items`, `pattern`,
///   `multipleOf`, `externalDocs` and extensions: the wrapper's, else the members'
///   (the last `description`, as later members refine; the first of the others);
/// - `nullable`: the wrapper's `nullable: true`, else true only when every member says so;
/// - `readOnly`, `writeOnly`, `deprecated`, `uniqueItems`, the exclusive bounds: any;
/// - `enum`: the values every member that lists some allows;
/// - lower bounds the largest, upper bounds the smallest.
///
/// `None` when a member has anything else (properties, compositions, `not`), or the types
/// differ.
pub(crate) fn merge_members(
    wrapper: &Map<String, Value>,
    members: &[&Map<String, Value>],
) -> Option<Map<String, Value>> {
    let all: Vec<&Map<String, Value>> = std::iter::once(wrapper)
        .chain(members.iter().copied())
        .collect();
    let ty = agreed_type(&all)?;
    let fits = |key: &String| is_mergeable_key(key) && (key != "items" || ty == "array");
    if !all.iter().all(|json| json.keys().all(fits)) {
        return None;
    }
    let mut merged = Map::new();
    merged.insert("type".into(), Value::String(ty.to_owned()));
    merge_annotations(&mut merged, wrapper, members);
    merge_flags(&mut merged, wrapper, members);
    merge_enums(&mut merged, &all);
    merge_bounds(&mut merged, &all);
    Some(merged)
}

/// Keys given once: the wrapper's, else the members' (the last `description`, as later
/// members refine; the first of the others); extensions likewise.
fn merge_annotations(
    merged: &mut Map<String, Value>,
    wrapper: &Map<String, Value>,
    members: &[&Map<String, Value>],
) {
    let description = wrapper
        .get("description")
        .filter(|d| is_text(d))
        .or_else(|| {
            members
                .iter()
                .rev()
                .find_map(|m| m.get("description").filter(|d| is_text(d)))
        });
    if let Some(description) = description {
        merged.insert("description".into(), description.clone());
    }
    let wrapper_first = || std::iter::once(wrapper).chain(members.iter().copied());
    for key in [
        "title",
        "format",
        "example",
        "default",
        "items",
        "pattern",
        "multipleOf",
        "externalDocs",
    ] {
        if let Some(value) = wrapper_first().find_map(|json| json.get(key)) {
            merged.insert(key.into(), value.clone());
        }
    }
    for json in wrapper_first() {
        for (key, value) in json.iter().filter(|(key, _)| key.starts_with("x-")) {
            merged.entry(key.clone()).or_insert_with(|| value.clone());
        }
    }
}

/// `nullable` when the wrapper says so or every member does; the other flags when any says
/// so.
fn merge_flags(
    merged: &mut Map<String, Value>,
    wrapper: &Map<String, Value>,
    members: &[&Map<String, Value>],
) {
    let says = |json: &Map<String, Value>, key: &str| json.get(key) == Some(&Value::Bool(true));
    let nullable = says(wrapper, "nullable") || members.iter().all(|m| says(m, "nullable"));
    merged.insert("nullable".into(), Value::Bool(nullable));
    for key in [
        "readOnly",
        "writeOnly",
        "deprecated",
        "uniqueItems",
        "exclusiveMinimum",
        "exclusiveMaximum",
    ] {
        let any = std::iter::once(wrapper)
            .chain(members.iter().copied())
            .any(|json| says(json, key));
        if any {
            merged.insert(key.into(), Value::Bool(true));
        }
    }
}

/// The `enum` values every schema of `all` that lists some allows.
fn merge_enums(merged: &mut Map<String, Value>, all: &[&Map<String, Value>]) {
    let enums: Vec<&Vec<Value>> = all
        .iter()
        .filter_map(|json| json.get("enum")?.as_array())
        .collect();
    if let Some((first, rest)) = enums.split_first() {
        let allowed = first
            .iter()
            .filter(|value| rest.iter().all(|other| other.contains(value)))
            .cloned()
            .collect();
        merged.insert("enum".into(), Value::Array(allowed));
    }
}

/// The largest lower bound and the smallest upper bound of `all`, and `multipleOf`, as whole
/// numbers where they are.
fn merge_bounds(merged: &mut Map<String, Value>, all: &[&Map<String, Value>]) {
    for (key, largest) in [
        ("minLength", true),
        ("minItems", true),
        ("minimum", true),
        ("maxLength", false),
        ("maxItems", false),
        ("maximum", false),
    ] {
        let bounds = all
            .iter()
            .filter_map(|json| json.get(key)?.as_f64().map(|n| (n, &json[key])));
        let chosen = if largest {
            bounds.max_by(|a, b| a.0.total_cmp(&b.0))
        } else {
            bounds.min_by(|a, b| a.0.total_cmp(&b.0))
        };
        if let Some((_, value)) = chosen {
            merged.insert(key.into(), whole_number(value));
        }
    }
    if let Some(multiple) = merged.get_mut("multipleOf") {
        *multiple = whole_number(multiple);
    }
}

/// `openapiv3` reads every bound of an untyped schema as a float, and an integer schema
/// refuses a float bound; a bound that is a whole number is written back as one.
fn whole_number(value: &Value) -> Value {
    match value.as_f64() {
        Some(number) if number.fract() == 0.0 && number.abs() < 9.0e15 => {
            Value::from(number as i64)
        }
        _ => value.clone(),
    }
}

/// The one type the members agree on, if they do and it is not an object.
fn agreed_type<'j>(all: &[&'j Map<String, Value>]) -> Option<&'j str> {
    let mut types = all.iter().filter_map(|json| json.get("type"));
    let first = types.next()?.as_str()?;
    let agree = types.all(|ty| ty.as_str() == Some(first));
    (agree && MERGEABLE_TYPES.contains(&first)).then_some(first)
}

fn is_mergeable_key(key: &str) -> bool {
    const KEYS: &[&str] = &[
        "type",
        "format",
        "enum",
        "description",
        "title",
        "nullable",
        "readOnly",
        "writeOnly",
        "deprecated",
        "example",
        "default",
        "externalDocs",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
    ];
    KEYS.contains(&key) || key.starts_with("x-")
}

fn is_text(value: &Value) -> bool {
    value.as_str().is_some_and(|text| !text.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn merge(wrapper: Value, members: Value) -> Option<Value> {
        let wrapper = wrapper.as_object().unwrap().clone();
        let members: Vec<Map<String, Value>> = members
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_object().unwrap().clone())
            .collect();
        let members: Vec<&Map<String, Value>> = members.iter().collect();
        merge_members(&wrapper, &members).map(Value::Object)
    }

    #[test]
    fn an_annotation_member_overrides_nullable_only_when_every_member_allows_null() {
        let merged = merge(
            json!({}),
            json!([{"type": "string", "nullable": true, "description": "Seq."}, {"nullable": false}]),
        )
        .unwrap();
        assert_eq!(
            merged,
            json!({"type": "string", "nullable": false, "description": "Seq."})
        );
        let merged = merge(
            json!({}),
            json!([{"type": "string", "nullable": true}, {"nullable": true}]),
        );
        assert_eq!(merged.unwrap()["nullable"], true);
        let merged = merge(json!({"nullable": true}), json!([{"type": "string"}]));
        assert_eq!(merged.unwrap()["nullable"], true);
    }

    #[test]
    fn later_descriptions_refine_and_the_wrapper_wins() {
        let members =
            json!([{"type": "string", "description": "First."}, {"description": "Second."}]);
        assert_eq!(
            merge(json!({}), members.clone()).unwrap()["description"],
            "Second."
        );
        let wrapper = json!({"description": "Own."});
        assert_eq!(merge(wrapper, members).unwrap()["description"], "Own.");
    }

    #[test]
    fn constraints_tighten_and_enums_intersect() {
        let merged = merge(
            json!({}),
            json!([
                {"type": "string", "enum": ["a", "b", "c"], "maxLength": 9, "format": "token"},
                {"enum": ["c", "b"], "maxLength": 3, "minLength": 1},
            ]),
        )
        .unwrap();
        assert_eq!(merged["enum"], json!(["b", "c"]));
        assert_eq!(merged["maxLength"], 3);
        assert_eq!(merged["minLength"], 1);
        assert_eq!(merged["format"], "token");
    }

    #[test]
    fn whole_number_bounds_stay_integers() {
        let merged = merge(
            json!({}),
            json!([{"type": "integer"}, {"minimum": 0.0, "maximum": 2.5}]),
        );
        let merged = merged.unwrap();
        assert!(merged["minimum"].is_i64(), "{merged}");
        assert_eq!(merged["maximum"], 2.5);
    }

    #[test]
    fn arrays_keep_their_items() {
        let merged = merge(
            json!({}),
            json!([{"type": "array", "items": {"type": "string"}, "minItems": 1}, {"maxItems": 100}]),
        )
        .unwrap();
        assert_eq!(merged["items"], json!({"type": "string"}));
        assert_eq!(merged["maxItems"], 100);
    }

    #[test]
    fn objects_compositions_and_disagreeing_types_are_not_merged() {
        let object = json!([{"type": "object", "properties": {"a": {"type": "string"}}}]);
        assert_eq!(merge(json!({}), object), None);
        assert_eq!(
            merge(json!({}), json!([{"properties": {}}, {"type": "string"}])),
            None
        );
        assert_eq!(
            merge(json!({}), json!([{"type": "string"}, {"type": "integer"}])),
            None
        );
        assert_eq!(
            merge(json!({}), json!([{"description": "no type at all"}])),
            None
        );
        assert_eq!(
            merge(json!({}), json!([{"type": "string", "oneOf": []}])),
            None
        );
    }
}
