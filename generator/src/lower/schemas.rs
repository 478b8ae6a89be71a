//! Lowering schemas into [`TypeRef`]s and named [`TypeDef`]s.
//!
//! A schema becomes a named type when Rust needs one to hold it (a string enum, an object with
//! properties, an `allOf`, a `oneOf`/`anyOf`); anything else maps to a built-in type. Component
//! schemas keep their own names. Inline schemas are named after where they appear (`hint`) and
//! remembered by their JSON pointer, so a schema reached twice (say, through two `allOf`s) is
//! one type. Before any of that, `simplify.rs` puts a schema in the shape it means.
//! Objects are lowered in `objects.rs`, unions in `unions.rs`.

use std::collections::HashMap;

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::simplify::{text, Simplest, Simplified};
use super::Lowerer;
use super::{enums, shapes};
use crate::diagnostics::{Error, Pointer};
use crate::load::Spec;
use crate::model::{Direction, TypeDef, TypeKind, TypeRef};
use crate::naming;

/// A schema or a reference to one, whichever box it came in.
#[derive(Clone, Copy)]
pub(crate) enum SchemaRef<'d> {
    Ref(&'d str),
    Item(&'d Schema),
}

impl<'d> From<&'d ReferenceOr<Schema>> for SchemaRef<'d> {
    fn from(schema: &'d ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

impl<'d> From<&'d ReferenceOr<Box<Schema>>> for SchemaRef<'d> {
    fn from(schema: &'d ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

/// What a schema says about the values it describes, beyond their type.
pub(crate) struct Facts {
    /// The value may be `null`.
    pub(crate) nullable: bool,
    /// `readOnly` or `writeOnly`: the value travels in one direction only.
    pub(crate) one_way: bool,
    /// The schema's own description, else its title.
    pub(crate) docs: Option<String>,
}

impl<'a> Lowerer<'a> {
    /// Lowers every component schema, whether or not an operation uses it. A component that
    /// cannot be lowered is recorded as an error, and the others are still lowered.
    pub(super) fn all_components(&mut self) {
        let wire_names: Vec<String> = self.components.keys().cloned().collect();
        for wire_name in wire_names {
            let at = Pointer::root().join("components").join("schemas");
            let lowered = self.component(&wire_name, &at);
            self.recover(lowered, TypeRef::Json);
        }
    }

    /// The type of `schema`, found at `at`; an inline schema that needs a name gets one
    /// derived from `hint`.
    pub(crate) fn schema_type(
        &mut self,
        schema: SchemaRef<'a>,
        at: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Error> {
        match schema {
            SchemaRef::Ref(reference) => {
                self.warn_ignored_beside_ref(at);
                let name = self.component_name(reference, "schemas", at)?;
                self.component(name, at)
            }
            SchemaRef::Item(schema) => self.inline(schema, at, hint),
        }
    }

    /// The schema a reference leads to, and its pointer.
    pub(crate) fn resolve_schema(
        &self,
        schema: SchemaRef<'a>,
        at: &Pointer,
    ) -> Result<(&'a Schema, Pointer), Error> {
        match schema {
            SchemaRef::Item(schema) => Ok((schema, at.clone())),
            SchemaRef::Ref(reference) => {
                let spec: &'a crate::load::Spec = self.spec;
                let name = self.component_name(reference, "schemas", at)?;
                let target = Pointer::root()
                    .join("components")
                    .join("schemas")
                    .join(name);
                let components = spec.document().components.as_ref();
                match components.and_then(|c| c.schemas.get(name)) {
                    Some(entry) => self.resolve(entry, &target, "schemas", |c| &c.schemas),
                    None => Err(self.dangling(reference, at)),
                }
            }
        }
    }

    /// The type named after component schema `wire_name`, lowering it the first time. A
    /// component whose definition fails is recorded as an error where it stands, once, and
    /// is any JSON meanwhile, so what refers to it is not reported again.
    fn component(&mut self, wire_name: &str, at: &Pointer) -> Result<TypeRef, Error> {
        let Some(name) = self.components.get(wire_name).cloned() else {
            return Err(self.dangling(&format!("#/components/schemas/{wire_name}"), at));
        };
        if self.lowered.insert(wire_name.to_owned()) {
            let origin = Pointer::root()
                .join("components")
                .join("schemas")
                .join(wire_name);
            let defined = self.component_definition(wire_name, &origin, &name);
            let (docs, kind) = self.recover(defined, (None, TypeKind::Alias(TypeRef::Json)));
            self.define(&name, &origin, docs, kind);
        }
        Ok(TypeRef::Named(self.types.id(&name)))
    }

    /// The documentation and definition of component `wire_name`, at `origin`.
    fn component_definition(
        &mut self,
        wire_name: &str,
        origin: &Pointer,
        name: &str,
    ) -> Result<(Option<String>, TypeKind), Error> {
        let components = self.spec.document().components.as_ref();
        let Some(entry) = components.and_then(|c| c.schemas.get(wire_name)) else {
            return Ok((None, TypeKind::Alias(TypeRef::Json)));
        };
        // Resolving first refuses a chain of references that loops.
        let (schema, target_origin) = self.resolve(entry, origin, "schemas", |c| &c.schemas)?;
        if let ReferenceOr::Reference { reference } = entry {
            // A component that is only another one is an alias of it, so values of both are
            // one Rust type.
            let target = self.schema_type(SchemaRef::Ref(reference), origin, name)?;
            return Ok((None, TypeKind::Alias(target)));
        }
        let docs = match self.simplified(schema, &target_origin)? {
            Some(simplified) => simplified.docs,
            None => schema_docs(schema),
        };
        let kind = match self.simplest(schema, &target_origin)? {
            Simplest::Reference(reference) => {
                TypeKind::Alias(self.schema_type(SchemaRef::Ref(reference), origin, name)?)
            }
            Simplest::Schema(schema, at) => self.definition(schema, &at, name)?,
        };
        Ok((docs, kind))
    }

    /// The definition of the component schema named `name`: a named type when Rust needs
    /// one, else an alias of a built-in type.
    fn definition(
        &mut self,
        schema: &'a Schema,
        at: &Pointer,
        name: &str,
    ) -> Result<TypeKind, Error> {
        if needs_name(schema) {
            self.kind(schema, at, name)
        } else {
            Ok(TypeKind::Alias(self.plain(schema, at, name)?))
        }
    }

    fn inline(&mut self, schema: &'a Schema, at: &Pointer, hint: &str) -> Result<TypeRef, Error> {
        let (schema, at) = match self.simplest(schema, at)? {
            Simplest::Reference(reference) => {
                return self.schema_type(SchemaRef::Ref(reference), at, hint)
            }
            Simplest::Schema(schema, at) => (schema, at),
        };
        let at = &at;
        if !needs_name(schema) {
            return self.plain(schema, at, hint);
        }
        if let Some(name) = self.inline_names.get(at) {
            return Ok(TypeRef::Named(self.types.id(name)));
        }
        let shape = has_shape(schema)
            .then(|| shapes::shape(self.spec, schema, at))
            .flatten();
        if let Some(shape) = &shape {
            if let Some(component) = self.component_shapes.get(shape).cloned() {
                return self.component(&component, at);
            }
            if let Some(name) = self.shapes.get(shape).cloned() {
                self.inline_names.insert(at.clone(), name.clone());
                return Ok(TypeRef::Named(self.types.id(&name)));
            }
        }
        let base = schema.schema_data.title.as_deref().unwrap_or(hint);
        let name = self.type_names.claim(naming::type_name(base));
        self.inline_names.insert(at.clone(), name.clone());
        if let Some(shape) = shape {
            self.shapes.insert(shape, name.clone());
        }
        // The id is handed out first, so that a type that contains itself refers to it.
        let id = self.types.id(&name);
        let kind = self.kind(schema, at, &name);
        // A type whose definition failed still exists, so nothing refers to a missing name.
        let (kind, failed) = match kind {
            Ok(kind) => (kind, None),
            Err(error) => (TypeKind::Alias(TypeRef::Json), Some(error)),
        };
        self.define(&name, at, schema_docs(schema), kind);
        match failed {
            Some(error) => Err(error),
            None => Ok(TypeRef::Named(id)),
        }
    }

    /// Gives an undocumented inline type the documentation of the field or parameter that
    /// holds it.
    pub(crate) fn adopt_docs(&mut self, ty: &TypeRef, docs: Option<&str>) {
        let (TypeRef::Named(id), Some(docs)) = (ty, docs) else {
            return;
        };
        if let Some(definition) = self.types.get_mut(*id) {
            if definition.docs.is_none() {
                definition.docs = Some(docs.to_owned());
            }
        }
    }

    pub(super) fn define(
        &mut self,
        name: &str,
        origin: &Pointer,
        docs: Option<String>,
        kind: TypeKind,
    ) {
        let definition = TypeDef {
            name: name.to_owned(),
            origin: origin.as_str().to_owned(),
            docs,
            features: Vec::new(),
            direction: Direction::Both,
            kind,
        };
        self.types.insert(definition);
    }

    /// A schema that maps onto a built-in type.
    fn plain(&mut self, schema: &'a Schema, at: &Pointer, hint: &str) -> Result<TypeRef, Error> {
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(string))
                if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary) =>
            {
                TypeRef::Bytes
            }
            SchemaKind::Type(Type::String(_)) if is_secret(schema) => TypeRef::Secret,
            SchemaKind::Type(Type::String(_)) => TypeRef::String,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Integer(integer)) => match integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(number)) => match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Array(array)) => self.array(array.items.as_ref(), at, hint)?,
            SchemaKind::Type(Type::Object(object)) => {
                self.map(object.additional_properties.as_ref(), at, hint)?
            }
            SchemaKind::Any(any) if any.typ.as_deref() == Some("object") => {
                self.map(any.additional_properties.as_ref(), at, hint)?
            }
            SchemaKind::Any(any) if any.items.is_some() || any.typ.as_deref() == Some("array") => {
                self.array(any.items.as_ref(), at, hint)?
            }
            // A credential format with no type still describes a string.
            SchemaKind::Any(any) if any.typ.is_none() && is_secret(schema) => TypeRef::Secret,
            SchemaKind::Not { .. } => {
                let message = "a `not` schema has no Rust type; its values are any JSON";
                self.warn(at, message);
                TypeRef::Json
            }
            SchemaKind::Any(any) if !any.enumeration.is_empty() => {
                if let Err(unfit) = enums::untyped(&any.enumeration, &[]) {
                    let message = format!(
                        "no Rust enum holds the values of this `enum` without a `type`: {}; its \
                         values are any JSON",
                        unfit.reason
                    );
                    self.warn(&at.join("enum").join(unfit.index), message);
                }
                TypeRef::Json
            }
            SchemaKind::Any(any) if any.typ.as_deref().is_some_and(|t| t != "null") => {
                let message = format!(
                    "`type: {}` does not fit the other keywords beside it (or is not an \
                     OpenAPI 3.0 type); its values are any JSON",
                    any.typ.as_deref().unwrap_or_default()
                );
                self.warn(at, message);
                TypeRef::Json
            }
            _ => TypeRef::Json,
        })
    }

    /// `Vec` of the items' type; of any JSON when `items` is missing.
    fn array(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        at: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Error> {
        let item = match items {
            Some(items) => self.element_type(items.into(), &at.join("items"), &item_hint(hint))?,
            None => TypeRef::Json,
        };
        Ok(TypeRef::Array(Box::new(item)))
    }

    /// The type of an array item or map value: `Option` of it when the schema is nullable.
    pub(super) fn element_type(
        &mut self,
        schema: SchemaRef<'a>,
        at: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Error> {
        let ty = self.schema_type(schema, at, hint)?;
        Ok(if self.facts(schema, at)?.nullable && ty != TypeRef::Json {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        })
    }

    /// An object without properties: a map when `additionalProperties` says so, else any JSON.
    fn map(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        at: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Error> {
        Ok(match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let schema: &'a ReferenceOr<Schema> = schema;
                let value = self.element_type(
                    schema.into(),
                    &at.join("additionalProperties"),
                    &format!("{hint} value"),
                )?;
                TypeRef::Map(Box::new(value))
            }
            Some(AdditionalProperties::Any(true)) => TypeRef::Map(Box::new(TypeRef::Json)),
            _ => TypeRef::Json,
        })
    }

    /// The definition of a schema that needs a name; `name` is the name it was given.
    fn kind(&mut self, schema: &'a Schema, at: &Pointer, name: &str) -> Result<TypeKind, Error> {
        let discriminator = schema.schema_data.discriminator.as_ref();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => Ok(TypeKind::Enum(enums::strings_enum(
                string.enumeration.iter().flatten().map(String::as_str),
            ))),
            SchemaKind::Type(Type::Integer(integer)) => Ok(TypeKind::Enum(enums::integers_enum(
                integer.enumeration.iter().flatten().copied(),
                variant_names(schema),
            ))),
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                self.union(members, discriminator, &at.join(key), name)
            }
            SchemaKind::Any(any) if !any.one_of.is_empty() && any.properties.is_empty() => {
                self.union(&any.one_of, discriminator, &at.join("oneOf"), name)
            }
            SchemaKind::Any(any) if !any.any_of.is_empty() && any.properties.is_empty() => {
                self.union(&any.any_of, discriminator, &at.join("anyOf"), name)
            }
            SchemaKind::Any(any) if any.properties.is_empty() && any.all_of.is_empty() => {
                match enums::untyped(&any.enumeration, variant_names(schema)) {
                    Ok(enumeration) => Ok(TypeKind::Enum(enumeration)),
                    Err(_) => self.object(schema, at, name),
                }
            }
            _ => self.object(schema, at, name),
        }
    }

    /// What the schema of a property, parameter, item or map value says about its values,
    /// once it is put in the shape it means.
    pub(crate) fn facts(&mut self, schema: SchemaRef<'a>, at: &Pointer) -> Result<Facts, Error> {
        let (resolved, resolved_at) = self.resolve_schema(schema, at)?;
        let simplified = self.simplified(resolved, &resolved_at)?;
        let view = simplified
            .as_ref()
            .map_or(resolved, |simplified| simplified.schema);
        let one_way = |data: &openapiv3::SchemaData| data.read_only || data.write_only;
        let beside = match schema {
            SchemaRef::Ref(_) => self.spec.ref_siblings(at),
            SchemaRef::Item(_) => None,
        };
        let says = |keyword: &str| beside.is_some_and(|b| b.get(keyword) == Some(&true.into()));
        let docs = match (schema, &simplified) {
            // A reference documents itself, on its type, unless it is given a description.
            (SchemaRef::Ref(_), _) => beside
                .and_then(|beside| beside.get("description")?.as_str())
                .and_then(|description| text(&Some(description.to_owned()))),
            (SchemaRef::Item(_), Some(Simplified { docs, .. })) => docs.clone(),
            (SchemaRef::Item(own), None) => schema_docs(own),
        };
        Ok(Facts {
            nullable: says("nullable")
                || match &simplified {
                    Some(simplified) => simplified.nullable,
                    None => is_nullable(resolved),
                },
            one_way: says("readOnly")
                || says("writeOnly")
                || one_way(&resolved.schema_data)
                || one_way(&view.schema_data),
            docs,
        })
    }

    /// Warns about the keywords beside the `$ref` at `at` that would change its meaning (a
    /// `type` or `items`, say): a reference stands for its target alone. Those that annotate
    /// it go without a word, and [`Lowerer::facts`] reads the ones that matter to its use.
    fn warn_ignored_beside_ref(&mut self, at: &Pointer) {
        let Some(beside) = self.spec.ref_siblings(at) else {
            return;
        };
        let ignored: Vec<String> = beside
            .keys()
            .filter(|key| !(REF_ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-")))
            .map(|key| format!("`{key}`"))
            .collect();
        if !ignored.is_empty() {
            let message = format!(
                "{} beside `$ref`, which stands for its target alone; ignored",
                ignored.join(", ")
            );
            self.warn(at, message);
        }
    }
}

/// Keywords beside a `$ref` that only annotate it: `nullable`, `readOnly`, `writeOnly` and
/// `description` are read where the reference is used as a property, item or parameter; the
/// others need nothing from the client.
const REF_ANNOTATIONS: &[&str] = &[
    "nullable",
    "readOnly",
    "writeOnly",
    "description",
    "title",
    "summary",
    "example",
    "examples",
    "default",
    "deprecated",
    "externalDocs",
];

/// `nullable: true` on the schema, or on an `allOf` member that only annotates.
pub(super) fn is_nullable(schema: &Schema) -> bool {
    schema.schema_data.nullable
        || match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.iter().any(|member| {
                matches!(member, ReferenceOr::Item(member)
                    if member.schema_data.nullable && super::simplify::annotates_only(member))
            }),
            _ => false,
        }
}

