//! Type aliases defined through themselves (`A = B` with `B = A`, or `A = Vec<A>`): Rust refuses
//! them (E0391), and a schema that is only itself constrains nothing, so one alias of each
//! cycle becomes any JSON.

use crate::model::{alias_cycle, TypeDef, TypeKind, TypeRef};

/// Breaks every cycle of aliases among `types` (indexed by id): the first alias of each, in
/// name order, becomes any JSON. Returns the origin of each alias changed, with the names
/// along the cycle it closed (`A`, `B`, `A`).
pub(super) fn break_cycles(types: &mut [TypeDef]) -> Vec<(String, Vec<String>)> {
    let mut broken = Vec::new();
    while let Some(cycle) = alias_cycle(types) {
        let names: Vec<String> = cycle.iter().map(|id| types[id.0].name.clone()).collect();
        let Some(first) = cycle.iter().min_by_key(|id| &types[id.0].name) else {
            break;
        };
        let definition = &mut types[first.0];
        definition.kind = TypeKind::Alias(TypeRef::Json);
        broken.push((definition.origin.clone(), names));
    }
    broken
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Direction, TypeId};

    fn alias(name: &str, target: TypeRef) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: format!("#/components/schemas/{name}"),
            docs: None,
            features: Vec::new(),
            direction: Direction::Both,
            kind: TypeKind::Alias(target),
        }
    }

    #[test]
    fn mutual_and_container_cycles_are_broken_and_chains_are_not() {
        let named = |index: usize| TypeRef::Named(TypeId(index));
        let mut types = [
            alias("A", named(1)),
            alias("B", named(0)),
            alias("Chain", named(3)),
            alias("End", TypeRef::String),
            alias("List", TypeRef::Array(Box::new(named(4)))),
        ];
        let broken = break_cycles(&mut types);
        let origin = |name: &str| format!("#/components/schemas/{name}");
        assert_eq!(
            broken,
            [
                (origin("A"), vec!["A".to_owned(), "B".into(), "A".into()]),
                (origin("List"), vec!["List".to_owned(), "List".into()]),
            ]
        );
        assert_eq!(types[0].kind, TypeKind::Alias(TypeRef::Json));
        assert_eq!(types[1].kind, TypeKind::Alias(named(0)));
        assert_eq!(types[2].kind, TypeKind::Alias(named(3)));
        assert_eq!(alias_cycle(&types), None);
    }
}
