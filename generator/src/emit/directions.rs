//! What the way a type travels ([`Direction`]) decides in emitted code: the serde traits it
//! has by default (`Serialize` when sent, `Deserialize` when received), the others only with
//! the opt-in feature [`Feature::FULL_SERDE`], and when the serde helpers those traits call
//! are compiled.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{feature_names, feature_predicate};
use crate::model::{Api, Direction, Feature, TypeDef};

/// One of serde's two traits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SerdeTrait {
    /// What a request is written with.
    Serialize,
    /// What a response is read with.
    Deserialize,
}

impl SerdeTrait {
    /// Whether a type travelling `direction` has this trait without the opt-in feature.
    pub(super) fn by_default(self, direction: Direction) -> bool {
        match self {
            SerdeTrait::Serialize => direction.is_sent(),
            SerdeTrait::Deserialize => direction.is_received(),
        }
    }

    fn path(self) -> TokenStream {
        match self {
            SerdeTrait::Serialize => quote!(::serde::Serialize),
            SerdeTrait::Deserialize => quote!(::serde::Deserialize),
        }
    }
}

/// The serde derives of one type; none by default.
#[derive(Default)]
pub(super) struct SerdeDerives {
    /// The traits derived always, to end the type's `#[derive(..)]` list (empty, or each
    /// after a comma).
    pub(super) derived: TokenStream,
    /// The attributes that go beside it: the container's `#[serde(..)]` and a `cfg_attr`
    /// deriving the other traits with the opt-in feature.
    pub(super) attributes: TokenStream,
}

/// How a type travelling `direction` derives `traits`: those it needs always, the others with
/// the opt-in feature. `container` holds the arguments of its `#[serde(..)]` attribute
/// (`untagged`), which is written only where a serde derive reads it.
pub(super) fn serde_derives(
    direction: Direction,
    traits: &[SerdeTrait],
    container: Option<TokenStream>,
) -> SerdeDerives {
    let (needed, opted): (Vec<SerdeTrait>, Vec<SerdeTrait>) = traits
        .iter()
        .partition(|serde_trait| serde_trait.by_default(direction));
    let needed_paths = needed.iter().map(|serde_trait| serde_trait.path());
    let derived = quote!(#(, #needed_paths)*);
    let container = container.map(|arguments| quote!(serde(#arguments)));
    let always = container.as_ref().filter(|_| !needed.is_empty());
    let opt_in = (!opted.is_empty()).then(|| {
        let opted_in = opt_in_predicate();
        let paths = opted.iter().map(|serde_trait| serde_trait.path());
        let container = container.as_ref().filter(|_| needed.is_empty());
        let container = container.map(|attribute| quote!(, #attribute));
        quote!(#[cfg_attr(#opted_in, derive(#(#paths),*) #container)])
    });
    let always = always.map(|attribute| quote!(#[#attribute]));
    SerdeDerives {
        derived,
        attributes: quote!(#always #opt_in),
    }
}

/// The `#[cfg]` of a hand-written impl of `serde_trait` for a type travelling `direction`:
/// none when the type needs it, the opt-in feature otherwise.
pub(super) fn impl_cfg(direction: Direction, serde_trait: SerdeTrait) -> Option<TokenStream> {
    (!serde_trait.by_default(direction)).then(opt_in_cfg)
}

/// The `#[cfg]` of what only the opt-in serde traits need.
pub(super) fn opt_in_cfg() -> TokenStream {
    let opted_in = opt_in_predicate();
    quote!(#[cfg(#opted_in)])
}

/// The predicate that holds when the opt-in serde traits are compiled.
fn opt_in_predicate() -> TokenStream {
    let feature = Feature::FULL_SERDE;
    quote!(feature = #feature)
}

/// The `#[cfg]` of a serde helper that the impls of `serves` of the types `users` call: it is
/// compiled when one of them is compiled with one of those traits, and so is never dead code.
/// `None` when that is always.
pub(super) fn helper_cfg(
    api: &Api,
    users: &[&TypeDef],
    serves: &[SerdeTrait],
) -> Option<TokenStream> {
    let by_default = users.iter().filter(|definition| {
        serves
            .iter()
            .any(|serde_trait| serde_trait.by_default(definition.direction))
    });
    let by_default = Gate::of(by_default.copied());
    let any_user = Gate::of(users.iter().copied());
    let opted_in = opt_in_predicate();
    let opted = match any_user.features() {
        Some(features) => {
            let any_user = feature_predicate(api, features);
            quote!(all(#opted_in, #any_user))
        }
        None => opted_in,
    };
    match by_default {
        Gate::Always => None,
        Gate::Never => Some(quote!(#[cfg(#opted)])),
        // Those that need the helper anyway are all that could use it.
        Gate::Any(features) if any_user.features() == Some(&features) => {
            let compiled = feature_predicate(api, &features);
            Some(quote!(#[cfg(#compiled)]))
        }
        Gate::Any(features) => {
            let names = feature_names(api, &features);
            Some(quote!(#[cfg(any(#(feature = #names,)* #opted))]))
        }
    }
}

/// When some types are compiled, taken together.
enum Gate {
    /// None of them is.
    Never,
    /// One of them always is.
    Always,
    /// With any of these features (indices into [`Api::features`]).
    Any(BTreeSet<usize>),
}

impl Gate {
    /// When any of `types` is compiled.
    fn of<'t>(types: impl Iterator<Item = &'t TypeDef>) -> Gate {
        types.fold(Gate::Never, |gate, definition| {
            match (gate, definition.features.as_slice()) {
                (Gate::Always, _) | (_, []) => Gate::Always,
                (Gate::Never, features) => Gate::Any(features.iter().copied().collect()),
                (Gate::Any(mut all), features) => {
                    all.extend(features);
                    Gate::Any(all)
                }
            }
        })
    }

    /// The features of a gate that has some.
    fn features(&self) -> Option<&BTreeSet<usize>> {
        match self {
            Gate::Any(features) => Some(features),
            Gate::Never | Gate::Always => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(tokens: &TokenStream) -> String {
        tokens.to_string().replace(' ', "")
    }

    #[test]
    fn a_type_derives_the_trait_of_its_way_and_the_other_with_the_opt_in_feature() {
        let both = [SerdeTrait::Serialize, SerdeTrait::Deserialize];
        let sent = serde_derives(Direction::Sent, &both, None);
        assert_eq!(printed(&sent.derived), ",::serde::Serialize");
        assert_eq!(
            printed(&sent.attributes),
            r#"#[cfg_attr(feature="full-serde",derive(::serde::Deserialize))]"#
        );
        let all = serde_derives(Direction::Both, &both, None);
        assert_eq!(
            printed(&all.derived),
            ",::serde::Serialize,::serde::Deserialize"
        );
        assert!(all.attributes.is_empty());
    }

    #[test]
    fn the_container_attribute_goes_where_a_derive_reads_it() {
        let serialize = [SerdeTrait::Serialize];
        let received = serde_derives(Direction::Received, &serialize, Some(quote!(untagged)));
        assert!(received.derived.is_empty());
        assert_eq!(
            printed(&received.attributes),
            r#"#[cfg_attr(feature="full-serde",derive(::serde::Serialize),serde(untagged))]"#
        );
        let sent = serde_derives(Direction::Sent, &serialize, Some(quote!(untagged)));
        assert_eq!(printed(&sent.attributes), "#[serde(untagged)]");
    }
}
