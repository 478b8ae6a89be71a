//! Making recursive types finite: a field or union variant that leads back to the type that
//! holds it, without a `Vec` or map in between, is put behind a `Box`.

use std::collections::BTreeSet;

use crate::model::{TypeDef, TypeId, TypeKind, TypeRef};

/// Marks as `boxed` every field and variant whose type can reach the type that holds it;
/// `types` is indexed by id.
pub(super) fn box_cycles(types: &mut [TypeDef]) {
    let edges: Vec<BTreeSet<TypeId>> = types
        .iter()
        .map(|def| direct_references(&def.kind))
        .collect();
    for (index, def) in types.iter_mut().enumerate() {
        let holder = TypeId(index);
        let reaches_holder =
            |ty: &TypeRef| inline_id(ty).is_some_and(|to| reaches(&edges, to, holder));
        match &mut def.kind {
            TypeKind::Struct(strukt) => {
                for field in &mut strukt.fields {
                    field.boxed = reaches_holder(&field.ty);
                }
            }
            TypeKind::Union(union) => {
                for variant in &mut union.variants {
                    variant.boxed = reaches_holder(&variant.ty);
                }
            }
            TypeKind::Enum(_) | TypeKind::Alias(_) | TypeKind::StatusEnum(_) => {}
        }
    }
}

/// The named type a value holds in place (not behind a `Vec` or a map).
fn inline_id(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Nullable(inner) => inline_id(inner),
        _ => None,
    }
}

/// The named types a type holds in place.
fn direct_references(kind: &TypeKind) -> BTreeSet<TypeId> {
    match kind {
        // Nothing holds a status enum, so no cycle runs through one.
        TypeKind::StatusEnum(_) => BTreeSet::new(),
        _ => kind.type_refs().into_iter().filter_map(inline_id).collect(),
    }
}

/// Whether `goal` is reachable from `start` through in-place references.
fn reaches(edges: &[BTreeSet<TypeId>], start: TypeId, goal: TypeId) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![start];
    while let Some(current) = stack.pop() {
        if current == goal {
            return true;
        }
        if seen.insert(current) {
            stack.extend(edges.get(current.0).into_iter().flatten());
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Direction, Field, Presence, Struct};

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

    fn strukt(name: &str, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: String::new(),
            docs: None,
            features: Vec::new(),
            direction: Direction::Both,
            kind: TypeKind::Struct(Struct {
                fields,
                purpose: crate::model::Purpose::Schema,
                builder: String::new(),
            }),
        }
    }

    fn boxed(types: &[TypeDef], id: usize) -> Vec<bool> {
        match &types[id].kind {
            TypeKind::Struct(strukt) => strukt.fields.iter().map(|f| f.boxed).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn self_and_mutual_references_are_boxed_but_not_through_vec() {
        let named = |index: usize| TypeRef::Named(TypeId(index));
        let (node, a, b, leaf) = (0, 1, 2, 3);
        let mut types = [
            strukt(
                "Node",
                vec![
                    field("parent", named(node)),
                    field("children", TypeRef::Array(Box::new(named(node)))),
                ],
            ),
            strukt("A", vec![field("b", named(b)), field("leaf", named(leaf))]),
            strukt("B", vec![field("a", named(a))]),
            strukt("Leaf", vec![field("x", TypeRef::String)]),
        ];
        box_cycles(&mut types);
        assert_eq!(boxed(&types, node), [true, false]);
        assert_eq!(boxed(&types, a), [true, false]);
        assert_eq!(boxed(&types, b), [true]);
        assert_eq!(boxed(&types, leaf), [false]);
    }
}
