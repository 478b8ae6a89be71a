//! Making recursive types finite: a field or union variant that leads back to the type that
//! holds it, without a `Vec` or map in between, is put behind a `Box`.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{TypeDef, TypeKind, TypeRef};

/// Marks as `boxed` every field and variant whose type can reach the type that holds it.
pub(super) fn box_cycles(types: &mut BTreeMap<String, TypeDef>) {
    let edges: BTreeMap<String, BTreeSet<String>> = types
        .iter()
        .map(|(name, def)| (name.clone(), direct_references(&def.kind)))
        .collect();
    for (name, def) in types.iter_mut() {
        match &mut def.kind {
            TypeKind::Struct(strukt) => {
                for field in &mut strukt.fields {
                    field.boxed =
                        inline_name(&field.ty).is_some_and(|to| reaches(&edges, to, name));
                }
            }
            TypeKind::Union(union) => {
                for variant in &mut union.variants {
                    variant.boxed =
                        inline_name(&variant.ty).is_some_and(|to| reaches(&edges, to, name));
                }
            }
            TypeKind::Enum(_) | TypeKind::Alias(_) | TypeKind::StatusEnum(_) => {}
        }
    }
}

/// The named type a value holds in place (not behind a `Vec` or a map).
fn inline_name(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::Nullable(inner) => inline_name(inner),
        _ => None,
    }
}

/// The named types a type holds in place.
fn direct_references(kind: &TypeKind) -> BTreeSet<String> {
    let types: Vec<&TypeRef> = match kind {
        TypeKind::Struct(strukt) => strukt.fields.iter().map(|field| &field.ty).collect(),
        TypeKind::Union(union) => union.variants.iter().map(|variant| &variant.ty).collect(),
        TypeKind::Alias(target) => vec![target],
        // Nothing holds a status enum, so no cycle runs through one.
        TypeKind::Enum(_) | TypeKind::StatusEnum(_) => Vec::new(),
    };
    types
        .into_iter()
        .filter_map(inline_name)
        .map(str::to_owned)
        .collect()
}

/// Whether `goal` is reachable from `start` through in-place references.
fn reaches(edges: &BTreeMap<String, BTreeSet<String>>, start: &str, goal: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![start];
    while let Some(current) = stack.pop() {
        if current == goal {
            return true;
        }
        if seen.insert(current) {
            stack.extend(edges.get(current).into_iter().flatten().map(String::as_str));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, Presence, Struct};

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            name: name.into(),
            wire_name: name.into(),
            docs: None,
            ty,
            presence: Presence::Optional,
            boxed: false,
            fixed: None,
            keeps_null: false,
        }
    }

    fn strukt(name: &str, fields: Vec<Field>) -> (String, TypeDef) {
        let def = TypeDef {
            name: name.into(),
            origin: String::new(),
            docs: None,
            features: Vec::new(),
            kind: TypeKind::Struct(Struct {
                fields,
                purpose: crate::model::Purpose::Schema,
                builder: String::new(),
            }),
        };
        (name.into(), def)
    }

    fn boxed(types: &BTreeMap<String, TypeDef>, name: &str) -> Vec<bool> {
        match &types[name].kind {
            TypeKind::Struct(strukt) => strukt.fields.iter().map(|f| f.boxed).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn self_and_mutual_references_are_boxed_but_not_through_vec() {
        let named = |n: &str| TypeRef::Named(n.into());
        let mut types: BTreeMap<String, TypeDef> = [
            strukt(
                "Node",
                vec![
                    field("parent", named("Node")),
                    field("children", TypeRef::Array(Box::new(named("Node")))),
                ],
            ),
            strukt(
                "A",
                vec![field("b", named("B")), field("leaf", named("Leaf"))],
            ),
            strukt("B", vec![field("a", named("A"))]),
            strukt("Leaf", vec![field("x", TypeRef::String)]),
        ]
        .into_iter()
        .collect();
        box_cycles(&mut types);
        assert_eq!(boxed(&types, "Node"), [true, false]);
        assert_eq!(boxed(&types, "A"), [true, false]);
        assert_eq!(boxed(&types, "B"), [true]);
        assert_eq!(boxed(&types, "Leaf"), [false]);
    }
}
