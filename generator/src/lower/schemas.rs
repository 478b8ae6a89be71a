//! Lowering schemas into [`TypeRef`]s and named [`TypeDef`]s.
//!
//! A schema becomes a named type when Rust needs one to hold it (a string enum, an object with
//! properties, an `allOf`, a `oneOf`/`anyOf`); anything else maps to a built-in type. Component
//! schemas keep their own names. Inline schemas are named after where they appear (`hint`) and
//! remembered by their JSON pointer, so a schema reached twice (say, through two `allOf`s) is
//! one type.

use std::collections::BTreeSet;

use openapiv3::{
    AdditionalProperties, Discriminator, IntegerFormat, NumberFormat, ReferenceOr, Schema,
    SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::all_of::Merged;
use super::Lowerer;
use crate::diagnostics::{Error, Pointer};
use crate::model::{
    Enum, EnumKind, EnumVariant, Field, Presence, Struct, Tagging, TypeDef, TypeKind, TypeRef,
    Union, UnionVariant,
};
use crate::naming::{self, UniqueNames};

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

/// One property of an object, found directly or through `allOf`.
struct Property<'d> {
    wire_name: String,
    schema: SchemaRef<'d>,
    at: Pointer,
    /// Name of the type that declares the property; inline types in it are named after it.
    owner: String,
}

/// The properties of an object and which of them are required.
#[derive(Default)]
struct Properties<'d> {
    list: Vec<Property<'d>>,
    required: BTreeSet<String>,
    /// `additionalProperties` beside the properties, with where it was found.
    additional: Option<(&'d AdditionalProperties, Pointer)>,
}

impl<'d> Properties<'d> {
    /// Adds a property; a later declaration of the same name replaces the earlier one in place.
    fn add(&mut self, property: Property<'d>) {
        match self
            .list
            .iter_mut()
            .find(|p| p.wire_name == property.wire_name)
        {
            Some(existing) => *existing = property,
            None => self.list.push(property),
        }
    }
}

