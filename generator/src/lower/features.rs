//! Cargo features: one per tag of the operations (and one for the untagged ones), so that a
//! user of a large API compiles only the operations they call and the types those reach.
//!
//! Each operation belongs to the features of its tags; each named type to the features of
//! every operation that reaches it, through any chain of fields, variants and aliases. The
//! closure is computed here, from the model, once: emission only reads it. The types no
//! operation reaches (components nothing uses) come with a feature of their own, and so does
//! everything they refer to. With fewer than two groups of operations there are no features.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{spread, Api, Feature, FeatureGroup, Operation, TypeId};
use crate::naming::{self, UniqueNames};

/// `api` with its features assigned to its operations and types.
pub(super) fn assign(mut api: Api) -> Api {
    // `default` is cargo's own feature and `full-serde` the opt-in to serde both ways: no
    // group may take either.
    let mut names = UniqueNames::with_reserved(&["default", Feature::FULL_SERDE]);
    let mut features = features_of(&api.operations, &mut names);
    if features.len() < 2 {
        return api;
    }
    let index: BTreeMap<Option<&str>, usize> = features
        .iter()
        .enumerate()
        .map(|(index, feature)| (tag_of(feature), index))
        .collect();
    for op in &mut api.operations {
        op.features = groups(op).map(|tag| index[&tag]).collect();
    }
    let unused_feature = features.len();
    let reached: Vec<Vec<usize>> = reached_by(&api, unused_feature)
        .into_iter()
        .map(|features| features.into_iter().collect())
        .collect();
    if reached
        .iter()
        .flatten()
        .any(|&feature| feature == unused_feature)
    {
        features.push(Feature {
            name: names.claim(naming::feature_name("unused schemas")),
            group: FeatureGroup::Unused,
        });
    }
    for (def, features) in api.types.iter_mut().zip(reached) {
        def.features = features;
    }
    api.features = features;
    api
}

/// The tag a feature of operations stands for (`None` for the untagged ones).
fn tag_of(feature: &Feature) -> Option<&str> {
    match &feature.group {
        FeatureGroup::Tag(tag) => Some(tag),
        FeatureGroup::Untagged | FeatureGroup::Unused => None,
    }
}

/// The groups an operation is in: its tags, or the untagged group (`None`).
fn groups(op: &Operation) -> impl Iterator<Item = Option<&str>> {
    let untagged = op.tags.is_empty().then_some(None);
    op.tags.iter().map(|tag| Some(tag.as_str())).chain(untagged)
}

/// One feature per group, in order of first use, each with a name cargo takes and no other
/// feature has.
fn features_of(operations: &[Operation], names: &mut UniqueNames) -> Vec<Feature> {
    let mut seen = BTreeSet::new();
    let mut features = Vec::new();
    for op in operations {
        for tag in groups(op) {
            if seen.insert(tag) {
                let name = naming::feature_name(tag.unwrap_or("untagged"));
                features.push(Feature {
                    name: names.claim(name),
                    group: tag.map_or(FeatureGroup::Untagged, |tag| {
                        FeatureGroup::Tag(tag.to_owned())
                    }),
                });
            }
        }
    }
    features
}

/// For each named type, by id, the features that compile it: those of the operations that
/// reach it, and `unused_feature` for the types no operation reaches and all they refer to.
fn reached_by(api: &Api, unused_feature: usize) -> Vec<BTreeSet<usize>> {
    let mut reached: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); api.types.len()];
    for op in &api.operations {
        walk(api, roots(op), &op.features, &mut reached);
    }
    let unused: Vec<TypeId> = (0..api.types.len())
        .map(TypeId)
        .filter(|id| reached[id.0].is_empty())
        .collect();
    walk(api, unused, &[unused_feature], &mut reached);
    reached
}

/// Adds `features` to every type reached from `roots`.
fn walk(api: &Api, roots: Vec<TypeId>, features: &[usize], reached: &mut [BTreeSet<usize>]) {
    spread(&api.types, roots, |id| {
        let features_of_type = &mut reached[id.0];
        let before = features_of_type.len();
        features_of_type.extend(features);
        features_of_type.len() != before
    });
}

/// The named types an operation names itself: what its requests write and its responses are
/// read as.
fn roots(op: &Operation) -> Vec<TypeId> {
    let mut roots = op.sent_types();
    roots.extend(op.received_types());
    roots
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, Spec};

    fn lowered(text: &str) -> Api {
        let spec = Spec::parse("api.yaml", text).expect("a valid document");
        crate::lower(&spec, &Config::new("demo")).expect("lowers").0
    }

    const TAGGED: &str = r##"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /files:
    get:
      tags: [Files]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/File"}}}}
  /users:
    get:
      tags: [Users, Files]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/User"}}}}
  /ping:
    get:
      responses:
        "204": {description: ok}
components:
  schemas:
    File:
      type: object
      properties:
        owner: {$ref: "#/components/schemas/User"}
    User:
      type: object
      properties:
        best_friend: {$ref: "#/components/schemas/User"}
    Unused: {type: object, properties: {friend: {$ref: "#/components/schemas/User"}}}
"##;

    fn names<'a>(api: &'a Api, features: &[usize]) -> Vec<&'a str> {
        features
            .iter()
            .map(|&i| api.features[i].name.as_str())
            .collect()
    }

    #[test]
    fn a_feature_per_tag_one_for_the_untagged_and_one_for_unused_schemas() {
        let api = lowered(TAGGED);
        let features: Vec<(&str, &FeatureGroup)> = api
            .features
            .iter()
            .map(|f| (f.name.as_str(), &f.group))
            .collect();
        let expected = [
            ("files", &FeatureGroup::Tag("Files".to_owned())),
            ("users", &FeatureGroup::Tag("Users".to_owned())),
            ("untagged", &FeatureGroup::Untagged),
            ("unused-schemas", &FeatureGroup::Unused),
        ];
        assert_eq!(features, expected);
        let of_op = |index: usize| names(&api, &api.operations[index].features);
        assert_eq!(of_op(0), ["files"]);
        assert_eq!(of_op(1), ["users", "files"]);
        assert_eq!(of_op(2), ["untagged"]);
    }

    #[test]
    fn types_follow_every_operation_that_reaches_them_through_cycles() {
        let api = lowered(TAGGED);
        let of_type = |name: &str| {
            let def = api
                .types
                .iter()
                .find(|def| def.name == name)
                .expect("defined");
            names(&api, &def.features)
        };
        assert_eq!(of_type("File"), ["files"]);
        // No operation reaches `Unused`: it comes with its own feature, and so does all it
        // refers to.
        assert_eq!(of_type("User"), ["files", "users", "unused-schemas"]);
        assert_eq!(of_type("Unused"), ["unused-schemas"]);
    }

    #[test]
    fn a_tag_named_like_the_opt_in_feature_takes_another_name() {
        let api = lowered(&TAGGED.replace("tags: [Files]", "tags: [Full Serde]"));
        let tag = FeatureGroup::Tag("Full Serde".to_owned());
        let feature = api.features.iter().find(|f| f.group == tag);
        assert_eq!(feature.map(|f| f.name.as_str()), Some("full-serde2"));
        assert!(api.features.iter().all(|f| f.name != Feature::FULL_SERDE));
    }

    #[test]
    fn one_group_needs_no_features() {
        let untagged = TAGGED
            .replace("tags: [Files]", "")
            .replace("tags: [Users, Files]", "");
        let api = lowered(&untagged);
        assert!(api.features.is_empty());
        assert!(api.operations.iter().all(|op| op.features.is_empty()));
        assert!(api.types.iter().all(|def| def.features.is_empty()));
    }
}
