//! Lowering `oneOf` and `anyOf` into enums: tagged by a `discriminator`, or by a property
//! every alternative requires with one string value each, else untagged (tried in order). A
//! repeated alternative is left out.

use std::collections::BTreeSet;

use openapiv3::{Discriminator, ReferenceOr, Schema, SchemaKind, Type};

use super::objects::Properties;
use super::Lowerer;
use crate::diagnostics::{Error, Pointer};
use crate::model::{Tagging, TypeKind, TypeRef, Union, UnionVariant};
use crate::naming::{self, UniqueNames};

/// A union's tag property and, for each member in order, the tag values that select it (the
/// first is the one written).
type Tags = (String, Vec<Vec<String>>);

/// The alternatives of a union that remain once repeats are left out, each with its index
/// in the document.
type Members<'a> = [(usize, &'a ReferenceOr<Schema>)];

impl<'a> Lowerer<'a> {
    /// The enum for the alternatives `members` (at `at`) of the type named `name`.
    pub(super) fn union(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        discriminator: Option<&'a Discriminator>,
        at: &Pointer,
        name: &str,
    ) -> Result<TypeKind, Error> {
        if members.is_empty() {
            let message = "an empty list of alternatives allows no value; any JSON is used";
            self.warn(at, message);
            return Ok(TypeKind::Alias(TypeRef::Json));
        }
        let members = self.distinct(members, at);
        let explicit = match discriminator {
            Some(discriminator) => self
                .discriminator_tags(&members, discriminator, at)
                .filter(|tags| self.distinct_tags(tags, at))
                .map(|tags| (discriminator.property_name.clone(), tags)),
            None => None,
        };
        let tags = match explicit {
            Some(tags) => Some(tags),
            None => self.single_value_tags(&members, at)?,
        };
        let mut names = UniqueNames::with_reserved(naming::RESERVED_VARIANT_NAMES);
        let mut variants = Vec::with_capacity(members.len());
        for (position, &(index, member)) in members.iter().enumerate() {
            let member_at = at.join(index);
            let title = member
                .as_item()
                .and_then(|s| s.schema_data.title.as_deref());
            let hint = match title {
                Some(title) => format!("{name} {title}"),
                None => format!("{name} variant {}", index + 1),
            };
            let ty = self.schema_type(member.into(), &member_at, &hint);
            let ty = self.recover(ty, TypeRef::Json);
            let mut accepted = tags
                .as_ref()
                .map(|(_, tags)| tags[position].clone())
                .unwrap_or_default();
            let tag = (!accepted.is_empty()).then(|| accepted.remove(0));
            let base = match (&tag, title, &ty) {
                (Some(tag), _, _) => naming::type_name(tag),
                (None, Some(title), _) => naming::type_name(title),
                (None, None, ty) => naming::type_name(&variant_name_of(ty)),
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

    /// The alternatives, each once: a repeat (the same `$ref` listed twice, say) would be a
    /// second variant no value can reach, and would make a discriminator that maps to it
    /// ambiguous; it is left out with a warning.
    fn distinct(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        at: &Pointer,
    ) -> Vec<(usize, &'a ReferenceOr<Schema>)> {
        let mut kept: Vec<(usize, &'a ReferenceOr<Schema>)> = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            match kept.iter().find(|(_, earlier)| *earlier == member) {
                Some((first, _)) => {
                    let message = format!("the same alternative as alternative {first}; left out");
                    self.warn(&at.join(index), message);
                }
                None => kept.push((index, member)),
            }
        }
        kept
    }

    /// The tag of each member under an explicit discriminator: from `mapping` when it names the
    /// member, else the name of the component schema the member refers to. A discriminator
    /// over inline members cannot name them; it is set aside with a warning.
    fn discriminator_tags(
        &mut self,
        members: &Members<'a>,
        discriminator: &Discriminator,
        at: &Pointer,
    ) -> Option<Vec<Vec<String>>> {
        let mut tags = Vec::with_capacity(members.len());
        for &(index, member) in members {
            let ReferenceOr::Reference { reference } = member else {
                let message = "a `discriminator` can only tell apart alternatives that are \
                               `$ref`s; it is ignored";
                self.warn(&at.join(index), message);
                return None;
            };
            let mapped: Vec<String> = discriminator
                .mapping
                .iter()
                .filter(|(_, target)| {
                    *target == reference || target.as_str() == short_name(reference)
                })
                .map(|(tag, _)| tag.clone())
                .collect();
            tags.push(if mapped.is_empty() {
                vec![short_name(reference).to_owned()]
            } else {
                mapped
            });
        }
        Some(tags)
    }

    /// Whether no tag selects two members; when one does (a member listed twice, say), the
    /// discriminator cannot tell them apart and is set aside with a warning.
    fn distinct_tags(&mut self, tags: &[Vec<String>], at: &Pointer) -> bool {
        let mut seen = BTreeSet::new();
        let repeated = tags.iter().flatten().find(|tag| !seen.insert(tag.as_str()));
        if let Some(tag) = repeated {
            let message = format!(
                "the discriminator value `{tag}` selects more than one alternative; it is ignored"
            );
            self.warn(at, message);
        }
        repeated.is_none()
    }

    /// Without a discriminator, a union is still tagged when every member requires the same
    /// property and allows it exactly one string value, each member a different one (Box's
    /// `type: file` / `type: folder`).
    fn single_value_tags(
        &mut self,
        members: &Members<'a>,
        at: &Pointer,
    ) -> Result<Option<Tags>, Error> {
        let mut candidates: Option<Vec<(String, Vec<String>)>> = None;
        for &(index, member) in members {
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