impl<'a> Lowerer<'a> {
    /// Lowers every component schema, whether or not an operation uses it.
    pub(super) fn all_components(&mut self) -> Result<(), Error> {
        let wire_names: Vec<String> = self.components.keys().cloned().collect();
        for wire_name in wire_names {
            let at = Pointer::root().join("components").join("schemas");
            self.component(&wire_name, &at)?;
        }
        Ok(())
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

    /// The type named after component schema `wire_name`, lowering it the first time.
    fn component(&mut self, wire_name: &str, at: &Pointer) -> Result<TypeRef, Error> {
        let Some(name) = self.components.get(wire_name).cloned() else {
            return Err(self.dangling(&format!("#/components/schemas/{wire_name}"), at));
        };
        if self.lowered.insert(wire_name.to_owned()) {
            let origin = Pointer::root()
                .join("components")
                .join("schemas")
                .join(wire_name);
            let components = self.spec.document().components.as_ref();
            let entry = components.and_then(|c| c.schemas.get(wire_name));
            if let Some(entry) = entry {
                // Resolving first refuses a chain of references that loops.
                let (schema, target_origin) =
                    self.resolve(entry, &origin, "schemas", |c| &c.schemas)?;
                let single_ref = match entry {
                    ReferenceOr::Reference { reference } => Some(reference.as_str()),
                    ReferenceOr::Item(schema) => single_ref_all_of(schema),
                };
                let merged = self.merged_scalar(schema, &target_origin)?;
                let kind = match (single_ref, merged) {
                    // A component that is only another one is an alias of it, so values of
                    // both are one Rust type.
                    (Some(reference), _)
                    | (
                        None,
                        Some(Merged {
                            reference: Some(reference),
                            ..
                        }),
                    ) => TypeKind::Alias(self.schema_type(
                        SchemaRef::Ref(reference),
                        &origin,
                        &name,
                    )?),
                    (None, Some(merged)) => {
                        self.definition(merged.schema, &target_origin, &name)?
                    }
                    (None, None) => self.definition(schema, &target_origin, &name)?,
                };
                let docs = match (entry, merged) {
                    (ReferenceOr::Item(_), Some(merged)) => schema_docs(merged.schema),
                    (ReferenceOr::Item(own), None) => schema_docs(own),
                    (ReferenceOr::Reference { .. }, _) => None,
                };
                self.define(&name, &origin, docs, kind);
            }
        }
        Ok(TypeRef::Named(name))
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
        if let Some(single) = single_ref_all_of(schema) {
            return self.schema_type(SchemaRef::Ref(single), &at.join("allOf").join(0), hint);
        }
        match self.merged_scalar(schema, at)? {
            Some(Merged {
                reference: Some(reference),
                ..
            }) => return self.schema_type(SchemaRef::Ref(reference), at, hint),
            // The merged schema has no `allOf`, so this does not come back here.
            Some(merged) => return self.inline(merged.schema, at, hint),
            None => {}
        }
        if !needs_name(schema) {
            return self.plain(schema, at, hint);
        }
        if let Some(name) = self.inline_names.get(at) {
            return Ok(TypeRef::Named(name.clone()));
        }
        let base = schema.schema_data.title.as_deref().unwrap_or(hint);
        let name = self.type_names.claim(naming::type_name(base));
        self.inline_names.insert(at.clone(), name.clone());
        let kind = self.kind(schema, at, &name)?;
        self.define(&name, at, schema_docs(schema), kind);
        Ok(TypeRef::Named(name))
    }

    /// Gives an undocumented inline type the documentation of the field or parameter that
    /// holds it.
    pub(crate) fn adopt_docs(&mut self, ty: &TypeRef, docs: Option<&str>) {
        let (TypeRef::Named(name), Some(docs)) = (ty, docs) else {
            return;
        };
        if let Some(definition) = self.types.get_mut(name) {
            if definition.docs.is_none() {
                definition.docs = Some(docs.to_owned());
            }
        }
    }

    fn define(&mut self, name: &str, origin: &Pointer, docs: Option<String>, kind: TypeKind) {
        let definition = TypeDef {
            name: name.to_owned(),
            origin: origin.as_str().to_owned(),
            docs,
            kind,
        };
        self.types.insert(name.to_owned(), definition);
    }

    /// A schema that maps onto a built-in type.
    fn plain(&mut self, schema: &'a Schema, at: &Pointer, hint: &str) -> Result<TypeRef, Error> {
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(string))
                if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary) =>
            {
                TypeRef::Bytes
            }
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
            SchemaKind::Not { .. } => {
                return Err(self.error(at, "`not` schemas cannot be expressed as a Rust type"))
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
    fn element_type(
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
            SchemaKind::Type(Type::String(string)) => Ok(TypeKind::Enum(string_enum(
                string.enumeration.iter().flatten().map(String::as_str),
            ))),
            SchemaKind::Type(Type::Integer(integer)) => Ok(TypeKind::Enum(integer_enum(
                integer.enumeration.iter().flatten().copied(),
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
            SchemaKind::Any(any)
                if any.properties.is_empty()
                    && any.all_of.is_empty()
                    && !any.enumeration.is_empty() =>
            {
                let values = any.enumeration.iter().filter_map(|value| value.as_str());
                Ok(TypeKind::Enum(string_enum(values)))
            }
            _ => {
                let mut properties = Properties::default();
                let mut visited = BTreeSet::new();
                self.collect_properties(schema, at, name, &mut properties, &mut visited)?;
                let additional = properties.additional.clone();
                let mut fields = self.fields(properties, at)?;
                if let Some(field) = self.additional_field(additional, &fields, name)? {
                    fields.push(field);
                }
                Ok(TypeKind::Struct(Struct { fields }))
            }
        }
    }

    /// Gathers the properties of an object schema, merging the members of `allOf`.
    fn collect_properties(
        &mut self,
        schema: &'a Schema,
        at: &Pointer,
        owner: &str,
        into: &mut Properties<'a>,
        visited: &mut BTreeSet<String>,
    ) -> Result<(), Error> {
        let (properties, required, all_of, additional) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => (
                Some(&object.properties),
                object.required.as_slice(),
                &[][..],
                object.additional_properties.as_ref(),
            ),
            SchemaKind::AllOf { all_of } => (None, &[][..], all_of.as_slice(), None),
            SchemaKind::Any(any) => (
                Some(&any.properties),
                any.required.as_slice(),
                any.all_of.as_slice(),
                any.additional_properties.as_ref(),
            ),
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                return Err(self.error(
                    at,
                    "a `oneOf`/`anyOf` inside `allOf` cannot be merged into one struct",
                ))
            }
            SchemaKind::Not { .. } => {
                return Err(self.error(at, "`not` schemas cannot be expressed as a Rust type"))
            }
            SchemaKind::Type(_) => {
                return Err(self.error(at, "an `allOf` member must be an object schema"))
            }
        };
        for (index, member) in all_of.iter().enumerate() {
            let member_at = at.join("allOf").join(index);
            match member {
                ReferenceOr::Reference { reference } => {
                    let wire = self
                        .component_name(reference, "schemas", &member_at)?
                        .to_owned();
                    // `visited` holds the chain of schemas being merged, so a diamond (two
                    // members sharing a base) is fine and only a real cycle is refused.
                    if !visited.insert(wire.clone()) {
                        return Err(self.error(&member_at, "`allOf` includes itself"));
                    }
                    let (member, member_origin) =
                        self.resolve_schema(SchemaRef::Ref(reference), &member_at)?;
                    let member_owner = self.components.get(&wire).cloned().unwrap_or_default();
                    self.collect_properties(member, &member_origin, &member_owner, into, visited)?;
                    visited.remove(&wire);
                }
                ReferenceOr::Item(member) => {
                    self.collect_properties(member, &member_at, owner, into, visited)?;
                }
            }
        }
        for (wire_name, schema) in properties.into_iter().flatten() {
            into.add(Property {
                wire_name: wire_name.clone(),
                schema: schema.into(),
                at: at.join("properties").join(wire_name),
                owner: owner.to_owned(),
            });
        }
        into.required.extend(required.iter().cloned());
        if let Some(additional) = additional {
            into.additional = Some((additional, at.join("additionalProperties")));
        }
        Ok(())
    }

    /// The field that keeps properties beyond the declared ones, when `additionalProperties`
    /// allows them (`true` or a schema) beside declared properties.
    fn additional_field(
        &mut self,
        additional: Option<(&'a AdditionalProperties, Pointer)>,
        fields: &[Field],
        owner: &str,
    ) -> Result<Option<Field>, Error> {
        let value = match additional {
            Some((AdditionalProperties::Any(true), _)) => TypeRef::Json,
            Some((AdditionalProperties::Schema(schema), at)) => {
                let schema: &'a ReferenceOr<Schema> = schema;
                self.element_type(schema.into(), &at, &format!("{owner} additional value"))?
            }
            Some((AdditionalProperties::Any(false), _)) | None => return Ok(None),
        };
        let mut names = UniqueNames::default();
        for field in fields {
            names.claim(field.name.clone());
        }
        Ok(Some(Field {
            name: names.claim("additional_properties".to_owned()),
            wire_name: String::new(),
            docs: Some("Properties beyond the ones above, by name.".to_owned()),
            ty: TypeRef::Map(Box::new(value)),
            presence: Presence::Additional,
            secret: false,
            boxed: false,
        }))
    }

    fn fields(&mut self, properties: Properties<'a>, at: &Pointer) -> Result<Vec<Field>, Error> {
        for required in &properties.required {
            if !properties.list.iter().any(|p| &p.wire_name == required) {
                let message =
                    format!("`required` names `{required}`, which is not a property; ignored");
                self.warn(&at.join("required"), message);
            }
        }
        let mut names = UniqueNames::default();
        let mut fields = Vec::with_capacity(properties.list.len());
        for property in properties.list {
            let hint = format!("{} {}", property.owner, property.wire_name);
            let ty = self.schema_type(property.schema, &property.at, &hint)?;
            let facts = self.facts(property.schema, &property.at)?;
            self.adopt_docs(&ty, facts.docs.as_deref());
            // A readOnly property is only in responses and a writeOnly one only in requests,
            // so `required` holds in one direction only: the field is optional.
            let required = properties.required.contains(&property.wire_name) && !facts.one_way;
            let presence = match (required, facts.nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, _) => Presence::Optional,
            };
            fields.push(Field {
                name: names.claim(naming::value_name(&property.wire_name)),
                wire_name: property.wire_name,
                docs: facts.docs,
                ty,
                presence,
                secret: facts.secret,
                boxed: false,
            });
        }
        Ok(fields)
    }

    /// What the schema of a property, parameter, item or map value says about its values,
    /// with the members of an `allOf` around one non-object schema merged.
    pub(crate) fn facts(&mut self, schema: SchemaRef<'a>, at: &Pointer) -> Result<Facts, Error> {
        let (resolved, resolved_at) = self.resolve_schema(schema, at)?;
        let merged = self.merged_scalar(resolved, &resolved_at)?;
        let view = merged.map_or(resolved, |merged| merged.schema);
        let data = &view.schema_data;
        Ok(Facts {
            nullable: match merged {
                Some(merged) => merged.schema.schema_data.nullable,
                None => is_nullable(resolved),
            },
            secret: is_secret(view),
            one_way: data.read_only || data.write_only,
            // A reference documents itself, on its type.
            docs: match schema {
                SchemaRef::Item(_) => data.description.clone(),
                SchemaRef::Ref(_) => None,
            },
        })
    }

    fn union(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        discriminator: Option<&'a Discriminator>,
        at: &Pointer,
        name: &str,
    ) -> Result<TypeKind, Error> {
        let tags = match discriminator {
            Some(discriminator) => Some((
                discriminator.property_name.clone(),
                self.discriminator_tags(members, discriminator, at)?,
            )),
            None => self.single_value_tags(members, at)?,
        };
        let mut names = UniqueNames::default();
        let mut variants = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let member_at = at.join(index);
            let title = member
                .as_item()
                .and_then(|s| s.schema_data.title.as_deref());
            let hint = match title {
                Some(title) => format!("{name} {title}"),
                None => format!("{name} variant {}", index + 1),
            };
            let ty = self.schema_type(member.into(), &member_at, &hint)?;
            let mut accepted = tags
                .as_ref()
                .map(|(_, tags)| tags[index].clone())
                .unwrap_or_default();
            let tag = (!accepted.is_empty()).then(|| accepted.remove(0));
            let base = match (&tag, title, &ty) {
                (Some(tag), _, _) => naming::type_name(tag),
                (None, Some(title), _) => naming::type_name(title),
                (None, None, ty) => variant_name_of(ty),
            };
            variants.push(UnionVariant {
                name: names.claim(base),
                ty,
                tag,
                also_accepted: accepted,
                boxed: false,
            });
        }
        let tagging = match tags {
            Some((property, _)) => Tagging::Property(property),
            None => Tagging::Untagged,
        };
        Ok(TypeKind::Union(Union { tagging, variants }))
    }

