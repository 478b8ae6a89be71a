//! The order a union's untagged alternatives are tried in. Decoding keeps the first that
//! takes a value, so an alternative that takes every value a later one does (an object whose
//! properties are all optional, before one that requires some) would hide it. Alternatives
//! are tried narrowest first, otherwise in document order, and what still hides another is
//! reported.

use std::collections::BTreeSet;

use super::Lowerer;
use crate::diagnostics::Pointer;
use crate::model::{Enum, Presence, TypeKind, TypeRef, UnionVariant};

/// Which JSON values an alternative takes when tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reach {
    /// Every value: any JSON, or another union (its `Unknown` variant keeps what it cannot
    /// read).
    Everything,
    /// Not known: a type whose definition is still being lowered (it contains the union), or
    /// one whose values are too varied to compare (a map of some type).
    Unknown,
    /// Objects that have at least these properties; with none, any object.
    Object(BTreeSet<String>),
    /// Other values: a kind of value, and how many of that kind (a larger breadth takes
    /// more; [`WHOLE`] takes them all).
    Value(Family, u32),
}

/// The kind of value a [`Reach::Value`] takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    String,
    Number,
    Boolean,
    Array,
}

/// The breadth of an alternative that takes every value of its family.
const WHOLE: u32 = u32::MAX;

/// How deep aliases are followed before an alternative counts as unknown.
const MAX_ALIASES: usize = 64;

impl Reach {
    /// Whether this alternative must be tried before `other`: `other` takes every value this
    /// one does, and more (an object that requires some of the properties this one requires,
    /// and no others).
    fn narrower_than(&self, other: &Reach) -> bool {
        match (self, other) {
            (Reach::Unknown, _) | (_, Reach::Unknown) | (Reach::Everything, _) => false,
            (_, Reach::Everything) => true,
            (Reach::Object(mine), Reach::Object(theirs)) => {
                theirs.len() < mine.len() && theirs.is_subset(mine)
            }
            (Reach::Value(mine, narrow), Reach::Value(theirs, wide)) => {
                mine == theirs && narrow < wide
            }
            _ => false,
        }
    }

    /// Whether this alternative, tried first, leaves nothing for `other`.
    fn covers(&self, other: &Reach) -> bool {
        match (self, other) {
            (Reach::Unknown, _) | (_, Reach::Unknown) => false,
            (Reach::Everything, _) => true,
            (Reach::Object(required), Reach::Object(_)) => required.is_empty(),
            (Reach::Value(mine, WHOLE), Reach::Value(theirs, _)) => mine == theirs,
            _ => false,
        }
    }

    /// What this alternative takes, said in a warning.
    fn described(&self) -> String {
        match self {
            Reach::Everything => "accepts any value".to_owned(),
            Reach::Object(required) if required.is_empty() => "accepts any object".to_owned(),
            Reach::Object(required) => {
                let names: Vec<String> = required.iter().map(|name| format!("`{name}`")).collect();
                format!("requires only {}", names.join(", "))
            }
            Reach::Value(Family::String, _) => "accepts any string".to_owned(),
            Reach::Value(Family::Number, WHOLE) => "accepts any number".to_owned(),
            Reach::Value(Family::Number, _) => "accepts any integer".to_owned(),
            Reach::Value(Family::Boolean, _) => "accepts any boolean".to_owned(),
            Reach::Value(Family::Array, _) => "accepts any array".to_owned(),
            Reach::Unknown => "accepts values of its own".to_owned(),
        }
    }
}

