//! Lowering object schemas into structs: their properties, gathered through `allOf`, become
//! fields; `additionalProperties` beside them becomes a flattened map; a `oneOf`/`anyOf` of
//! objects beside them becomes a flattened union field.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, Discriminator, ReferenceOr, Schema, SchemaKind, Type};

use super::schemas::SchemaRef;
use super::Lowerer;
use crate::diagnostics::{Error, Pointer};
use crate::model::{Field, Presence, Purpose, Struct, TypeKind, TypeRef};
use crate::naming::{self, UniqueNames};

/// One property of an object, found directly or through `allOf`.
pub(super) struct Property<'d> {
    pub(super) wire_name: String,
    pub(super) schema: SchemaRef<'d>,
    pub(super) at: Pointer,
    /// Name of the type that declares the property; inline types in it are named after it.
    owner: String,
}

/// The properties of an object and which of them are required.
#[derive(Default)]
pub(super) struct Properties<'d> {
    pub(super) list: Vec<Property<'d>>,
    pub(super) required: BTreeSet<String>,
    /// `additionalProperties` beside the properties, with where it was found.
    additional: Option<(&'d AdditionalProperties, Pointer)>,
    /// Unions whose alternatives are objects, read from the same JSON object.
    unions: Vec<Alternatives<'d>>,
}

/// What one object schema holds itself, beside what its `allOf` members hold.
struct OwnParts<'d> {
    properties: Option<&'d IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: &'d [String],
    all_of: &'d [ReferenceOr<Schema>],
    additional: Option<&'d AdditionalProperties>,
}