/// A schema's documentation: its description, else its title.
pub(super) fn schema_docs(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    text(&data.description).or_else(|| text(&data.title))
}

/// Whether Rust needs a named type to hold values of `schema`.
/// Whether a schema that needs a name is one of those that share a type with every schema of
/// its shape: an object with properties or a union (an enum keeps the name of its place).
fn has_shape(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
        SchemaKind::AllOf { .. } | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
        SchemaKind::Any(any) => {
            !any.properties.is_empty()
                || !any.all_of.is_empty()
                || !any.one_of.is_empty()
                || !any.any_of.is_empty()
        }
        _ => false,
    }
}

/// The component object and union schemas by their shape, the first of each shape in the
/// document's order, so that an inline copy of one is that component.
pub(super) fn component_shapes(spec: &Spec) -> HashMap<String, String> {
    let mut shapes = HashMap::new();
    let schemas = spec
        .document()
        .components
        .iter()
        .flat_map(|components| &components.schemas);
    for (wire_name, schema) in schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let at = Pointer::root()
            .join("components")
            .join("schemas")
            .join(wire_name);
        if let Some(shape) = has_shape(schema)
            .then(|| shapes::shape(spec, schema, &at))
            .flatten()
        {
            shapes.entry(shape).or_insert_with(|| wire_name.clone());
        }
    }
    shapes
}