impl Lowerer<'_> {
    /// The variants in the order they are tried: those a required tag selects first, as
    /// listed, then the others, each before any listed earlier that would take every value it
    /// takes. Moving an alternative, and one without a tag that stays hidden behind another,
    /// is reported at `at`.
    pub(super) fn try_order(
        &mut self,
        variants: Vec<(usize, UnionVariant)>,
        at: &Pointer,
    ) -> Vec<UnionVariant> {
        let (tagged, untagged): (Vec<_>, Vec<_>) = variants
            .into_iter()
            .partition(|(_, v)| v.tag.is_some() && !v.tag_optional);
        let reaches: Vec<Reach> = untagged
            .iter()
            .map(|(_, variant)| self.reach(&variant.ty, true))
            .collect();
        let order = narrowest_first(&reaches);
        for message in order_warnings(&untagged, &reaches, &order) {
            self.warn(at, message);
        }
        let mut untagged: Vec<Option<(usize, UnionVariant)>> =
            untagged.into_iter().map(Some).collect();
        let ordered = order.iter().filter_map(|&index| untagged[index].take());
        tagged.into_iter().chain(ordered).map(|(_, v)| v).collect()
    }

    /// Which values a variant of type `ty` takes when tried. `direct` says the type is the
    /// variant's own: only then does an enum take only its listed values (see
    /// `emit/unions.rs`); inside an alias or `Option`, its `Unknown` takes any string.
    fn reach(&self, ty: &TypeRef, direct: bool) -> Reach {
        let mut ty = ty;
        let mut direct = direct;
        for _ in 0..MAX_ALIASES {
            let id = match ty {
                TypeRef::Named(id) => *id,
                TypeRef::Nullable(inner) => {
                    (ty, direct) = (inner, false);
                    continue;
                }
                other => return builtin_reach(other),
            };
            let Some(definition) = self.types.get(id) else {
                return Reach::Unknown;
            };
            match &definition.kind {
                TypeKind::Alias(target) => (ty, direct) = (target, false),
                TypeKind::Enum(enumeration) => {
                    let family = match enumeration {
                        Enum::String(_) => Family::String,
                        Enum::Integer(_) => Family::Number,
                    };
                    return Reach::Value(family, if direct { 0 } else { WHOLE });
                }
                TypeKind::Struct(strukt) => {
                    let required = strukt
                        .fields
                        .iter()
                        .filter(|field| field.presence == Presence::Required)
                        .map(|field| field.wire_name.clone());
                    return Reach::Object(required.collect());
                }
                TypeKind::Union(_) => return Reach::Everything,
                TypeKind::StatusEnum(_) => return Reach::Unknown,
            }
        }
        Reach::Unknown
    }
}

/// The reach of a type that is not named.
fn builtin_reach(ty: &TypeRef) -> Reach {
    match ty {
        // A file part travels in JSON as text.
        TypeRef::String | TypeRef::Secret | TypeRef::File => Reach::Value(Family::String, WHOLE),
        TypeRef::I32 | TypeRef::I64 => Reach::Value(Family::Number, 1),
        TypeRef::F32 | TypeRef::F64 => Reach::Value(Family::Number, WHOLE),
        TypeRef::Bool => Reach::Value(Family::Boolean, WHOLE),
        TypeRef::Json => Reach::Everything,
        TypeRef::Array(item) if **item == TypeRef::Json => Reach::Value(Family::Array, WHOLE),
        TypeRef::Array(_) | TypeRef::Bytes => Reach::Value(Family::Array, 0),
        TypeRef::Map(value) if **value == TypeRef::Json => Reach::Object(BTreeSet::new()),
        TypeRef::Map(_) | TypeRef::Named(_) | TypeRef::Nullable(_) => Reach::Unknown,
    }
}

/// The indices of `reaches` in the order they are tried: each in document order, except that
/// one goes just before the first listed earlier that takes every value it takes. Being
/// narrower is a strict, transitive order, so nothing placed after an alternative must
/// precede it.
fn narrowest_first(reaches: &[Reach]) -> Vec<usize> {
    let mut order: Vec<usize> = Vec::with_capacity(reaches.len());
    for (index, reach) in reaches.iter().enumerate() {
        let place = order
            .iter()
            .position(|&earlier| reach.narrower_than(&reaches[earlier]))
            .unwrap_or(order.len());
        order.insert(place, index);
    }
    order
}

