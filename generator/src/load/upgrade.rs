//! OpenAPI 3.1 read as 3.0: a 3.1 document's JSON tree is rewritten, node by node, into the
//! 3.0 shapes the rest of the generator reads, before it is typed. Each rewrite that loses
//! something warns at the node it rewrote.
//!
//! | 3.1 (JSON Schema 2020-12)                      | 3.0                                       |
//! | ---------------------------------------------- | ----------------------------------------- |
//! | `type: [T, 'null']`                            | `type: T, nullable: true`                 |
//! | `type: [integer, number]`                      | `type: number`                            |
//! | `type: [T, U]` (other unions of types)         | any JSON, warned                          |
//! | `const: V`                                     | `enum: [V]`, with `type` from `V`         |
//! | `oneOf`/`anyOf` of `const`s (and `type: null`) | one `enum` (nullable), integers named by  |
//! |                                                | their titles (`x-enum-varnames`)          |
//! | `exclusiveMinimum: N` (and the maximum)        | `minimum: N, exclusiveMinimum: true`      |
//! | `contentEncoding: base64`                      | `format: byte`                            |
//! | `contentEncoding`, `contentMediaType` (binary) | `format: binary`                          |
//! | `examples: [V, ...]`                           | `example: V`                              |
//! | `true` / `false` as a schema                   | `{}` / `{not: {}}`                        |
//! | `prefixItems` of one schema (a pair, say)      | `items` of that schema                    |
//! | `prefixItems` of different schemas (a tuple)   | items of any JSON, warned                 |
//! | keywords 3.0 has no meaning for (`if`, ...)    | ignored, warned                           |
//! | a path's `$ref` to `#/components/pathItems`    | the path item, in its place               |
//! | `webhooks`                                     | left out, with one warning                |
//! | a `jsonSchemaDialect` other than OpenAPI's     | warned                                    |
//!
//! A `$ref` with keywords beside it needs no rewrite: lowering reads those keywords in 3.0
//! documents too, which write them although 3.0 says they are ignored.

use serde_json::{json, Map, Value};

use super::walk::{self, Visitor};
use crate::diagnostics::Pointer;

/// The JSON Schema dialect OpenAPI 3.1 documents use unless they say otherwise.
const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Rewrites the OpenAPI 3.1 `document` into OpenAPI 3.0's shapes, and returns a warning (its
/// pointer and message) for each rewrite that loses something.
pub(super) fn upgrade(document: &mut Value) -> Vec<(Pointer, String)> {
    let mut pass = Upgrade::default();
    if let Value::Object(members) = document {
        pass.top_level(members);
    }
    walk::document(document, &mut pass);
    pass.warnings
}

#[derive(Default)]
struct Upgrade {
    warnings: Vec<(Pointer, String)>,
}

/// JSON Schema keywords that constrain values in ways no Rust type here expresses; a schema's
/// type is read without them.
const IGNORED: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "patternProperties",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contains",
    "minContains",
    "maxContains",
    "$dynamicRef",
];

/// Keywords that only annotate a schema, kept when its type is given up.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
    "example",
    "externalDocs",
];

impl Visitor for Upgrade {
    fn schema(&mut self, schema: &mut Value, at: &Pointer) {
        if let Value::Bool(allows) = schema {
            *schema = if *allows {
                json!({})
            } else {
                json!({"not": {}})
            };
        }
        let Value::Object(keywords) = schema else {
            return;
        };
        self.type_list(keywords, at);
        const_to_enum(keywords);
        enum_of_consts(keywords);
        exclusive_bounds(keywords);
        content_to_format(keywords);
        examples_to_example(keywords);
        self.tuple(keywords, at);
        self.ignored(keywords, at);
    }

    fn object(&mut self, _: &mut Map<String, Value>, _: &Pointer) {}
}

impl Upgrade {
    fn warn(&mut self, at: Pointer, message: impl Into<String>) {
        self.warnings.push((at, message.into()));
    }