    /// The tag of each member under an explicit discriminator: from `mapping` when it names the
    /// member, else the name of the component schema the member refers to.
    fn discriminator_tags(
        &self,
        members: &[ReferenceOr<Schema>],
        discriminator: &Discriminator,
        at: &Pointer,
    ) -> Result<Vec<Vec<String>>, Error> {
        members
            .iter()
            .enumerate()
            .map(|(index, member)| {
                let ReferenceOr::Reference { reference } = member else {
                    let message = "a member of a union with a `discriminator` must be a `$ref`";
                    return Err(self.error(&at.join(index), message));
                };
                let mapped: Vec<String> = discriminator
                    .mapping
                    .iter()
                    .filter(|(_, target)| {
                        *target == reference || target.as_str() == short_name(reference)
                    })
                    .map(|(tag, _)| tag.clone())
                    .collect();
                Ok(if mapped.is_empty() {
                    vec![short_name(reference).to_owned()]
                } else {
                    mapped
                })
            })
            .collect()
    }

    /// Without a discriminator, a union is still tagged when every member requires the same
    /// property and allows it exactly one string value, each member a different one (Box's
    /// `type: file` / `type: folder`).
    fn single_value_tags(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        at: &Pointer,
    ) -> Result<Option<Tags>, Error> {
        let mut candidates: Option<Vec<(String, Vec<String>)>> = None;
        for (index, member) in members.iter().enumerate() {
            let member_at = at.join(index);
            let (schema, origin) = self.resolve_schema(member.into(), &member_at)?;
            if !matches!(
                schema.schema_kind,
                SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } | SchemaKind::Any(_)
            ) {
                return Ok(None);
            }
            let mut properties = Properties::default();
            self.collect_properties(schema, &origin, "", &mut properties, &mut BTreeSet::new())?;
            let mut constants = Vec::new();
            for property in &properties.list {
                if !properties.required.contains(&property.wire_name) {
                    continue;
                }
                let (resolved, _) = self.resolve_schema(property.schema, &property.at)?;
                if let SchemaKind::Type(Type::String(string)) = &resolved.schema_kind {
                    if let [Some(value)] = string.enumeration.as_slice() {
                        constants.push((property.wire_name.clone(), value.clone()));
                    }
                }
            }
            candidates = Some(match candidates {
                None => constants.into_iter().map(|(p, v)| (p, vec![v])).collect(),
                Some(previous) => previous
                    .into_iter()
                    .filter_map(|(property, mut values)| {
                        let value = constants.iter().find(|(p, _)| *p == property)?;
                        values.push(value.1.clone());
                        Some((property, values))
                    })
                    .collect(),
            });
        }
        let found = candidates
            .into_iter()
            .flatten()
            .find(|(_, values)| values.iter().collect::<BTreeSet<_>>().len() == values.len());
        Ok(found.map(|(property, values)| {
            (
                property,
                values.into_iter().map(|value| vec![value]).collect(),
            )
        }))
    }
}