/// What the order says about the alternatives: each moved behind ones listed after it, and
/// each that one tried before it leaves nothing for.
fn order_warnings(
    variants: &[(usize, UnionVariant)],
    reaches: &[Reach],
    order: &[usize],
) -> Vec<String> {
    let mut warnings = Vec::new();
    for (place, &current) in order.iter().enumerate() {
        let before = &order[..place];
        let ahead: Vec<usize> = before.iter().copied().filter(|&i| i > current).collect();
        warnings.extend(moved(variants, reaches, current, &ahead));
        // A variant with a tag is still chosen by it.
        let hidden_by = before.iter().find(|&&earlier| {
            variants[current].1.tag.is_none() && reaches[earlier].covers(&reaches[current])
        });
        if let Some(&earlier) = hidden_by {
            warnings.push(format!(
                "{} is never chosen: {}, tried before it, {}",
                label(&variants[current]),
                label(&variants[earlier]),
                reaches[earlier].described()
            ));
        }
    }
    warnings
}

/// The warning for an alternative that the ones in `ahead`, listed after it, now precede.
fn moved(
    variants: &[(usize, UnionVariant)],
    reaches: &[Reach],
    current: usize,
    ahead: &[usize],
) -> Option<String> {
    let names: Vec<String> = ahead.iter().map(|&i| label(&variants[i])).collect();
    let listed = match names.as_slice() {
        [] => return None,
        [one] => format!("{one}, listed after it, is"),
        [init @ .., last] => format!("{} and {last}, listed after it, are", init.join(", ")),
    };
    Some(format!(
        "{} {}, so {listed} tried first",
        label(&variants[current]),
        reaches[current].described(),
    ))
}

/// `alternative 2 (`Track`)`: a variant by its index in the document and its name.
fn label((index, variant): &(usize, UnionVariant)) -> String {
    format!("alternative {index} (`{}`)", variant.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(required: &[&str]) -> Reach {
        Reach::Object(required.iter().map(|name| (*name).to_owned()).collect())
    }

    const TEXT: Reach = Reach::Value(Family::String, WHOLE);
    const LISTED: Reach = Reach::Value(Family::String, 0);
    const INTEGER: Reach = Reach::Value(Family::Number, 1);
    const NUMBER: Reach = Reach::Value(Family::Number, WHOLE);

    #[test]
    fn narrower_alternatives_move_ahead_and_the_rest_keep_their_order() {
        let cases: Vec<(Vec<Reach>, Vec<usize>)> = vec![
            (vec![object(&[]), object(&["type", "show"])], vec![1, 0]),
            (vec![object(&["id"]), object(&["id", "name"])], vec![1, 0]),
            (
                vec![object(&["radius"]), object(&["width", "height"])],
                vec![0, 1],
            ),
            (vec![Reach::Everything, TEXT, object(&[])], vec![1, 2, 0]),
            (vec![TEXT, object(&[]), LISTED], vec![2, 0, 1]),
            (vec![NUMBER, TEXT, INTEGER], vec![2, 0, 1]),
            (
                vec![Reach::Unknown, Reach::Everything, object(&[])],
                vec![0, 2, 1],
            ),
        ];
        for (reaches, expected) in cases {
            assert_eq!(narrowest_first(&reaches), expected, "{reaches:?}");
        }
    }

    #[test]
    fn only_any_object_a_whole_family_or_everything_hides_what_follows() {
        assert!(object(&[]).covers(&object(&["a"])));
        assert!(!object(&["a"]).covers(&object(&["a", "b"])));
        assert!(Reach::Everything.covers(&LISTED) && Reach::Everything.covers(&Reach::Everything));
        assert!(TEXT.covers(&LISTED) && !TEXT.covers(&INTEGER));
        assert!(!Reach::Unknown.covers(&object(&[])) && !Reach::Everything.covers(&Reach::Unknown));
    }
}