    /// `webhooks` and `jsonSchemaDialect`, and the `paths` 3.0 requires.
    fn top_level(&mut self, members: &mut Map<String, Value>) {
        let root = Pointer::root();
        if members.shift_remove("webhooks").is_some() {
            let message = "webhooks are requests the API makes, not calls a client makes; skipped";
            self.warn(root.join("webhooks"), message);
        }
        match members.shift_remove("jsonSchemaDialect") {
            Some(Value::String(dialect)) if dialect == DEFAULT_DIALECT => {}
            Some(dialect) => {
                let message = format!(
                    "schemas are read as OpenAPI's own dialect of JSON Schema, not as {dialect}"
                );
                self.warn(root.join("jsonSchemaDialect"), message);
            }
            None => {}
        }
        let path_items = members
            .get("components")
            .and_then(|components| components.get("pathItems"))
            .cloned();
        let paths = members.entry("paths").or_insert_with(|| json!({}));
        if let (Some(Value::Object(path_items)), Value::Object(paths)) = (path_items, paths) {
            inline_path_items(paths, &path_items);
        }
    }

    /// `type` as a list: `null` in it makes the schema nullable; one other type stays.
    fn type_list(&mut self, keywords: &mut Map<String, Value>, at: &Pointer) {
        let Some(Value::Array(types)) = keywords.get("type") else {
            return;
        };
        let mut named: Vec<String> = types
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        let nullable = named.iter().any(|name| name == "null");
        named.retain(|name| name != "null");
        named.sort_unstable();
        named.dedup();
        let names: Vec<&str> = named.iter().map(String::as_str).collect();
        let single = match names.as_slice() {
            [] if nullable => Some(json!("null")),
            [] => None,
            [one] => Some(json!(one)),
            ["integer", "number"] => Some(json!("number")),
            several => {
                let message = format!(
                    "`type: [{}]` allows several types, which no one Rust type holds; its \
                     values are any JSON",
                    several.join(", ")
                );
                keywords.retain(|key, _| ANNOTATIONS.contains(&key.as_str()));
                self.warn(at.join("type"), message);
                None
            }
        };
        match single {
            Some(single) => keywords.insert("type".to_owned(), single),
            None => keywords.shift_remove("type"),
        };
        if nullable && !named.is_empty() {
            keywords.insert("nullable".to_owned(), Value::Bool(true));
        }
    }

    /// `prefixItems`, a tuple: a list of its one schema when every place has the same one (a
    /// pair of coordinates, say), else a list of any JSON, with a warning.
    fn tuple(&mut self, keywords: &mut Map<String, Value>, at: &Pointer) {
        let Some(places) = keywords.shift_remove("prefixItems") else {
            return;
        };
        let rest = keywords.shift_remove("items");
        let places = places.as_array().map(Vec::as_slice).unwrap_or_default();
        if let Some(first) = places.first() {
            let same = |schema: &Value| schema == first;
            let rest_fits = rest
                .as_ref()
                .is_none_or(|rest| *rest == false || same(rest));
            if rest_fits && places.iter().all(same) {
                keywords.insert("items".to_owned(), first.clone());
                return;
            }
        }
        let message = "`prefixItems` (a tuple of different types) is read as a list whose items \
                       are any JSON";
        self.warn(at.join("prefixItems"), message);
    }

    fn ignored(&mut self, keywords: &mut Map<String, Value>, at: &Pointer) {
        for keyword in IGNORED {
            if keywords.shift_remove(*keyword).is_some() {
                let message = format!("`{keyword}` has no meaning for a Rust type; ignored");
                self.warn(at.join(keyword), message);
            }
        }
    }
}

