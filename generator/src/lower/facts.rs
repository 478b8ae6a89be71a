//! Facts about fields that emission reads, worked out once every type is defined: whether a
//! field keeps `null` as a value, and the variant a required field of a one-value enum is fixed
//! to. Emission reads them from each [`Field`] and works nothing out again.

use crate::model::{Enum, Field, Presence, TypeDef, TypeKind, TypeRef};

/// Sets the facts of every field of every struct among `types` (indexed by id).
pub(super) fn settle(types: &mut [TypeDef]) {
    let single_variants: Vec<Option<String>> = types
        .iter()
        .map(|definition| single_variant(&definition.kind))
        .collect();
    for definition in types.iter_mut() {
        if let TypeKind::Struct(strukt) = &mut definition.kind {
            for field in &mut strukt.fields {
                settle_field(field, &single_variants);
            }
        }
    }
}

/// The Rust name of the only variant of an enum with one value.
fn single_variant(kind: &TypeKind) -> Option<String> {
    let TypeKind::Enum(enumeration) = kind else {
        return None;
    };
    match enumeration {
        Enum::String(variants) if variants.len() == 1 => Some(variants[0].name.clone()),
        Enum::Integer(variants) if variants.len() == 1 => Some(variants[0].name.clone()),
        _ => None,
    }
}

/// Sets `field`'s facts; `single_variants` holds, by id, the only variant of each one-value
/// enum.
fn settle_field(field: &mut Field, single_variants: &[Option<String>]) {
    field.keeps_null = field.presence == Presence::Optional && field.ty == TypeRef::Json;
    field.fixed = match (&field.ty, field.presence) {
        (TypeRef::Named(id), Presence::Required) => single_variants.get(id.0).cloned().flatten(),
        _ => None,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EnumVariant, Purpose, Struct, TypeId};

    fn definition(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: format!("#/components/schemas/{name}"),
            docs: None,
            features: Vec::new(),
            kind,
        }
    }

    fn field(name: &str, ty: TypeRef, presence: Presence) -> Field {
        Field {
            name: name.into(),
            wire_name: name.into(),
            docs: None,
            ty,
            presence,
            boxed: false,
            fixed: None,
            keeps_null: false,
        }
    }

    fn one_value(value: &str) -> TypeKind {
        TypeKind::Enum(Enum::String(vec![EnumVariant {
            name: "Only".into(),
            value: value.into(),
        }]))
    }

    #[test]
    fn required_one_value_enums_are_fixed_and_optional_json_keeps_null() {
        let (kind, pair) = (TypeRef::Named(TypeId(0)), TypeRef::Named(TypeId(1)));
        let fields = vec![
            field("kind", kind.clone(), Presence::Required),
            field("maybe_kind", kind, Presence::Optional),
            field("extra", TypeRef::Json, Presence::Optional),
            field("payload", TypeRef::Json, Presence::Required),
            field("pair", pair, Presence::Required),
        ];
        let strukt = Struct {
            fields,
            purpose: Purpose::Schema,
            builder: "ThingBuilder".into(),
        };
        let pair = TypeKind::Enum(super::super::enums::strings_enum(["a", "b"]));
        let mut types = [
            definition("Kind", one_value("k")),
            definition("Pair", pair),
            definition("Thing", TypeKind::Struct(strukt)),
        ];
        settle(&mut types);
        let TypeKind::Struct(strukt) = &types[2].kind else {
            panic!("Thing is a struct");
        };
        let facts: Vec<(Option<&str>, bool)> = strukt
            .fields
            .iter()
            .map(|field| (field.fixed.as_deref(), field.keeps_null))
            .collect();
        let expected = [
            (Some("Only"), false),
            (None, false),
            (None, true),
            (None, false),
            (None, false),
        ];
        assert_eq!(facts, expected);
    }
}
