//! Cycles among type aliases, found over the model alone: lowering breaks them and
//! validation proves none is left.

use std::collections::{BTreeMap, BTreeSet};

use super::{TypeDef, TypeId, TypeKind};

/// A cycle among the aliases of `types` (`A = B` with `B = A`, or `A = Vec<A>`), each type's
/// id its index in `types`: the ids along it with the first repeated at the end, the first
/// found walking from each alias in id order.
pub fn alias_cycle(types: &[TypeDef]) -> Option<Vec<TypeId>> {
    let is_alias = |id: &TypeId| {
        matches!(
            types.get(id.0),
            Some(TypeDef {
                kind: TypeKind::Alias(_),
                ..
            })
        )
    };
    let edges: BTreeMap<TypeId, Vec<TypeId>> = types
        .iter()
        .enumerate()
        .filter_map(|(index, definition)| match &definition.kind {
            TypeKind::Alias(target) => {
                let aliases = target.named_types().into_iter().filter(is_alias).collect();
                Some((TypeId(index), aliases))
            }
            _ => None,
        })
        .collect();
    let mut done = BTreeSet::new();
    for &start in edges.keys() {
        let mut path = vec![start];
        if let Some(cycle) = walk(&edges, &mut path, &mut done) {
            return Some(cycle);
        }
    }
    None
}

/// Depth-first from the last id of `path`; `done` holds ids known to lead to no cycle.
fn walk(
    edges: &BTreeMap<TypeId, Vec<TypeId>>,
    path: &mut Vec<TypeId>,
    done: &mut BTreeSet<TypeId>,
) -> Option<Vec<TypeId>> {
    let current = *path.last()?;
    if done.contains(&current) {
        return None;
    }
    for &next in edges.get(&current).into_iter().flatten() {
        if let Some(at) = path.iter().position(|id| *id == next) {
            let mut cycle = path[at..].to_vec();
            cycle.push(next);
            return Some(cycle);
        }
        path.push(next);
        let found = walk(edges, path, done);
        path.pop();
        if found.is_some() {
            return found;
        }
    }
    done.insert(current);
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Direction, TypeRef};

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
    fn a_cycle_is_given_along_its_aliases_and_a_chain_is_none() {
        let named = |index: usize| TypeRef::Named(TypeId(index));
        let chain = [alias("Chain", named(1)), alias("End", TypeRef::String)];
        assert_eq!(alias_cycle(&chain), None);
        let cycle = [
            alias("A", named(1)),
            alias("B", TypeRef::Map(Box::new(named(2)))),
            alias("C", named(0)),
        ];
        let ids = [0, 1, 2, 0].map(TypeId).to_vec();
        assert_eq!(alias_cycle(&cycle), Some(ids));
    }
}
