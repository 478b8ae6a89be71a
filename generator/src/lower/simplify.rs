//! What a schema means, put in the plain shape the rest of lowering reads, before a Rust type
//! is chosen for it. Each rewrite is one common OpenAPI 3.0 spelling:
//!
//! - an `allOf`, `oneOf` or `anyOf` whose members only annotate (`[{}, {example}, {description}]`,
//!   Box's way of writing "any value"): any JSON, with their description;
//! - an `allOf` around one non-object value (`all_of.rs`): the merged value;
//! - an `allOf` of one schema plus members that only annotate it (`[{$ref: X}, {description}]`,
//!   `[{oneOf: [..]}, {description}]`): that schema, annotated;
//! - a `oneOf` or `anyOf` of one schema plus alternatives that only allow `null` (the 3.0
//!   spelling of a nullable reference): that schema, nullable;
//! - a declared `type` beside keywords of another type (`{type: string, minimum: 1}`): the
//!   declared type, the foreign keywords dropped, with a warning.
//!
//! A rewrite of an inline schema may lead to another inline schema, which is rewritten in
//! turn; one that leads to a `$ref` stops there, and the component is lowered as itself.

use openapiv3::{ReferenceOr, Schema, SchemaKind};
use serde_json::{Map, Value};

use super::schemas::SchemaRef;
use super::Lowerer;
use crate::diagnostics::{Error, Pointer};

/// A schema rewritten into the shape it means.
#[derive(Clone)]
pub(crate) struct Simplified<'a> {
    /// The schema that describes the value (for a reference, the component's).
    pub(crate) schema: &'a Schema,
    /// Where that schema stands, which names an inline type made from it.
    pub(crate) at: Pointer,
    /// The component whose type the value has, when a reference gives it.
    pub(crate) reference: Option<&'a str>,
    /// Whether the value may be `null`.
    pub(crate) nullable: bool,
    /// Its description: the outermost one given.
    pub(crate) docs: Option<String>,
}

/// What a schema comes to once rewritten: a schema in the shape it means, or a reference.
pub(crate) enum Simplest<'a> {
    Schema(&'a Schema, Pointer),
    Reference(&'a str),
}

/// How many rewrites a schema may take before lowering gives up on it.
const MAX_REWRITES: usize = 32;

/// Keywords every schema may carry, whatever its type.
const COMMON_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "enum",
    "title",
    "description",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "example",
    "default",
    "externalDocs",
    "discriminator",
    "xml",
];