/// What a schema says about the values it describes, beyond their type.
pub(crate) struct Facts {
    /// The value may be `null`.
    pub(crate) nullable: bool,
    /// The value is a credential, to be redacted (see [`is_secret`]).
    pub(crate) secret: bool,
    /// `readOnly` or `writeOnly`: the value travels in one direction only.
    pub(crate) one_way: bool,
    /// The schema's own description.
    pub(crate) docs: Option<String>,
}

/// A union's tag property and, for each member in order, the tag values that select it (the
/// first is the one written).
type Tags = (String, Vec<Vec<String>>);

/// `nullable: true` on the schema, or on an `allOf` member that only overrides.
fn is_nullable(schema: &Schema) -> bool {
    schema.schema_data.nullable
        || match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.iter().any(|member| {
                matches!(member, ReferenceOr::Item(member)
                    if member.schema_data.nullable
                        && matches!(&member.schema_kind, SchemaKind::Any(any) if *any == Default::default()))
            }),
            _ => false,
        }
}

/// A schema's documentation: its description, else its title.
fn schema_docs(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    data.description.clone().or_else(|| data.title.clone())
}

/// Whether Rust needs a named type to hold values of `schema`.
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
                || (!any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_string()))
        }
        _ => false,
    }
}

/// `allOf: [{$ref: X}]`, possibly with members that only override `description` or
/// `nullable`, is just `X`.
fn single_ref_all_of(schema: &Schema) -> Option<&str> {
    let SchemaKind::AllOf { all_of } = &schema.schema_kind else {
        return None;
    };
    let mut references = all_of.iter().filter_map(|member| match member {
        ReferenceOr::Reference { reference } => Some(reference.as_str()),
        ReferenceOr::Item(_) => None,
    });
    let only_overrides = all_of.iter().all(|member| match member {
        ReferenceOr::Reference { .. } => true,
        ReferenceOr::Item(schema) => {
            matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == Default::default())
        }
    });
    let first = references.next()?;
    (only_overrides && references.next().is_none()).then_some(first)
}

