//! Type aliases defined through themselves (`A = B` with `B = A`, or `A = Vec<A>`): Rust refuses
//! them (E0391), and a schema that is only itself constrains nothing, so one alias of each
//! cycle becomes any JSON.

use std::collections::BTreeMap;

use crate::model::{alias_cycle, TypeDef, TypeKind, TypeRef};

/// Breaks every cycle of aliases: the first alias of each, in name order, becomes any JSON.
/// Returns each alias changed, with the cycle it closed (`A`, `B`, `A`).
pub(super) fn break_cycles(types: &mut BTreeMap<String, TypeDef>) -> Vec<(String, Vec<String>)> {
    let mut broken = Vec::new();
    while let Some(cycle) = alias_cycle(types.values()) {
        let first = cycle.iter().min().cloned().unwrap_or_default();
        if let Some(definition) = types.get_mut(&first) {
            definition.kind = TypeKind::Alias(TypeRef::Json);
        }
        broken.push((first, cycle));
    }
    broken
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alias(name: &str, target: TypeRef) -> (String, TypeDef) {
        let definition = TypeDef {
            name: name.into(),
            origin: format!("#/components/schemas/{name}"),
            docs: None,
            features: Vec::new(),
            kind: TypeKind::Alias(target),
        };
        (name.into(), definition)
    }

    #[test]
    fn mutual_and_container_cycles_are_broken_and_chains_are_not() {
        let named = |name: &str| TypeRef::Named(name.into());
        let mut types: BTreeMap<String, TypeDef> = [
            alias("A", named("B")),
            alias("B", named("A")),
            alias("List", TypeRef::Array(Box::new(named("List")))),
            alias("Chain", named("End")),
            alias("End", TypeRef::String),
        ]
        .into_iter()
        .collect();
        let broken = break_cycles(&mut types);
        assert_eq!(
            broken,
            [
                ("A".to_owned(), vec!["A".to_owned(), "B".into(), "A".into()]),
                ("List".to_owned(), vec!["List".to_owned(), "List".into()]),
            ]
        );
        assert_eq!(types["A"].kind, TypeKind::Alias(TypeRef::Json));
        assert_eq!(types["B"].kind, TypeKind::Alias(named("A")));
        assert_eq!(types["Chain"].kind, TypeKind::Alias(named("End")));
        assert_eq!(alias_cycle(types.values()), None);
    }
}