impl<'a> Lowerer<'a> {
    /// `schema` (at `at`) rewritten into the shape it means, or `None` when it already has it.
    pub(crate) fn simplified(
        &mut self,
        schema: &'a Schema,
        at: &Pointer,
    ) -> Result<Option<Simplified<'a>>, Error> {
        if matches!(schema.schema_kind, SchemaKind::Type(_)) {
            return Ok(None);
        }
        // Schemas live as long as the run, so one is known by its address: the document's
        // schema at `at` and a schema merged from it for the same place are different keys.
        let key = (std::ptr::from_ref(schema) as usize, at.clone());
        if let Some(known) = self.simplified.get(&key) {
            return Ok(known.clone());
        }
        let simplified = self.simplify(schema, at)?;
        self.simplified.insert(key, simplified.clone());
        Ok(simplified)
    }

    /// `schema` rewritten until it has the shape it means: the schema and where it stands, or
    /// the reference whose type it has.
    pub(crate) fn simplest(
        &mut self,
        schema: &'a Schema,
        at: &Pointer,
    ) -> Result<Simplest<'a>, Error> {
        let (mut schema, mut at) = (schema, at.clone());
        // Each rewrite makes a schema simpler; the bound only guards against a slip there.
        for _ in 0..MAX_REWRITES {
            match self.simplified(schema, &at)? {
                None => return Ok(Simplest::Schema(schema, at)),
                Some(Simplified {
                    reference: Some(reference),
                    ..
                }) => return Ok(Simplest::Reference(reference)),
                Some(simplified) => (schema, at) = (simplified.schema, simplified.at),
            }
        }
        let message = "internal error: this schema kept being rewritten; please report this";
        Err(self.error(&at, message))
    }

    fn simplify(
        &mut self,
        schema: &'a Schema,
        at: &Pointer,
    ) -> Result<Option<Simplified<'a>>, Error> {
        if let Some(merged) = self.merged_scalar(schema, at)? {
            return Ok(Some(Simplified {
                schema: merged.schema,
                at: at.clone(),
                reference: merged.reference,
                nullable: merged.schema.schema_data.nullable,
                docs: text(&merged.schema.schema_data.description),
            }));
        }
        if let Some(found) = self.only_annotations(schema, at) {
            return Ok(Some(found));
        }
        if let Some(found) = self.only_member(schema, at)? {
            return Ok(Some(found));
        }
        if let Some(found) = self.only_alternative(schema, at)? {
            return Ok(Some(found));
        }
        Ok(self.declared_type(schema, at))
    }

    /// A composition none of whose members says what the value is: each only annotates. The
    /// value is then any JSON, nullable when the wrapper or a member says so, documented by the
    /// wrapper's description, else the last member's.
    fn only_annotations(&mut self, schema: &'a Schema, at: &Pointer) -> Option<Simplified<'a>> {
        let members = ["allOf", "oneOf", "anyOf"]
            .into_iter()
            .find_map(|keyword| composition(schema, keyword))?;
        let members: Vec<&Schema> = members
            .iter()
            .map(ReferenceOr::as_item)
            .collect::<Option<_>>()?;
        if !members.iter().all(|member| annotates_only(member)) {
            return None;
        }
        let nullable =
            schema.schema_data.nullable || members.iter().any(|m| m.schema_data.nullable);
        let docs = text(&schema.schema_data.description).or_else(|| {
            members
                .iter()
                .rev()
                .find_map(|member| text(&member.schema_data.description))
        });
        let any: &'a Schema = self.arena.alloc(Schema {
            schema_data: openapiv3::SchemaData {
                nullable,
                description: docs.clone(),
                ..Default::default()
            },
            schema_kind: SchemaKind::Any(openapiv3::AnySchema::default()),
        });
        Some(Simplified {
            schema: any,
            at: at.clone(),
            reference: None,
            nullable,
            docs,
        })
    }

    /// An `allOf` with exactly one member that describes a value, the others only annotating.
    fn only_member(
        &mut self,
        schema: &'a Schema,
        at: &Pointer,
    ) -> Result<Option<Simplified<'a>>, Error> {
        let Some(all_of) = composition(schema, "allOf") else {
            return Ok(None);
        };
        let mut substantive = all_of
            .iter()
            .enumerate()
            .filter(|(_, member)| !member.as_item().is_some_and(annotates_only));
        let (Some((index, member)), None) = (substantive.next(), substantive.next()) else {
            return Ok(None);
        };
        let annotations: Vec<&Schema> = all_of.iter().filter_map(|m| m.as_item()).collect();
        let nullable = schema.schema_data.nullable
            || annotations
                .iter()
                .any(|m| annotates_only(m) && m.schema_data.nullable);
        let docs = text(&schema.schema_data.description).or_else(|| {
            let annotating = annotations.iter().filter(|m| annotates_only(m));
            annotating
                .rev()
                .find_map(|m| text(&m.schema_data.description))
        });
        let member_at = at.join("allOf").join(index);
        self.annotated(member.into(), &member_at, nullable, docs)
            .map(Some)
    }

    /// A `oneOf` or `anyOf` with exactly one alternative besides any that only allow `null`.
    fn only_alternative(
        &mut self,
        schema: &'a Schema,
        at: &Pointer,
    ) -> Result<Option<Simplified<'a>>, Error> {
        let Some((alternatives, key)) = ["oneOf", "anyOf"]
            .into_iter()
            .find_map(|key| Some((composition(schema, key)?, key)))
        else {
            return Ok(None);
        };
        let mut others = Vec::new();
        let mut nulls = 0;
        for (index, alternative) in alternatives.iter().enumerate() {
            let alternative_at = at.join(key).join(index);
            let (resolved, _) = self.resolve_schema(alternative.into(), &alternative_at)?;
            if allows_only_null(resolved) {
                nulls += 1;
            } else {
                others.push((alternative, alternative_at));
            }
        }
        let [(alternative, alternative_at)] = others.as_slice() else {
            return Ok(None);
        };
        let nullable = schema.schema_data.nullable || nulls > 0;
        let docs = text(&schema.schema_data.description);
        self.annotated((*alternative).into(), alternative_at, nullable, docs)
            .map(Some)
    }

    /// `schema` as the value a wrapper stands for, with the wrapper's nullability and docs.
    fn annotated(
        &mut self,
        schema: SchemaRef<'a>,
        at: &Pointer,
        nullable: bool,
        docs: Option<String>,
    ) -> Result<Simplified<'a>, Error> {
        match schema {
            SchemaRef::Ref(reference) => {
                let (target, _) = self.resolve_schema(schema, at)?;
                Ok(Simplified {
                    schema: target,
                    at: at.clone(),
                    reference: Some(reference),
                    nullable: nullable || target.schema_data.nullable,
                    docs,
                })
            }
            SchemaRef::Item(inner) => {
                let own = Simplified {
                    schema: inner,
                    at: at.clone(),
                    reference: None,
                    nullable: nullable || inner.schema_data.nullable,
                    docs: docs.or_else(|| text(&inner.schema_data.description)),
                };
                Ok(match self.simplified(inner, at)? {
                    Some(deeper) => Simplified {
                        nullable: own.nullable || deeper.nullable,
                        docs: own.docs.or(deeper.docs),
                        ..deeper
                    },
                    None => own,
                })
            }
        }
    }

    /// A scalar or array `type` declared beside keywords of other types, which `openapiv3` then
    /// cannot type: the declared type, the foreign keywords dropped (with a warning). An
    /// `enum` beside `type: array` is one of them: it is most often meant for the items, which
    /// the client cannot tell, and an array of the items' type takes every value it allows.
    fn declared_type(&mut self, schema: &'a Schema, at: &Pointer) -> Option<Simplified<'a>> {
        let SchemaKind::Any(any) = &schema.schema_kind else {
            return None;
        };
        let declared = any.typ.as_deref()?;
        let own = own_keywords(declared)?;
        if !(any.one_of.is_empty() && any.any_of.is_empty() && any.all_of.is_empty()) {
            return None;
        }
        let Ok(Value::Object(mut json)) = serde_json::to_value(schema) else {
            return None;
        };
        let foreign = remove_foreign(&mut json, own);
        let dropped_values = keep_enum_values(&mut json, declared);
        let typed = retype(json, own)?;
        self.warn_ignored(at, declared, foreign, dropped_values);
        let schema: &'a Schema = self.arena.alloc(typed);
        Some(Simplified {
            schema,
            at: at.clone(),
            reference: None,
            nullable: schema.schema_data.nullable,
            docs: text(&schema.schema_data.description),
        })
    }

    /// Warns that the `foreign` keywords (and `enum` values, when `dropped_values`) beside
    /// `type: declared` at `at` were dropped, if any were.
    fn warn_ignored(
        &mut self,
        at: &Pointer,
        declared: &str,
        foreign: Vec<String>,
        dropped_values: bool,
    ) {
        let mut ignored: Vec<String> = foreign.iter().map(|key| format!("`{key}`")).collect();
        if dropped_values && declared == "array" {
            ignored.push("`enum`".to_owned());
        } else if dropped_values {
            ignored.push(format!("`enum` values that are not {declared}s"));
        }
        if ignored.is_empty() {
            return;
        }
        let a = if matches!(declared, "integer" | "array") {
            "an"
        } else {
            "a"
        };
        let message = format!(
            "`type: {declared}` with {}, which do not apply to {a} {declared}; ignored",
            ignored.join(", ")
        );
        self.warn(at, message);
    }
}