fn string_enum<'v>(values: impl Iterator<Item = &'v str>) -> Enum {
    let mut names = UniqueNames::default();
    let mut seen = BTreeSet::new();
    let variants = values
        .filter(|value| seen.insert(*value))
        .map(|value| EnumVariant {
            name: names.claim(if value.is_empty() {
                "Empty".to_owned()
            } else {
                // A variant named after a number reads better as `V10` than `_10`.
                let name = naming::type_name(value);
                match name.strip_prefix('_') {
                    Some(digits) => format!("V{digits}"),
                    None => name,
                }
            }),
            value: value.to_owned(),
        })
        .collect();
    Enum {
        kind: EnumKind::String,
        variants,
    }
}

/// Integer values become variants such as `V200` and `VMinus1`.
fn integer_enum(values: impl Iterator<Item = i64>) -> Enum {
    let mut names = UniqueNames::default();
    let mut seen = BTreeSet::new();
    let variants = values
        .filter(|value| seen.insert(*value))
        .map(|value| {
            let magnitude = value.unsigned_abs();
            let name = if value < 0 {
                format!("VMinus{magnitude}")
            } else {
                format!("V{magnitude}")
            };
            EnumVariant {
                name: names.claim(name),
                value: value.to_string(),
            }
        })
        .collect();
    Enum {
        kind: EnumKind::Integer,
        variants,
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

/// `#/components/schemas/File--Mini` -> `File--Mini`.
fn short_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// A variant name for an untagged union member that has no title.
fn variant_name_of(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "Integer".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "Number".to_owned(),
        TypeRef::Bool => "Boolean".to_owned(),
        TypeRef::Json => "Json".to_owned(),
        TypeRef::Nullable(inner) => format!("Optional{}", variant_name_of(inner)),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::Array(item) => format!("{}List", variant_name_of(item)),
        TypeRef::Map(value) => format!("{}Map", variant_name_of(value)),
    }
}