/// A `oneOf` or `anyOf` whose alternatives are each one `const` (or `type: null`), as 3.1
/// documents write an enum with a description per value.
fn enum_of_consts(keywords: &mut Map<String, Value>) {
    for union in ["oneOf", "anyOf"] {
        let Some(Value::Array(alternatives)) = keywords.get(union) else {
            continue;
        };
        let titles = titles(alternatives);
        let described = value_docs(alternatives);
        let Some((mut values, nullable)) = consts(alternatives) else {
            continue;
        };
        if let Some(described) = described {
            let own = keywords.get("description").and_then(Value::as_str);
            let description = own.map_or(described.clone(), |own| format!("{own}\n\n{described}"));
            keywords.insert("description".to_owned(), json!(description));
        }
        let typ = values.first().and_then(type_of);
        if let Some(typ) = typ {
            keywords.entry("type").or_insert_with(|| json!(typ));
        }
        // An integer's value says nothing about what it means; its title does.
        if let (Some("integer"), Some(titles)) = (typ, titles) {
            keywords.insert("x-enum-varnames".to_owned(), titles);
        }
        if nullable {
            keywords.insert("nullable".to_owned(), Value::Bool(true));
            values.push(Value::Null);
        }
        keywords.shift_remove(union);
        keywords.insert("enum".to_owned(), Value::Array(values));
    }
}

