//! Cycles among type aliases, found over the model alone: lowering breaks them and
//! validation proves none is left.

use std::collections::{BTreeMap, BTreeSet};

use super::{TypeDef, TypeKind};

/// A cycle among the aliases of `types` (`A = B` with `B = A`, or `A = Vec<A>`), as the names
/// along it with the first repeated at the end: the first found, walking from each alias in
/// name order.
pub fn alias_cycle<'t>(types: impl IntoIterator<Item = &'t TypeDef>) -> Option<Vec<String>> {
    let kinds: BTreeMap<&str, &TypeKind> = types
        .into_iter()
        .map(|definition| (definition.name.as_str(), &definition.kind))
        .collect();
    let edges: BTreeMap<&str, Vec<&str>> = kinds
        .iter()
        .filter_map(|(name, kind)| match kind {
            TypeKind::Alias(target) => {
                let aliases = target
                    .named_types()
                    .into_iter()
                    .filter(|named| matches!(kinds.get(named), Some(TypeKind::Alias(_))))
                    .collect();
                Some((*name, aliases))
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

/// Depth-first from the last name of `path`; `done` holds names known to lead to no cycle.
fn walk<'n>(
    edges: &BTreeMap<&'n str, Vec<&'n str>>,
    path: &mut Vec<&'n str>,
    done: &mut BTreeSet<&'n str>,
) -> Option<Vec<String>> {
    let current = *path.last()?;
    if done.contains(current) {
        return None;
    }
    for &next in edges.get(current).into_iter().flatten() {
        if let Some(at) = path.iter().position(|name| *name == next) {
            let mut cycle: Vec<String> = path[at..].iter().map(|n| (*n).to_owned()).collect();
            cycle.push(next.to_owned());
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
    use crate::model::TypeRef;

    fn alias(name: &str, target: TypeRef) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: format!("#/components/schemas/{name}"),
            docs: None,
            features: Vec::new(),
            kind: TypeKind::Alias(target),
        }
    }

    #[test]
    fn a_cycle_is_named_along_its_aliases_and_a_chain_is_none() {
        let named = |name: &str| TypeRef::Named(name.into());
        let chain = [alias("Chain", named("End")), alias("End", TypeRef::String)];
        assert_eq!(alias_cycle(&chain), None);
        let cycle = [
            alias("A", named("B")),
            alias("B", TypeRef::Map(Box::new(named("C")))),
            alias("C", named("A")),
        ];
        let names = ["A", "B", "C", "A"].map(String::from).to_vec();
        assert_eq!(alias_cycle(&cycle), Some(names));
    }
}