/// A `oneOf`/`anyOf` found among an object's members.
struct Alternatives<'d> {
    members: &'d [ReferenceOr<Schema>],
    discriminator: Option<&'d Discriminator>,
    /// Where the list of alternatives is (`.../oneOf`).
    at: Pointer,
    owner: String,
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
    /// The struct for an object schema named `name`.
    pub(super) fn object(
        &mut self,
        schema: &'a Schema,
        at: &Pointer,
        name: &str,
    ) -> Result<TypeKind, Error> {
        let mut properties = Properties::default();
        self.collect_properties(schema, at, name, &mut properties, &mut BTreeSet::new())?;
        let additional = properties.additional.clone();
        let unions = std::mem::take(&mut properties.unions);
        let mut fields = self.fields(properties, at);
        let mut names = UniqueNames::default();
        for field in &fields {
            names.claim(field.name.clone());
        }
        for union in unions {
            let hint = format!("{} variant", union.owner);
            let ty = self.alternatives_type(&union, &hint);
            let Some(ty) = self.recover(ty.map(Some), None) else {
                continue;
            };
            fields.push(Field {
                name: names.claim(naming::value_name("variant")),
                wire_name: String::new(),
                docs: Some("Which of the alternatives the object also matches.".to_owned()),
                ty,
                presence: Presence::Flattened,
                boxed: false,
                fixed: None,
                keeps_null: false,
            });
        }
        if let Some(field) = self.additional_field(additional, &mut names, name)? {
            fields.push(field);
        }
        Ok(TypeKind::Struct(Struct {
            fields,
            purpose: Purpose::Schema,
            builder: self.builder_name(name),
        }))
    }

    /// The name of the builder of struct `name`, claimed like any type name.
    pub(super) fn builder_name(&mut self, name: &str) -> String {
        self.type_names.claim(naming::type_name(&format!(
            "{} builder",
            naming::unraw(name)
        )))
    }

    /// Gathers the properties of an object schema, merging the members of `allOf`.
    pub(super) fn collect_properties(
        &mut self,
        schema: &'a Schema,
        at: &Pointer,
        owner: &str,
        into: &mut Properties<'a>,
        visited: &mut BTreeSet<String>,
    ) -> Result<(), Error> {
        let Some(own) = self.own_parts(schema, at, owner, into)? else {
            return Ok(());
        };
        for (index, member) in own.all_of.iter().enumerate() {
            let member_at = at.join("allOf").join(index);
            self.collect_member(member, &member_at, owner, into, visited)?;
        }
        for (wire_name, schema) in own.properties.into_iter().flatten() {
            into.add(Property {
                wire_name: wire_name.clone(),
                schema: schema.into(),
                at: at.join("properties").join(wire_name),
                owner: owner.to_owned(),
            });
        }
        into.required.extend(own.required.iter().cloned());
        if let Some(additional) = own.additional {
            into.additional = Some((additional, at.join("additionalProperties")));
        }
        Ok(())
    }

    /// What an object schema (or a member of an `allOf`) holds itself; its unions are added
    /// to `into` on the way. `None` when it holds no properties: a union alone (added), or a
    /// `not` or non-object member (ignored with a warning).
    fn own_parts(
        &mut self,
        schema: &'a Schema,
        at: &Pointer,
        owner: &str,
        into: &mut Properties<'a>,
    ) -> Result<Option<OwnParts<'a>>, Error> {
        let discriminator = schema.schema_data.discriminator.as_ref();
        Ok(Some(match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => OwnParts {
                properties: Some(&object.properties),
                required: &object.required,
                all_of: &[],
                additional: object.additional_properties.as_ref(),
            },
            SchemaKind::AllOf { all_of } => OwnParts {
                properties: None,
                required: &[],
                all_of,
                additional: None,
            },
            SchemaKind::Any(any) => {
                for (members, key) in [(&any.one_of, "oneOf"), (&any.any_of, "anyOf")] {
                    if !members.is_empty() {
                        self.alternatives(members, discriminator, at.join(key), owner, into)?;
                    }
                }
                OwnParts {
                    properties: Some(&any.properties),
                    required: &any.required,
                    all_of: &any.all_of,
                    additional: any.additional_properties.as_ref(),
                }
            }
            SchemaKind::OneOf { one_of: members } => {
                self.alternatives(members, discriminator, at.join("oneOf"), owner, into)?;
                return Ok(None);
            }
            SchemaKind::AnyOf { any_of: members } => {
                self.alternatives(members, discriminator, at.join("anyOf"), owner, into)?;
                return Ok(None);
            }
            SchemaKind::Not { .. } => {
                let message = "a `not` member only constrains the object; not checked";
                self.warn(at, message);
                return Ok(None);
            }
            SchemaKind::Type(_) => {
                let message = "an `allOf` member that is not an object cannot hold properties; \
                               ignored";
                self.warn(at, message);
                return Ok(None);
            }
        }))
    }

    /// Gathers the properties of one member of an `allOf`, found at `at`. `visited` holds the
    /// chain of components being merged, so a diamond (two members sharing a base) is fine
    /// and only a real cycle is left out.
    fn collect_member(
        &mut self,
        member: &'a ReferenceOr<Schema>,
        at: &Pointer,
        owner: &str,
        into: &mut Properties<'a>,
        visited: &mut BTreeSet<String>,
    ) -> Result<(), Error> {
        let reference = match member {
            ReferenceOr::Item(member) => {
                return self.collect_properties(member, at, owner, into, visited);
            }
            ReferenceOr::Reference { reference } => reference,
        };
        let wire = self.component_name(reference, "schemas", at)?.to_owned();
        if !visited.insert(wire.clone()) {
            self.warn(at, "`allOf` includes itself; the repeat is ignored");
            return Ok(());
        }
        let (member, member_origin) = self.resolve_schema(SchemaRef::Ref(reference), at)?;
        let member_owner = self.components.get(&wire).cloned().unwrap_or_default();
        self.collect_properties(member, &member_origin, &member_owner, into, visited)?;
        visited.remove(&wire);
        Ok(())
    }

    /// A `oneOf`/`anyOf` (at `at`) inside an object: alternatives that only constrain which
    /// properties are present (`[{required: [a]}, {required: [b]}]`) are noted and left out;
    /// others become a union read from the same object.
    fn alternatives(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        discriminator: Option<&'a Discriminator>,
        at: Pointer,
        owner: &str,
        into: &mut Properties<'a>,
    ) -> Result<(), Error> {
        let mut constraints_only = true;
        for (index, member) in members.iter().enumerate() {
            let (resolved, _) = self.resolve_schema(member.into(), &at.join(index))?;
            constraints_only &= only_constrains(resolved);
        }
        if constraints_only {
            let message = "these alternatives only constrain which properties are present; \
                           the client does not check them";
            self.warn(&at, message);
        } else {
            into.unions.push(Alternatives {
                members,
                discriminator,
                at,
                owner: owner.to_owned(),
            });
        }
        Ok(())
    }

    /// The union type of a `oneOf`/`anyOf` found inside an object.
    fn alternatives_type(
        &mut self,
        alternatives: &Alternatives<'a>,
        hint: &str,
    ) -> Result<TypeRef, Error> {
        if let Some(name) = self.inline_names.get(&alternatives.at) {
            return Ok(TypeRef::Named(self.types.id(name)));
        }
        let name = self.type_names.claim(naming::type_name(hint));
        self.inline_names
            .insert(alternatives.at.clone(), name.clone());
        let id = self.types.id(&name);
        let kind = self.union(
            alternatives.members,
            alternatives.discriminator,
            &alternatives.at,
            &name,
        );
        let (kind, failed) = match kind {
            Ok(kind) => (kind, None),
            Err(error) => (TypeKind::Alias(TypeRef::Json), Some(error)),
        };
        let docs = format!(
            "The alternatives an object of `{}` also matches.",
            alternatives.owner
        );
        self.define(&name, &alternatives.at, Some(docs), kind);
        match failed {
            Some(error) => Err(error),
            None => Ok(TypeRef::Named(id)),
        }
    }

    /// The field that keeps properties beyond the declared ones, when `additionalProperties`
    /// allows them (`true` or a schema) beside declared properties.
    fn additional_field(
        &mut self,
        additional: Option<(&'a AdditionalProperties, Pointer)>,
        names: &mut UniqueNames,
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
        Ok(Some(Field {
            name: names.claim("additional_properties".to_owned()),
            wire_name: String::new(),
            docs: Some("Properties beyond the ones above, by name.".to_owned()),
            ty: TypeRef::Map(Box::new(value)),
            presence: Presence::Additional,
            boxed: false,
            fixed: None,
            keeps_null: false,
        }))
    }

    /// The fields for `properties`. A property whose type cannot be lowered is recorded as an
    /// error and left out, so the other fields (and their errors) are still found.
    pub(super) fn fields(&mut self, properties: Properties<'a>, at: &Pointer) -> Vec<Field> {
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
            let required = properties.required.contains(&property.wire_name);
            let field = self.field(property, required, &mut names);
            if let Some(field) = self.recover(field.map(Some), None) {
                fields.push(field);
            }
        }
        fields
    }

    fn field(
        &mut self,
        property: Property<'a>,
        required: bool,
        names: &mut UniqueNames,
    ) -> Result<Field, Error> {
        let hint = format!("{} {}", property.owner, property.wire_name);
        let ty = self.schema_type(property.schema, &property.at, &hint)?;
        let facts = self.facts(property.schema, &property.at)?;
        self.adopt_docs(&ty, facts.docs.as_deref());
        // A readOnly property is only in responses and a writeOnly one only in requests, so
        // `required` holds in one direction only: the field is optional.
        let presence = match (required && !facts.one_way, facts.nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            // Any JSON holds `null` itself; bytes have no `null` of their own.
            (false, true) if !matches!(ty, TypeRef::Json | TypeRef::Bytes) => {
                Presence::OptionalNullable
            }
            (false, _) => Presence::Optional,
        };
        Ok(Field {
            name: names.claim(naming::value_name(&property.wire_name)),
            wire_name: property.wire_name,
            docs: facts.docs,
            ty,
            presence,
            boxed: false,
            fixed: None,
            keeps_null: false,
        })
    }
}

/// Whether a schema only constrains an object without describing any value: `required`,
/// property counts, `not`, nothing else.
fn only_constrains(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Not { .. } => true,
        SchemaKind::Type(Type::Object(object)) => {
            object.properties.is_empty() && object.additional_properties.is_none()
        }
        SchemaKind::Any(any) => {
            matches!(any.typ.as_deref(), None | Some("object"))
                && any.properties.is_empty()
                && any.items.is_none()
                && any.additional_properties.is_none()
                && any.one_of.is_empty()
                && any.all_of.is_empty()
                && any.any_of.is_empty()
                && any.enumeration.is_empty()
        }
        _ => false,
    }
}