fn needs_name(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            string.enumeration.iter().flatten().next().is_some()
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            integer.enumeration.iter().flatten().next().is_some()
        }
        SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
        SchemaKind::AllOf { .. } | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
        SchemaKind::Any(any) => {
            !any.properties.is_empty()
                || !any.all_of.is_empty()
                || !any.one_of.is_empty()
                || !any.any_of.is_empty()
                || enums::untyped(&any.enumeration, &[]).is_ok()
        }
        _ => false,
    }
}

/// The names `x-enum-varnames` gives an enum's values, in their order, as documents written
/// for other generators list them (and as OpenAPI 3.1's `oneOf` of titled `const`s is read).
fn variant_names(schema: &Schema) -> &[serde_json::Value] {
    match schema.schema_data.extensions.get("x-enum-varnames") {
        Some(serde_json::Value::Array(names)) => names,
        _ => &[],
    }
}

/// Formats that mark a string as a credential: OpenAPI's `password`, and the `token` and
/// `jwt` that vendors (Box among them) use for codes, tokens and assertions.
const SECRET_FORMATS: &[&str] = &["password", "token", "jwt"];

/// A secret is a plain string (not an enum, whose values the spec publishes) with one of
/// the [`SECRET_FORMATS`].
pub(crate) fn is_secret(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            let format = match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Password) => "password",
                VariantOrUnknownOrEmpty::Unknown(format) => format.as_str(),
                _ => "",
            };
            string.enumeration.is_empty() && SECRET_FORMATS.contains(&format)
        }
        SchemaKind::Any(any) => {
            any.enumeration.is_empty()
                && any
                    .format
                    .as_deref()
                    .is_some_and(|f| SECRET_FORMATS.contains(&f))
        }
        _ => false,
    }
}

fn item_hint(hint: &str) -> String {
    format!("{hint} item")
}