/// The descriptions of `const` alternatives, as a Markdown list of the values they describe,
/// kept in the enum's description since its variants have none of their own; `None` when no
/// alternative has one.
fn value_docs(alternatives: &[Value]) -> Option<String> {
    let lines: Vec<String> = alternatives
        .iter()
        .filter_map(|alternative| {
            let description = alternative.get("description")?.as_str()?.trim();
            let value = match alternative.get("const")? {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            (!description.is_empty()).then(|| format!("- `{value}`: {description}"))
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The `title` of every alternative but `type: null` ones, when each has one.
fn titles(alternatives: &[Value]) -> Option<Value> {
    alternatives
        .iter()
        .filter(|alternative| alternative.get("type") != Some(&json!("null")))
        .map(|alternative| {
            alternative
                .get("title")
                .filter(|title| title.is_string())
                .cloned()
        })
        .collect::<Option<Vec<Value>>>()
        .map(Value::Array)
}

/// The values of alternatives that are each a `const` with annotations, all of one JSON type,
/// and whether a `type: null` alternative is among them.
fn consts(alternatives: &[Value]) -> Option<(Vec<Value>, bool)> {
    let mut values = Vec::new();
    let mut nullable = false;
    for alternative in alternatives {
        let alternative = alternative.as_object()?;
        if alternative.get("type") == Some(&json!("null")) && alternative.len() == 1 {
            nullable = true;
            continue;
        }
        let value = alternative.get("const")?;
        let fits = |key: &str| key == "const" || key == "type" || ANNOTATIONS.contains(&key);
        if !alternative.keys().all(|key| fits(key)) {
            return None;
        }
        values.push(value.clone());
    }
    let first = type_of(values.first()?)?;
    values
        .iter()
        .all(|value| type_of(value) == Some(first))
        .then_some((values, nullable))
}

/// Puts in place of each `$ref` to a `#/components/pathItems` entry (which 3.0 does not have)
/// the entry itself, with the keywords beside the reference over its own.
fn inline_path_items(paths: &mut Map<String, Value>, path_items: &Map<String, Value>) {
    for item in paths.values_mut() {
        let Some(Value::String(reference)) = item.get("$ref") else {
            continue;
        };
        let Some(name) = reference.strip_prefix("#/components/pathItems/") else {
            continue;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        let (Some(Value::Object(target)), Value::Object(beside)) = (path_items.get(&name), &item)
        else {
            continue;
        };
        let mut inlined = target.clone();
        inlined.extend(
            beside
                .iter()
                .filter(|(key, _)| *key != "$ref")
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        *item = Value::Object(inlined);
    }
}

/// `const: V` as the 3.0 `enum: [V]`, typed after `V` when the schema has no `type`.
fn const_to_enum(keywords: &mut Map<String, Value>) {
    let Some(value) = keywords.shift_remove("const") else {
        return;
    };
    if let Some(typ) = type_of(&value) {
        keywords.entry("type").or_insert_with(|| json!(typ));
    }
    keywords.insert("enum".to_owned(), Value::Array(vec![value]));
}

/// The OpenAPI type of a `const` or `enum` value.
fn type_of(value: &Value) -> Option<&'static str> {
    match value {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(number) if number.is_i64() || number.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    }
}

/// 3.1's numeric `exclusiveMinimum` and `exclusiveMaximum` as 3.0's boolean ones.
fn exclusive_bounds(keywords: &mut Map<String, Value>) {
    for (exclusive, inclusive, tighter) in [
        ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
        ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
    ] {
        let Some(Value::Number(bound)) = keywords.get(exclusive).cloned() else {
            continue;
        };
        let current = keywords.get(inclusive).and_then(Value::as_f64);
        let bound_value = bound.as_f64().unwrap_or_default();
        let replaces = current
            .is_none_or(|current| bound_value.partial_cmp(&current) != Some(tighter.reverse()));
        if replaces {
            keywords.insert(inclusive.to_owned(), Value::Number(bound));
            keywords.insert(exclusive.to_owned(), Value::Bool(true));
        } else {
            keywords.shift_remove(exclusive);
        }
    }
}

/// `contentEncoding` and `contentMediaType` as the `format` 3.0 gives text and bytes.
fn content_to_format(keywords: &mut Map<String, Value>) {
    let encoding = keywords.shift_remove("contentEncoding");
    let media_type = keywords.shift_remove("contentMediaType");
    let is_string = keywords.get("type").is_none_or(|typ| typ == "string");
    if !is_string || keywords.contains_key("format") {
        return;
    }
    let format = match (encoding.as_ref().and_then(Value::as_str), media_type) {
        (Some("base64" | "base64url"), _) => "byte",
        (Some(_), _) => "binary",
        (None, Some(Value::String(media_type))) if !is_text(&media_type) => "binary",
        _ => return,
    };
    keywords.insert("type".to_owned(), json!("string"));
    keywords.insert("format".to_owned(), json!(format));
}

/// Whether a string of `media_type` is text rather than bytes.
fn is_text(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence.starts_with("text/")
        || essence.ends_with("json")
        || essence.ends_with("xml")
        || essence.ends_with("yaml")
}

/// 3.1's list of `examples` as 3.0's single `example`.
fn examples_to_example(keywords: &mut Map<String, Value>) {
    if let Some(Value::Array(examples)) = keywords.shift_remove("examples") {
        if let Some(first) = examples.into_iter().next() {
            keywords.entry("example").or_insert(first);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema `schema` becomes, and the warnings, as `pointer: message`.
    fn upgraded(schema: Value) -> (Value, Vec<String>) {
        let mut document = json!({"components": {"schemas": {"S": schema}}});
        let warnings = upgrade(&mut document)
            .into_iter()
            .map(|(at, message)| format!("{at}: {message}"))
            .collect();
        (document["components"]["schemas"]["S"].take(), warnings)
    }

    #[test]
    fn a_type_list_with_null_is_a_nullable_type() {
        let (schema, warnings) = upgraded(json!({"type": ["string", "null"], "format": "uri"}));
        assert_eq!(
            schema,
            json!({"type": "string", "format": "uri", "nullable": true})
        );
        assert!(warnings.is_empty());
        assert_eq!(
            upgraded(json!({"type": ["null"]})).0,
            json!({"type": "null"})
        );
        let (schema, _) = upgraded(json!({"type": ["integer", "number"]}));
        assert_eq!(schema, json!({"type": "number"}));
    }

    #[test]
    fn a_type_list_of_several_types_is_any_json_with_a_warning() {
        let (schema, warnings) =
            upgraded(json!({"type": ["string", "object"], "description": "d", "properties": {}}));
        assert_eq!(schema, json!({"description": "d"}));
        assert_eq!(
            warnings,
            ["#/components/schemas/S/type: `type: [object, string]` allows several types, which no one Rust type holds; its values are any JSON"]
        );
    }

    #[test]
    fn const_is_a_single_value_enum_and_consts_in_a_one_of_are_one_enum() {
        let (schema, _) = upgraded(json!({"const": 3}));
        assert_eq!(schema, json!({"type": "integer", "enum": [3]}));
        let (schema, _) = upgraded(json!({"description": "d", "oneOf": [
            {"const": "a", "title": "A"},
            {"const": "b", "description": "B"},
            {"type": "null"}]}));
        assert_eq!(
            schema,
            json!({"description": "d\n\n- `b`: B", "type": "string", "nullable": true,
                "enum": ["a", "b", null]})
        );
        let (schema, _) = upgraded(json!({"oneOf": [
            {"const": 1, "title": "LOW"}, {"const": 2, "title": "HIGH"}]}));
        assert_eq!(
            schema,
            json!({"type": "integer", "x-enum-varnames": ["LOW", "HIGH"], "enum": [1, 2]})
        );
        let (mixed, _) = upgraded(json!({"oneOf": [{"const": "a"}, {"const": 1}]}));
        assert_eq!(mixed["oneOf"][1], json!({"type": "integer", "enum": [1]}));
    }

    #[test]
    fn numeric_exclusive_bounds_are_boolean_ones() {
        let (schema, _) = upgraded(
            json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5}),
        );
        assert_eq!(
            schema,
            json!({"type": "integer", "exclusiveMinimum": true, "maximum": 5, "minimum": 0})
        );
    }

    #[test]
    fn content_keywords_are_formats() {
        let format = |schema: Value| upgraded(schema).0["format"].clone();
        assert_eq!(
            format(json!({"type": "string", "contentEncoding": "base64"})),
            "byte"
        );
        assert_eq!(
            format(json!({"type": "string", "contentEncoding": "binary"})),
            "binary"
        );
        assert_eq!(format(json!({"contentMediaType": "image/png"})), "binary");
        assert_eq!(
            format(json!({"type": "string", "contentMediaType": "application/json"})),
            Value::Null
        );
    }

    #[test]
    fn boolean_schemas_examples_and_tuples() {
        let (schema, warnings) = upgraded(json!({
            "type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}],
            "items": false, "examples": [["a", 1]]}));
        assert_eq!(schema, json!({"type": "array", "example": ["a", 1]}));
        assert_eq!(
            warnings,
            ["#/components/schemas/S/prefixItems: `prefixItems` (a tuple of different types) is read as a list whose items are any JSON"]
        );
        let (schema, warnings) = upgraded(json!({
            "type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}]}));
        assert_eq!(
            schema,
            json!({"type": "array", "items": {"type": "number"}})
        );
        assert!(warnings.is_empty());
        let (schema, _) =
            upgraded(json!({"type": "object", "properties": {"a": true, "b": false}}));
        assert_eq!(schema["properties"], json!({"a": {}, "b": {"not": {}}}));
    }

    #[test]
    fn a_path_item_in_components_is_put_where_it_is_referred_to() {
        let item = json!({"get": {"operationId": "a"}});
        let mut document = json!({
            "paths": {"/a": {"$ref": "#/components/pathItems/A", "summary": "S"}, "/b": {
                "$ref": "#/components/pathItems/Gone"}},
            "components": {"pathItems": {"A": item}}});
        assert!(upgrade(&mut document).is_empty());
        assert_eq!(
            document["paths"]["/a"],
            json!({"get": {"operationId": "a"}, "summary": "S"})
        );
        assert_eq!(
            document["paths"]["/b"]["$ref"],
            "#/components/pathItems/Gone"
        );
    }

    #[test]
    fn webhooks_and_a_foreign_dialect_are_warned_once() {
        let mut document = json!({
            "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
            "webhooks": {"a": {}, "b": {}}});
        let warnings = upgrade(&mut document);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(document, json!({"paths": {}}));
    }
}
