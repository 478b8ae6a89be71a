//! Lowering `oneOf` and `anyOf` into enums. A repeated alternative is left out. The variants
//! are tagged by a `discriminator`, or by a property that alternatives give one string value
//! each; the others are tried in order, narrowest first (`reach.rs`).

use std::collections::BTreeSet;

use openapiv3::{Discriminator, ReferenceOr, Schema, SchemaKind, Type};

use super::objects::Properties;
use super::Lowerer;
use crate::diagnostics::{Error, Pointer};
use crate::model::{Tagging, TypeKind, TypeRef, Union, UnionVariant};
use crate::naming::{self, UniqueNames};

/// How a union is tagged: its tag property, and what the tag says of each member, in order.
struct Tags {
    property: String,
    members: Vec<MemberTag>,
}

/// The tag values that select one member (the first is the one written; none when the tag
/// does not select it), and whether the member may also come without the tag property.
#[derive(Clone, Default)]
struct MemberTag {
    values: Vec<String>,
    optional: bool,
}

/// A property an object alternative gives exactly one string value.
struct Constant {
    property: String,
    value: String,
    required: bool,
}

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
                .map(|tags| Tags {
                    property: discriminator.property_name.clone(),
                    members: tags
                        .into_iter()
                        .map(|values| MemberTag {
                            values,
                            optional: false,
                        })
                        .collect(),
                }),
            None => None,
        };
        let tags = match explicit {
            Some(tags) => Some(tags),
            None => self.single_value_tags(&members, at)?,
        };
        let variants = self.variants(&members, tags.as_ref(), at, name);
        let variants = self.try_order(variants, at);
        let tagging = match tags {
            Some(tags) => Tagging::Property(tags.property),
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

    /// One variant per member, in document order, each with its index in the document and
    /// the tags that select it. Names are handed out in document order, so reordering the
    /// variants never renames one.
    fn variants(
        &mut self,
        members: &Members<'a>,
        tags: Option<&Tags>,
        at: &Pointer,
        name: &str,
    ) -> Vec<(usize, UnionVariant)> {
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
            let MemberTag {
                values: mut accepted,
                optional,
            } = tags
                .map(|tags| tags.members[position].clone())
                .unwrap_or_default();
            let tag = (!accepted.is_empty()).then(|| accepted.remove(0));
            let base = match (&tag, title, &ty) {
                (Some(tag), _, _) => naming::type_name(tag),
                (None, Some(title), _) => naming::type_name(title),
                (None, None, ty) => naming::type_name(&self.variant_name_of(ty)),
            };
            let variant = UnionVariant {
                name: names.claim(base),
                ty,
                tag,
                also_accepted: accepted,
                tag_optional: optional,
                boxed: false,
            };
            variants.push((index, variant));
        }
        variants
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

    /// Without a discriminator, a union is still tagged by a property that alternatives give
    /// exactly one string value each, a different one each (Box's `type: file` / `type:
    /// folder`), and that at least one of them requires: the property that tells the most
    /// alternatives apart, the first found on a tie. An alternative whose value for it is
    /// optional is also tried when the tag selects none, as are those the tag does not select
    /// (Spotify's episode, `type: episode`, beside a track whose properties are all optional).
    fn single_value_tags(
        &mut self,
        members: &Members<'a>,
        at: &Pointer,
    ) -> Result<Option<Tags>, Error> {
        let mut constants = Vec::with_capacity(members.len());
        for &(index, member) in members {
            constants.push(self.constants(member, &at.join(index))?);
        }
        let mut best: Option<(usize, Tags)> = None;
        for candidate in constants.iter().flatten().filter(|c| c.required) {
            let tags = tags_by(&constants, &candidate.property);
            let given: Vec<&String> = tags.iter().flat_map(|tag| &tag.values).collect();
            let (count, distinct) = (given.len(), given.iter().collect::<BTreeSet<_>>().len());
            if distinct == count && best.as_ref().is_none_or(|(most, _)| count > *most) {
                let property = candidate.property.clone();
                let tags = Tags {
                    property,
                    members: tags,
                };
                best = Some((count, tags));
            }
        }
        Ok(best.map(|(_, tags)| tags))
    }

    /// The properties an object alternative gives exactly one string value, and those values;
    /// none for an alternative that is not an object.
    fn constants(
        &mut self,
        member: &'a ReferenceOr<Schema>,
        at: &Pointer,
    ) -> Result<Vec<Constant>, Error> {
        let (schema, origin) = self.resolve_schema(member.into(), at)?;
        if !matches!(
            schema.schema_kind,
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } | SchemaKind::Any(_)
        ) {
            return Ok(Vec::new());
        }
        let mut properties = Properties::default();
        self.collect_properties(schema, &origin, "", &mut properties, &mut BTreeSet::new())?;
        let mut constants = Vec::new();
        for property in &properties.list {
            let (resolved, _) = self.resolve_schema(property.schema, &property.at)?;
            if let SchemaKind::Type(Type::String(string)) = &resolved.schema_kind {
                if let [Some(value)] = string.enumeration.as_slice() {
                    constants.push(Constant {
                        property: property.wire_name.clone(),
                        value: value.clone(),
                        required: properties.required.contains(&property.wire_name),
                    });
                }
            }
        }
        Ok(constants)
    }
}

/// What `property` says of each member, given the constants each member has.
fn tags_by(constants: &[Vec<Constant>], property: &str) -> Vec<MemberTag> {
    constants
        .iter()
        .map(
            |found| match found.iter().find(|c| c.property == property) {
                Some(constant) => MemberTag {
                    values: vec![constant.value.clone()],
                    optional: !constant.required,
                },
                None => MemberTag::default(),
            },
        )
        .collect()
}

/// `#/components/schemas/File--Mini` -> `File--Mini`.
fn short_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

impl Lowerer<'_> {
    /// A variant name for an untagged union member that has no title.
    fn variant_name_of(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(id) => self.types.name(*id).unwrap_or("Named").to_owned(),
            TypeRef::String => "String".to_owned(),
            TypeRef::Secret => "Secret".to_owned(),
            TypeRef::I32 | TypeRef::I64 => "Integer".to_owned(),
            TypeRef::F32 | TypeRef::F64 => "Number".to_owned(),
            TypeRef::Bool => "Boolean".to_owned(),
            TypeRef::Json => "Json".to_owned(),
            TypeRef::Nullable(inner) => format!("Optional{}", self.variant_name_of(inner)),
            TypeRef::Bytes => "Bytes".to_owned(),
            TypeRef::File => "File".to_owned(),
            TypeRef::Array(item) => format!("{}List", self.variant_name_of(item)),
            TypeRef::Map(value) => format!("{}Map", self.variant_name_of(value)),
        }
    }
}