/// The keywords of a `declared` scalar or array type, beyond [`COMMON_KEYWORDS`]; `None` for
/// another type.
fn own_keywords(declared: &str) -> Option<&'static [&'static str]> {
    Some(match declared {
        "string" => &["pattern", "minLength", "maxLength"],
        "integer" | "number" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "boolean" => &[],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        _ => return None,
    })
}

/// Removes from `json` the keywords that are neither common, `own` nor extensions; returns
/// them.
fn remove_foreign(json: &mut Map<String, Value>, own: &[&str]) -> Vec<String> {
    let foreign: Vec<String> = json
        .keys()
        .filter(|key| {
            !(COMMON_KEYWORDS.contains(&key.as_str())
                || own.contains(&key.as_str())
                || key.starts_with("x-"))
        })
        .cloned()
        .collect();
    for key in &foreign {
        json.remove(key);
    }
    foreign
}

/// `json` typed again by `openapiv3`. Bounds it will not take for the type (a fractional
/// bound on an integer) constrain nothing the client checks: when they spoil the typing, they
/// are dropped without a word.
fn retype(mut json: Map<String, Value>, own: &[&str]) -> Option<Schema> {
    let typed = |json: Map<String, Value>| {
        serde_json::from_value::<Schema>(Value::Object(json))
            .ok()
            .filter(|typed| matches!(typed.schema_kind, SchemaKind::Type(_)))
    };
    typed(json.clone()).or_else(|| {
        for key in own {
            json.remove(*key);
        }
        typed(json)
    })
}

/// The members of `schema`'s composition `keyword` (`allOf`, `oneOf` or `anyOf`), when that
/// composition is all it describes (a `type: object` beside it, or annotations, are fine;
/// properties are not).
fn composition<'s>(schema: &'s Schema, keyword: &str) -> Option<&'s [ReferenceOr<Schema>]> {
    let members = match (&schema.schema_kind, keyword) {
        (SchemaKind::AllOf { all_of }, "allOf") => all_of,
        (SchemaKind::OneOf { one_of }, "oneOf") => one_of,
        (SchemaKind::AnyOf { any_of }, "anyOf") => any_of,
        (SchemaKind::Any(any), _) => {
            let plain = any.properties.is_empty()
                && any.items.is_none()
                && any.additional_properties.is_none()
                && any.enumeration.is_empty()
                && any.not.is_none()
                && matches!(any.typ.as_deref(), None | Some("object"));
            let members = match keyword {
                "allOf" => &any.all_of,
                "oneOf" => &any.one_of,
                _ => &any.any_of,
            };
            let others = [&any.all_of, &any.one_of, &any.any_of]
                .into_iter()
                .filter(|other| !other.is_empty())
                .count();
            if !(plain && others == 1) {
                return None;
            }
            members
        }
        _ => return None,
    };
    (!members.is_empty()).then_some(members.as_slice())
}

/// A schema that only annotates: no type, no properties, items or compositions; constraints,
/// a description or `nullable` at most.
pub(crate) fn annotates_only(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.is_none()
                && any.properties.is_empty()
                && any.items.is_none()
                && any.additional_properties.is_none()
                && any.one_of.is_empty()
                && any.all_of.is_empty()
                && any.any_of.is_empty()
                && any.not.is_none()
                && any.enumeration.is_empty()
        }
        _ => false,
    }
}

/// Whether a schema allows `null` and nothing else: `type: 'null'` (as OpenAPI 3.1 and many
/// 3.0 documents write it), `enum: [null]`, or the 3.0 idiom of a nullable object that may
/// have no properties at all.
fn allows_only_null(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.as_deref() == Some("null")
                || (!any.enumeration.is_empty() && any.enumeration.iter().all(Value::is_null))
                || (schema.schema_data.nullable
                    && any.properties.is_empty()
                    && matches!(
                        any.additional_properties,
                        Some(openapiv3::AdditionalProperties::Any(false))
                    ))
        }
        SchemaKind::Type(openapiv3::Type::Object(object)) => {
            schema.schema_data.nullable
                && object.properties.is_empty()
                && object.additional_properties == Some(openapiv3::AdditionalProperties::Any(false))
        }
        _ => false,
    }
}

/// Keeps the `enum` values a `declared` type can hold (numbers and booleans listed for a
/// string become their text; an array keeps none, see `declared_type`); returns whether any
/// were dropped.
fn keep_enum_values(json: &mut Map<String, Value>, declared: &str) -> bool {
    if declared == "array" {
        return json.remove("enum").is_some();
    }
    let Some(Value::Array(values)) = json.get_mut("enum") else {
        return false;
    };
    let before = values.len();
    let kept: Vec<Value> = std::mem::take(values)
        .into_iter()
        .filter_map(|value| match (declared, value) {
            (_, Value::Null) => Some(Value::Null),
            ("string", Value::Number(n)) => Some(Value::String(n.to_string())),
            ("string", Value::Bool(b)) => Some(Value::String(b.to_string())),
            ("string", value @ Value::String(_)) => Some(value),
            ("integer", Value::Number(n)) if n.is_i64() => Some(Value::Number(n)),
            ("number", value @ Value::Number(_)) => Some(value),
            ("boolean", value @ Value::Bool(_)) => Some(value),
            _ => None,
        })
        .collect();
    let dropped = kept.len() != before;
    *values = kept;
    dropped
}

/// Documentation text, when there is any.
pub(crate) fn text(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}
